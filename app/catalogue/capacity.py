"""What the booking calendar needs from the catalogue, in three queries.

Which active desks offer a service on a channel (and in which offices), the weekly
opening hours of those offices, and the closures that touch a date range. Times of day
are local Berlin time; the booking domain turns them into UTC instants. Called by other
domains like `service`; kept apart because it answers in ids and times, not in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, time

import msgspec

from app.catalogue import tables


class OfficeRef(msgspec.Struct, frozen=True, kw_only=True):
    """An office as a booking names it: id, slug, name and address."""

    id: int
    slug: str
    kind: str
    name: str
    street: str
    postcode: str
    city: str


class WeeklyHours(msgspec.Struct, frozen=True, kw_only=True):
    """One period an office is open on one weekday (0 = Monday), local Berlin time."""

    office_id: int
    weekday: int
    opens: time
    closes: time


class ClosedDays(msgspec.Struct, frozen=True, kw_only=True):
    """Days (inclusive) one office, or every office when `office_id` is None, is closed."""

    office_id: int | None
    starts_on: date
    ends_on: date


class Capacity(msgspec.Struct, frozen=True, kw_only=True):
    """Who can serve a service on one channel, and when: the booking calendar's input.

    `desks` maps each office id to its desks offering the service, ascending by id.
    """

    offices: list[OfficeRef]
    desks: dict[int, list[int]]
    hours: list[WeeklyHours]
    closures: list[ClosedDays]


async def capacity(
    service_id: int,
    channel: str,
    first_day: date,
    last_day: date,
    office_ids: Sequence[int] | None = None,
) -> Capacity:
    """Active desks of `channel` offering the service (in `office_ids`, if given), the
    hours of their offices and the closures between `first_day` and `last_day`.

    Plain SQL: this runs on every availability query and every hold, and Piccolo's join
    builder costs more CPU than the three queries themselves.
    """
    params: list[object] = [service_id, True, channel]
    only = ""
    if office_ids is not None:
        only = f" AND o.id IN ({_marks(office_ids or [0])})"
        params.extend(office_ids or [0])
    rows = await tables.DeskService.raw(
        "SELECT d.id AS desk_id, o.id AS office_id, o.slug, o.kind, o.name, o.street, "  # noqa: S608
        "o.postcode, o.city FROM catalogue_desk_service ds "
        "JOIN catalogue_desk d ON d.id = ds.desk JOIN catalogue_office o ON o.id = d.office "
        f"WHERE ds.service = {{}} AND d.active = {{}} AND d.channel = {{}}{only} "
        "ORDER BY d.id",
        *params,
    )
    desks: dict[int, list[int]] = defaultdict(list)
    offices: dict[int, OfficeRef] = {}
    for row in rows:
        desks[row["office_id"]].append(row["desk_id"])
        if row["office_id"] not in offices:
            offices[row["office_id"]] = OfficeRef(
                id=row["office_id"],
                slug=row["slug"],
                kind=row["kind"],
                name=row["name"],
                street=row["street"],
                postcode=row["postcode"],
                city=row["city"],
            )
    if not offices:
        return Capacity(offices=[], desks={}, hours=[], closures=[])
    ids = list(offices)
    hours = await tables.OpeningHours.raw(
        "SELECT office, weekday, opens, closes FROM catalogue_opening_hours "  # noqa: S608
        f"WHERE office IN ({_marks(ids)})",
        *ids,
    )
    closures = await tables.Closure.raw(
        "SELECT office, starts_on, ends_on FROM catalogue_closure "  # noqa: S608
        f"WHERE (office IN ({_marks(ids)}) OR office IS NULL) "
        "AND starts_on <= {} AND ends_on >= {}",
        *ids,
        last_day,
        first_day,
    )
    return Capacity(
        offices=sorted(offices.values(), key=lambda office: (office.name, office.id)),
        desks=dict(desks),
        hours=[
            WeeklyHours(
                office_id=hour["office"],
                weekday=hour["weekday"],
                opens=hour["opens"],
                closes=hour["closes"],
            )
            for hour in hours
        ],
        closures=[
            ClosedDays(
                office_id=closure["office"],
                starts_on=closure["starts_on"],
                ends_on=closure["ends_on"],
            )
            for closure in closures
        ],
    )


def _marks(values: Sequence[object]) -> str:
    """One placeholder per value, for an IN list: only these are formatted into SQL."""
    return ", ".join(["{}"] * len(values))


async def offices_by_id(ids: Sequence[int]) -> dict[int, OfficeRef]:
    """The offices with these ids (unknown ids are left out)."""
    if not ids:
        return {}
    rows = await tables.Office.select(
        tables.Office.id,
        tables.Office.slug,
        tables.Office.kind,
        tables.Office.name,
        tables.Office.street,
        tables.Office.postcode,
        tables.Office.city,
    ).where(tables.Office.id.is_in(list(ids)))
    return {row["id"]: msgspec.convert(row, OfficeRef) for row in rows}


async def office_ids_by_slug(slugs: Sequence[str]) -> dict[str, int]:
    """Office ids for the given slugs (unknown slugs are left out)."""
    if not slugs:
        return {}
    rows = await tables.Office.select(tables.Office.id, tables.Office.slug).where(
        tables.Office.slug.is_in(list(slugs))
    )
    return {row["slug"]: row["id"] for row in rows}
