"""What routes serving kiosks use: the device guard and the `device` dependency.

    class TicketController(DeviceController):      # `Authorization: Device <credential>`
        path = "/api/kiosk/tickets"

        @post("/")
        async def draw(self, device: CurrentDevice, …) -> Ticket: …

A request without the header (or with another scheme) gets 401
`device_credential_required`; an unknown or revoked credential 401
`device_credential_invalid`. A revoked credential stops working with the next request.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler

from app.core.clock import Clock
from app.devices import service
from app.devices.errors import DeviceCredentialInvalid, DeviceCredentialRequired
from app.devices.schemas import Device

SCHEME = "device"
_STATE = "amtsweg.device"  # scope state: the authenticated Device
_MAX_CREDENTIAL = 128  # ours are 43 characters; anything much longer is not one

Connection = ASGIConnection[Any, Any, Any, Any]


def presented_credential(connection: Connection) -> str:
    """The credential of `Authorization: Device <credential>`; raises
    DeviceCredentialRequired when the header is missing or of another kind."""
    scheme, _space, credential = connection.headers.get("authorization", "").partition(" ")
    credential = credential.strip()
    if scheme.lower() != SCHEME or not credential or len(credential) > _MAX_CREDENTIAL:
        raise DeviceCredentialRequired()
    return credential


async def current_device(connection: Connection) -> Device:
    """The enrolled device making this request; raises DeviceCredentialRequired/Invalid."""
    state = connection.scope.setdefault("state", {})
    cached = state.get(_STATE)
    if isinstance(cached, Device):
        return cached
    clock: Clock = connection.app.state.clock
    device = await service.authenticate(presented_credential(connection), clock.now())
    if device is None:
        raise DeviceCredentialInvalid()
    state[_STATE] = device
    return device


async def device_required(connection: Connection, _handler: BaseRouteHandler) -> None:
    await current_device(connection)


async def _provide_device(request: Connection) -> Device:
    return await current_device(request)


# The device in a handler signature: `device: CurrentDevice` (the name matters).
CurrentDevice = NamedDependency[Device]
DEVICE_DEPENDENCIES = {"device": Provide(_provide_device)}


class DeviceController(Controller):
    """Base of every controller of kiosk routes: an enrolled device required, the
    `device` dependency, and no caching of the answers.

    A subclass that sets its own `guards` or `dependencies` must keep these.
    """

    guards = [device_required]
    dependencies = DEVICE_DEPENDENCIES
    cache_control = CacheControlHeader(no_store=True)
