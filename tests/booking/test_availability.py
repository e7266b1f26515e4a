"""Availability math: hours × desks, durations, buffers, closures, holidays, window, notice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.booking import availability
from app.booking.errors import (
    BeyondBookingWindow,
    ChannelNotOffered,
    InvalidRange,
    RangeInPast,
    RangeTooLong,
    UnknownOffice,
    UnknownService,
)
from app.booking.rules import BookingRules
from app.booking.schemas import Availability, Channel
from app.core.clock import FrozenClock

from .conftest import THURSDAY, TUESDAY, City, berlin, close


async def _slots(
    clock: FrozenClock,
    *,
    service: str = "anmeldung",
    office: str | None = "altstadt",
    channel: Channel = "in_person",
    first: date | None = TUESDAY,
    last: date | None = TUESDAY,
    rules: BookingRules | None = None,
) -> Availability:
    return await availability.availability(
        service,
        channel=channel,
        office_slug=office,
        first_day=first,
        last_day=last,
        rules=rules or BookingRules(),
        now=clock.now(),
        lang="de",
    )


def _times(found: Availability, day: date) -> list[str]:
    return [slot.local_time for d in found.days if d.date == day for slot in d.slots]


async def test_a_15_minute_service_gets_a_slot_every_unit_with_every_desk_free(
    city: City, clock: FrozenClock
) -> None:
    found = await _slots(clock)
    slots = found.days[0].slots
    assert [slot.local_time for slot in slots][:3] == ["08:00", "08:15", "08:30"]
    assert slots[-1].local_time == "11:45"
    assert len(slots) == 16
    assert {slot.capacity for slot in slots} == {2}
    assert slots[0].starts_at == berlin(TUESDAY, "08:00")
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=15)


async def test_a_30_minute_service_needs_two_units_so_its_last_start_is_half_an_hour_early(
    city: City, clock: FrozenClock
) -> None:
    times = _times(await _slots(clock, service="personalausweis"), TUESDAY)
    assert times[0] == "08:00" and times[-1] == "11:30"
    assert len(times) == 15  # starts on every unit, each needing the next one free too


async def test_a_buffer_is_added_and_rounded_up_to_whole_units(
    city: City, clock: FrozenClock
) -> None:
    rules = BookingRules(buffer_minutes=5)  # 15 + 5 minutes occupy two 15-minute units
    assert rules.units_for(15) == 2 and rules.units_for(30) == 3 and rules.units_for(10) == 1
    times = _times(await _slots(clock, rules=rules), TUESDAY)
    assert times[-1] == "11:30"


async def test_a_second_opening_in_the_afternoon_gives_its_own_slots(
    city: City, clock: FrozenClock
) -> None:
    times = _times(await _slots(clock, first=THURSDAY, last=THURSDAY), THURSDAY)
    assert "11:45" in times and "12:00" not in times and "13:45" not in times
    assert times[16] == "14:00" and times[-1] == "17:45"


async def test_no_slot_starts_before_the_minimum_notice(city: City, clock: FrozenClock) -> None:
    # Monday 10:00 in Berlin: the two hours' notice leaves nothing of Monday's 08:00–12:00.
    monday = date(2026, 11, 23)
    assert _times(await _slots(clock, first=monday, last=monday), monday) == []
    clock.advance(timedelta(hours=-3))  # 07:00 Berlin: from 09:00 on
    assert _times(await _slots(clock, first=monday, last=monday), monday)[0] == "09:00"


async def test_closures_of_the_office_and_of_every_office_leave_out_whole_days(
    city: City, clock: FrozenClock
) -> None:
    await close(city.altstadt, TUESDAY, TUESDAY)
    await close(None, THURSDAY, THURSDAY)
    found = await _slots(clock, first=TUESDAY, last=THURSDAY)
    assert [day.date for day in found.days] == [date(2026, 11, 25)]


async def test_public_holidays_of_baden_wuerttemberg_have_no_slots(
    city: City, clock: FrozenClock
) -> None:
    rules = BookingRules(max_days=60)
    found = await _slots(clock, first=date(2026, 12, 21), last=date(2027, 1, 8), rules=rules)
    days = {day.date for day in found.days}
    for holiday in (date(2026, 12, 25), date(2027, 1, 1), date(2027, 1, 6)):
        assert holiday not in days  # Christmas (a Friday), New Year, Epiphany (a Wednesday)
    assert date(2026, 12, 24) in days and date(2027, 1, 7) in days  # ordinary weekdays
    assert date(2026, 12, 26) not in days  # Boxing Day, and a Saturday too


async def test_the_window_ends_max_days_ahead_and_longer_queries_are_cut_to_it(
    city: City, clock: FrozenClock
) -> None:
    found = await _slots(clock, first=None, last=None, rules=BookingRules(max_days=10))
    assert found.first_day == date(2026, 11, 23) and found.last_day == date(2026, 12, 3)
    assert max(day.date for day in found.days) == date(2026, 12, 3)
    with pytest.raises(BeyondBookingWindow):
        await _slots(
            clock, first=date(2026, 12, 4), last=date(2026, 12, 5), rules=BookingRules(max_days=10)
        )


async def test_video_slots_come_from_video_desks_in_the_virtual_office(
    city: City, clock: FrozenClock
) -> None:
    found = await _slots(clock, office=None, channel="video")
    assert [office.slug for office in found.offices] == ["virtuell"]
    times = _times(found, TUESDAY)
    assert times[0] == "09:00" and times[-1] == "16:45"
    assert {slot.capacity for day in found.days for slot in day.slots} == {1}
    with pytest.raises(ChannelNotOffered):
        await _slots(clock, service="personalausweis", channel="video")


async def test_without_an_office_every_office_offering_the_service_is_listed(
    city: City, clock: FrozenClock
) -> None:
    found = await _slots(clock, office=None)
    assert [office.slug for office in found.offices] == ["altstadt"]
    assert {slot.office for day in found.days for slot in day.slots} == {"altstadt"}


@pytest.mark.parametrize(
    ("first", "last", "error"),
    [
        (date(2026, 11, 27), date(2026, 11, 26), InvalidRange),
        (date(2026, 11, 23), date(2026, 12, 31), RangeTooLong),
        (date(2026, 11, 1), date(2026, 11, 20), RangeInPast),
    ],
)
async def test_bad_ranges_are_refused(
    city: City, clock: FrozenClock, first: date, last: date, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await _slots(clock, first=first, last=last)


async def test_unknown_services_and_offices_are_refused(city: City, clock: FrozenClock) -> None:
    with pytest.raises(UnknownService):
        await _slots(clock, service="drachenlizenz")
    with pytest.raises(UnknownOffice):
        await _slots(clock, office="atlantis")


def test_the_unit_must_tile_the_hour() -> None:
    with pytest.raises(ValueError, match="divide 60"):
        BookingRules(unit_minutes=25)
    assert BookingRules.from_env({"APP_BOOKING_BUFFER_MINUTES": "5"}).buffer_minutes == 5
    assert BookingRules.from_env({"APP_BOOKING_REMINDER_HOURS": "24,1"}).reminder_hours == (24, 1)
