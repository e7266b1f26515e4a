"""What the clerk workspace, the citizen's data export and the deletion schedules need to
know of a case's appointments, and the erasures they may make; nothing here books.

Lapsed holds are expired by the booking's own job (`service.lapse`); this module only
purges their rows afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from app.booking.tables import Appointment, WaitlistEntry

ACTIVE = ("held", "confirmed")


class CaseAppointment(msgspec.Struct, frozen=True, kw_only=True):
    """One appointment of a case, everything we hold about it (the citizen's own data)."""

    id: int
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


def _appointment(row: dict[str, Any]) -> CaseAppointment:
    return CaseAppointment(
        id=int(row["id"]),
        office_id=int(row["office"]),
        service_id=int(row["service"]),
        channel=row["channel"],
        state=row["state"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        language=row["language"],
        email=row["email"],
        code=row["code"],
        created_at=row["created_at"],
    )


async def appointments_of_case(case_id: int) -> list[CaseAppointment]:
    """Every appointment of a case, earliest first."""
    rows = await (
        Appointment.select()
        .where(Appointment.case_id == case_id)
        .order_by(Appointment.starts_at)
        .order_by(Appointment.id)
    )
    return [_appointment(row) for row in rows]


async def next_appointment(case_id: int, now: datetime) -> CaseAppointment | None:
    """The case's next held or confirmed appointment that has not ended yet."""
    row = await (
        Appointment.select()
        .where(
            (Appointment.case_id == case_id)
            & Appointment.state.is_in(list(ACTIVE))
            & (Appointment.ends_at > now)
        )
        .order_by(Appointment.starts_at)
        .first()
    )
    return None if row is None else _appointment(row)


async def case_ids_at_office(office_id: int) -> list[int]:
    """The cases that have an appointment at `office_id` (a booking opens its case without
    an office: the appointment says where it is handled)."""
    rows = await (
        Appointment.select(Appointment.case_id)
        .where((Appointment.office == office_id) & Appointment.case_id.is_not_null())
        .distinct()
    )
    return [int(row["case_id"]) for row in rows]


async def offices_of_case(case_id: int) -> list[int]:
    """The offices where a case has (or had) appointments."""
    rows = await (
        Appointment.select(Appointment.office).where(Appointment.case_id == case_id).distinct()
    )
    return [int(row["office"]) for row in rows]


async def erase_contacts_of_case(case_id: int) -> int:
    """Blank the e-mail (and its keyed hash) of every appointment of a case; how many."""
    rows = await (
        Appointment.update({Appointment.email: None, Appointment.contact_key: None})
        .where((Appointment.case_id == case_id) & Appointment.email.is_not_null())
        .returning(Appointment.id)
    )
    return len(rows)


async def purge_lapsed_holds(before: datetime) -> int:
    """Delete the rows of holds that expired (unconfirmed) before `before`; how many."""
    rows = await (
        Appointment.delete()
        .where((Appointment.state == "expired") & (Appointment.updated_at < before))
        .returning(Appointment.id)
    )
    return len(rows)


async def erase_past_contacts(ended_before: datetime) -> int:
    """Blank the contact of appointments that ended before `ended_before`, keeping the
    anonymous facts (office, service, channel, times, state) for statistics; and of
    waitlist entries that can no longer be served. How many rows changed."""
    appointments = await (
        Appointment.update({Appointment.email: None, Appointment.contact_key: None})
        .where(
            (Appointment.ends_at < ended_before)
            & (Appointment.email.is_not_null() | Appointment.contact_key.is_not_null())
        )
        .returning(Appointment.id)
    )
    entries = await (
        WaitlistEntry.update({WaitlistEntry.email: None})
        .where(
            (WaitlistEntry.updated_at < ended_before)
            & WaitlistEntry.state.not_in(["requested", "waiting", "offered"])
            & WaitlistEntry.email.is_not_null()
        )
        .returning(WaitlistEntry.id)
    )
    return len(appointments) + len(entries)
