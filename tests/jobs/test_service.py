import asyncio
from datetime import timedelta

from app.jobs import service

LEASE = timedelta(minutes=5)


async def test_the_same_dedupe_key_enqueues_one_job(clock):
    now = clock.now()
    first = await service.enqueue("mail.send", {"mail": 1}, due_at=now, now=now, dedupe_key="m1")
    second = await service.enqueue("mail.send", {"mail": 1}, due_at=now, now=now, dedupe_key="m1")
    assert first is not None
    assert second is None
    assert await service.count("pending") == 1


async def test_a_job_is_not_claimed_before_it_is_due(clock):
    now = clock.now()
    await service.enqueue("reminder", {"a": 1}, due_at=now + timedelta(hours=1), now=now)
    assert await service.claim("w1", now, lease=LEASE) == []
    later = await service.claim("w1", now + timedelta(hours=1), lease=LEASE)
    assert [job.payload for job in later] == [{"a": 1}]


async def test_jobs_come_out_in_due_order(clock):
    now = clock.now()
    for minutes in (3, 1, 2):
        await service.enqueue("k", {"m": minutes}, due_at=now - timedelta(minutes=minutes), now=now)
    claimed = await service.claim("w1", now, lease=LEASE, limit=3)
    assert [job.payload["m"] for job in claimed] == [3, 2, 1]


async def test_hundreds_of_concurrent_claims_hand_out_each_job_once(clock):
    now = clock.now()
    for number in range(100):
        await service.enqueue("k", {"n": number}, due_at=now, now=now)
    results = await asyncio.gather(
        *(service.claim(f"w{i}", now, lease=LEASE, limit=1) for i in range(250))
    )
    numbers = [job.payload["n"] for claimed in results for job in claimed]
    assert sorted(numbers) == list(range(100))


async def test_a_crashed_workers_job_is_claimed_again_after_its_lease(clock):
    now = clock.now()
    await service.enqueue("k", {}, due_at=now, now=now)
    [job] = await service.claim("crashed", now, lease=LEASE)
    assert await service.claim("w2", now + LEASE - timedelta(seconds=1), lease=LEASE) == []
    [again] = await service.claim("w2", now + LEASE + timedelta(seconds=1), lease=LEASE)
    assert again.id == job.id
    assert again.attempts == 2


async def test_a_worker_that_lost_its_lease_cannot_complete_the_job(clock):
    now = clock.now()
    await service.enqueue("k", {}, due_at=now, now=now)
    [job] = await service.claim("slow", now, lease=LEASE)
    await service.claim("w2", now + LEASE * 2, lease=LEASE)
    assert not await service.complete(job.id, "slow", now + LEASE * 2)
    assert await service.complete(job.id, "w2", now + LEASE * 2)


async def test_a_failed_job_returns_later_and_dies_after_its_last_attempt(clock):
    now = clock.now()
    await service.enqueue("k", {}, due_at=now, now=now, max_attempts=2)
    [job] = await service.claim("w", now, lease=LEASE)
    assert await service.fail(job, "w", now, "boom") == "pending"
    assert await service.claim("w", now, lease=LEASE) == []
    [job] = await service.claim("w", now + service.backoff(1), lease=LEASE)
    assert await service.fail(job, "w", now, "boom again") == "dead"
    assert await service.count("dead") == 1


async def test_backoff_doubles_and_is_capped():
    assert service.backoff(1) == timedelta(seconds=30)
    assert service.backoff(2) == timedelta(seconds=60)
    assert service.backoff(30) == timedelta(hours=1)


async def test_a_pending_job_can_be_withdrawn_by_its_key(clock):
    now = clock.now()
    await service.enqueue("reminder", {}, due_at=now, now=now, dedupe_key="r:1")
    assert await service.cancel("r:1")
    assert await service.claim("w", now, lease=LEASE) == []
