"""Checking an appointment in at the office: finding it by its QR code's token or its
typed booking code, and marking it "checked in" exactly once.

The queue calls these inside its own write transaction, so the mark and the visitor's
ticket are saved together or not at all. The mark is one conditional UPDATE
(`state = 'confirmed'` → `'checked_in'`): of two check-ins of one appointment, only one
matches; the other learns it from the empty answer and gets AlreadyCheckedIn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from app.booking import access, appointments
from app.booking.context import BookingContext
from app.booking.tables import Appointment
from app.core.clock import BERLIN
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.translation import _


class AppointmentNotFound(NotFound):
    code = "appointment_not_found"
    message = _("No appointment has this booking code.")


class CheckInNeedsOne(InvalidInput):
    code = "check_in_needs_one"
    message = _("Scan the QR code or type the booking code.")


class OtherOffice(InvalidInput):
    code = "appointment_other_office"
    message = _("This appointment is at another office.")


class NotToday(InvalidInput):
    code = "appointment_not_today"
    message = _("This appointment is not today.")


class NotCheckable(Conflict):
    code = "appointment_not_checkable"
    message = _(
        "This appointment cannot be checked in: it is not confirmed, or it is a video call."
    )


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    message = _("This appointment has already been checked in.")


class Arrival(msgspec.Struct, frozen=True, kw_only=True):
    """An appointment that may be checked in now, as the queue needs it."""

    id: int
    case_id: int
    office_id: int
    service_id: int
    starts_at: datetime


async def find(
    *, token: str | None, code: str | None, office_id: int, ctx: BookingContext
) -> Arrival:
    """The confirmed in-person appointment of today at `office_id` that the token (or the
    booking code) names. Raises InvalidToken, AppointmentNotFound, CheckInNeedsOne,
    OtherOffice, NotToday, AlreadyCheckedIn or NotCheckable."""
    if (token is None) == (code is None):
        raise CheckInNeedsOne(field="code")
    row = await access.by_token(token, ctx) if token is not None else await _by_code(code or "")
    if row["office"] != office_id:
        raise OtherOffice(field="code")
    if row["starts_at"].astimezone(BERLIN).date() != ctx.now().astimezone(BERLIN).date():
        raise NotToday(field="code")
    _check_state(row)
    return _arrival(row)


async def mark_checked_in(appointment_id: int, ctx: BookingContext) -> None:
    """Mark a confirmed appointment as checked in; AlreadyCheckedIn (or NotCheckable) if
    it is not confirmed any more, e.g. because a second check-in came first."""
    changed = await appointments.change(
        appointment_id,
        {Appointment.state: "checked_in"},
        states=["confirmed"],
        now=ctx.now(),
        where=Appointment.channel == "in_person",
    )
    if changed is None:
        current = await appointments.by_id(appointment_id)
        if current is None:
            raise AppointmentNotFound(field="code")
        _check_state(current)
        raise NotCheckable(field="code")  # confirmed again in between: report, do not guess


async def _by_code(code: str) -> dict[str, Any]:
    row = await Appointment.select().where(Appointment.code == code.strip().upper()).first()
    if row is None:
        raise AppointmentNotFound(field="code")
    return dict(row)


def _check_state(row: dict[str, Any]) -> None:
    if row["state"] == "checked_in":
        raise AlreadyCheckedIn(field="code")
    if row["state"] != "confirmed" or row["channel"] != "in_person" or row["case_id"] is None:
        raise NotCheckable(field="code")


def _arrival(row: dict[str, Any]) -> Arrival:
    return Arrival(
        id=row["id"],
        case_id=row["case_id"],
        office_id=row["office"],
        service_id=row["service"],
        starts_at=row["starts_at"],
    )
