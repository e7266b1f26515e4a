"""The unit grid and the slot arithmetic of the booking calendar: pure, no database.

Time is cut into units of `unit_minutes` on a grid anchored at the Unix epoch; because a
unit divides an hour, that is also a grid of Berlin wall-clock time, in summer and in
winter. A unit is named by its index on the grid. Opening hours become half-open index
ranges per office and day; a slot is a start index from which `need` consecutive units
lie inside one opening and are free on at least one desk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import holidays

from app.catalogue.capacity import Capacity, ClosedDays
from app.core.clock import BERLIN

# Public holidays of Baden-Württemberg; the object fills in each year when first asked.
HOLIDAYS = holidays.country_holidays("DE", subdiv="BW")


@dataclass(frozen=True, slots=True)
class Opening:
    """One office open on one day from unit `first` up to (not including) unit `end`."""

    office_id: int
    day: date
    first: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """Starts in [first, end) at an office are kept for a lottery release."""

    office_id: int
    first: int
    end: int


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A start with the desks (ascending ids) that have every needed unit free."""

    office_id: int
    day: date
    start: int
    desks: tuple[int, ...]


def index_of(at: datetime, unit_minutes: int) -> int:
    """The unit that contains `at`."""
    return int(at.timestamp()) // (unit_minutes * 60)


def ceil_index(at: datetime, unit_minutes: int) -> int:
    """The first unit that starts at or after `at`."""
    return -(-int(at.timestamp()) // (unit_minutes * 60))


def on_grid(at: datetime, unit_minutes: int) -> bool:
    return at.timestamp() % (unit_minutes * 60) == 0


def start_of(index: int, unit_minutes: int) -> datetime:
    return datetime.fromtimestamp(index * unit_minutes * 60, UTC)


def berlin_date(at: datetime) -> date:
    return at.astimezone(BERLIN).date()


def is_holiday(day: date) -> bool:
    return day in HOLIDAYS


def days(first_day: date, last_day: date) -> Iterator[date]:
    for offset in range((last_day - first_day).days + 1):
        yield first_day + timedelta(days=offset)


def closed_on(day: date, office_id: int, closures: Iterable[ClosedDays]) -> bool:
    """Closed all day: a public holiday, or a closure of this office or of every office."""
    if is_holiday(day):
        return True
    return any(
        closure.starts_on <= day <= closure.ends_on and closure.office_id in (None, office_id)
        for closure in closures
    )


def openings(
    capacity: Capacity, first_day: date, last_day: date, unit_minutes: int
) -> list[Opening]:
    """Every opening of the capacity's offices between the two days, in time order."""
    periods: dict[tuple[int, int], list[tuple[time, time]]] = defaultdict(list)
    for hours in capacity.hours:
        periods[(hours.office_id, hours.weekday)].append((hours.opens, hours.closes))
    found: list[Opening] = []
    for day in days(first_day, last_day):
        for office in capacity.offices:
            if not capacity.desks.get(office.id) or closed_on(day, office.id, capacity.closures):
                continue
            for opens, closes in periods.get((office.id, day.weekday()), []):
                begin = datetime.combine(day, opens, tzinfo=BERLIN)
                finish = datetime.combine(day, closes, tzinfo=BERLIN)
                first, end = ceil_index(begin, unit_minutes), index_of(finish, unit_minutes)
                if first < end:
                    found.append(Opening(office.id, day, first, end))
    found.sort(key=lambda opening: (opening.first, opening.office_id))
    return found


def free_slots(
    found: Sequence[Opening],
    desks: Mapping[int, Sequence[int]],
    taken: Mapping[int, AbstractSet[int]],
    need: int,
    *,
    earliest: int,
    blocks: Sequence[Block] = (),
) -> Iterator[FreeSlot]:
    """Starts at or after `earliest` with at least one desk free for `need` units.

    Desks without any taken unit are free everywhere; only the others are looked at.
    """
    for opening in found:
        office_desks = tuple(desks.get(opening.office_id, ()))
        busy = {desk for desk in office_desks if taken.get(desk)}
        blocked = [block for block in blocks if block.office_id == opening.office_id]
        for start in range(max(opening.first, earliest), opening.end - need + 1):
            if any(block.first <= start < block.end for block in blocked):
                continue
            units = range(start, start + need)
            free = (
                tuple(
                    desk
                    for desk in office_desks
                    if desk not in busy or taken[desk].isdisjoint(units)
                )
                if busy
                else office_desks
            )
            if free:
                yield FreeSlot(opening.office_id, opening.day, start, free)


def fits(found: Iterable[Opening], office_id: int, start: int, need: int) -> bool:
    """Whether `need` units from `start` lie inside one of the office's openings."""
    return any(
        opening.office_id == office_id and opening.first <= start and start + need <= opening.end
        for opening in found
    )
