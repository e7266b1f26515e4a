"""Hold → confirm → move → cancel, lapses and races, through the booking service."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from app.booking import confirmation, service
from app.booking import jobs as booking_jobs
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyBooked,
    CaseServiceMismatch,
    ConfirmByEmail,
    HoldExpired,
    InvalidEmail,
    NoticeTooShort,
    NotReschedulable,
    OfficeClosed,
    OutsideOpeningHours,
    SlotInPast,
    SlotTaken,
)
from app.booking.rules import BookingRules
from app.booking.schemas import Hold, HoldCreate, Reschedule
from app.booking.tables import Appointment, DeskUnit
from app.cases import service as cases
from app.cases.schemas import Case, CaseStatus, Channel, EventKind
from app.core.clock import FrozenClock
from app.core.errors import InvalidToken
from app.core.tokens import TokenKind, TokenSigner
from app.jobs.worker import Worker
from app.main import JOB_HANDLERS
from app.notify import service as notify
from app.settings import Settings

from .conftest import TUESDAY, WEDNESDAY, City, berlin, close

MONDAY = date(2026, 11, 23)


def _hold(at: datetime, **fields: object) -> HoldCreate:
    return HoldCreate(**{"service": "anmeldung", "office": "altstadt", "starts_at": at, **fields})  # type: ignore[arg-type]


async def _held(ctx: BookingContext, at: datetime, **fields: object) -> Hold:
    return await service.hold(_hold(at, **fields), ctx, language="de")


async def _units() -> list[tuple[int, datetime, int]]:
    rows = await DeskUnit.select().order_by(DeskUnit.desk, DeskUnit.unit_start)
    return [(row["desk"], row["unit_start"], row["appointment"]) for row in rows]


async def _case(held: Hold, ctx: BookingContext) -> Case:
    return await cases.resolve_token(
        held.token, ctx.signer, clock=ctx.clock, kind=TokenKind.APPOINTMENT
    )


def _worker(ctx: BookingContext) -> Worker:
    return Worker({**JOB_HANDLERS, **booking_jobs.handlers(ctx)}, ctx.clock)


async def test_a_hold_takes_the_units_of_one_desk_and_opens_a_case(
    city: City, ctx: BookingContext
) -> None:
    at = berlin(TUESDAY, "08:00")
    held = await _held(ctx, at, service="personalausweis")
    view = held.appointment
    assert (view.state, view.confirm_by, view.local_start, view.local_end) == (
        "held", "app", "08:00", "08:30",
    )  # fmt: skip
    assert view.hold_expires_at == ctx.now() + timedelta(minutes=10)
    assert len(view.code) == 6 and view.reference and view.reference.startswith("HD-2026-")
    assert [(desk, unit) for desk, unit, _a in await _units()] == [
        (city.counters[0], at),
        (city.counters[0], at + timedelta(minutes=15)),
    ]
    case = await _case(held, ctx)
    assert case.reference == view.reference and case.status is CaseStatus.OPEN
    kinds = [event.kind for event in await cases.timeline(case.id)]
    assert kinds == [EventKind.CREATED, EventKind.APPOINTMENT_BOOKED]


async def test_the_second_hold_of_a_slot_takes_the_other_desk_and_the_third_is_refused(
    city: City, ctx: BookingContext
) -> None:
    at = berlin(TUESDAY, "09:00")
    await _held(ctx, at)
    await _held(ctx, at)
    with pytest.raises(SlotTaken):
        await _held(ctx, at)
    assert sorted(desk for desk, _u, _a in await _units()) == sorted(city.counters)
    assert await Appointment.count() == 2


@pytest.mark.parametrize(
    ("at", "error"),
    [
        (berlin(TUESDAY, "08:05"), OutsideOpeningHours),  # off the grid
        (berlin(TUESDAY, "12:00"), OutsideOpeningHours),  # after closing
        (berlin(TUESDAY, "11:45"), None),  # the last 15-minute slot
        (berlin(MONDAY, "08:00"), SlotInPast),
        (berlin(WEDNESDAY, "07:45"), OutsideOpeningHours),
    ],
)
async def test_a_hold_outside_the_opening_hours_is_refused_and_changes_nothing(
    city: City, ctx: BookingContext, at: datetime, error: type[Exception] | None
) -> None:
    if error is None:
        await _held(ctx, at)
        return
    with pytest.raises(error):
        await _held(ctx, at)
    assert await Appointment.count() == 0 and await DeskUnit.count() == 0


async def test_notice_closures_and_bad_addresses_are_refused(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    clock.advance(timedelta(hours=-3))  # Monday 07:00 in Berlin
    with pytest.raises(NoticeTooShort):
        await _held(ctx, berlin(MONDAY, "08:30"))
    await close(city.altstadt, WEDNESDAY, WEDNESDAY)
    with pytest.raises(OfficeClosed):
        await _held(ctx, berlin(WEDNESDAY, "09:00"))
    with pytest.raises(InvalidEmail):
        await _held(ctx, berlin(TUESDAY, "09:00"), email="not-an-address")
    assert await Appointment.count() == 0


async def test_confirming_in_the_app_books_it_and_a_lapsed_hold_cannot_be_confirmed(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    first = await _held(ctx, berlin(TUESDAY, "09:00"))
    confirmed = await confirmation.confirm_in_app(first.token, ctx, lang="de")
    assert confirmed.appointment.state == "confirmed"
    assert (
        await confirmation.confirm_in_app(first.token, ctx, lang="de")
    ).appointment.state == "confirmed"
    second = await _held(ctx, berlin(TUESDAY, "10:00"))
    clock.advance(timedelta(minutes=10))
    with pytest.raises(HoldExpired):
        await confirmation.confirm_in_app(second.token, ctx, lang="de")


async def test_a_lapsed_hold_frees_its_units_by_its_job_and_says_so_on_the_case(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    held = await _held(ctx, berlin(TUESDAY, "09:00"))
    clock.advance(timedelta(minutes=10))
    await _worker(ctx).run_until_idle()
    # Given up by the hold, and withheld for a while, as a cancelled slot is.
    withheld = await Appointment.select(Appointment.id).where(Appointment.state == "withheld")
    assert [unit[2] for unit in await _units()] == [row["id"] for row in withheld]
    assert (await service.get(held.token, ctx, lang="de")).state == "expired"
    case = await cases.resolve_token(
        held.token, ctx.signer, clock=clock, kind=TokenKind.APPOINTMENT
    )
    assert (await cases.timeline(case.id))[-1].kind is EventKind.APPOINTMENT_EXPIRED


async def test_the_units_of_a_lapsed_hold_stay_taken_until_its_job_hands_them_on(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    at = berlin(TUESDAY, "09:00")
    first, _second = await _held(ctx, at), await _held(ctx, at)
    clock.advance(timedelta(minutes=10))
    with pytest.raises(SlotTaken):  # no job ran: the lapsed holds are not the public's
        await _held(ctx, at)
    with pytest.raises(HoldExpired):
        await confirmation.confirm_in_app(first.token, ctx, lang="de")
    await _worker(ctx).run_until_idle()
    states = sorted(row["state"] for row in await Appointment.select(Appointment.state))
    assert states == ["expired", "expired", "withheld", "withheld"]  # see test_waitlist_matching


async def test_confirm_and_lapse_racing_end_in_exactly_one_outcome(
    city: City, ctx: BookingContext, settings: Settings, signer: TokenSigner, rules: BookingRules
) -> None:
    # Two processes whose clocks straddle the deadline: the confirm sees the hold alive,
    # the lapse sees it due. The conditional UPDATEs let exactly one of them win.
    for minute in ("00", "15", "30", "45"):
        held = await _held(ctx, berlin(TUESDAY, f"10:{minute}"))
        expiry = held.appointment.hold_expires_at
        assert expiry is not None
        early = BookingContext(settings, rules, FrozenClock(expiry - timedelta(seconds=1)), signer)
        late = BookingContext(settings, rules, FrozenClock(expiry + timedelta(seconds=1)), signer)
        row = await Appointment.select().where(Appointment.code == held.appointment.code).first()
        confirmed, lapsed = await asyncio.gather(
            confirmation.confirm_in_app(held.token, early, lang="de"),
            service.lapse(row["id"], late),
            return_exceptions=True,
        )
        state = (await service.get(held.token, ctx, lang="de")).state
        units = await DeskUnit.count().where(DeskUnit.appointment == row["id"])
        if state == "confirmed":
            assert lapsed is False and units == 1 and not isinstance(confirmed, Exception)
        else:
            assert (state, lapsed, units) == ("expired", True, 0)
            assert isinstance(confirmed, HoldExpired)


async def test_one_contact_holds_one_active_booking_per_service(
    city: City, ctx: BookingContext
) -> None:
    await _held(ctx, berlin(TUESDAY, "09:00"), email="Ada+x@Example.org")
    with pytest.raises(AlreadyBooked):
        await _held(ctx, berlin(TUESDAY, "10:00"), email="ada@example.org")
    await _held(ctx, berlin(TUESDAY, "10:00"), email="ada@example.org", service="personalausweis")
    results = await asyncio.gather(
        *(_held(ctx, berlin(WEDNESDAY, "09:00"), email="bob@example.org") for _ in range(2)),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in results) == ["AlreadyBooked", "Hold"]


async def test_a_hold_with_an_email_is_confirmed_only_by_the_mail_link(
    city: City, ctx: BookingContext
) -> None:
    held = await _held(ctx, berlin(TUESDAY, "09:00"), email="ada@example.org", language="en")
    assert held.appointment.confirm_by == "email"
    with pytest.raises(ConfirmByEmail):
        await confirmation.confirm_in_app(held.token, ctx, lang="en")
    case = await _case(held, ctx)
    [request] = await notify.mails_of_case(case.id)
    assert request.template == "booking.confirm_request" and request.language == "en"
    confirm_token = request.text_body.split("/en/confirm/")[1].split()[0]
    confirmed = await confirmation.confirm_by_mail(confirm_token, ctx, lang="en")
    assert confirmed.appointment.state == "confirmed" and confirmed.token
    assert (await service.get(confirmed.token, ctx, lang="en")).code == held.appointment.code
    assert (await service.get(held.token, ctx, lang="en")).state == "confirmed"
    again = await confirmation.confirm_by_mail(confirm_token, ctx, lang="en")
    assert again.appointment.state == "confirmed" and again.token is None
    templates = [mail.template for mail in await notify.mails_of_case(case.id)]
    assert templates == ["booking.confirm_request", "booking.confirmed", "booking.reminder"]
    [with_ics] = [mail for mail in await notify.mails_of_case(case.id) if mail.ics]
    event = Calendar.from_ical(with_ics.ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == berlin(TUESDAY, "09:00")
    assert str(event["dtstart"].params["TZID"]) == "Europe/Berlin"


async def test_moving_takes_the_new_units_and_frees_the_old_in_one_step(
    city: City, ctx: BookingContext
) -> None:
    held = await _held(ctx, berlin(TUESDAY, "09:00"), service="personalausweis")
    await confirmation.confirm_in_app(held.token, ctx, lang="de")
    moved = await service.reschedule(
        held.token, Reschedule(starts_at=berlin(TUESDAY, "09:15")), ctx, lang="de"
    )
    assert (moved.local_start, moved.state, moved.code) == (
        "09:15",
        "confirmed",
        held.appointment.code,
    )
    units = await _units()
    assert [unit for _d, unit, _a in units] == [berlin(TUESDAY, "09:15"), berlin(TUESDAY, "09:30")]
    case = await _case(held, ctx)
    assert (await cases.timeline(case.id))[-1].kind is EventKind.APPOINTMENT_MOVED


async def test_a_move_to_a_taken_slot_keeps_the_old_time_and_units(
    city: City, ctx: BookingContext
) -> None:
    mine = await _held(ctx, berlin(TUESDAY, "09:00"))
    await confirmation.confirm_in_app(mine.token, ctx, lang="de")
    for _desk in city.counters:
        await _held(ctx, berlin(TUESDAY, "10:00"))
    before = await _units()
    with pytest.raises(SlotTaken):
        await service.reschedule(
            mine.token, Reschedule(starts_at=berlin(TUESDAY, "10:00")), ctx, lang="de"
        )
    assert await _units() == before
    assert (await service.get(mine.token, ctx, lang="de")).local_start == "09:00"
    held = await _held(ctx, berlin(TUESDAY, "11:00"))
    with pytest.raises(NotReschedulable):
        await service.reschedule(
            held.token, Reschedule(starts_at=berlin(TUESDAY, "11:30")), ctx, lang="de"
        )


async def test_concurrent_moves_of_two_bookings_into_one_free_desk_slot_move_one(
    city: City, ctx: BookingContext
) -> None:
    tokens = []
    for at in ("09:00", "09:15"):
        held = await _held(ctx, berlin(TUESDAY, at))
        await confirmation.confirm_in_app(held.token, ctx, lang="de")
        tokens.append(held.token)
    await _held(ctx, berlin(TUESDAY, "11:00"))  # one desk left at 11:00
    target = Reschedule(starts_at=berlin(TUESDAY, "11:00"))
    results = await asyncio.gather(
        *(service.reschedule(token, target, ctx, lang="de") for token in tokens),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in results) == ["Appointment", "SlotTaken"]
    # Two bookings and the hold hold a unit each; the freed time is withheld for a while.
    units = await _units()
    states = [
        (await Appointment.select(Appointment.state).where(Appointment.id == owner).first())[
            "state"
        ]
        for _desk, _unit, owner in units
    ]
    assert sorted(states) == ["confirmed", "confirmed", "held", "withheld"]
    assert len({(desk, unit) for desk, unit, _owner in units}) == 4


async def test_a_tampered_token_opens_nothing(city: City, ctx: BookingContext) -> None:
    held = await _held(ctx, berlin(TUESDAY, "09:00"))
    tampered = held.token[:-2] + ("AA" if not held.token.endswith("AA") else "BB")
    for token in (tampered, "x" * 40, ""):
        with pytest.raises(InvalidToken):
            await service.get(token, ctx, lang="de")
        with pytest.raises(InvalidToken):
            await service.cancel(token, ctx, lang="de")
    assert (await service.get(held.token, ctx, lang="de")).state == "held"


async def test_a_booking_made_from_a_case_link_joins_that_case(
    city: City, ctx: BookingContext
) -> None:
    case = await cases.open_case(
        "anmeldung", language="de", channel=Channel.PWA, settings=ctx.settings, clock=ctx.clock
    )
    case_token = await cases.issue_token(case.id, TokenKind.CASE, ctx.signer, clock=ctx.clock)
    held = await _held(ctx, berlin(TUESDAY, "09:00"), case_token=case_token)
    assert held.appointment.reference == case.reference
    with pytest.raises(CaseServiceMismatch):
        await _held(ctx, berlin(TUESDAY, "09:00"), case_token=case_token, service="personalausweis")
