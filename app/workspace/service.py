"""The clerk's work on a case: find it, read it, note, move, assign, ask for documents.

Every function takes the `Actor` (the signed-in staff member, their address, the clock)
and first opens the case for them: a case belongs to the office it names or, while it
names none (a booking opens its case without one), to the offices of its appointments.
Someone without a role in any of those offices gets CaseNotFound, exactly as for an id
that does not exist, so ids of other offices cannot be probed. Every read and write of
personal data appends to the audit log, in the same transaction as the write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from app.audit import service as audit
from app.booking import privacy as bookings
from app.cases import service as cases
from app.cases.schemas import EVENT_LABELS, Case, CaseEvent, CaseStatus, Channel, EventKind
from app.catalogue import service as catalogue
from app.core.clock import BERLIN, Clock
from app.core.database import write_transaction
from app.core.errors import InvalidInput, NotFound
from app.core.translation import Catalog, _
from app.settings import Settings
from app.staff import service as staff_service
from app.staff.schemas import Staff
from app.workspace import uploads
from app.workspace.schemas import (
    Appointment,
    CaseDetail,
    CasePage,
    CaseSummary,
    Document,
    TimelineEvent,
    Upload,
)
from app.workspace.tables import Assignment, DocumentRequest


class AssigneeNotInOffice(InvalidInput):
    code = "assignee_not_in_office"
    message = _("This person does not work in the office handling the case.")


class DocumentNotFound(NotFound):
    code = "document_not_found"
    message = _("This document request does not exist.")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, from where, at what time, with which settings."""

    staff: Staff
    ip: str | None
    clock: Clock
    settings: Settings

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC)

    @property
    def label(self) -> str:
        return f"clerk:{self.staff.id}"


@dataclass(frozen=True, slots=True)
class CaseFilter:
    status: CaseStatus | None = None
    service_id: int | None = None
    channel: Channel | None = None
    opened_from: date | None = None
    opened_to: date | None = None


async def open_for(actor: Actor, case_id: int) -> tuple[Case, int | None]:
    """The case and the office through which `actor` may see it; CaseNotFound otherwise."""
    case = await cases.get_case(case_id)
    for office_id in await offices_of(case):
        if actor.staff.may(office_id, ("clerk", "lead")):
            return case, office_id
    if actor.staff.is_admin:
        return case, None
    raise cases.CaseNotFound()


async def log(
    actor: Actor,
    action: str,
    *,
    office_id: int | None,
    case_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    await audit.record(
        actor.staff.id,
        action,
        office_id=office_id,
        case_id=case_id,
        now=actor.now(),
        detail=detail,
        ip=actor.ip,
    )


async def office_cases(
    actor: Actor, office_id: int, filters: CaseFilter, *, page: int, per_page: int, lang: str
) -> CasePage:
    """One page of an office's cases (the route's guard checked the office)."""
    found, total = await cases.list_cases(
        office_id=office_id,
        also_case_ids=await bookings.case_ids_at_office(office_id),
        status=filters.status,
        service_id=filters.service_id,
        channel=filters.channel,
        opened_from=_day_start(filters.opened_from),
        opened_before=_day_start(filters.opened_to, next_day=True),
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    assignees = await _assignees([case.id for case in found])
    items = [await _summary(case, assignees.get(case.id), lang) for case in found]
    await log(actor, "case.list", office_id=office_id, detail={"count": len(items)})
    return CasePage(items=items, total=total, page=page, per_page=per_page)


async def case_detail(actor: Actor, case_id: int, catalog: Catalog) -> CaseDetail:
    case, office_id = await open_for(actor, case_id)
    lang = catalog.language.code
    assignees = await _assignees([case_id])
    detail = CaseDetail(
        case=await _summary(case, assignees.get(case_id), lang),
        office_ids=await offices_of(case),
        language=case.language,
        closed_at=case.closed_at,
        timeline=[_event(event, catalog) for event in await cases.timeline(case_id)],
        appointments=[
            Appointment(
                id=item.id,
                office_id=item.office_id,
                channel=item.channel,
                state=item.state,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                email=item.email,
                code=item.code,
            )
            for item in await bookings.appointments_of_case(case_id)
        ],
        documents=await documents(case_id),
        uploads=await uploads.of_case(case_id),
    )
    await log(actor, "case.read", office_id=office_id, case_id=case_id)
    return detail


async def add_note(actor: Actor, case_id: int, text: str, catalog: Catalog) -> TimelineEvent:
    """A note on the timeline for colleagues; the citizen never sees it."""
    _case, office_id = await open_for(actor, case_id)
    async with write_transaction(cases.engine()):
        event = await cases.append_event(
            case_id,
            EventKind.NOTE_ADDED,
            channel=Channel.CLERK,
            clock=actor.clock,
            actor=actor.label,
            data={"text": text.strip()},
        )
        await log(actor, "case.note", office_id=office_id, case_id=case_id)
    return _event(event, catalog)


async def change_status(actor: Actor, case_id: int, status: CaseStatus, lang: str) -> CaseSummary:
    _case, office_id = await open_for(actor, case_id)
    async with write_transaction(cases.engine()):
        case = await cases.change_status(
            case_id, status, channel=Channel.CLERK, clock=actor.clock, actor=actor.label
        )
        await log(
            actor, "case.status", office_id=office_id, case_id=case_id, detail={"status": status}
        )
    return await _summary(case, (await _assignees([case_id])).get(case_id), lang)


async def assign(actor: Actor, case_id: int, staff_id: int | None, lang: str) -> CaseSummary:
    """Give the case to a colleague of the handling office (or back to the pool)."""
    case, office_id = await open_for(actor, case_id)
    if staff_id is not None:
        offices = [office_id] if office_id else await offices_of(case)
        colleagues = {c.staff_id for o in offices for c in await staff_service.colleagues(o)}
        if staff_id not in colleagues:
            raise AssigneeNotInOffice(field="staff_id")
    now = actor.now()
    async with write_transaction(cases.engine()):
        await Assignment.delete().where(Assignment.case_id == case_id)
        if staff_id is not None:
            await Assignment.insert(
                Assignment(
                    case_id=case_id, staff_id=staff_id, assigned_by=actor.staff.id, assigned_at=now
                )
            )
        await cases.append_event(
            case_id,
            EventKind.ASSIGNED,
            channel=Channel.CLERK,
            clock=actor.clock,
            actor=actor.label,
            data={"staff_id": staff_id},
        )
        await log(actor, "case.assign", office_id=office_id, case_id=case_id)
    return await _summary(case, staff_id, lang)


async def offices_of(case: Case) -> list[int]:
    """The office a case names or, while it names none, those of its appointments."""
    return [case.office_id] if case.office_id else await bookings.offices_of_case(case.id)


async def request_document(actor: Actor, case_id: int, label: str) -> Document:
    """Ask the citizen for a document; their case page lists it as still needed."""
    _case, office_id = await open_for(actor, case_id)
    now = actor.now()
    async with write_transaction(cases.engine()):
        rows = await DocumentRequest.insert(
            DocumentRequest(
                case_id=case_id,
                label=label.strip(),
                state="requested",
                requested_by=actor.staff.id,
                requested_at=now,
            )
        ).returning(*DocumentRequest.all_columns())
        await cases.append_event(
            case_id,
            EventKind.DOCUMENT_REQUESTED,
            channel=Channel.CLERK,
            clock=actor.clock,
            actor=actor.label,
            data={"document_id": rows[0]["id"]},
            citizen_visible=True,
        )
        await log(actor, "case.document_request", office_id=office_id, case_id=case_id)
    return _document(rows[0])


async def mark_received(actor: Actor, case_id: int, document_id: int) -> Document:
    """Mark a requested document as received (once; a second time changes nothing)."""
    _case, office_id = await open_for(actor, case_id)
    now = actor.now()
    async with write_transaction(cases.engine()):
        rows = await (
            DocumentRequest.update(
                {DocumentRequest.state: "received", DocumentRequest.received_at: now}
            )
            .where(
                (DocumentRequest.id == document_id)
                & (DocumentRequest.case_id == case_id)
                & (DocumentRequest.state == "requested")
            )
            .returning(*DocumentRequest.all_columns())
        )
        if rows:
            await cases.append_event(
                case_id,
                EventKind.DOCUMENT_RECEIVED,
                channel=Channel.CLERK,
                clock=actor.clock,
                actor=actor.label,
                data={"document_id": document_id},
                citizen_visible=True,
            )
            await log(actor, "case.document_received", office_id=office_id, case_id=case_id)
    if rows:
        return _document(rows[0])
    row = await (
        DocumentRequest.select()
        .where((DocumentRequest.id == document_id) & (DocumentRequest.case_id == case_id))
        .first()
    )
    if row is None:
        raise DocumentNotFound()
    return _document(row)


async def documents(case_id: int) -> list[Document]:
    rows = await (
        DocumentRequest.select()
        .where(DocumentRequest.case_id == case_id)
        .order_by(DocumentRequest.id)
    )
    return [_document(row) for row in rows]


async def _assignees(case_ids: list[int]) -> dict[int, int]:
    if not case_ids:
        return {}
    rows = await Assignment.select(Assignment.case_id, Assignment.staff_id).where(
        Assignment.case_id.is_in(case_ids)
    )
    return {int(row["case_id"]): int(row["staff_id"]) for row in rows}


async def _summary(case: Case, assignee: int | None, lang: str) -> CaseSummary:
    offered = await catalogue.get_service_by_id(case.service_id, lang)
    return CaseSummary(
        id=case.id,
        reference=case.reference,
        service_id=case.service_id,
        service_name=offered.name,
        status=case.status,
        opened_via=case.opened_via,
        opened_at=case.opened_at,
        updated_at=case.updated_at,
        assignee_id=assignee,
    )


def _event(event: CaseEvent, catalog: Catalog) -> TimelineEvent:
    return TimelineEvent(
        id=event.id,
        at=event.at,
        kind=event.kind,
        label=catalog.gettext(EVENT_LABELS[event.kind]),
        channel=event.channel,
        actor=event.actor,
        citizen_visible=event.citizen_visible,
        data=event.data,
    )


def _document(row: Mapping[str, Any]) -> Document:
    return Document(
        id=int(row["id"]),
        label=row["label"],
        state=row["state"],
        requested_at=row["requested_at"],
        received_at=row["received_at"],
    )


def _day_start(day: date | None, *, next_day: bool = False) -> datetime | None:
    """A Berlin calendar day's first instant, in UTC (the filter's days are Berlin days)."""
    if day is None:
        return None
    moment = datetime.combine(day, time(0), tzinfo=BERLIN)
    if next_day:
        moment = datetime.combine(date.fromordinal(day.toordinal() + 1), time(0), tzinfo=BERLIN)
    return moment.astimezone(UTC)


async def upload(actor: Actor, case_id: int, data: bytes, filename: str | None) -> Upload:
    """Attach a file to a case: checked first, so a bad one changes nothing."""
    _case, office_id = await open_for(actor, case_id)
    uploads.check(data)
    async with write_transaction(cases.engine()):
        stored = await uploads.store(
            case_id,
            data,
            filename=filename,
            staff_id=actor.staff.id,
            settings=actor.settings,
            now=actor.now(),
        )
        await cases.append_event(
            case_id,
            EventKind.FILE_UPLOADED,
            channel=Channel.CLERK,
            clock=actor.clock,
            actor=actor.label,
            data={"upload_id": stored.id, "media_type": stored.media_type},
        )
        await log(
            actor, "case.upload", office_id=office_id, case_id=case_id, detail={"id": stored.id}
        )
    return stored


async def download(actor: Actor, case_id: int, upload_id: int) -> tuple[Upload, bytes]:
    _case, office_id = await open_for(actor, case_id)
    found = await uploads.fetch(case_id, upload_id, settings=actor.settings)
    await log(
        actor, "case.download", office_id=office_id, case_id=case_id, detail={"id": upload_id}
    )
    return found
