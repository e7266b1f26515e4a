"""Lapsed and declined holds take the cancelled slot's way; a freed slot serves the first
in line whose request it can serve, for any service the desk offers that fits."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

import pytest

from app.booking import confirmation, service, waitlist
from app.booking import jobs as booking_jobs
from app.booking.context import BookingContext
from app.booking.errors import SlotTaken
from app.booking.rules import BookingRules
from app.booking.schemas import Hold, HoldCreate, WaitlistCreate, WaitlistJoined
from app.booking.tables import Appointment, DeskUnit, WaitlistEntry
from app.catalogue.tables import DeskService, OpeningHours, Service
from app.core.clock import FrozenClock
from app.core.tokens import TokenSigner
from app.jobs.worker import Worker
from app.main import JOB_HANDLERS
from app.notify.tables import Mail
from app.settings import Settings

from .conftest import TUESDAY, WEDNESDAY, City, berlin

NINE = berlin(TUESDAY, "09:00")
ID_CARD, REGISTRATION = "personalausweis", "anmeldung"


async def _held(ctx: BookingContext, at: datetime = NINE, **fields: object) -> Hold:
    data = HoldCreate(**{"service": REGISTRATION, "office": "altstadt", "starts_at": at, **fields})  # type: ignore[arg-type]
    return await service.hold(data, ctx, language="de")


async def _booked(
    ctx: BookingContext, at: datetime = NINE, service_slug: str = REGISTRATION
) -> Hold:
    held = await _held(ctx, at, service=service_slug)
    await confirmation.confirm_in_app(held.token, ctx, lang="de")
    return held


async def _join(
    ctx: BookingContext, email: str, service_slug: str = REGISTRATION, last: date = WEDNESDAY
) -> WaitlistJoined:
    data = WaitlistCreate(
        service=service_slug, email=email, first_day=TUESDAY, last_day=last, offices=[]
    )
    return await waitlist.join(data, ctx, language="de")


async def _state(ctx: BookingContext, joined: WaitlistJoined) -> str:
    return (await waitlist.status(joined.token, ctx, lang="de")).state


async def _mails(template: str) -> list[str]:
    rows = await Mail.select(Mail.recipient).where(Mail.template == template).order_by(Mail.id)
    return [row["recipient"] for row in rows]


async def _offered() -> list[tuple[int, datetime, datetime]]:
    rows = (
        await Appointment.select()
        .where(Appointment.state == "offered")
        .order_by(Appointment.starts_at)
    )
    return [(row["service"], row["starts_at"], row["ends_at"]) for row in rows]


def _worker(ctx: BookingContext) -> Worker:
    return Worker({**JOB_HANDLERS, **booking_jobs.handlers(ctx)}, ctx.clock)


async def test_a_lapsed_hold_is_offered_to_the_first_in_line_and_is_not_public_meanwhile(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    await _booked(ctx)
    await _held(ctx)  # the other counter, never confirmed
    first, second = await _join(ctx, "first@example.org"), await _join(ctx, "second@example.org")
    clock.advance(ctx.rules.hold)
    with pytest.raises(SlotTaken):  # lapsed, but its job has not handed it on yet
        await _held(ctx)
    await _worker(ctx).run_until_idle()
    assert await _mails("waitlist.offer") == ["first@example.org"]
    assert (await _state(ctx, first), await _state(ctx, second)) == ("offered", "waiting")
    with pytest.raises(SlotTaken):
        await _held(ctx)
    states = sorted(row["state"] for row in await Appointment.select(Appointment.state))
    assert states == ["confirmed", "expired", "offered"]


async def test_a_lapsed_hold_with_nobody_waiting_returns_to_the_public_only_after_a_delay(
    city: City, ctx: BookingContext, clock: FrozenClock
) -> None:
    await _booked(ctx)
    await _held(ctx)
    clock.advance(ctx.rules.hold)
    await _worker(ctx).run_until_idle()
    withheld = await Appointment.select().where(Appointment.state == "withheld").first()
    delay = withheld["hold_expires_at"] - clock.now()
    assert timedelta(minutes=5) <= delay <= timedelta(minutes=30)
    with pytest.raises(SlotTaken):
        await _held(ctx)
    clock.advance(delay - timedelta(seconds=1))
    await _worker(ctx).run_until_idle()
    with pytest.raises(SlotTaken):
        await _held(ctx)
    clock.advance(timedelta(seconds=1))
    await _worker(ctx).run_until_idle()
    assert (await _held(ctx)).appointment.starts_at == NINE


async def test_a_declined_hold_is_offered_to_the_first_in_line(
    city: City, ctx: BookingContext
) -> None:
    await _booked(ctx)
    held = await _held(ctx, email="ada@example.org")
    joined = await _join(ctx, "first@example.org")
    mail = (
        await Mail.select(Mail.text_body).where(Mail.template == "booking.confirm_request").first()
    )
    link = str(mail["text_body"]).split("/de/confirm/")[1].split()[0]
    declined = await confirmation.decline(link, ctx, lang="de")
    assert declined.state == "cancelled"
    assert (await service.get(held.token, ctx, lang="de")).state == "cancelled"
    assert await _state(ctx, joined) == "offered"
    assert await _mails("waitlist.offer") == ["first@example.org"]


async def test_a_freed_slot_goes_to_the_first_in_line_for_any_service_the_desk_offers(
    city: City, ctx: BookingContext
) -> None:
    booked = [await _booked(ctx, service_slug=ID_CARD) for _desk in city.counters]
    short = await _join(ctx, "short@example.org", REGISTRATION)
    long = await _join(ctx, "long@example.org", ID_CARD)
    after = await _join(ctx, "after@example.org", "short-2")  # a second 15-minute service
    await service.cancel(booked[0].token, ctx, lang="de")
    # 30 minutes freed: the first in line takes 15, the rest serves the next it fits.
    assert [await _state(ctx, entry) for entry in (short, long, after)] == [
        "offered", "waiting", "offered",
    ]  # fmt: skip
    quarter = timedelta(minutes=15)
    assert await _offered() == [
        (city.registration, NINE, NINE + quarter),
        (await _service_id("short-2"), NINE + quarter, NINE + 2 * quarter),
    ]
    assert await DeskUnit.count() == 4  # every freed unit went straight to an offer


async def test_a_slot_too_short_or_at_a_desk_not_offering_the_service_skips_that_entry(
    city: City, ctx: BookingContext
) -> None:
    only_second = await _add_service("nur-schalter-2", 15, desks=[city.counters[1]])
    booked = [await _booked(ctx) for _desk in city.counters]  # 15 minutes on each counter
    long = await _join(ctx, "long@example.org", ID_CARD)
    elsewhere = await _join(ctx, "desk2@example.org", "nur-schalter-2")
    fits = await _join(ctx, "fits@example.org", REGISTRATION)
    await service.cancel(booked[0].token, ctx, lang="de")  # counter 1 frees 09:00–09:15
    assert [await _state(ctx, entry) for entry in (long, elsewhere, fits)] == [
        "waiting", "waiting", "offered",
    ]  # fmt: skip
    await service.cancel(booked[1].token, ctx, lang="de")  # counter 2: now it fits
    assert await _state(ctx, elsewhere) == "offered"
    assert {row[0] for row in await _offered()} == {city.registration, only_second}


async def test_the_buffer_counts_and_what_nobody_can_use_is_withheld(
    city: City, settings: Settings, clock: FrozenClock, signer: TokenSigner
) -> None:
    ctx = BookingContext(settings, BookingRules(buffer_minutes=15), clock, signer)
    booked = [await _booked(ctx, service_slug=ID_CARD) for _desk in city.counters]  # 3 units
    short = await _join(ctx, "short@example.org", REGISTRATION)  # 15 + 15 = 2 units
    second = await _join(ctx, "second@example.org", "short-2")
    await service.cancel(booked[0].token, ctx, lang="de")
    assert (await _state(ctx, short), await _state(ctx, second)) == ("offered", "waiting")
    withheld = await Appointment.select().where(Appointment.state == "withheld").first()
    assert withheld["starts_at"] == NINE + timedelta(minutes=30)  # one unit: too short


async def test_a_service_is_not_offered_a_time_outside_the_opening_hours(
    city: City, settings: Settings, clock: FrozenClock, signer: TokenSigner, rules: BookingRules
) -> None:
    ctx = BookingContext(settings, rules, clock, signer)
    eleven_thirty = berlin(TUESDAY, "11:30")
    booked = [await _booked(ctx, eleven_thirty, ID_CARD) for _desk in city.counters]
    # The office now closes at 11:45 on Tuesdays; the bookings made before stay.
    await OpeningHours.update({OpeningHours.closes: time(11, 45)}).where(
        (OpeningHours.office == city.altstadt) & (OpeningHours.weekday == 1)
    )
    long = await _join(ctx, "long@example.org", ID_CARD)
    short = await _join(ctx, "short@example.org", REGISTRATION)
    fresh = BookingContext(settings, rules, clock, signer)  # no catalogue kept from before
    await service.cancel(booked[0].token, fresh, lang="de")
    assert (await _state(fresh, long), await _state(fresh, short)) == ("waiting", "offered")


async def test_hundreds_of_slots_freed_at_once_serve_the_line_in_order_each_entry_once(
    city: City, ctx: BookingContext
) -> None:
    # 208 bookings of 30 minutes (two units each): every counter time of eleven days.
    times = [
        berlin(day, f"{hour:02d}:{minute:02d}")
        for day in _weekdays(TUESDAY, 11)
        for hour in ((8, 9, 10, 11, 14, 15, 16, 17) if day.weekday() == 3 else (8, 9, 10, 11))
        for minute in (0, 30)
    ]
    booked = [await _booked(ctx, at, ID_CARD) for at in times for _desk in city.counters]
    last_day = _weekdays(TUESDAY, 11)[-1]
    line = [
        await _join(ctx, f"w{n}@example.org", REGISTRATION if n % 2 == 0 else ID_CARD, last_day)
        for n in range(300)
    ]
    results = await asyncio.gather(
        *(service.cancel(held.token, ctx, lang="de") for held in booked), return_exceptions=True
    )
    assert [r for r in results if isinstance(r, BaseException)] == []
    entries = await WaitlistEntry.select().order_by(
        WaitlistEntry.queued_at, WaitlistEntry.draw_rank, WaitlistEntry.id
    )
    assert len(entries) == len(line)
    offered = await Appointment.select().where(Appointment.state == "offered")
    by_appointment = {row["appointment"]: row for row in entries if row["state"] == "offered"}
    # Each offer belongs to one entry, each entry holds one offer, for its own service.
    assert len(by_appointment) == len(offered)
    assert all(by_appointment[row["id"]]["service"] == row["service"] for row in offered)
    # Strictly in line order: nobody waits behind someone served whom the slot could have
    # served instead. A short request fits any freed time; an ID card only a whole slot
    # (a remnant starts at :15 or :45).
    position = {row["id"]: place for place, row in enumerate(entries)}
    served = [position[by_appointment[row["id"]]["id"]] for row in offered]
    served_whole = [
        position[by_appointment[row["id"]]["id"]]
        for row in offered
        if row["starts_at"].minute % 30 == 0
    ]
    for row in entries:
        if row["state"] == "waiting":
            before = served if row["service"] == city.registration else served_whole
            assert all(place < position[row["id"]] for place in before), row
    assert 0 < len([row for row in entries if row["state"] == "waiting"]) < len(line)
    assert await Appointment.count().where(Appointment.state == "withheld") == 0
    units = await DeskUnit.select(DeskUnit.appointment)
    assert len(units) == 2 * len(booked)  # every freed unit went to an offer
    sizes: dict[int, int] = {}
    for unit in units:
        sizes[unit["appointment"]] = sizes.get(unit["appointment"], 0) + 1
    needs = {city.registration: 1, city.id_card: 2}
    assert all(sizes[row["id"]] == needs[row["service"]] for row in offered)


def _weekdays(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


async def _service_id(slug: str) -> int:
    row = await Service.select(Service.id).where(Service.slug == slug).first()
    return int(row["id"])


async def _add_service(slug: str, minutes: int, *, desks: list[int]) -> int:
    rows = await Service.insert(
        Service(
            slug=slug,
            ticket_letter="B",
            name={"de": f"Dienst {slug}"},
            description={"de": "Beschreibung"},
            documents={"de": []},
            duration_minutes=minutes,
            fee_cents=0,
            allows_in_person=True,
            allows_video=False,
        )
    ).returning(Service.id)
    for desk in desks:
        await DeskService.insert(DeskService(desk=desk, service=rows[0]["id"]))
    return int(rows[0]["id"])


@pytest.fixture(autouse=True)
async def _second_short_service(city: City) -> None:
    """Another 15-minute service both counters offer, to join the line for."""
    await _add_service("short-2", 15, desks=list(city.counters))
