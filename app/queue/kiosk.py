"""The kiosk's side of the queue: a walk-in draws a ticket, an appointment checks in.

An enrolled kiosk device only (`Authorization: Device <credential>`, else 401); the
ticket is always for the office the device stands in. Errors: `service_not_here`,
`language_not_offered`, `invalid_token`, `appointment_not_found`,
`appointment_other_office`, `appointment_not_today`, `appointment_not_checkable`,
`already_checked_in` (a second check-in of one appointment: no second ticket).
"""

from __future__ import annotations

from litestar import post
from litestar.params import JSONBody
from litestar.types import ControllerRouterHandler

from app.devices.guards import DEVICE_DEPENDENCIES, CurrentDevice, DeviceController
from app.queue import service, tracking
from app.queue.dependencies import QUEUE_DEPENDENCIES, ChannelsDep, QueueDep
from app.queue.schemas import CheckInCreate, DrawnTicket, WalkInCreate


class KioskQueueController(DeviceController):
    path = "/api/kiosk"
    tags = ("queue",)
    dependencies = {**DEVICE_DEPENDENCIES, **QUEUE_DEPENDENCIES}

    @post("/tickets", status_code=201, summary="Draw a walk-in ticket at this kiosk")
    async def draw(
        self,
        data: JSONBody[WalkInCreate],
        device: CurrentDevice,
        queue: QueueDep,
        channels: ChannelsDep,
    ) -> DrawnTicket:
        actor = f"kiosk:{device.id}"
        return await service.draw(device.office_id, data, queue, channels, actor=actor)

    @post("/checkins", status_code=201, summary="Check in an appointment at this kiosk")
    async def check_in(
        self,
        data: JSONBody[CheckInCreate],
        device: CurrentDevice,
        queue: QueueDep,
        channels: ChannelsDep,
    ) -> DrawnTicket:
        """By the appointment's QR code (`token`) or its typed booking code (`code`)."""
        actor = f"kiosk:{device.id}"
        return await service.check_in(device.office_id, data, queue, channels, actor=actor)


HANDLERS: list[ControllerRouterHandler] = [KioskQueueController, *tracking.HANDLERS]
