import asyncio
from collections import Counter
from datetime import timedelta

from app.jobs import service
from app.jobs.worker import GiveUp, RetryLater, Worker


async def test_two_workers_run_every_job_exactly_once(clock):
    now = clock.now()
    for number in range(120):
        await service.enqueue("count", {"n": number}, due_at=now, now=now)
    runs: Counter[int] = Counter()

    async def count(payload):
        await asyncio.sleep(0)
        runs[payload["n"]] += 1

    workers = [Worker({"count": count}, clock, name=f"w{i}", batch=7) for i in range(2)]
    await asyncio.gather(*(worker.run_until_idle() for worker in workers))
    assert sorted(runs) == list(range(120))
    assert set(runs.values()) == {1}
    assert await service.count("done") == 120


async def test_retry_later_is_honoured(clock):
    now = clock.now()
    await service.enqueue("push", {}, due_at=now, now=now)

    async def busy(payload):
        raise RetryLater(120, "429 from push service")

    worker = Worker({"push": busy}, clock, name="w")
    assert await worker.run_once() == 1
    clock.advance(timedelta(seconds=119))
    assert await worker.run_once() == 0
    clock.advance(timedelta(seconds=2))
    assert await worker.run_once() == 1


async def test_give_up_buries_the_job_at_once(clock):
    now = clock.now()
    await service.enqueue("push", {}, due_at=now, now=now)

    async def gone(payload):
        raise GiveUp("410 Gone")

    await Worker({"push": gone}, clock, name="w").run_once()
    assert await service.count("dead") == 1


async def test_a_job_without_handler_is_buried_not_retried_forever(clock):
    now = clock.now()
    await service.enqueue("unknown.kind", {}, due_at=now, now=now)
    await Worker({}, clock, name="w").run_once()
    assert await service.count("dead") == 1


async def test_an_exception_puts_the_job_back_with_backoff(clock):
    now = clock.now()
    await service.enqueue("flaky", {}, due_at=now, now=now)

    async def flaky(payload):
        raise ConnectionError("smtp down")

    await Worker({"flaky": flaky}, clock, name="w").run_once()
    assert await service.count("pending") == 1
