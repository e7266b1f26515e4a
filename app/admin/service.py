"""What the administration does, for its routes: catalogue changes, checked against the
appointments they would strand, applied with those cancellations in one transaction, and
audited (who, from which office, what).

Roles: administrators change everything; a lead changes the desks, hours and closures of
their own offices (the routes' guards check this, `office_role("lead")`); clerks nothing.
A change that would strand booked appointments is refused with 409
`appointments_affected` listing them, unless the request names every one of them in
`cancel_appointments`: then they are cancelled (and their citizens mailed) in the same
transaction as the change. Whatever was booked between the preview and the confirmation
is therefore never cancelled unseen: it makes the confirmation fail with a new list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.admin.schemas import (
    ClosureCreate,
    DeskServicesUpdate,
    DeskUpdate,
    HoursUpdate,
    OfficeChange,
)
from app.audit import service as audit
from app.booking import impact
from app.booking.context import BookingContext
from app.booking.impact import AffectedAppointment
from app.catalogue import editing, editing_services
from app.catalogue.editing_schemas import (
    AdminOffice,
    AdminService,
    DeskFields,
    OfficeFields,
    OfficeSummary,
    ServiceFields,
    check_closure,
    check_hours,
    check_service,
)
from app.core.clock import BERLIN
from app.core.errors import Conflict
from app.core.translation import _
from app.staff.schemas import Staff

Finder = Callable[[], Awaitable[list[AffectedAppointment]]]


class AppointmentsAffected(Conflict):
    """The change would strand these appointments and they were not all confirmed."""

    code = "appointments_affected"
    message = _(
        "Booked appointments affected by this change: {count}. Nothing was changed yet. "
        "Cancel them and notify the citizens, or change your input."
    )

    def __init__(self, found: Sequence[AffectedAppointment]) -> None:
        super().__init__(count=len(found))
        self.affected = list(found)


@dataclass(frozen=True, slots=True)
class Admin:
    """Who acts, from where, and the booking context their changes run in."""

    staff: Staff
    ip: str | None
    booking: BookingContext

    def now(self) -> datetime:
        return self.booking.now()

    def today(self) -> date:
        return self.now().astimezone(BERLIN).date()


async def offices(admin: Admin) -> list[OfficeSummary]:
    """The offices this person administers: every one for admins, their own for leads."""
    if admin.staff.is_admin:
        return await editing.list_offices()
    led = [office.office_id for office in admin.staff.offices if office.role == "lead"]
    return await editing.list_offices(led)


async def office(admin: Admin, office_id: int) -> AdminOffice:
    return await editing.office(office_id, admin.today())


async def create_office(admin: Admin, data: OfficeFields) -> AdminOffice:
    async with impact.write():
        office_id = await editing.create_office(data)
        await _audit(admin, "admin.office.create", office_id, {"office": office_id})
    return await office(admin, office_id)


async def update_office(admin: Admin, office_id: int, data: OfficeFields) -> AdminOffice:
    async with impact.write():
        await editing.update_office(office_id, data)
        await _audit(admin, "admin.office.update", office_id, {"office": office_id})
    return await _changed(admin, office_id)


async def add_desk(admin: Admin, office_id: int, data: DeskFields) -> AdminOffice:
    async with impact.write():
        desk_id = await editing.create_desk(office_id, data)
        await _audit(admin, "admin.desk.create", office_id, {"desk": desk_id})
    return await _changed(admin, office_id)


async def update_desk(admin: Admin, office_id: int, desk_id: int, data: DeskUpdate) -> OfficeChange:
    """Relabel a desk, move it to another channel, or take it in or out of service."""

    async def find() -> list[AffectedAppointment]:
        current = await editing.desk(office_id, desk_id)
        if data.active and data.channel == current.channel:
            return []
        return await impact.affected(office_id, impact.every(), now=admin.now(), desk_ids=[desk_id])

    fields = DeskFields(label=data.label, channel=data.channel, active=data.active)
    return await _change(
        admin,
        office_id,
        "admin.desk.update",
        {"desk": desk_id, "active": data.active},
        data.cancel_appointments,
        find,
        lambda: editing.update_desk(office_id, desk_id, fields),
    )


async def set_desk_services(
    admin: Admin, office_id: int, desk_id: int, data: DeskServicesUpdate
) -> OfficeChange:
    """Which services a desk offers; taking one off strands its bookings at that desk."""

    async def find() -> list[AffectedAppointment]:
        current = await editing.desk(office_id, desk_id)
        removed = sorted(set(current.services) - set(data.services))
        if not removed:
            return []
        hit = impact.of_services(removed)
        return await impact.affected(office_id, hit, now=admin.now(), desk_ids=[desk_id])

    return await _change(
        admin,
        office_id,
        "admin.desk.services",
        {"desk": desk_id, "services": sorted(set(data.services))},
        data.cancel_appointments,
        find,
        lambda: editing.set_desk_services(office_id, desk_id, data.services),
    )


async def replace_hours(admin: Admin, office_id: int, data: HoursUpdate) -> OfficeChange:
    """The office's whole week; appointments outside the new hours are affected."""
    check_hours(data.hours)
    periods = [(period.weekday, period.opens, period.closes) for period in data.hours]

    async def find() -> list[AffectedAppointment]:
        return await impact.affected(office_id, impact.outside(periods), now=admin.now())

    return await _change(
        admin,
        office_id,
        "admin.hours.replace",
        {"periods": len(periods)},
        data.cancel_appointments,
        find,
        lambda: editing.replace_hours(office_id, data.hours),
    )


async def add_closure(admin: Admin, office_id: int, data: ClosureCreate) -> OfficeChange:
    """Close the office on whole days; appointments on those days are affected."""
    check_closure(data, admin.today())

    async def find() -> list[AffectedAppointment]:
        hit = impact.on_days(data.starts_on, data.ends_on)
        return await impact.affected(office_id, hit, now=admin.now())

    detail = {"starts_on": data.starts_on.isoformat(), "ends_on": data.ends_on.isoformat()}
    return await _change(
        admin,
        office_id,
        "admin.closure.create",
        detail,
        data.cancel_appointments,
        find,
        lambda: editing.add_closure(office_id, data, admin.today()),
    )


async def delete_closure(admin: Admin, office_id: int, closure_id: int) -> AdminOffice:
    """Open the office again on the closure's days: no appointment can be stranded."""
    async with impact.write():
        await editing.delete_closure(office_id, closure_id)
        await _audit(admin, "admin.closure.delete", office_id, {"closure": closure_id})
    return await _changed(admin, office_id)


async def services() -> list[AdminService]:
    return await editing_services.list_services()


async def service(service_id: int) -> AdminService:
    return await editing_services.service(service_id)


async def create_service(admin: Admin, data: ServiceFields) -> AdminService:
    check_service(data)
    async with impact.write():
        service_id = await editing_services.create_service(data)
        await _audit(admin, "admin.service.create", None, {"service": service_id})
    impact.forget_catalogue(admin.booking)
    return await editing_services.service(service_id)


async def update_service(admin: Admin, service_id: int, data: ServiceFields) -> AdminService:
    check_service(data)
    async with impact.write():
        await editing_services.update_service(service_id, data)
        await _audit(admin, "admin.service.update", None, {"service": service_id})
    impact.forget_catalogue(admin.booking)
    return await editing_services.service(service_id)


async def _change(
    admin: Admin,
    office_id: int,
    action: str,
    detail: dict[str, Any],
    confirmed: Sequence[str] | None,
    find: Finder,
    apply: Callable[[], Awaitable[Any]],
) -> OfficeChange:
    """Find what the change strands, refuse unless all of it was confirmed, then cancel
    it and apply the change, in one transaction (booking's, which queues its writers)."""
    async with impact.write():
        await editing.lock_office(office_id)
        found = await find()
        if not {item.code for item in found} <= set(confirmed or ()):
            raise AppointmentsAffected(found)
        cancelled = await impact.cancel(found, admin.booking) if found else []
        await apply()
        await _audit(admin, action, office_id, {**detail, "cancelled": len(cancelled)})
    return OfficeChange(
        office=await _changed(admin, office_id),
        cancelled=len(cancelled),
        cancelled_codes=cancelled,
    )


async def _changed(admin: Admin, office_id: int) -> AdminOffice:
    impact.forget_catalogue(admin.booking)
    return await office(admin, office_id)


async def _audit(admin: Admin, action: str, office_id: int | None, detail: dict[str, Any]) -> None:
    await audit.record(
        admin.staff.id, action, office_id=office_id, now=admin.now(), detail=detail, ip=admin.ip
    )
