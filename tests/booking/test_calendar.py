"""The unit grid and slot arithmetic, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.booking import calendar
from app.catalogue.capacity import Capacity, ClosedDays, OfficeRef, WeeklyHours
from app.core.clock import BERLIN

OFFICE = OfficeRef(id=1, slug="a", kind="district", name="A", street="", postcode="", city="")


def _capacity(opens: time, closes: time, closures: list[ClosedDays] | None = None) -> Capacity:
    hours = [WeeklyHours(office_id=1, weekday=day, opens=opens, closes=closes) for day in range(7)]
    return Capacity(offices=[OFFICE], desks={1: [7, 8]}, hours=hours, closures=closures or [])


def _local(index: int) -> str:
    return calendar.start_of(index, 15).astimezone(BERLIN).strftime("%a %H:%M")


def test_openings_keep_berlin_wall_clock_time_across_the_change_to_summer_time() -> None:
    # Sunday 2026-03-29 the clocks go forward: 08:00 is 07:00 UTC on Saturday, 06:00 after.
    found = calendar.openings(_capacity(time(8), time(9)), date(2026, 3, 28), date(2026, 3, 30), 15)
    assert [_local(opening.first) for opening in found] == ["Sat 08:00", "Sun 08:00", "Mon 08:00"]
    starts = [calendar.start_of(opening.first, 15) for opening in found]
    assert starts[1] - starts[0] == timedelta(hours=23)
    assert all(opening.end - opening.first == 4 for opening in found)


def test_hours_off_the_grid_are_cut_to_whole_units_inside_them() -> None:
    found = calendar.openings(
        _capacity(time(8, 10), time(9, 5)), date(2026, 5, 4), date(2026, 5, 4), 15
    )
    assert [_local(found[0].first), _local(found[0].end)] == ["Mon 08:15", "Mon 09:00"]


def test_holidays_and_closures_close_whole_days() -> None:
    closure = ClosedDays(office_id=None, starts_on=date(2026, 5, 5), ends_on=date(2026, 5, 5))
    found = calendar.openings(
        _capacity(time(8), time(9), [closure]), date(2026, 4, 30), date(2026, 5, 6), 15
    )
    days = [opening.day for opening in found]
    assert date(2026, 5, 1) not in days  # Labour Day
    assert date(2026, 5, 5) not in days  # the closure
    assert date(2026, 5, 4) in days and date(2026, 5, 6) in days


def test_a_desk_with_one_taken_unit_is_free_only_where_all_needed_units_are_free() -> None:
    found = calendar.openings(_capacity(time(8), time(9)), date(2026, 5, 4), date(2026, 5, 4), 15)
    first = found[0].first
    taken = {7: {first + 1}}  # desk 7 busy 08:15–08:30
    slots = list(calendar.free_slots(found, {1: [7, 8]}, taken, 2, earliest=0))
    assert [(_local(slot.start), slot.desks) for slot in slots] == [
        ("Mon 08:00", (8,)),
        ("Mon 08:15", (8,)),
        ("Mon 08:30", (7, 8)),
    ]


def test_blocked_starts_and_the_earliest_start_are_left_out() -> None:
    found = calendar.openings(_capacity(time(8), time(9)), date(2026, 5, 4), date(2026, 5, 4), 15)
    first = found[0].first
    blocks = [calendar.Block(1, first + 2, first + 3)]
    slots = calendar.free_slots(found, {1: [7]}, {}, 1, earliest=first + 1, blocks=blocks)
    assert [_local(slot.start) for slot in slots] == ["Mon 08:15", "Mon 08:45"]


def test_the_grid_is_the_same_in_utc_and_in_berlin() -> None:
    at = datetime(2026, 7, 1, 6, 45, tzinfo=UTC)  # 08:45 in Berlin
    assert calendar.on_grid(at, 15) and not calendar.on_grid(at + timedelta(minutes=5), 15)
    assert calendar.start_of(calendar.index_of(at, 15), 15) == at
    assert calendar.ceil_index(at + timedelta(seconds=1), 15) == calendar.index_of(at, 15) + 1
