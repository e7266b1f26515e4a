"""What a change to the catalogue does to booked appointments, and cancelling them for the
office: for the administration, which may not read booking's tables itself.

A closure, shorter hours, a desk out of service or a service taken off a desk can leave
citizens with appointments that can no longer take place. `affected` names them, so the
administration can show them before anything changes; `cancel` ends them the way a
citizen's own cancellation does (units freed, timeline, reminders withdrawn, the
cancellation mail queued) — except that the slot is not handed on to the waitlist: it no
longer exists. Both run inside the administration's write transaction (`write`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any

import msgspec

from app.booking import access, appointments, mails, units, views
from app.booking.context import BookingContext
from app.booking.handover import OFFER_LAPSE
from app.booking.service import HOLD_LAPSE
from app.booking.tables import Appointment, WaitlistEntry
from app.cases.schemas import Channel, EventKind
from app.core.clock import BERLIN
from app.jobs import service as jobs

# Appointments a person is waiting for: a live hold, a booking, an offer from the line.
LIVE = ("held", "confirmed", "offered")

# Whether a change hits an appointment: (desk id, service id, local start, local end).
Hit = Callable[[int, int, datetime, datetime], bool]


class AffectedAppointment(msgspec.Struct, frozen=True, kw_only=True):
    """An appointment a change would strand: its codes and when, never who."""

    id: int
    code: str
    reference: str | None
    state: str
    starts_at: datetime
    local_start: str  # "YYYY-MM-DD HH:MM", Berlin
    desk: int
    service: int


@asynccontextmanager
async def write() -> AsyncIterator[Any]:
    """The booking's write transaction (joined when nested), for a change and its cancels."""
    async with appointments.write() as transaction:
        yield transaction


async def affected(
    office_id: int, hit: Hit, *, now: datetime, desk_ids: Sequence[int] | None = None
) -> list[AffectedAppointment]:
    """The office's live appointments still to come (on these desks, if given) that `hit`
    says the change strands, earliest first."""
    query = (
        Appointment.select(
            Appointment.id,
            Appointment.code,
            Appointment.state,
            Appointment.starts_at,
            Appointment.ends_at,
            Appointment.desk,
            Appointment.service,
            Appointment.case_id.reference.as_alias("reference"),
        )
        .where(Appointment.office == office_id)
        .where(Appointment.state.is_in(list(LIVE)))
        .where(Appointment.starts_at > now)
        # A hold that has lapsed strands nobody: its units are free for the taking.
        .where((Appointment.state != "held") | (Appointment.hold_expires_at > now))
        .order_by(Appointment.starts_at, Appointment.id)
    )
    if desk_ids is not None:
        query = query.where(Appointment.desk.is_in(list(desk_ids) or [0]))
    found = []
    for row in await query:
        start = row["starts_at"].astimezone(BERLIN)
        if hit(row["desk"], row["service"], start, row["ends_at"].astimezone(BERLIN)):
            found.append(
                AffectedAppointment(
                    id=row["id"],
                    code=row["code"],
                    reference=row["reference"],
                    state=row["state"],
                    starts_at=row["starts_at"],
                    local_start=start.strftime("%Y-%m-%d %H:%M"),
                    desk=row["desk"],
                    service=row["service"],
                )
            )
    return found


def on_days(first: date, last: date) -> Hit:
    """Appointments on a day from `first` to `last` (Berlin dates, inclusive)."""
    return lambda _desk, _service, start, _end: first <= start.date() <= last


def outside(periods: Sequence[tuple[int, str, str]]) -> Hit:
    """Appointments not wholly inside one of the (weekday, "HH:MM", "HH:MM") periods."""

    def hit(_desk: int, _service: int, start: datetime, end: datetime) -> bool:
        if end.date() != start.date():
            return True  # no period runs past midnight
        begins, ends = start.strftime("%H:%M"), end.strftime("%H:%M")
        return not any(
            weekday == start.weekday() and opens <= begins and ends <= closes
            for weekday, opens, closes in periods
        )

    return hit


def of_services(service_ids: Sequence[int]) -> Hit:
    """Appointments for one of these services."""
    wanted = set(service_ids)
    return lambda _desk, service, _start, _end: service in wanted


def every() -> Hit:
    return lambda _desk, _service, _start, _end: True


async def cancel(found: Sequence[AffectedAppointment], ctx: BookingContext) -> list[str]:
    """Cancel these appointments for the office; returns the codes of those still live.

    Each is a conditional UPDATE, so one the citizen cancelled (or that lapsed) meanwhile
    is skipped, not cancelled twice. The citizen gets the cancellation mail of a
    confirmed booking; an offer's waitlist entry goes back to waiting, keeping its place.
    """
    now = ctx.now()
    done: list[str] = []
    for item in found:
        row = await appointments.change(
            item.id,
            {
                Appointment.state: "cancelled",
                Appointment.hold_expires_at: None,
                Appointment.revision: Appointment.revision + 1,
            },
            states=list(LIVE),
            now=now,
            where=Appointment.starts_at > now,
        )
        if row is None:
            continue
        done.append(item.code)
        await units.give_back(item.id)
        await jobs.cancel(f"{HOLD_LAPSE}:{item.id}")
        await jobs.cancel(f"{OFFER_LAPSE}:{item.id}")
        if item.state == "offered":
            await WaitlistEntry.update(
                {WaitlistEntry.state: "waiting", WaitlistEntry.updated_at: now}
            ).where((WaitlistEntry.appointment == item.id) & (WaitlistEntry.state == "offered"))
            continue
        booking = await views.load(row)
        await access.record(
            booking.case_id, EventKind.APPOINTMENT_CANCELLED, ctx, Channel.CLERK, booking
        )
        if item.state == "confirmed":
            await mails.cancelled(booking, settings=ctx.settings, rules=ctx.rules, now=now)
    return done


def forget_catalogue(ctx: BookingContext) -> None:
    """Drop the short-lived catalogue copies of this process, so that availability shows
    a change at once here (other processes see it when their copies lapse, within 2 s)."""
    ctx.lookups.clear()
