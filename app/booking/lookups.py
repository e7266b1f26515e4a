"""Short-lived copies of the catalogue reads that every hold and availability query repeats.

The catalogue changes rarely (an office lead edits hours), bookings come constantly:
keeping a service, an office id or a capacity for two seconds turns the hot path's five
catalogue queries into none, at the price of a catalogue change showing two seconds
late. Only catalogue data and case references (which never change) are kept; taken
units, releases and appointments are always read fresh.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")


class Lookups:
    """One per app (and per test): values by key, each for `ttl` seconds of real time."""

    def __init__(self, ttl: float = 2.0, limit: int = 4096) -> None:
        self.ttl = ttl
        self.limit = limit
        self._values: dict[Hashable, tuple[float, object]] = {}
        self._loading: dict[Hashable, asyncio.Future[object]] = {}

    def put(self, key: Hashable, value: object) -> None:
        """Keep a value just read or written elsewhere (e.g. a new case's reference)."""
        if len(self._values) >= self.limit:
            self._values.clear()
        self._values[key] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        """Forget every kept value: the catalogue changed in this process."""
        self._values.clear()

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """The kept value for `key`, or `load()`'s, kept from now on. Errors are not kept."""
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and found[0] > now:
            return cast(T, found[1])
        value = await self.shared(key, load)
        self.put(key, value)
        return value

    async def shared(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """`load()`'s value, computed once for all callers that ask while it runs.

        Nothing is kept afterwards: a caller who comes later computes afresh. In a rush,
        hundreds of identical availability queries arrive within one computation's time;
        they share it instead of each taking the CPU for the same answer.
        """
        pending = self._loading.get(key)
        if pending is not None:
            return cast(T, await asyncio.shield(pending))
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        try:
            value = await load()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so an error nobody else awaited stays quiet
            raise
        else:
            future.set_result(value)
            return value
        finally:
            del self._loading[key]
