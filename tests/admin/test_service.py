"""The administration's rules, called directly: what a change strands, confirming and
cancelling, the effect on availability, validation, and races."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import pytest

from app.admin import service
from app.admin.schemas import ClosureCreate, DeskServicesUpdate, DeskUpdate, HoursUpdate
from app.admin.service import Admin, AppointmentsAffected
from app.audit import service as audit
from app.booking import availability
from app.booking import service as booking
from app.booking.context import BookingContext
from app.booking.tables import Appointment, DeskUnit
from app.cases import service as cases
from app.cases.schemas import EventKind
from app.catalogue.editing import DeskLabelTaken, OfficeSlugTaken
from app.catalogue.editing_schemas import (
    ClosureInPast,
    DeskFields,
    GermanMissing,
    HoursPeriod,
    InvalidClosureRange,
    InvalidPeriod,
    LanguageUnknown,
    OfficeFields,
    OverlappingPeriods,
)
from app.catalogue.tables import Closure, OpeningHours
from app.notify import service as notify
from tests.staff.conftest import Account

from .conftest import TUESDAY, WEDNESDAY, Book, City, People, berlin

AdminAs = Callable[[Account], Awaitable[Admin]]
REASON = {"de": "Betriebsausflug", "ar": "رحلة الموظفين"}


def _closure(first: date, last: date, cancel: list[str] | None = None) -> ClosureCreate:
    return ClosureCreate(starts_on=first, ends_on=last, reason=REASON, cancel_appointments=cancel)


async def _state(code: str) -> str:
    row = await Appointment.select(Appointment.state).where(Appointment.code == code).first()
    assert row is not None
    return str(row["state"])


async def _free_on(ctx: BookingContext, day: date) -> int:
    found = await availability.availability(
        "anmeldung",
        channel="in_person",
        office_slug="altstadt",
        first_day=day,
        last_day=day,
        rules=ctx.rules,
        now=ctx.now(),
        lang="de",
        lookups=ctx.lookups,
    )
    return sum(len(day.slots) for day in found.days)


async def test_a_closure_over_a_booking_is_refused_with_the_booking_and_changes_nothing(
    city: City, people: People, admin_as: AdminAs, book: Book
) -> None:
    booked = await book(berlin(TUESDAY, "09:00"))
    lead = await admin_as(people.lead)
    with pytest.raises(AppointmentsAffected) as refused:
        await service.add_closure(lead, city.altstadt, _closure(TUESDAY, TUESDAY))
    assert [item.code for item in refused.value.affected] == [booked.code]
    [item] = refused.value.affected
    assert (item.local_start, item.state, item.reference) == (
        "2026-11-24 09:00",
        "confirmed",
        item.reference,
    )
    assert item.reference and item.reference.startswith("HD-")
    assert await Closure.count() == 0
    assert await _state(booked.code) == "confirmed"
    assert [e.action for e in await audit.entries() if e.action.startswith("admin.")] == []


async def test_a_confirmed_closure_cancels_its_bookings_mails_the_citizen_and_is_audited(
    city: City, people: People, admin_as: AdminAs, book: Book, ctx: BookingContext
) -> None:
    mailed = await book(berlin(TUESDAY, "09:00"), email="ada@example.org")
    other_day = await book(berlin(WEDNESDAY, "09:00"))
    lead = await admin_as(people.lead)
    change = await service.add_closure(
        lead, city.altstadt, _closure(TUESDAY, TUESDAY, [mailed.code])
    )
    assert (change.cancelled, change.cancelled_codes) == (1, [mailed.code])
    assert [(c.starts_on, c.reason["ar"]) for c in change.office.closures] == [
        (TUESDAY, REASON["ar"])
    ]
    assert (await _state(mailed.code), await _state(other_day.code)) == ("cancelled", "confirmed")
    assert await DeskUnit.count().where(DeskUnit.unit_start < berlin(WEDNESDAY, "00:00")) == 0
    templates = [mail.template for mail in await notify.mails_of_case(mailed.case_id)]
    assert templates[-1] == "booking.cancelled"
    events = await cases.timeline(mailed.case_id)
    assert (events[-1].kind, events[-1].channel) == (EventKind.APPOINTMENT_CANCELLED, "clerk")
    [entry] = [e for e in await audit.entries() if e.action == "admin.closure.create"]
    assert (entry.staff_id, entry.office_id, entry.detail["cancelled"]) == (
        people.lead.id, city.altstadt, 1,
    )  # fmt: skip
    assert (await audit.verify()).ok


async def test_a_booking_made_after_the_preview_makes_the_confirmation_fail(
    city: City, people: People, admin_as: AdminAs, book: Book
) -> None:
    first = await book(berlin(TUESDAY, "09:00"))
    lead = await admin_as(people.lead)
    with pytest.raises(AppointmentsAffected):
        await service.add_closure(lead, city.altstadt, _closure(TUESDAY, TUESDAY))
    late = await book(berlin(TUESDAY, "10:00"))
    with pytest.raises(AppointmentsAffected) as refused:
        await service.add_closure(lead, city.altstadt, _closure(TUESDAY, TUESDAY, [first.code]))
    assert {item.code for item in refused.value.affected} == {first.code, late.code}
    assert (await _state(first.code), await _state(late.code)) == ("confirmed", "confirmed")
    assert await Closure.count() == 0


async def test_a_closure_takes_the_days_out_of_availability_at_once(
    city: City, people: People, admin_as: AdminAs, ctx: BookingContext
) -> None:
    assert await _free_on(ctx, TUESDAY) > 0
    assert await _free_on(ctx, WEDNESDAY) > 0
    await service.add_closure(
        await admin_as(people.lead), city.altstadt, _closure(TUESDAY, TUESDAY)
    )
    assert await _free_on(ctx, TUESDAY) == 0
    assert await _free_on(ctx, WEDNESDAY) > 0
    office = await service.office(await admin_as(people.lead), city.altstadt)
    await service.delete_closure(await admin_as(people.lead), city.altstadt, office.closures[0].id)
    assert await _free_on(ctx, TUESDAY) > 0


async def test_shorter_hours_strand_only_the_bookings_outside_them(
    city: City, people: People, admin_as: AdminAs, book: Book, ctx: BookingContext
) -> None:
    early = await book(berlin(TUESDAY, "08:00"))
    late = await book(berlin(TUESDAY, "11:30"))
    week = [HoursPeriod(weekday=day, opens="08:00", closes="11:00") for day in range(5)]
    lead = await admin_as(people.lead)
    with pytest.raises(AppointmentsAffected) as refused:
        await service.replace_hours(lead, city.altstadt, HoursUpdate(hours=week))
    assert [item.code for item in refused.value.affected] == [late.code]
    change = await service.replace_hours(
        lead, city.altstadt, HoursUpdate(hours=week, cancel_appointments=[late.code])
    )
    assert change.office.hours == week
    assert (await _state(early.code), await _state(late.code)) == ("confirmed", "cancelled")
    found = await availability.availability(
        "anmeldung", channel="in_person", office_slug="altstadt", first_day=TUESDAY,
        last_day=TUESDAY, rules=ctx.rules, now=ctx.now(), lang="de", lookups=ctx.lookups,
    )  # fmt: skip
    assert max(slot.local_time for day in found.days for slot in day.slots) == "10:45"


async def test_taking_a_desk_out_of_service_strands_its_bookings_and_a_new_label_nothing(
    city: City, people: People, admin_as: AdminAs, book: Book
) -> None:
    booked = await book(berlin(TUESDAY, "09:00"))
    row = await Appointment.select(Appointment.desk).where(Appointment.code == booked.code).first()
    assert row is not None
    desk = row["desk"]
    lead = await admin_as(people.lead)
    renamed = await service.update_desk(lead, city.altstadt, desk, DeskUpdate(label="Schalter 7"))
    assert renamed.cancelled == 0
    other = next(d for d in city.counters if d != desk)
    idle = await service.update_desk(
        lead, city.altstadt, other, DeskUpdate(label="B", active=False)
    )
    assert idle.cancelled == 0
    with pytest.raises(AppointmentsAffected):
        await service.update_desk(
            lead, city.altstadt, desk, DeskUpdate(label="Schalter 7", active=False)
        )
    closed = await service.update_desk(
        lead, city.altstadt, desk,
        DeskUpdate(label="Schalter 7", active=False, cancel_appointments=[booked.code]),
    )  # fmt: skip
    assert closed.cancelled == 1 and not any(d.active for d in closed.office.desks)


async def test_taking_a_service_off_a_desk_strands_only_that_services_bookings(
    city: City, people: People, admin_as: AdminAs, book: Book
) -> None:
    registration = await book(berlin(TUESDAY, "09:00"))
    id_card = await book(berlin(TUESDAY, "09:00"), service="personalausweis")
    desks = await Appointment.select(Appointment.code, Appointment.desk)
    desk_of = {row["code"]: row["desk"] for row in desks}
    admin = await admin_as(people.admin)
    with pytest.raises(AppointmentsAffected) as refused:
        await service.set_desk_services(
            admin,
            city.altstadt,
            desk_of[id_card.code],
            DeskServicesUpdate(services=[city.registration]),
        )
    assert [item.code for item in refused.value.affected] == [id_card.code]
    del registration


async def test_bad_hours_and_closures_are_refused_with_stable_codes_and_change_nothing(
    city: City, people: People, admin_as: AdminAs
) -> None:
    lead = await admin_as(people.lead)
    before = await OpeningHours.count()
    bad_weeks = {
        InvalidPeriod: [HoursPeriod(weekday=0, opens="12:00", closes="08:00")],
        OverlappingPeriods: [
            HoursPeriod(weekday=0, opens="08:00", closes="12:00"),
            HoursPeriod(weekday=0, opens="11:00", closes="14:00"),
        ],
    }
    for error, week in bad_weeks.items():
        with pytest.raises(error):
            await service.replace_hours(lead, city.altstadt, HoursUpdate(hours=week))
    assert await OpeningHours.count() == before
    today = date(2026, 11, 23)
    with pytest.raises(InvalidClosureRange):
        await service.add_closure(lead, city.altstadt, _closure(WEDNESDAY, TUESDAY))
    with pytest.raises(InvalidClosureRange):
        await service.add_closure(lead, city.altstadt, _closure(today, today + timedelta(days=400)))
    with pytest.raises(ClosureInPast):
        await service.add_closure(
            lead, city.altstadt, _closure(date(2026, 11, 1), date(2026, 11, 2))
        )
    for reason, error in (
        ({"en": "Outing"}, GermanMissing),
        ({"de": "x", "xx": "y"}, LanguageUnknown),
    ):
        with pytest.raises(error):
            await service.add_closure(
                lead,
                city.altstadt,
                ClosureCreate(starts_on=TUESDAY, ends_on=TUESDAY, reason=reason),
            )
    assert await Closure.count() == 0
    assert [e for e in await audit.entries() if e.action.startswith("admin.")] == []


async def test_taken_names_are_conflicts_with_stable_codes(
    city: City, people: People, admin_as: AdminAs
) -> None:
    admin = await admin_as(people.admin)
    with pytest.raises(OfficeSlugTaken):
        await service.create_office(
            admin, OfficeFields(slug="altstadt", kind="district", name="Zweite")
        )
    with pytest.raises(DeskLabelTaken):
        await service.add_desk(admin, city.altstadt, DeskFields(label="Schalter 1"))
    created = await service.create_office(
        admin, OfficeFields(slug="neu", kind="district", name="Neu")
    )
    with pytest.raises(OfficeSlugTaken):
        await service.update_office(
            admin, created.id, OfficeFields(slug="altstadt", kind="district", name="Neu")
        )
    assert (await service.office(admin, created.id)).slug == "neu"


async def test_leads_saving_the_week_at_once_leave_one_week_never_a_mix(
    city: City, people: People, admin_as: AdminAs
) -> None:
    lead = await admin_as(people.lead)
    weeks = [
        [
            HoursPeriod(weekday=day, opens=f"{7 + n % 3:02d}:00", closes="18:00")
            for day in range(n % 5 + 1)
        ]
        for n in range(100)
    ]
    await asyncio.gather(
        *(service.replace_hours(lead, city.altstadt, HoursUpdate(hours=week)) for week in weeks)
    )
    final = (await service.office(lead, city.altstadt)).hours
    assert final in weeks


async def test_cancelling_for_the_office_skips_a_booking_the_citizen_cancelled_meanwhile(
    city: City, people: People, admin_as: AdminAs, book: Book, ctx: BookingContext
) -> None:
    booked = await book(berlin(TUESDAY, "09:00"))
    lead = await admin_as(people.lead)
    with pytest.raises(AppointmentsAffected):
        await service.add_closure(lead, city.altstadt, _closure(TUESDAY, TUESDAY))
    await booking.cancel(booked.token, ctx, lang="de")
    change = await service.add_closure(
        lead, city.altstadt, _closure(TUESDAY, TUESDAY, [booked.code])
    )
    assert change.cancelled == 0 and await _state(booked.code) == "cancelled"
