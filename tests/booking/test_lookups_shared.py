"""Identical queries that arrive while one is being computed share its answer."""

import asyncio

from app.booking.lookups import Lookups


async def test_concurrent_callers_share_one_computation_and_later_ones_compute_afresh():
    lookups = Lookups()
    calls = 0
    gate = asyncio.Event()

    async def load() -> int:
        nonlocal calls
        calls += 1
        await gate.wait()
        return calls

    waiting = [asyncio.ensure_future(lookups.shared("k", load)) for _ in range(50)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == [1] * 50
    assert await lookups.shared("k", load) == 2


async def test_an_error_reaches_every_waiting_caller_and_is_not_kept():
    lookups = Lookups()
    gate = asyncio.Event()

    async def failing() -> int:
        await gate.wait()
        raise ValueError("database gone")

    waiting = [asyncio.ensure_future(lookups.shared("k", failing)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(result, ValueError) for result in results)

    async def working() -> int:
        return 7

    assert await lookups.shared("k", working) == 7
