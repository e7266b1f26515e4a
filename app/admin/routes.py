"""HTTP routes of the administration: offices, desks, hours, closures and services.

Administrators may use every route; leads the desk, hours and closure routes of their own
offices (`office_role("lead")`: 404 elsewhere, as for every office-scoped staff route);
the rest answers 403 `admin_required`. Writes need the CSRF header, as every staff write.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.types import ControllerRouterHandler

from app.admin import service
from app.admin.schemas import (
    ClosureCreate,
    DeskServicesUpdate,
    DeskUpdate,
    HoursUpdate,
    OfficeChange,
)
from app.catalogue.editing_schemas import (
    AdminOffice,
    AdminService,
    DeskFields,
    OfficeFields,
    OfficeSummary,
    ServiceFields,
)
from app.core.problems import problem
from app.staff.guards import (
    STAFF_DEPENDENCIES,
    StaffController,
    admin_required,
    client_ip,
    current_staff,
    office_role,
)

AnyRequest = Request[Any, Any, Any]
AdminDep = NamedDependency[service.Admin]
LEAD = office_role("lead")
ADMIN = admin_required


async def _provide_admin(request: AnyRequest) -> service.Admin:
    return service.Admin(
        await current_staff(request), client_ip(request), request.app.state.booking
    )


def _affected(request: AnyRequest, exc: service.AppointmentsAffected) -> Response[Any]:
    """409 problem details with the stranded appointments as an extension (RFC 9457 §3.2)."""
    response = problem(request, exc.status, exc.code, exc.message, params=exc.params)
    response.content["count"] = len(exc.affected)
    response.content["appointments"] = msgspec.to_builtins(exc.affected)
    return response


class AdminController(StaffController):
    """Offices, desks, weekly hours, closures and services, in every language."""

    path = "/api/admin"
    tags = ("admin",)
    dependencies = {**STAFF_DEPENDENCIES, "admin": Provide(_provide_admin)}
    exception_handlers = {service.AppointmentsAffected: _affected}

    @get("/offices", summary="The offices I administer")
    async def offices(self, admin: AdminDep) -> list[OfficeSummary]:
        """Every office for administrators, their own for leads, none for clerks."""
        return await service.offices(admin)

    @post("/offices", guards=[ADMIN], status_code=201, summary="Create an office")
    async def create_office(self, data: JSONBody[OfficeFields], admin: AdminDep) -> AdminOffice:
        """409 `office_slug_taken` when the short name is taken."""
        return await service.create_office(admin, data)

    @get("/offices/{office_id:int}", guards=[LEAD], summary="An office to administer")
    async def office(self, office_id: FromPath[int], admin: AdminDep) -> AdminOffice:
        """Every desk with its services, the weekly hours and the coming closures."""
        return await service.office(admin, office_id)

    @put("/offices/{office_id:int}", guards=[ADMIN], summary="Change an office")
    async def update_office(
        self, office_id: FromPath[int], data: JSONBody[OfficeFields], admin: AdminDep
    ) -> AdminOffice:
        return await service.update_office(admin, office_id, data)

    @post("/offices/{office_id:int}/desks", guards=[LEAD], status_code=201, summary="Add a desk")
    async def add_desk(
        self, office_id: FromPath[int], data: JSONBody[DeskFields], admin: AdminDep
    ) -> AdminOffice:
        """409 `desk_label_taken` when another desk of the office has the label."""
        return await service.add_desk(admin, office_id, data)

    @put("/offices/{office_id:int}/desks/{desk_id:int}", guards=[LEAD], summary="Change a desk")
    async def update_desk(
        self,
        office_id: FromPath[int],
        desk_id: FromPath[int],
        data: JSONBody[DeskUpdate],
        admin: AdminDep,
    ) -> OfficeChange:
        """Taking a desk out of service (or to another channel) strands its bookings:
        409 `appointments_affected` lists them until `cancel_appointments` names them."""
        return await service.update_desk(admin, office_id, desk_id, data)

    @put(
        "/offices/{office_id:int}/desks/{desk_id:int}/services",
        guards=[ADMIN],
        summary="Set the services a desk offers",
    )
    async def desk_services(
        self,
        office_id: FromPath[int],
        desk_id: FromPath[int],
        data: JSONBody[DeskServicesUpdate],
        admin: AdminDep,
    ) -> OfficeChange:
        """Bookings of a service taken off the desk are affected (409 as above)."""
        return await service.set_desk_services(admin, office_id, desk_id, data)

    @put("/offices/{office_id:int}/hours", guards=[LEAD], summary="Replace the weekly hours")
    async def hours(
        self, office_id: FromPath[int], data: JSONBody[HoursUpdate], admin: AdminDep
    ) -> OfficeChange:
        """422 `invalid_period` / `overlapping_periods`; bookings outside the new hours
        are affected (409 `appointments_affected` until confirmed)."""
        return await service.replace_hours(admin, office_id, data)

    @post(
        "/offices/{office_id:int}/closures", guards=[LEAD], status_code=201, summary="Add a closure"
    )
    async def add_closure(
        self, office_id: FromPath[int], data: JSONBody[ClosureCreate], admin: AdminDep
    ) -> OfficeChange:
        """422 `invalid_closure_range` / `closure_in_past`; bookings on the closed days
        are affected (409 `appointments_affected` until confirmed)."""
        return await service.add_closure(admin, office_id, data)

    @delete(
        "/offices/{office_id:int}/closures/{closure_id:int}",
        guards=[LEAD],
        status_code=200,
        summary="Remove a closure",
    )
    async def delete_closure(
        self, office_id: FromPath[int], closure_id: FromPath[int], admin: AdminDep
    ) -> AdminOffice:
        return await service.delete_closure(admin, office_id, closure_id)

    @get("/services", guards=[ADMIN], summary="Every service, in every language")
    async def list_services(self) -> list[AdminService]:
        return await service.services()

    @post("/services", guards=[ADMIN], status_code=201, summary="Create a service")
    async def create_service(self, data: JSONBody[ServiceFields], admin: AdminDep) -> AdminService:
        """409 `service_slug_taken`; 422 `german_text_missing`, `language_unknown`."""
        return await service.create_service(admin, data)

    @get("/services/{service_id:int}", guards=[ADMIN], summary="A service, in every language")
    async def get_service(self, service_id: FromPath[int]) -> AdminService:
        return await service.service(service_id)

    @put("/services/{service_id:int}", guards=[ADMIN], summary="Change a service")
    async def update_service(
        self, service_id: FromPath[int], data: JSONBody[ServiceFields], admin: AdminDep
    ) -> AdminService:
        return await service.update_service(admin, service_id, data)


HANDLERS: list[ControllerRouterHandler] = [AdminController]
