"""A booking read back with its service, office and case reference, and shown to its holder."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.booking import links
from app.booking.availability import summary
from app.booking.errors import UnknownOffice
from app.booking.lookups import Lookups
from app.booking.schemas import TIME_ZONE, Appointment, Channel, Links, ServiceSummary
from app.booking.tables import Appointment as AppointmentRow
from app.cases import service as cases
from app.catalogue import capacity as catalogue_capacity
from app.catalogue import service as catalogue
from app.catalogue.capacity import OfficeRef
from app.catalogue.schemas import Service
from app.core.clock import BERLIN
from app.settings import Settings

Row = Mapping[str, Any]
COLUMNS = AppointmentRow.all_columns()


@dataclass(frozen=True, slots=True)
class Booking:
    """One appointment row with what it refers to, in one language."""

    id: int
    code: str
    state: str
    channel: Channel
    starts_at: datetime
    ends_at: datetime
    hold_expires_at: datetime | None
    language: str
    email: str | None
    contact_key: str | None
    case_id: int | None
    desk: int
    revision: int
    service: Service
    office: OfficeRef
    reference: str | None
    service_language: str


def booking(
    row: Row, service: Service, office: OfficeRef, reference: str | None, lang: str | None = None
) -> Booking:
    """The row with its references; `lang` is the language `service` was read in."""
    return Booking(
        id=int(row["id"]),
        code=row["code"],
        state=row["state"],
        channel=row["channel"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        hold_expires_at=row["hold_expires_at"],
        language=row["language"],
        email=row["email"],
        contact_key=row["contact_key"],
        case_id=row["case_id"],
        desk=int(row["desk"]),
        revision=int(row["revision"]),
        service=service,
        office=office,
        reference=reference,
        service_language=lang or row["language"],
    )


async def load(row: Row, lang: str | None = None, lookups: Lookups | None = None) -> Booking:
    """Read what the row refers to, in `lang` (else the booking's own language); with
    `lookups`, the service and office may come from its short-lived copies."""
    language = lang or row["language"]

    async def service_of() -> Service:
        return await catalogue.get_service_by_id(row["service"], language)

    async def office_of() -> dict[int, OfficeRef]:
        return await catalogue_capacity.offices_by_id([row["office"]])

    if lookups is None:
        service, offices = await service_of(), await office_of()
    else:
        service = await lookups.get(("service-id", row["service"], language), service_of)
        offices = await lookups.get(("office-id", row["office"]), office_of)
    if row["office"] not in offices:
        raise UnknownOffice()
    case_id = row["case_id"]
    reference = None
    if case_id is not None:
        reference = await (
            lookups.get(reference_key(case_id), reference_of(case_id))
            if lookups
            else reference_of(case_id)()
        )
    return booking(row, service, offices[row["office"]], reference, lang)


def reference_key(case_id: int) -> tuple[str, int]:
    return ("case-reference", case_id)


def reference_of(case_id: int) -> Callable[[], Awaitable[str]]:
    async def load() -> str:
        return (await cases.get_case(case_id)).reference

    return load


def view(item: Booking, settings: Settings, token: str | None, lang: str) -> Appointment:
    """The booking as its holder sees it; links only when the answer carries the token."""
    start, end = item.starts_at.astimezone(BERLIN), item.ends_at.astimezone(BERLIN)
    confirm_by: Any = None
    if item.state == "held":
        confirm_by = "email" if item.email else "app"
    elif item.state == "offered":
        confirm_by = "email"
    return Appointment(
        code=item.code,
        reference=item.reference,
        state=item.state,  # type: ignore[arg-type]  # the column holds AppointmentState
        channel=item.channel,
        service=service_summary(item.service),
        office=summary(item.office),
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        time_zone=TIME_ZONE,
        local_date=start.date(),
        local_start=start.strftime("%H:%M"),
        local_end=end.strftime("%H:%M"),
        hold_expires_at=item.hold_expires_at,
        confirm_by=confirm_by,
        language=item.language,
        links=None
        if token is None
        else Links(
            manage_url=links.manage_url(settings, lang, token),
            cancel_url=links.cancel_url(settings, lang, token),
            ics_url=links.ics_url(settings, token),
            qr_url=links.qr_url(settings, token),
        ),
    )


async def view_in(item: Booking, settings: Settings, token: str | None, lang: str) -> Appointment:
    """The view in `lang`: with the booking's own service text, or read again in `lang`."""
    if lang != item.service_language:
        item = replace(
            item,
            service=await catalogue.get_service_by_id(item.service.id, lang),
            service_language=lang,
        )
    return view(item, settings, token, lang)


def service_summary(service: Service) -> ServiceSummary:
    return ServiceSummary(
        slug=service.slug,
        name=service.name,
        duration_minutes=service.duration_minutes,
        fee=service.fee,
        documents=service.documents,
    )
