"""A cancelled slot goes to the waitlist first, in order; else back to the public, late."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.booking import confirmation, service, waitlist
from app.booking import jobs as booking_jobs
from app.booking.context import BookingContext
from app.booking.errors import AlreadyWaiting, HoldExpired, InvalidRange, SlotTaken
from app.booking.schemas import Hold, HoldCreate, WaitlistCreate, WaitlistJoined
from app.booking.tables import Appointment, DeskUnit
from app.core.clock import FrozenClock
from app.jobs.worker import Worker
from app.main import JOB_HANDLERS
from app.notify.tables import Mail

from .conftest import TUESDAY, WEDNESDAY, City, berlin

NINE = berlin(TUESDAY, "09:00")


async def _booked(ctx: BookingContext, at: datetime = NINE, **fields: object) -> Hold:
    """A confirmed booking at `at` on the first free counter."""
    data = HoldCreate(service="anmeldung", office="altstadt", starts_at=at, **fields)  # type: ignore[arg-type]
    held = await service.hold(data, ctx, language="de")
    await confirmation.confirm_in_app(held.token, ctx, lang="de")
    return held


async def _fill(ctx: BookingContext, city: City, at: datetime = NINE) -> list[Hold]:
    return [await _booked(ctx, at) for _desk in city.counters]


async def _join(
    ctx: BookingContext,
    email: str,
    *,
    offices: list[str] | None = None,
    first: date = TUESDAY,
    last: date = WEDNESDAY,
) -> WaitlistJoined:
    data = WaitlistCreate(
        service="anmeldung", email=email, first_day=first, last_day=last, offices=offices or []
    )
    return await waitlist.join(data, ctx, language="de")


async def _accept_link(email: str) -> str:
    """The confirm token in the newest offer mail to `email`."""
    mail = (
        await Mail.select(Mail.text_body)
        .where((Mail.recipient == email) & (Mail.template == "waitlist.offer"))
        .order_by(Mail.id, ascending=False)
        .first()
    )
    assert mail is not None, f"no offer mailed to {email}"
    return str(mail["text_body"]).split("/de/confirm/")[1].split()[0]


async def _states() -> list[str]:
    return sorted(row["state"] for row in await Appointment.select(Appointment.state))


def _worker(ctx: BookingContext) -> Worker:
    return Worker({**JOB_HANDLERS, **booking_jobs.handlers(ctx)}, ctx.clock)


async def test_a_cancelled_slot_is_offered_to_the_first_in_line_who_accepts_it_by_mail(
    city: City, ctx: BookingContext
) -> None:
    booked = await _fill(ctx, city)
    first = await _join(ctx, "first@example.org")
    await _join(ctx, "second@example.org")
    await service.cancel(booked[0].token, ctx, lang="de")
    status = await waitlist.status(first.token, ctx, lang="de")
    assert status.state == "offered" and status.offer is not None
    assert status.offer.starts_at == NINE and status.offer.state == "offered"
    assert await _states() == ["cancelled", "confirmed", "offered"]
    with pytest.raises(SlotTaken):  # the freed units went straight to the offer
        await _booked(ctx)
    accepted = await confirmation.confirm_by_mail(
        await _accept_link("first@example.org"), ctx, lang="de"
    )
    assert accepted.appointment.state == "confirmed" and accepted.appointment.reference
    assert accepted.token and (await service.get(accepted.token, ctx, lang="de")).starts_at == NINE
    assert (await waitlist.status(first.token, ctx, lang="de")).state == "booked"
    templates = [
        row["template"]
        for row in await Mail.select(Mail.template).where(Mail.recipient == "first@example.org")
    ]
    assert "booking.confirmed" in templates


async def test_an_offer_not_accepted_in_time_goes_to_the_next_in_line(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    booked = await _fill(ctx, city)
    first = await _join(ctx, "first@example.org")
    second = await _join(ctx, "second@example.org")
    assert (await waitlist.status(second.token, ctx, lang="de")).ahead == 1
    await service.cancel(booked[0].token, ctx, lang="de")
    late_link = await _accept_link("first@example.org")
    clock.advance(ctx.rules.offer)
    await _worker(ctx).run_until_idle()
    assert (await waitlist.status(first.token, ctx, lang="de")).state == "expired"
    offered = await waitlist.status(second.token, ctx, lang="de")
    assert offered.state == "offered" and offered.offer and offered.offer.starts_at == NINE
    with pytest.raises(HoldExpired):
        await confirmation.confirm_by_mail(late_link, ctx, lang="de")
    assert await DeskUnit.count() == 2  # the slot moved on with its unit, never free


async def test_a_declined_offer_goes_to_the_next_in_line_and_the_last_one_back_later(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    booked = await _fill(ctx, city)
    await _join(ctx, "first@example.org")
    await service.cancel(booked[0].token, ctx, lang="de")
    await confirmation.decline(await _accept_link("first@example.org"), ctx, lang="de")
    assert await _states() == ["cancelled", "cancelled", "confirmed", "withheld"]
    with pytest.raises(SlotTaken):
        await _booked(ctx)


async def test_with_nobody_waiting_a_freed_slot_returns_to_the_public_only_after_a_delay(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    booked = await _fill(ctx, city)
    await service.cancel(booked[0].token, ctx, lang="de")
    withheld = await Appointment.select().where(Appointment.state == "withheld").first()
    delay = withheld["hold_expires_at"] - clock.now()
    assert timedelta(minutes=5) <= delay <= timedelta(minutes=30)
    with pytest.raises(SlotTaken):
        await _booked(ctx)
    clock.advance(delay - timedelta(seconds=1))
    await _worker(ctx).run_until_idle()
    with pytest.raises(SlotTaken):
        await _booked(ctx)
    clock.advance(timedelta(seconds=1))
    await _worker(ctx).run_until_idle()
    assert (await _booked(ctx)).appointment.starts_at == NINE


async def test_who_joins_the_line_during_the_delay_is_offered_the_slot_at_its_end(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    booked = await _fill(ctx, city)
    await service.cancel(booked[0].token, ctx, lang="de")
    late = await _join(ctx, "late@example.org")
    clock.advance(timedelta(minutes=30))
    await _worker(ctx).run_until_idle()
    assert (await waitlist.status(late.token, ctx, lang="de")).state == "offered"


async def test_the_line_is_served_in_order_among_those_the_slot_fits(
    city: City, ctx: BookingContext
) -> None:
    booked = await _fill(ctx, city)
    elsewhere = await _join(ctx, "virtual@example.org", offices=["virtuell"])
    too_late = await _join(ctx, "wednesday@example.org", first=WEDNESDAY)
    fits = await _join(ctx, "fits@example.org", offices=["altstadt"])
    after = await _join(ctx, "after@example.org")
    await service.cancel(booked[0].token, ctx, lang="de")
    states = [
        (await waitlist.status(entry.token, ctx, lang="de")).state
        for entry in (elsewhere, too_late, fits, after)
    ]
    assert states == ["waiting", "waiting", "offered", "waiting"]


async def test_one_place_per_contact_and_service_and_leaving_is_for_good(
    city: City, ctx: BookingContext
) -> None:
    joined = await _join(ctx, "ada@example.org")
    with pytest.raises(AlreadyWaiting):
        await _join(ctx, "ADA+second@example.org")
    left = await waitlist.withdraw(joined.token, ctx, lang="de")
    assert left.state == "withdrawn"
    assert (await waitlist.withdraw(joined.token, ctx, lang="de")).state == "withdrawn"
    await _join(ctx, "ada@example.org")  # a new place, at the end of the line
    with pytest.raises(InvalidRange):
        await _join(ctx, "bob@example.org", first=WEDNESDAY, last=TUESDAY)
