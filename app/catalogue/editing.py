"""Changing the catalogue: offices, desks and the services they offer, weekly hours,
closures and services, for the administration (which checks roles and bookings first).

Every function here runs inside the caller's write transaction: a change that fails
half-way leaves nothing behind. Unique rules (office and service slugs, a desk label per
office) are the database's unique indexes; a lost race surfaces as an IntegrityError,
turned into a stable 409 here. The shapes read and written are in `editing_schemas`;
services are changed in `editing_services`.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, time
from typing import Any

import msgspec
from asyncpg.exceptions import UniqueViolationError  # type: ignore[import-untyped]

from app.catalogue import tables
from app.catalogue.editing_schemas import (
    AdminClosure,
    AdminDesk,
    AdminOffice,
    ClosureFields,
    DeskFields,
    HoursPeriod,
    OfficeFields,
    OfficeSummary,
    check_closure,
    check_hours,
)
from app.catalogue.service import OfficeNotFound, ServiceNotFound
from app.core.errors import Conflict, NotFound
from app.core.translation import _

# What a lost race on a unique index raises, on SQLite and on PostgreSQL.
UNIQUE = (sqlite3.IntegrityError, UniqueViolationError)


class OfficeSlugTaken(Conflict):
    code = "office_slug_taken"
    message = _("Another office already has this short name.")


class DeskLabelTaken(Conflict):
    code = "desk_label_taken"
    message = _("Another desk of this office already has this label.")


class DeskNotFound(NotFound):
    code = "desk_not_found"
    message = _("This desk does not exist.")


class ClosureNotFound(NotFound):
    code = "closure_not_found"
    message = _("This closure does not exist.")


async def list_offices(office_ids: Sequence[int] | None = None) -> list[OfficeSummary]:
    """Every office (or those with these ids), by name."""
    query = tables.Office.select(
        tables.Office.id, tables.Office.slug, tables.Office.kind, tables.Office.name
    ).order_by(tables.Office.name)
    if office_ids is not None:
        query = query.where(tables.Office.id.is_in(list(office_ids) or [0]))
    return [msgspec.convert(row, OfficeSummary) for row in await query]


async def office(office_id: int, today: date) -> AdminOffice:
    """An office with every desk (inactive ones too), its week and closures from `today`."""
    row = await (
        tables.Office.select().where(tables.Office.id == office_id).first().output(load_json=True)
    )
    if row is None:
        raise OfficeNotFound()
    desks = (
        await tables.Desk.select().where(tables.Desk.office == office_id).order_by(tables.Desk.id)
    )
    offered = await tables.DeskService.select(
        tables.DeskService.desk, tables.DeskService.service
    ).where(tables.DeskService.desk.office == office_id)
    services: dict[int, list[int]] = defaultdict(list)
    for pair in offered:
        services[pair["desk"]].append(pair["service"])
    closures = await (
        tables.Closure.select()
        .where((tables.Closure.office == office_id) | tables.Closure.office.is_null())
        .where(tables.Closure.ends_on >= today)
        .order_by(tables.Closure.starts_on, tables.Closure.id)
        .output(load_json=True)
    )
    return AdminOffice(
        id=office_id,
        **{name: row[name] for name in OfficeFields.__struct_fields__},
        desks=[
            AdminDesk(
                id=desk["id"],
                label=desk["label"],
                channel=desk["channel"],
                active=desk["active"],
                services=sorted(services[desk["id"]]),
            )
            for desk in desks
        ],
        hours=await hours(office_id),
        closures=[
            AdminClosure(
                id=closure["id"],
                starts_on=closure["starts_on"],
                ends_on=closure["ends_on"],
                reason=closure["reason"] or {},
                city_wide=closure["office"] is None,
            )
            for closure in closures
        ],
    )


async def hours(office_id: int) -> list[HoursPeriod]:
    """The office's weekly hours, Monday first, each day's periods in order."""
    rows = await (
        tables.OpeningHours.select()
        .where(tables.OpeningHours.office == office_id)
        .order_by(tables.OpeningHours.weekday, tables.OpeningHours.opens)
    )
    return [
        HoursPeriod(weekday=row["weekday"], opens=_hhmm(row["opens"]), closes=_hhmm(row["closes"]))
        for row in rows
    ]


async def lock_office(office_id: int) -> None:
    """Take the office's row lock until the transaction ends; raises OfficeNotFound.

    Changes that replace a set of rows (a week, a desk's services) or check bookings
    first take it, so two of them on one office run one after the other on PostgreSQL
    too (SQLite's IMMEDIATE transaction already does), instead of leaving a mix.
    """
    rows = await tables.Office.raw(
        "UPDATE catalogue_office SET id = id WHERE id = {} RETURNING id", office_id
    )
    if not rows:
        raise OfficeNotFound()


async def create_office(data: OfficeFields) -> int:
    """A new office; raises OfficeSlugTaken."""
    try:
        rows = await tables.Office.insert(tables.Office(**msgspec.structs.asdict(data))).returning(
            tables.Office.id
        )
    except UNIQUE:
        raise OfficeSlugTaken(field="slug") from None
    return int(rows[0]["id"])


async def update_office(office_id: int, data: OfficeFields) -> None:
    """Replace the office's fields; raises OfficeNotFound, OfficeSlugTaken."""
    values = {getattr(tables.Office, key): value for key, value in fields(data).items()}
    try:
        rows = (
            await tables.Office.update(values)
            .where(tables.Office.id == office_id)
            .returning(tables.Office.id)
        )
    except UNIQUE:
        raise OfficeSlugTaken(field="slug") from None
    if not rows:
        raise OfficeNotFound()


async def desk(office_id: int, desk_id: int) -> AdminDesk:
    """One desk of the office; a desk of another office is DeskNotFound."""
    row = await (
        tables.Desk.select()
        .where((tables.Desk.id == desk_id) & (tables.Desk.office == office_id))
        .first()
    )
    if row is None:
        raise DeskNotFound()
    offered = await tables.DeskService.select(tables.DeskService.service).where(
        tables.DeskService.desk == desk_id
    )
    return AdminDesk(
        id=desk_id,
        label=row["label"],
        channel=row["channel"],
        active=row["active"],
        services=sorted(pair["service"] for pair in offered),
    )


async def create_desk(office_id: int, data: DeskFields) -> int:
    """A new desk in the office; raises OfficeNotFound, DeskLabelTaken."""
    if not await tables.Office.exists().where(tables.Office.id == office_id):
        raise OfficeNotFound()
    try:
        rows = await tables.Desk.insert(
            tables.Desk(
                office=office_id, label=data.label, channel=data.channel, active=data.active
            )
        ).returning(tables.Desk.id)
    except UNIQUE:
        raise DeskLabelTaken(field="label") from None
    return int(rows[0]["id"])


async def update_desk(office_id: int, desk_id: int, data: DeskFields) -> None:
    """Relabel, move to another channel, or take in or out of service; DeskLabelTaken."""
    try:
        rows = (
            await tables.Desk.update(
                {
                    tables.Desk.label: data.label,
                    tables.Desk.channel: data.channel,
                    tables.Desk.active: data.active,
                }
            )
            .where((tables.Desk.id == desk_id) & (tables.Desk.office == office_id))
            .returning(tables.Desk.id)
        )
    except UNIQUE:
        raise DeskLabelTaken(field="label") from None
    if not rows:
        raise DeskNotFound()


async def set_desk_services(office_id: int, desk_id: int, service_ids: Sequence[int]) -> None:
    """The desk offers exactly these services from now on; unknown ids are ServiceNotFound."""
    await lock_office(office_id)
    await desk(office_id, desk_id)
    wanted = sorted(set(service_ids))
    found = await tables.Service.select(tables.Service.id).where(
        tables.Service.id.is_in(wanted or [0])
    )
    if len(found) != len(wanted):
        raise ServiceNotFound(field="services")
    await tables.DeskService.delete().where(tables.DeskService.desk == desk_id)
    if wanted:
        await tables.DeskService.insert(
            *[tables.DeskService(desk=desk_id, service=service) for service in wanted]
        )


async def replace_hours(office_id: int, periods: Sequence[HoursPeriod]) -> None:
    """The office's whole week at once: checked (InvalidPeriod, OverlappingPeriods), then
    the old rows replaced, so two leads saving at once leave one week, never a mix."""
    check_hours(periods)
    await lock_office(office_id)
    await tables.OpeningHours.delete().where(tables.OpeningHours.office == office_id)
    if periods:
        await tables.OpeningHours.insert(
            *[
                tables.OpeningHours(
                    office=office_id,
                    weekday=period.weekday,
                    opens=_time(period.opens),
                    closes=_time(period.closes),
                )
                for period in periods
            ]
        )


async def add_closure(office_id: int, data: ClosureFields, today: date) -> int:
    """Close the office on these days; raises the checks' errors and OfficeNotFound."""
    check_closure(data, today)
    if not await tables.Office.exists().where(tables.Office.id == office_id):
        raise OfficeNotFound()
    rows = await tables.Closure.insert(
        tables.Closure(
            office=office_id, starts_on=data.starts_on, ends_on=data.ends_on, reason=data.reason
        )
    ).returning(tables.Closure.id)
    return int(rows[0]["id"])


async def delete_closure(office_id: int, closure_id: int) -> None:
    """Open the office again on the closure's days (a city-wide closure is not the office's)."""
    rows = (
        await tables.Closure.delete()
        .where((tables.Closure.id == closure_id) & (tables.Closure.office == office_id))
        .returning(tables.Closure.id)
    )
    if not rows:
        raise ClosureNotFound()


def fields(data: msgspec.Struct) -> dict[str, Any]:
    """A struct's fields by name, as an UPDATE sets them."""
    return msgspec.structs.asdict(data)


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _time(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))
