"""Availability on request: the catalogue's desks and hours, minus taken units and releases.

Nothing is precomputed: a query reads the capacity (three catalogue queries), the taken
units in the range (one) and pending lottery releases (one), then does the arithmetic in
`calendar`. The same reading checks a single slot before it is held; the hold itself is
decided by the unique index on the desk units, so a stale read costs a retry, never a
double booking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.booking import calendar
from app.booking.errors import (
    BeyondBookingWindow,
    ChannelNotOffered,
    InvalidRange,
    InvalidTime,
    NoticeTooShort,
    NotOfferedHere,
    OfficeClosed,
    OutsideOpeningHours,
    RangeInPast,
    RangeTooLong,
    SlotInPast,
    UnknownOffice,
    UnknownService,
)
from app.booking.lookups import Lookups
from app.booking.rules import BookingRules
from app.booking.schemas import (
    TIME_ZONE,
    Availability,
    AvailabilityDay,
    Channel,
    OfficeSummary,
    Slot,
)
from app.booking.tables import DeskUnit, Release
from app.catalogue import capacity as catalogue_capacity
from app.catalogue import service as catalogue
from app.catalogue.capacity import Capacity, OfficeRef
from app.catalogue.schemas import Service
from app.core.clock import BERLIN


@dataclass(frozen=True, slots=True)
class Offer:
    """A checked slot, ready to be held: what, where, when, its units, and the office's
    desks that offer it (which of them are free is decided in the hold's transaction)."""

    service: Service
    office: OfficeRef
    channel: Channel
    starts_at: datetime
    ends_at: datetime
    units: list[datetime]
    desks: tuple[int, ...]


async def service_on_offer(slug: str, lang: str, lookups: Lookups | None = None) -> Service:
    async def load() -> Service:
        try:
            return await catalogue.get_service(slug, lang)
        except catalogue.ServiceNotFound:
            raise UnknownService(field="service") from None

    return await (lookups.get(("service", slug, lang), load) if lookups else load())


def check_channel(service: Service, channel: Channel) -> None:
    allowed = service.channels.video if channel == "video" else service.channels.in_person
    if not allowed:
        raise ChannelNotOffered(field="channel")


async def office_id(slug: str, lookups: Lookups | None = None) -> int:
    async def load() -> int:
        found = await catalogue_capacity.office_ids_by_slug([slug])
        if slug not in found:
            raise UnknownOffice(field="office")
        return found[slug]

    return await (lookups.get(("office", slug), load) if lookups else load())


async def capacity(
    service_id: int,
    channel: str,
    first_day: date,
    last_day: date,
    office_ids: Sequence[int] | None,
    lookups: Lookups | None = None,
) -> Capacity:
    """The catalogue's capacity for the service (see `app.catalogue.capacity`)."""

    def load() -> Awaitable[Capacity]:
        return catalogue_capacity.capacity(service_id, channel, first_day, last_day, office_ids)

    if lookups is None:
        return await load()
    key = ("capacity", service_id, channel, first_day, last_day, tuple(office_ids or ()))
    return await lookups.get(key, load)


async def availability(
    service_slug: str,
    *,
    channel: Channel,
    office_slug: str | None,
    first_day: date | None,
    last_day: date | None,
    rules: BookingRules,
    now: datetime,
    lang: str,
    lookups: Lookups | None = None,
) -> Availability:
    """Free slots by day; raises UnknownService, UnknownOffice, ChannelNotOffered and the
    range errors (InvalidRange, RangeTooLong, RangeInPast, BeyondBookingWindow)."""
    service = await service_on_offer(service_slug, lang, lookups)
    check_channel(service, channel)
    offices = None if office_slug is None else [await office_id(office_slug, lookups)]
    first, last = _range(first_day, last_day, rules, now)
    cap = await capacity(service.id, channel, first, last, offices, lookups)
    need = rules.units_for(service.duration_minutes)
    found = calendar.openings(cap, first, last, rules.unit_minutes)
    taken, blocks = await _occupancy(cap, found, channel, rules)
    earliest = calendar.ceil_index(now + rules.min_notice, rules.unit_minutes)
    slugs = {office.id: office.slug for office in cap.offices}
    by_day: dict[date, list[Slot]] = defaultdict(list)
    duration = timedelta(minutes=service.duration_minutes)
    # The same start times recur at every office: convert each unit once, not per slot
    # (the time-zone conversion and formatting were a quarter of the query's CPU).
    times: dict[int, tuple[datetime, datetime, str]] = {}
    for free in calendar.free_slots(
        found, cap.desks, taken, need, earliest=earliest, blocks=blocks
    ):
        when = times.get(free.start)
        if when is None:
            starts_at = calendar.start_of(free.start, rules.unit_minutes)
            local = starts_at.astimezone(BERLIN).strftime("%H:%M")
            when = times[free.start] = (starts_at, starts_at + duration, local)
        by_day[free.day].append(
            Slot(
                office=slugs[free.office_id],
                starts_at=when[0],
                ends_at=when[1],
                local_time=when[2],
                capacity=len(free.desks),
            )
        )
    return Availability(
        service=service.slug,
        channel=channel,
        duration_minutes=service.duration_minutes,
        time_zone=TIME_ZONE,
        first_day=first,
        last_day=last,
        offices=[summary(office) for office in cap.offices],
        days=[AvailabilityDay(date=day, slots=slots) for day, slots in sorted(by_day.items())],
    )


async def check_slot(
    service: Service,
    office_slug: str,
    channel: Channel,
    starts_at: datetime,
    *,
    rules: BookingRules,
    now: datetime,
    lookups: Lookups | None = None,
) -> Offer:
    """The slot if the office offers it then, else the first reason why not.

    Reads nothing but the (kept) catalogue: whether its units are free and whether a
    lottery holds it back is read inside the hold's transaction (`units.still_free`),
    so a lost race costs one query there instead of a read here and one there.
    """
    check_channel(service, channel)
    if starts_at.tzinfo is None:
        raise InvalidTime(field="starts_at")
    if starts_at <= now:
        raise SlotInPast(field="starts_at")
    if starts_at < now + rules.min_notice:
        raise NoticeTooShort(field="starts_at", minutes=rules.min_notice_minutes)
    day = calendar.berlin_date(starts_at)
    if day > calendar.berlin_date(now) + timedelta(days=rules.max_days):
        raise BeyondBookingWindow(field="starts_at", days=rules.max_days)
    office = await office_id(office_slug, lookups)
    cap = await capacity(service.id, channel, day, day, [office], lookups)
    if not cap.offices:
        raise NotOfferedHere(field="office")
    if calendar.closed_on(day, office, cap.closures):
        raise OfficeClosed(field="starts_at")
    found = calendar.openings(cap, day, day, rules.unit_minutes)
    start = calendar.index_of(starts_at, rules.unit_minutes)
    need = rules.units_for(service.duration_minutes)
    if not calendar.on_grid(starts_at, rules.unit_minutes) or not calendar.fits(
        found, office, start, need
    ):
        raise OutsideOpeningHours(field="starts_at")
    units = range(start, start + need)
    return Offer(
        service=service,
        office=cap.offices[0],
        channel=channel,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=service.duration_minutes),
        units=[calendar.start_of(unit, rules.unit_minutes) for unit in units],
        desks=tuple(cap.desks[office]),
    )


async def taken_units(
    desk_ids: Sequence[int],
    first: datetime,
    end: datetime,
    *,
    unit_minutes: int,
) -> dict[int, set[int]]:
    """Unit indexes taken per desk in [first, end). A hold that has lapsed still takes its
    units until its job hands them on (to the waitlist first, see `handover`)."""
    if not desk_ids:
        return {}
    params: list[object] = [*desk_ids, first, end]
    # Plain SQL: this runs on every availability query and every hold.
    rows = await DeskUnit.raw(
        "SELECT u.desk, u.unit_start FROM booking_desk_unit u "  # noqa: S608
        f"WHERE u.desk IN ({', '.join(['{}'] * len(desk_ids))}) "
        "AND u.unit_start >= {} AND u.unit_start < {}",
        *params,
    )
    taken: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        taken[row["desk"]].add(calendar.index_of(row["unit_start"], unit_minutes))
    return taken


async def pending_blocks(
    office_ids: Sequence[int], channel: str, first: datetime, end: datetime, unit_minutes: int
) -> list[calendar.Block]:
    """Starts kept back for pending lottery releases of these offices and channel."""
    if not office_ids:
        return []
    rows = (
        await Release.select(Release.office, Release.slots_from, Release.slots_to)
        .where(Release.office.is_in(list(office_ids)))
        .where(Release.state == "pending")
        .where(Release.channel == channel)
        .where(Release.slots_to > first)
        .where(Release.slots_from < end)
    )
    return [
        calendar.Block(
            row["office"],
            calendar.ceil_index(row["slots_from"], unit_minutes),
            calendar.ceil_index(row["slots_to"], unit_minutes),
        )
        for row in rows
    ]


def summary(office: OfficeRef) -> OfficeSummary:
    return OfficeSummary(
        slug=office.slug,
        name=office.name,
        kind=office.kind,
        street=office.street,
        postcode=office.postcode,
        city=office.city,
    )


async def _occupancy(
    cap: Capacity,
    found: Sequence[calendar.Opening],
    channel: str,
    rules: BookingRules,
) -> tuple[dict[int, set[int]], list[calendar.Block]]:
    if not found:
        return {}, []
    first = calendar.start_of(min(opening.first for opening in found), rules.unit_minutes)
    end = calendar.start_of(max(opening.end for opening in found), rules.unit_minutes)
    desks = [desk for office_desks in cap.desks.values() for desk in office_desks]
    taken = await taken_units(desks, first, end, unit_minutes=rules.unit_minutes)
    blocks = await pending_blocks(
        [office.id for office in cap.offices], channel, first, end, rules.unit_minutes
    )
    return taken, blocks


def _range(
    first_day: date | None, last_day: date | None, rules: BookingRules, now: datetime
) -> tuple[date, date]:
    """The asked range, checked, then cut to the booking window (today … today+max_days)."""
    today = calendar.berlin_date(now)
    window_end = today + timedelta(days=rules.max_days)
    first = first_day or today
    last = last_day or min(window_end, first + timedelta(days=rules.max_range_days - 1))
    if last < first:
        raise InvalidRange(field="to")
    if (last - first).days + 1 > rules.max_range_days:
        raise RangeTooLong(field="to", days=rules.max_range_days)
    if last < today:
        raise RangeInPast(field="to")
    if first > window_end:
        raise BeyondBookingWindow(field="from", days=rules.max_days)
    return max(first, today), min(last, window_end)
