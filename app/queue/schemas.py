"""What the queue API takes and gives. Instants are UTC (ISO 8601 with offset).

Nothing here names a person: a ticket is a number, a service, a state and a desk.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

import msgspec

Language = Annotated[str, msgspec.Meta(min_length=2, max_length=8)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
BookingCode = Annotated[str, msgspec.Meta(min_length=4, max_length=12)]
Id = Annotated[int, msgspec.Meta(ge=1)]


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    PARKED = "parked"
    FINISHED = "finished"
    MISSED = "missed"


class TicketKind(StrEnum):
    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


EventType = Literal["drawn", "called", "recalled", "missed", "finished", "parked", "transferred"]


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket as the clerk sees it (no personal data: the case is only its reference)."""

    id: int
    number: str
    office_id: int
    service_id: int
    case_id: int
    kind: TicketKind
    state: TicketState
    appointment_at: datetime | None
    sort_at: datetime
    desk_id: int | None
    target_desk_id: int | None
    recalls: int
    drawn_at: datetime
    called_at: datetime | None
    finished_at: datetime | None


class DrawnTicket(msgspec.Struct, frozen=True, kw_only=True):
    """What the kiosk prints: the number, the wait, and the token behind the QR code."""

    number: str
    office_id: int
    kind: TicketKind
    drawn_at: datetime
    people_ahead: int
    estimated_wait_minutes: int
    token: str


class TicketStatus(msgspec.Struct, frozen=True, kw_only=True):
    """What the visitor's phone shows; `desk` is the desk's label once called."""

    number: str
    state: TicketState
    people_ahead: int
    estimated_wait_minutes: int
    desk: str | None


class Desk(msgspec.Struct, frozen=True, kw_only=True):
    """A counter of the office and the services it offers."""

    id: int
    label: str
    service_ids: list[int]


class QueueView(msgspec.Struct, frozen=True, kw_only=True):
    """An office's queue as the clerk screen shows it."""

    office_id: int
    desks: list[Desk]
    waiting: list[Ticket]
    called: list[Ticket]
    parked: list[Ticket]


class WalkInCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A walk-in draws a ticket for a service at the kiosk."""

    service: Id
    language: Language


class CheckInCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An appointment checks in by its QR code's token or its typed booking code."""

    token: Token | None = None
    code: BookingCode | None = None


class DeskChoice(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The desk a clerk acts from."""

    desk_id: Id


class Transfer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Pass a ticket on to another desk, another service, or both."""

    desk_id: Id | None = None
    service_id: Id | None = None
