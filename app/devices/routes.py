"""Kiosk devices over HTTP: leads and administrators manage an office's devices; a kiosk
redeems its enrolment code and asks who it is."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.types import ControllerRouterHandler

from app.core.dependencies import ClockDep, SettingsDep
from app.core.ratelimit import OPT_KEY as RATE_LIMIT_KEY
from app.devices import pages, service
from app.devices.guards import CurrentDevice, DeviceController
from app.devices.schemas import (
    DeviceCreate,
    DeviceCreated,
    DeviceCredential,
    DeviceRecord,
    DeviceUpdate,
    EnrolmentCode,
    KioskIdentity,
)
from app.devices.service import Actor
from app.staff.guards import (
    STAFF_DEPENDENCIES,
    CurrentStaff,
    StaffController,
    client_ip,
    office_role,
)

AnyRequest = Request[Any, Any, Any]
# Guessing an enrolment code is like guessing a password: the login's limit per client.
ENROL_LIMIT = {RATE_LIMIT_KEY: "login"}


async def _actor(request: AnyRequest, staff: CurrentStaff) -> Actor:
    return Actor(staff.id, request.app.state.clock.now(), client_ip(request))


# Who changes a device, when and from where, for the audit log: `actor: ActorDep`.
ActorDep = NamedDependency[Actor]


class DeviceAdminController(StaffController):
    """An office's kiosk devices, for its leads and for administrators (others get 404)."""

    path = "/api/clerk/offices/{office_id:int}/devices"
    tags = ("devices",)
    guards = [*StaffController.guards, office_role("lead")]
    dependencies = {**STAFF_DEPENDENCIES, "actor": Provide(_actor)}

    @get("/", summary="The office's kiosk devices")
    async def devices(self, office_id: FromPath[int], clock: ClockDep) -> list[DeviceRecord]:
        return await service.list_devices(office_id, clock.now())

    @post("/", summary="Create a device; its enrolment code is shown this once")
    async def create(
        self,
        office_id: FromPath[int],
        data: JSONBody[DeviceCreate],
        actor: ActorDep,
        settings: SettingsDep,
    ) -> DeviceCreated:
        return await service.create_device(
            office_id, data.name, actor, secret_key=settings.secret_key
        )

    @put("/{device_id:int}", summary="Rename a device")
    async def rename(
        self,
        office_id: FromPath[int],
        device_id: FromPath[int],
        data: JSONBody[DeviceUpdate],
        actor: ActorDep,
    ) -> DeviceRecord:
        return await service.rename(office_id, device_id, data.name, actor)

    @post("/{device_id:int}/revoke", status_code=204, summary="Revoke a device at once")
    async def revoke(
        self, office_id: FromPath[int], device_id: FromPath[int], actor: ActorDep
    ) -> None:
        await service.revoke(office_id, device_id, actor)


class KioskEnrolController(Controller):
    """A terminal trades its one-time code for a credential: no login, the code is the key."""

    path = "/api/kiosk"
    tags = ("kiosk",)
    cache_control = CacheControlHeader(no_store=True)

    @post("/enrol", status_code=200, opt=ENROL_LIMIT, summary="Enrol a kiosk with its code")
    async def enrol(
        self,
        request: AnyRequest,
        data: JSONBody[EnrolmentCode],
        settings: SettingsDep,
        clock: ClockDep,
    ) -> DeviceCredential:
        return await service.redeem(
            data.code, secret_key=settings.secret_key, now=clock.now(), ip=client_ip(request)
        )


class KioskController(DeviceController):
    path = "/api/kiosk"
    tags = ("kiosk",)

    @get("/me", summary="The enrolled kiosk (Authorization: Device …) and its office")
    async def me(self, device: CurrentDevice) -> KioskIdentity:
        return await service.identity(device)


HANDLERS: list[ControllerRouterHandler] = [
    DeviceAdminController,
    KioskEnrolController,
    KioskController,
    *pages.HANDLERS,
]
