"""Reading the catalogue in the reader's language: services, offices, hours and closures.

Per-language text is stored as `{"de": …, "en": …}`; a language that is missing falls
back to German, which is always present. "Today" is the Berlin date: callers that hold
the app's clock pass it in, so tests and the queue agree on what day it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_currency

from app.catalogue import tables
from app.catalogue.schemas import (
    Closure,
    Office,
    OfficeDetail,
    OpeningDay,
    Period,
    Service,
    ServiceChannels,
)
from app.core.clock import BERLIN, Clock
from app.core.errors import NotFound
from app.core.translation import _
from app.settings import LANGUAGES

FALLBACK = "de"
# Lower-case words joined by single hyphens: what our slugs look like, and all a
# URL may carry here. Anything else is "not found" without asking the database.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 64

Row = dict[str, Any]


class ServiceNotFound(NotFound):
    """No service on offer under that slug or id."""

    code = "service_not_found"
    message = _("This service does not exist.")


class OfficeNotFound(NotFound):
    """No office under that slug or id."""

    code = "office_not_found"
    message = _("This office does not exist.")


async def list_services(lang: str) -> list[Service]:
    """Every service on offer, in display order."""
    rows = await (
        tables.Service.select()
        .where(tables.Service.active == True)  # noqa: E712 — Piccolo builds SQL from ==
        .order_by(tables.Service.position, tables.Service.id)
        .output(load_json=True)
    )
    return [_service(row, _language(lang)) for row in rows]


async def get_service(slug: str, lang: str) -> Service:
    """The service on offer under `slug`; raises ServiceNotFound."""
    if not _is_slug(slug):
        raise ServiceNotFound()
    row = await (
        tables.Service.select()
        .where((tables.Service.slug == slug) & (tables.Service.active == True))  # noqa: E712
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise ServiceNotFound()
    return _service(row, _language(lang))


async def get_service_by_id(service_id: int, lang: str) -> Service:
    """A service by id, also one no longer on offer (cases keep pointing at it)."""
    row = await (
        tables.Service.select()
        .where(tables.Service.id == service_id)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise ServiceNotFound()
    return _service(row, _language(lang))


async def list_offices(
    lang: str, *, kind: str | None = None, today: date | None = None
) -> list[Office]:
    """Every office (or every office of one kind), district offices first, by name."""
    query = tables.Office.select().order_by(tables.Office.kind, tables.Office.name)
    if kind is not None:
        query = query.where(tables.Office.kind == kind)
    rows = await query.output(load_json=True)
    return await _offices(rows, _language(lang), today or berlin_today())


async def offices_offering(
    service_id: int, lang: str, *, today: date | None = None
) -> list[Office]:
    """The offices where at least one active desk offers the service."""
    pairs = await (
        tables.DeskService.select(tables.DeskService.desk.office.as_alias("office"))
        .where(tables.DeskService.service == service_id)
        .where(tables.DeskService.desk.active == True)  # noqa: E712
        .distinct()
    )
    ids = [pair["office"] for pair in pairs]
    if not ids:
        return []
    rows = await (
        tables.Office.select()
        .where(tables.Office.id.is_in(ids))
        .order_by(tables.Office.kind, tables.Office.name)
        .output(load_json=True)
    )
    return await _offices(rows, _language(lang), today or berlin_today())


async def get_office(slug: str, lang: str, *, today: date | None = None) -> OfficeDetail:
    """An office with its desks, weekly hours, coming closures and services; raises
    OfficeNotFound."""
    if not _is_slug(slug):
        raise OfficeNotFound()
    row = await (
        tables.Office.select().where(tables.Office.slug == slug).first().output(load_json=True)
    )
    if row is None:
        raise OfficeNotFound()
    return await _office_detail(row, _language(lang), today or berlin_today())


async def get_office_by_id(office_id: int, lang: str, *, today: date | None = None) -> OfficeDetail:
    """An office by id, as `get_office`; raises OfficeNotFound."""
    row = await (
        tables.Office.select().where(tables.Office.id == office_id).first().output(load_json=True)
    )
    if row is None:
        raise OfficeNotFound()
    return await _office_detail(row, _language(lang), today or berlin_today())


def berlin_today(clock: Clock | None = None) -> date:
    """The calendar date in Berlin now: the date opening hours and closures refer to."""
    return (clock or Clock()).now().astimezone(BERLIN).date()


def format_fee(fee_cents: int, lang: str) -> str:
    """A fee as the reader writes money, e.g. "46,00 €" in German, "€46.00" in English."""
    amount = Decimal(fee_cents) / 100
    return str(format_currency(amount, "EUR", locale=_language(lang)))


def localized(texts: Mapping[str, Any] | None, lang: str) -> Any:
    """The reader's version of a per-language value, else the German one, else None."""
    if not texts:
        return None
    return texts.get(lang) or texts.get(FALLBACK)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else FALLBACK


def _is_slug(slug: str) -> bool:
    return len(slug) <= SLUG_MAX and SLUG.fullmatch(slug) is not None


def _service(row: Row, lang: str) -> Service:
    reason = localized(row["in_person_reason"], lang)
    return Service(
        id=row["id"],
        slug=row["slug"],
        leika=row["leika"],
        ticket_letter=row["ticket_letter"],
        name=localized(row["name"], lang) or row["slug"],
        description=localized(row["description"], lang) or "",
        duration_minutes=row["duration_minutes"],
        fee_cents=row["fee_cents"],
        fee=format_fee(row["fee_cents"], lang),
        documents=list(localized(row["documents"], lang) or []),
        channels=ServiceChannels(
            in_person=row["allows_in_person"],
            video=row["allows_video"],
            online_url=row["online_url"],
            online_note=localized(row["online_note"], lang) if row["online_url"] else None,
        ),
        in_person_reason=reason if row["allows_in_person"] else None,
    )


def _office_fields(row: Row, lang: str, hours_today: list[Period]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "kind": row["kind"],
        "name": row["name"],
        "street": row["street"],
        "postcode": row["postcode"],
        "city": row["city"],
        "phone": row["phone"],
        "email": row["email"],
        "languages": list(row["languages"] or []),
        "accessibility": localized(row["accessibility"], lang) or "",
        "hours_today": hours_today,
    }


async def _offices(rows: list[Row], lang: str, today: date) -> list[Office]:
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    hours = await (
        tables.OpeningHours.select()
        .where(tables.OpeningHours.office.is_in(ids))
        .where(tables.OpeningHours.weekday == today.weekday())
        .order_by(tables.OpeningHours.opens)
    )
    closed = await _closed_offices(ids, today)
    periods: dict[int, list[Period]] = defaultdict(list)
    for hour in hours:
        if hour["office"] not in closed:
            periods[hour["office"]].append(Period(hour["opens"], hour["closes"]))
    return [Office(**_office_fields(row, lang, periods[row["id"]])) for row in rows]


async def _closed_offices(ids: Iterable[int], today: date) -> set[int]:
    """Which of the offices are closed all day `today`; an office-less closure hits all."""
    wanted = set(ids)
    closures = await (
        tables.Closure.select(tables.Closure.office)
        .where(tables.Closure.starts_on <= today)
        .where(tables.Closure.ends_on >= today)
    )
    if any(closure["office"] is None for closure in closures):
        return wanted
    return wanted & {closure["office"] for closure in closures}


async def _office_detail(row: Row, lang: str, today: date) -> OfficeDetail:
    office_id: int = row["id"]
    desks = await tables.Desk.select(tables.Desk.channel).where(
        (tables.Desk.office == office_id) & (tables.Desk.active == True)  # noqa: E712
    )
    hours = await (
        tables.OpeningHours.select()
        .where(tables.OpeningHours.office == office_id)
        .order_by(tables.OpeningHours.weekday, tables.OpeningHours.opens)
    )
    closures = await (
        tables.Closure.select()
        .where((tables.Closure.office == office_id) | (tables.Closure.office.is_null()))
        .where(tables.Closure.ends_on >= today)
        .order_by(tables.Closure.starts_on)
        .output(load_json=True)
    )
    offered = await (
        tables.DeskService.select(tables.DeskService.service.slug.as_alias("slug"))
        .where(tables.DeskService.desk.office == office_id)
        .where(tables.DeskService.desk.active == True)  # noqa: E712
        .where(tables.DeskService.service.active == True)  # noqa: E712
        .order_by(tables.DeskService.service.position, tables.DeskService.service.id)
    )
    closed_today = any(c["starts_on"] <= today for c in closures)
    week = _opening_days(hours, lang)
    hours_today = [] if closed_today else _periods_on(week, today.weekday())
    return OfficeDetail(
        **_office_fields(row, lang, hours_today),
        desks=len(desks),
        video_desks=sum(1 for desk in desks if desk["channel"] == "video"),
        opening_hours=week,
        closures=[
            Closure(c["starts_on"], c["ends_on"], localized(c["reason"], lang) or "")
            for c in closures
        ],
        services=list(dict.fromkeys(pair["slug"] for pair in offered)),
    )


def _opening_days(hours: list[Row], lang: str) -> list[OpeningDay]:
    """Weekly hours grouped by weekday, Monday first; days without hours are left out."""
    names = Locale.parse(lang).days["format"]["wide"]
    days: dict[int, list[Period]] = defaultdict(list)
    for hour in hours:
        days[hour["weekday"]].append(Period(hour["opens"], hour["closes"]))
    return [OpeningDay(day, str(names[day]), periods) for day, periods in sorted(days.items())]


def _periods_on(week: list[OpeningDay], weekday: int) -> list[Period]:
    return next((day.periods for day in week if day.weekday == weekday), [])
