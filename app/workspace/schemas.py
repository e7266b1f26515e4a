"""What the workspace hands out and accepts: case lists and details, notes, status
changes, assignments, document requests, uploads; the citizen's overview and export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from app.cases.schemas import CaseStatus, Channel, CitizenCase, EventKind

DocumentState = Literal["requested", "received"]


class CaseSummary(msgspec.Struct, frozen=True, kw_only=True):
    """One line of an office's case list."""

    id: int
    reference: str
    service_id: int
    service_name: str
    status: CaseStatus
    opened_via: Channel
    opened_at: datetime
    updated_at: datetime
    assignee_id: int | None


class CasePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[CaseSummary]
    total: int
    page: int
    per_page: int


class TimelineEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event of the whole timeline, as a clerk reads it."""

    id: int
    at: datetime
    kind: EventKind
    label: str
    channel: Channel
    actor: str | None
    citizen_visible: bool
    data: dict[str, Any]


class Document(msgspec.Struct, frozen=True, kw_only=True):
    """A document requested from the citizen."""

    id: int
    label: str
    state: DocumentState
    requested_at: datetime
    received_at: datetime | None


class Upload(msgspec.Struct, frozen=True, kw_only=True):
    """A file of a case (its bytes only through the download route)."""

    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: int
    uploaded_at: datetime


class Appointment(msgspec.Struct, frozen=True, kw_only=True):
    """An appointment of the case, with the citizen's contact."""

    id: int
    office_id: int
    channel: str
    state: str
    starts_at: datetime
    ends_at: datetime
    email: str | None
    code: str


class CaseDetail(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a clerk sees of one case."""

    case: CaseSummary
    office_ids: list[int]
    language: str
    closed_at: datetime | None
    timeline: list[TimelineEvent]
    appointments: list[Appointment]
    documents: list[Document]
    uploads: list[Upload]


class NoteCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class StatusChange(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    status: CaseStatus


class AssignmentUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Whom to give the case to; null takes it back to the office's pool."""

    staff_id: int | None


class DocumentRequestCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class NextAppointment(msgspec.Struct, frozen=True, kw_only=True):
    starts_at: datetime
    ends_at: datetime
    channel: str
    office_name: str
    code: str


class CitizenOverview(msgspec.Struct, frozen=True, kw_only=True):
    """The case page of its citizen: status, next appointment, what to bring, what is
    still needed, the citizen-visible timeline."""

    case: CitizenCase
    next_appointment: NextAppointment | None
    to_bring: list[str]
    still_needed: list[str]


class ExportedEvent(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    kind: str
    channel: str
    data: dict[str, Any]


class ExportedAppointment(msgspec.Struct, frozen=True, kw_only=True):
    office_id: int
    service_id: int
    channel: str
    state: str
    starts_at: datetime
    ends_at: datetime
    language: str
    email: str | None
    code: str
    created_at: datetime


class ExportedFile(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ExportedMail(msgspec.Struct, frozen=True, kw_only=True):
    recipient: str
    language: str
    subject: str
    text: str
    state: str
    created_at: datetime
    sent_at: datetime | None


class DataExport(msgspec.Struct, frozen=True, kw_only=True):
    """Everything we hold about one case (GDPR Art. 15), without other people's data:
    the staff who worked on it are not named."""

    exported_at: datetime
    reference: str
    service: str
    status: str
    language: str
    opened_via: str
    opened_at: datetime
    closed_at: datetime | None
    timeline: list[ExportedEvent]
    appointments: list[ExportedAppointment]
    documents: list[Document]
    files: list[ExportedFile]
    mails: list[ExportedMail]


class Erasure(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of a deletion request: what was erased."""

    reference: str
    erased: list[str]
