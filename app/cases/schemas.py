"""What a case looks like to other domains and over HTTP, and the words used for it.

The enums live here rather than in `tables.py` so that every layer, and every other
domain, can name a status, channel or event kind without touching the tables.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec

from app.core.translation import _


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CITIZEN = "waiting_for_citizen"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """Where something happened: the citizen's phone, a kiosk, a clerk's desk, a call."""

    PWA = "pwa"
    KIOSK = "kiosk"
    CLERK = "clerk"
    VIDEO = "video"
    SYSTEM = "system"


class EventKind(StrEnum):
    CREATED = "created"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_MOVED = "appointment_moved"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_CONFIRMED = "appointment_confirmed"
    APPOINTMENT_EXPIRED = "appointment_expired"
    TICKET_DRAWN = "ticket_drawn"
    CHECKED_IN = "checked_in"
    TICKET_CALLED = "ticket_called"
    TICKET_RECALLED = "ticket_recalled"
    TICKET_MISSED = "ticket_missed"
    TICKET_PARKED = "ticket_parked"
    TICKET_TRANSFERRED = "ticket_transferred"
    TICKET_FINISHED = "ticket_finished"
    VIDEO_CALL_HELD = "video_call_held"
    DOCUMENT_CAPTURED = "document_captured"
    SIGNATURE_GIVEN = "signature_given"
    FEE_PAID = "fee_paid"
    # One kind per status a case can move into; the status itself is in the event's data.
    PROCESSING = "processing"
    WAITING_FOR_CITIZEN = "waiting_for_citizen"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    # Written from the clerk workspace; notes are never shown to the citizen.
    NOTE_ADDED = "note_added"
    ASSIGNED = "assigned"
    DOCUMENT_REQUESTED = "document_requested"
    DOCUMENT_RECEIVED = "document_received"
    FILE_UPLOADED = "file_uploaded"
    # The citizen asked for their data to be deleted (GDPR Art. 17) and it was.
    ERASED = "erased"


FINAL_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.CANCELLED})

# The statuses a case may come from to reach each status; `open` is only ever the start.
ALLOWED_PREDECESSORS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.OPEN, CaseStatus.WAITING_FOR_CITIZEN}),
    CaseStatus.WAITING_FOR_CITIZEN: frozenset({CaseStatus.IN_PROGRESS}),
    CaseStatus.COMPLETED: frozenset({CaseStatus.IN_PROGRESS}),
    CaseStatus.CANCELLED: frozenset(
        {CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.WAITING_FOR_CITIZEN}
    ),
}

STATUS_EVENTS: dict[CaseStatus, EventKind] = {
    CaseStatus.IN_PROGRESS: EventKind.PROCESSING,
    CaseStatus.WAITING_FOR_CITIZEN: EventKind.WAITING_FOR_CITIZEN,
    CaseStatus.COMPLETED: EventKind.COMPLETED,
    CaseStatus.CANCELLED: EventKind.CANCELLED,
}

STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.OPEN: _("Open"),
    CaseStatus.IN_PROGRESS: _("In progress"),
    CaseStatus.WAITING_FOR_CITIZEN: _("Waiting for you"),
    CaseStatus.COMPLETED: _("Completed"),
    CaseStatus.CANCELLED: _("Cancelled"),
}

EVENT_LABELS: dict[EventKind, str] = {
    EventKind.CREATED: _("Case opened"),
    EventKind.APPOINTMENT_BOOKED: _("Appointment booked"),
    EventKind.APPOINTMENT_MOVED: _("Appointment moved"),
    EventKind.APPOINTMENT_CANCELLED: _("Appointment cancelled"),
    EventKind.APPOINTMENT_CONFIRMED: _("Appointment confirmed"),
    EventKind.APPOINTMENT_EXPIRED: _("Appointment not confirmed in time"),
    EventKind.TICKET_DRAWN: _("Ticket drawn"),
    EventKind.CHECKED_IN: _("Checked in at the kiosk"),
    EventKind.TICKET_CALLED: _("Called to a desk"),
    EventKind.TICKET_RECALLED: _("Called again"),
    EventKind.TICKET_MISSED: _("Did not come when called"),
    EventKind.TICKET_PARKED: _("Ticket set aside for later"),
    EventKind.TICKET_TRANSFERRED: _("Ticket passed on"),
    EventKind.TICKET_FINISHED: _("Served at the desk"),
    EventKind.VIDEO_CALL_HELD: _("Video call held"),
    EventKind.DOCUMENT_CAPTURED: _("Document captured"),
    EventKind.SIGNATURE_GIVEN: _("Signature given"),
    EventKind.FEE_PAID: _("Fee paid"),
    EventKind.PROCESSING: _("Your case is being processed"),
    EventKind.WAITING_FOR_CITIZEN: _("We are waiting for something from you"),
    EventKind.COMPLETED: _("Case completed"),
    EventKind.CANCELLED: _("Case cancelled"),
    EventKind.NOTE_ADDED: _("Note added"),
    EventKind.ASSIGNED: _("Case assigned"),
    EventKind.DOCUMENT_REQUESTED: _("Document requested"),
    EventKind.DOCUMENT_RECEIVED: _("Document received"),
    EventKind.FILE_UPLOADED: _("File uploaded"),
    EventKind.ERASED: _("Personal data deleted on request"),
}


class Case(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    reference: str
    service_id: int
    office_id: int | None
    status: CaseStatus
    language: str
    opened_via: Channel
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class CaseEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    case_id: int
    at: datetime
    kind: EventKind
    channel: Channel
    actor: str | None
    data: dict[str, Any]
    citizen_visible: bool


ServiceRef = (
    Annotated[int, msgspec.Meta(ge=1)]
    | Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
)


class CaseCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A citizen opens a case from the PWA for a service, named by slug or id."""

    service: ServiceRef
    language: Annotated[str, msgspec.Meta(min_length=2, max_length=8)] | None = None


class CaseOpened(msgspec.Struct, frozen=True, kw_only=True):
    """What the citizen keeps: the reference to quote and the link that opens the case."""

    reference: str
    token: str
    url: str


class TimelineEntry(msgspec.Struct, frozen=True, kw_only=True):
    kind: EventKind
    label: str
    channel: Channel
    at: datetime


class CitizenCase(msgspec.Struct, frozen=True, kw_only=True):
    """A case as its citizen sees it: no staff notes, no internal events."""

    reference: str
    service_id: int
    service_name: str
    status: CaseStatus
    status_label: str
    language: str
    opened_at: datetime
    timeline: list[TimelineEntry]
