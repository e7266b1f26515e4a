"""The demo city: a Heidelberg-like set of offices and services for a fresh install.

`python -m app seed` calls `load` on first start. Everything is written in one write
transaction, so a crash leaves nothing half-written, and a second call adds nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from app.catalogue import demo_certificates, demo_ids, demo_offices, demo_registration, tables
from app.catalogue.service import berlin_today
from app.core.database import write_transaction
from app.settings import LANGUAGES, Settings

SERVICES: list[dict[str, Any]] = [
    *demo_ids.SERVICES,
    *demo_registration.SERVICES,
    *demo_certificates.SERVICES,
]


async def load(settings: Settings, *, today: date | None = None) -> bool:
    """Load the demo city unless an office exists; True if this call loaded it.

    Two processes starting at once are serialized: on SQLite by the IMMEDIATE write
    transaction, on PostgreSQL by an exclusive lock on the office table (readers still
    read), so the second one finds the first one's offices and writes nothing.
    """
    engine = tables.Office._meta.db
    async with write_transaction(engine):
        if isinstance(engine, PostgresEngine):
            await tables.Office.raw("LOCK TABLE catalogue_office IN EXCLUSIVE MODE")
        if await tables.Office.exists():
            return False
        await _write_city(settings.city_name, today or berlin_today())
    return True


async def _write_city(city: str, today: date) -> None:
    services = [await _save_service(position, data) for position, data in enumerate(SERVICES)]
    in_person = [s for s in services if s.allows_in_person]
    video = [s for s in services if s.allows_video]
    offices: dict[str, tables.Office] = {}
    for number, data in enumerate(demo_offices.OFFICES, start=1):
        office = await _save_office(data, "district", city, number)
        offices[office.slug] = office
        await _save_desks(office, data["desks"], "Schalter", "in_person", in_person)
    virtual = await _save_office(demo_offices.VIRTUAL_OFFICE, "virtual", city, len(offices) + 1)
    await _save_desks(virtual, demo_offices.VIRTUAL_OFFICE["desks"], "Videoplatz", "video", video)
    await tables.Closure.insert(*_closures(offices, today))


async def _save_service(position: int, data: dict[str, Any]) -> tables.Service:
    service = tables.Service(
        slug=data["slug"],
        leika=data["leika"],
        ticket_letter=data["ticket_letter"],
        position=position,
        name=data["name"],
        description=data["description"],
        documents=_documents(data["documents"]),
        duration_minutes=data["duration_minutes"],
        fee_cents=data["fee_cents"],
        allows_in_person=data["allows_in_person"],
        allows_video=data["allows_video"],
        in_person_reason=data["in_person_reason"],
        online_url=data.get("online_url"),
        online_note=data.get("online_note"),
    )
    await service.save()
    return service


def _documents(documents: list[dict[str, str]]) -> dict[str, list[str]]:
    """A list of per-language phrases, turned into a per-language list of phrases."""
    return {lang: [document[lang] for document in documents] for lang in LANGUAGES}


async def _save_office(data: dict[str, Any], kind: str, city: str, number: int) -> tables.Office:
    office = tables.Office(
        slug=data["slug"],
        kind=kind,
        name=data["name"],
        street=data["street"],
        postcode=data["postcode"],
        city=city,
        phone=f"+49 6221 0000-{100 + number}",
        email=f"{data['slug']}@buergeramt-demo.example",
        languages=data["languages"],
        accessibility=data["accessibility"],
    )
    await office.save()
    await tables.OpeningHours.insert(
        *(
            tables.OpeningHours(
                office=office.id, weekday=day, opens=_time(opens), closes=_time(closes)
            )
            for day, opens, closes in data["hours"]
        )
    )
    return office


async def _save_desks(
    office: tables.Office,
    count: int,
    label: str,
    channel: str,
    services: list[tables.Service],
) -> None:
    for number in range(1, count + 1):
        desk = tables.Desk(office=office.id, label=f"{label} {number}", channel=channel)
        await desk.save()
        express = count >= demo_offices.EXPRESS_FROM_DESKS and number == count
        offered = [
            s
            for s in services
            if not express or s.duration_minutes <= demo_offices.EXPRESS_MAX_MINUTES
        ]
        if offered:
            await tables.DeskService.insert(
                *(tables.DeskService(desk=desk.id, service=s.id) for s in offered)
            )


def _closures(offices: dict[str, tables.Office], today: date) -> list[tables.Closure]:
    """A few closures ahead of `today`, so the demo always shows some to come."""
    next_monday = today + timedelta(days=7 - today.weekday())
    return [
        _closure(None, _next(today, 12, 24), 0, demo_offices.CHRISTMAS_EVE),
        _closure(None, _next(today, 12, 31), 0, demo_offices.NEW_YEARS_EVE),
        _closure(
            offices["handschuhsheim"], next_monday + timedelta(weeks=1), 4, demo_offices.RENOVATION
        ),
        _closure(offices["kirchheim"], next_monday + timedelta(days=2), 0, demo_offices.TRAINING),
    ]


def _closure(
    office: tables.Office | None, starts_on: date, extra_days: int, reason: dict[str, str]
) -> tables.Closure:
    return tables.Closure(
        office=office.id if office else None,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=extra_days),
        reason=reason,
    )


def _next(today: date, month: int, day: int) -> date:
    """The next `day`.`month`. on or after today."""
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _time(text: str) -> time:
    return time.fromisoformat(text)
