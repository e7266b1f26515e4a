"""Bookings tell their subscribers: reminders beside the mails, a move, a cancellation."""

from __future__ import annotations

from datetime import timedelta

from app.booking import confirmation
from app.booking import service as booking
from app.booking.context import BookingContext
from app.booking.schemas import HoldCreate, Reschedule
from app.core.clock import FrozenClock
from app.push import kinds
from app.push.tables import PushNotice
from app.settings import Settings
from tests.booking.conftest import THURSDAY, WEDNESDAY, City, berlin

from .conftest import Subscribe, push_worker
from .stub import PushServiceStub


async def _kinds() -> list[tuple[str, str]]:
    rows = await PushNotice.select(PushNotice.kind, PushNotice.due_at).order_by(PushNotice.id)
    return [(row["kind"], row["due_at"].isoformat()) for row in rows]


async def test_a_booking_pushes_reminders_a_move_and_a_cancellation_to_its_subscribers(
    city: City,
    ctx: BookingContext,
    subscribe: Subscribe,
    push_service: PushServiceStub,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    start = berlin(WEDNESDAY, "11:00")
    held = await booking.hold(
        HoldCreate(service="anmeldung", office="altstadt", starts_at=start), ctx, language="tr"
    )
    await confirmation.confirm_in_app(held.token, ctx, lang="tr")
    # Confirmed in the app, without an e-mail address: the push reminders are queued all
    # the same, for whoever subscribes on the page before they are due.
    assert [kind for kind, _due in await _kinds()] == [
        kinds.REMINDER
        for hours in ctx.rules.reminder_hours
        if start - timedelta(hours=hours) > clock.now()
    ]
    assert await _kinds()
    info = await subscribe(held.token)
    later = berlin(THURSDAY, "10:00")
    await booking.reschedule(held.token, Reschedule(starts_at=later), ctx, lang="tr")
    assert await _kinds() == [
        (kinds.MOVED, clock.now().isoformat()),
        (kinds.REMINDER, (later - timedelta(hours=48)).isoformat()),
        (kinds.REMINDER, (later - timedelta(hours=2)).isoformat()),
    ]
    worker = push_worker(push_settings, clock)
    await worker.run_until_idle()
    [moved] = push_service.to(info)
    assert moved.headers["urgency"] == "normal" and moved.ttl == int(
        (later - clock.now()).total_seconds()
    )
    await booking.cancel(held.token, ctx, lang="tr")
    assert [kind for kind, _due in await _kinds()] == [kinds.MOVED, kinds.CANCELLED]
    await worker.run_until_idle()
    first, second = push_service.to(info)
    assert first.headers["topic"] == second.headers["topic"]  # the newer replaces the older
    assert second.ttl == int((later - clock.now()).total_seconds())
