"""The rows behind delivery: fanning a notice out to the case's subscriptions, what one
delivery needs, and the daily sweep of idle subscriptions and outdated notices.

A notice becomes one `push.deliver` job per subscription, each under a dedupe key of
(notice, subscription): a fan-out that runs twice after a crash adds nothing, and a
subscription answering 429 is retried on its own without sending the others again.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.jobs import service as jobs
from app.push.tables import PushLink, PushNotice, PushSubscription

FAN_OUT = "push.notice"
DELIVER = "push.deliver"
SWEEP = "push.sweep"
# A subscription nothing was sent to, and that was not renewed, for this long is removed.
IDLE = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notice to one subscription: what the sender needs, and nothing personal."""

    notice_id: str
    urgency: str
    topic: str | None
    expires_at: datetime
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str


async def fan_out(notice: int, now: datetime) -> int:
    """Queue one delivery per subscription of the notice's case; how many."""
    row = await (
        PushNotice.select(PushNotice.case_id, PushNotice.expires_at)
        .where(PushNotice.id == notice)
        .first()
    )
    if row is None or row["expires_at"] <= now:
        return 0  # withdrawn, or outdated before its time came
    links = await PushLink.select(PushLink.subscription).where(PushLink.case_id == row["case_id"])
    for subscription in sorted({int(link["subscription"]) for link in links}):
        await jobs.enqueue(
            DELIVER,
            {"notice": notice, "subscription": subscription},
            due_at=now,
            now=now,
            dedupe_key=f"{DELIVER}:{notice}:{subscription}",
        )
    return len(links)


async def get(notice: int, subscription: int) -> Delivery | None:
    """The delivery, or None once the notice was withdrawn or the subscription dropped."""
    found = await (
        PushNotice.select(
            PushNotice.notice_id, PushNotice.urgency, PushNotice.topic, PushNotice.expires_at
        )
        .where(PushNotice.id == notice)
        .first()
    )
    target = await (
        PushSubscription.select(
            PushSubscription.id,
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
        )
        .where(PushSubscription.id == subscription)
        .first()
    )
    if found is None or target is None:
        return None
    return Delivery(
        notice_id=found["notice_id"],
        urgency=found["urgency"],
        topic=found["topic"],
        expires_at=found["expires_at"],
        subscription_id=int(target["id"]),
        endpoint=target["endpoint"],
        p256dh=target["p256dh"],
        auth=target["auth"],
    )


async def delivered(subscription: int, now: datetime) -> None:
    await PushSubscription.update({PushSubscription.last_used_at: now}).where(
        PushSubscription.id == subscription
    )


async def forget(subscription: int) -> None:
    """The push service says the subscription is gone (404/410): so are its links."""
    await PushSubscription.delete().where(PushSubscription.id == subscription)


async def sweep(now: datetime) -> int:
    """Remove idle, expired and unlinked subscriptions and outdated notices; how many
    subscriptions went."""
    linked = PushLink.select(PushLink.subscription)
    gone = await (
        PushSubscription.delete()
        .where(
            (PushSubscription.last_used_at < now - IDLE)
            | (PushSubscription.expires_at.is_not_null() & (PushSubscription.expires_at < now))
            | PushSubscription.id.not_in(linked)
        )
        .returning(PushSubscription.id)
    )
    await PushNotice.delete().where(PushNotice.expires_at < now)
    return len(gone)


async def schedule_sweep(now: datetime) -> None:
    """Book the sweep for the coming midnight (UTC), once however often this is called.

    Each subscribe call and each fan-out books it, and each sweep books the next while
    subscriptions or notices remain, so the chain runs while there is something to sweep.
    """
    due = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    await jobs.enqueue(
        SWEEP, {}, due_at=due, now=now, dedupe_key=f"{SWEEP}:{due.date().isoformat()}"
    )


async def anything_left() -> bool:
    """Whether a sweep will have something to look at: a subscription or a notice."""
    return bool(await PushSubscription.exists()) or bool(await PushNotice.exists())


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
