"""Subscriptions, notices and their delivery to a real (stub) push service on loopback."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.cases import service as cases
from app.core.clock import FrozenClock
from app.core.errors import InvalidToken
from app.core.tokens import TokenSigner
from app.jobs import service as jobs
from app.jobs.tables import Job
from app.push import delivery, kinds, service
from app.push.errors import InsecurePushEndpoint, InvalidPushEndpoint, InvalidPushKeys
from app.push.tables import PushLink, PushNotice, PushSubscription
from app.settings import ROOT, Settings

from .conftest import Holder, MakeHolder, create, push_worker
from .stub import PushServiceStub, b64encode

HOUR = timedelta(hours=1)
AUTH = b64encode(bytes(16))


async def _pending() -> int:
    """Push jobs still to run, apart from the daily sweep every subscription books."""
    return int(await Job.count().where((Job.state == "pending") & (Job.kind != delivery.SWEEP)))


async def _notify(holder: Holder, settings: Settings, clock: FrozenClock, **fields: Any) -> str:
    now = clock.now()
    kind = fields.pop("kind", kinds.REMINDER)
    values: dict[str, Any] = {
        "settings": settings,
        "now": now,
        "expires_at": now + 48 * HOUR,
        "topic": "appointment:17",
        "params": {"start": (now + 48 * HOUR).isoformat()},
        **fields,
    }
    notice_id = await service.notify_case(holder.case.id, kind, **values)
    assert notice_id is not None
    return notice_id


async def test_one_subscription_serves_several_cases_and_subscribing_again_refreshes_it(
    subscribe: Any, make_holder: MakeHolder, push_service: PushServiceStub
) -> None:
    first, second = await make_holder(), await make_holder()
    info = await subscribe(first.appointment_token)
    await subscribe(first.case_token, info)  # the same case again: nothing new
    await subscribe(second.case_token, info)
    renewed = {**info, "keys": push_service.subscribe()["keys"]}
    await subscribe(second.case_token, renewed)
    [row] = await PushSubscription.select()
    assert row["p256dh"] == renewed["keys"]["p256dh"]
    links = await PushLink.select(PushLink.case_id).order_by(PushLink.case_id)
    assert [link["case_id"] for link in links] == [first.case.id, second.case.id]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"keys": {"p256dh": "not*base64", "auth": AUTH}}, InvalidPushKeys),
        ({"keys": {"p256dh": b64encode(b"\x04" + bytes(63)), "auth": AUTH}}, InvalidPushKeys),
        ({"keys": {"p256dh": b64encode(b"\x04" + bytes(64)), "auth": AUTH}}, InvalidPushKeys),
        ({"auth_len": 15}, InvalidPushKeys),
        ({"endpoint": "http://push.example.com/send/1"}, InsecurePushEndpoint),
        ({"endpoint": "https://10.0.0.7/send/1"}, InvalidPushEndpoint),
        ({"endpoint": "https://localhost/send/1"}, InvalidPushEndpoint),
        ({"endpoint": "https://user@push.example.com/send/1"}, InvalidPushEndpoint),
        ({"endpoint": "ftp://push.example.com/send/1"}, InsecurePushEndpoint),
    ],
)
async def test_a_malformed_subscription_is_refused_and_stores_nothing(
    change: dict[str, Any],
    error: type[Exception],
    holder: Holder,
    push_service: PushServiceStub,
    push_settings: Settings,
    signer: TokenSigner,
    clock: FrozenClock,
) -> None:
    info = push_service.subscribe()
    if "auth_len" in change:
        info["keys"]["auth"] = b64encode(bytes(change.pop("auth_len")))
    info |= change
    with pytest.raises(error):
        await service.subscribe(
            create(holder.case_token, info), settings=push_settings, signer=signer, clock=clock
        )
    assert await PushSubscription.count() == 0 and await PushLink.count() == 0


async def test_plain_http_is_refused_even_on_loopback_unless_allowed(
    holder: Holder,
    push_service: PushServiceStub,
    settings: Settings,
    signer: TokenSigner,
    clock: FrozenClock,
) -> None:
    assert not settings.push_allow_loopback_http
    with pytest.raises(InsecurePushEndpoint):
        await service.subscribe(
            create(holder.case_token, push_service.subscribe()),
            settings=settings,
            signer=signer,
            clock=clock,
        )
    assert await PushSubscription.count() == 0


async def test_an_unknown_or_revoked_token_subscribes_nothing(
    holder: Holder, subscribe: Any, signer: TokenSigner, clock: FrozenClock
) -> None:
    await cases.revoke_token(holder.case_token, signer, clock=clock)
    with pytest.raises(InvalidToken):
        await subscribe(holder.case_token)
    token = holder.appointment_token
    forged = token[:-4] + ("BBBB" if token.endswith("AAAA") else "AAAA")
    with pytest.raises(InvalidToken):
        await subscribe(forged)
    assert await PushSubscription.count() == 0


async def test_a_notice_carries_only_its_id_with_ttl_topic_and_urgency(
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    info = await subscribe(holder.appointment_token)
    notice_id = await _notify(holder, push_settings, clock, expires_at=clock.now() + 5 * HOUR)
    called = await _notify(holder, push_settings, clock, kind=kinds.CALLED, params={"desk": "3"})
    await push_worker(push_settings, clock).run_until_idle()
    assert not push_service.rejected
    by_id = {message.payload["n"]: message for message in push_service.to(info)}
    assert set(by_id) == {notice_id, called}
    reminder = by_id[notice_id]
    assert reminder.ttl == 5 * 3600
    assert reminder.headers["urgency"] == "normal" and by_id[called].headers["urgency"] == "high"
    assert reminder.headers["topic"] == service.topic_header(push_settings, "appointment:17")
    assert len(reminder.headers["topic"]) <= 32 and "appointment" not in reminder.headers["topic"]
    assert reminder.headers["content-encoding"] == "aes128gcm"
    assert reminder.claims["aud"] == push_service.origin
    assert reminder.claims["sub"] == push_settings.vapid_subject
    for message in by_id.values():
        assert message.plaintext == b'{"n":"%s"}' % message.payload["n"].encode()
        rest = message.plaintext.replace(message.payload["n"].encode(), b"")
        for personal in (holder.case.reference, "Personalausweis", "Altstadt", "3"):
            assert personal.encode() not in rest
    assert len(notice_id) >= 22  # 128 bits, base64url
    [used] = await PushSubscription.select(PushSubscription.last_used_at)
    assert used["last_used_at"] == clock.now()


async def test_an_outdated_notice_is_never_delivered(
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    info = await subscribe(holder.case_token)
    await _notify(holder, push_settings, clock, expires_at=clock.now() + HOUR)
    push_service.answer(info, 500)  # the first attempt fails, the retry comes too late
    worker = push_worker(push_settings, clock)
    await worker.run_until_idle()
    assert push_service.attempts == [(info["endpoint"].rsplit("/", 1)[1], 500)]
    clock.advance(2 * HOUR)
    await worker.run_until_idle()
    assert push_service.received == [] and len(push_service.attempts) == 1
    assert await _pending() == 0
    # One already outdated when its due time comes is not sent either.
    late = await service.notify_case(
        holder.case.id, kinds.REMINDER, settings=push_settings, now=clock.now(),
        due_at=clock.now() + HOUR, expires_at=clock.now() + HOUR,
    )  # fmt: skip
    assert late is None


@pytest.mark.parametrize("status", [404, 410])
async def test_a_gone_subscription_is_dropped_with_its_links(
    status: int,
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    gone, kept = await subscribe(holder.case_token), await subscribe(holder.case_token)
    push_service.answer(gone, status)
    await _notify(holder, push_settings, clock)
    await push_worker(push_settings, clock).run_until_idle()
    endpoints = [row["endpoint"] for row in await PushSubscription.select()]
    assert endpoints == [kept["endpoint"]]
    assert await PushLink.count() == 1 and len(push_service.to(kept)) == 1
    assert await _pending() == 0 and await jobs.count("dead") == 0


async def test_429_is_retried_after_the_time_the_push_service_asks_for(
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    info = await subscribe(holder.case_token)
    push_service.answer(info, 429, **{"Retry-After": "120"})
    await _notify(holder, push_settings, clock)
    worker = push_worker(push_settings, clock)
    await worker.run_until_idle()
    clock.advance(timedelta(seconds=119))
    await worker.run_until_idle()
    assert push_service.to(info) == []
    clock.advance(timedelta(seconds=2))
    await worker.run_until_idle()
    [message] = push_service.to(info)
    assert message.ttl == 48 * 3600 - 121


async def test_a_server_error_backs_off_and_then_delivers(
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    info = await subscribe(holder.case_token)
    push_service.answer(info, 503)
    await _notify(holder, push_settings, clock)
    worker = push_worker(push_settings, clock)
    await worker.run_until_idle()
    assert push_service.to(info) == [] and await _pending() == 1
    clock.advance(jobs.backoff(1))
    await worker.run_until_idle()
    assert len(push_service.to(info)) == 1


async def test_a_withdrawn_notice_is_not_sent(
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    await subscribe(holder.case_token)
    await _notify(holder, push_settings, clock, due_at=clock.now() + HOUR, key="reminder:1")
    assert await _notify(holder, push_settings, clock, key="reminder:2")
    assert await service.notify_case(
        holder.case.id, kinds.REMINDER, settings=push_settings, now=clock.now(),
        expires_at=clock.now() + 2 * HOUR, key="reminder:1",
    ) is None  # fmt: skip
    assert await service.withdraw("reminder:1")
    clock.advance(2 * HOUR)
    await push_worker(push_settings, clock).run_until_idle()
    assert len(push_service.received) == 1
    assert await PushNotice.count() == 1


async def test_two_workers_send_each_notice_exactly_once(
    make_holder: MakeHolder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    expected = set()
    for _case in range(30):
        holder = await make_holder()
        infos = [await subscribe(holder.case_token) for _ in range(2)]
        for _notice in range(5):
            notice_id = await _notify(holder, push_settings, clock, topic=None)
            expected |= {(info["endpoint"].rsplit("/", 1)[1], notice_id) for info in infos}
    workers = [push_worker(push_settings, clock, name=f"w{n}") for n in range(2)]
    for worker in workers:
        worker.batch = 7  # small batches, so that both workers take part
    counts = await asyncio.gather(*(worker.run_until_idle() for worker in workers))
    assert all(counts)
    sent = [(message.subscription, message.payload["n"]) for message in push_service.received]
    assert len(sent) == len(expected) == 300 and set(sent) == expected
    assert not push_service.rejected and await _pending() == 0


async def test_the_sweep_removes_idle_and_unlinked_subscriptions_and_outdated_notices(
    make_holder: MakeHolder, subscribe: Any, push_settings: Settings, clock: FrozenClock
) -> None:
    holder = await make_holder()
    idle = await subscribe(holder.case_token)
    clock.advance(delivery.IDLE - timedelta(days=1))
    fresh = await subscribe(holder.case_token)
    unlinked = await subscribe(holder.case_token)
    await PushLink.delete().where(
        PushLink.subscription.is_in(
            PushSubscription.select(PushSubscription.id).where(
                PushSubscription.endpoint == unlinked["endpoint"]
            )
        )
    )
    await _notify(
        holder, push_settings, clock, due_at=clock.now() + HOUR, expires_at=clock.now() + 2 * HOUR
    )
    clock.advance(timedelta(days=2))
    await push_worker(push_settings, clock).run_until_idle()
    endpoints = [row["endpoint"] for row in await PushSubscription.select()]
    assert endpoints == [fresh["endpoint"]] and idle["endpoint"] not in endpoints
    assert await PushNotice.count() == 0  # outdated, never sent, and now gone
    assert await jobs.count("pending") == 1  # the next sweep, for what remains


async def test_two_worker_processes_over_one_database_send_each_notice_exactly_once(
    make_holder: MakeHolder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    # The processes run on the real clock: the notices must still be valid by it.
    expires_at = datetime.now(UTC) + 2 * HOUR
    expected = set()
    for _case in range(10):
        holder = await make_holder()
        infos = [await subscribe(holder.case_token) for _ in range(2)]
        for _notice in range(5):
            notice_id = await _notify(holder, push_settings, clock, expires_at=expires_at)
            expected |= {(info["endpoint"].rsplit("/", 1)[1], notice_id) for info in infos}
    processes = [
        await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "tests.push.worker_process", f"process-{n}"),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for n in range(2)
    ]
    for process in processes:
        assert process.stdout and await process.stdout.readline() == b"ready\n"
    outputs = await asyncio.gather(*(process.communicate(b"go\n") for process in processes))
    assert [process.returncode for process in processes] == [0, 0]
    ran = [int(stdout.split()[-1]) for stdout, _stderr in outputs]
    assert all(ran), ran  # both took part
    sent = [(message.subscription, message.payload["n"]) for message in push_service.received]
    assert len(sent) == len(expected) == 100 and set(sent) == expected
    assert not push_service.rejected and await _pending() == 0


async def test_a_delivery_whose_worker_died_is_sent_by_another_once_its_lease_ran_out(
    holder: Holder,
    subscribe: Any,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    info = await subscribe(holder.case_token)
    notice_id = await _notify(holder, push_settings, clock)
    survivor = push_worker(push_settings, clock, name="survivor")
    await survivor.run_once()  # the fan-out: one delivery job is queued
    [taken] = await jobs.claim("crashed", clock.now(), lease=survivor.lease)
    assert taken.kind == delivery.DELIVER  # …and the process that took it dies here
    await survivor.run_until_idle()
    assert push_service.received == []
    clock.advance(survivor.lease + timedelta(seconds=1))
    await survivor.run_until_idle()
    [message] = push_service.to(info)
    assert message.payload == {"n": notice_id} and await _pending() == 0
