"""The visitor's view of a ticket, by the token on its QR code: number, state, people
ahead, estimated wait, and the desk once called. Nothing personal; never cached."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.types import ControllerRouterHandler

from app.queue import service
from app.queue.dependencies import QUEUE_DEPENDENCIES, QueueDep
from app.queue.schemas import TicketStatus


class TicketController(Controller):
    path = "/api/tickets"
    tags = ("queue",)
    dependencies = QUEUE_DEPENDENCIES
    cache_control = CacheControlHeader(no_store=True)

    @get("/{token:str}", summary="A ticket's place in the queue")
    async def ticket(self, token: FromPath[str], queue: QueueDep) -> TicketStatus:
        """404 `invalid_token` for a forged, unknown or withdrawn token; 410 when expired."""
        return await service.status(token, queue)


HANDLERS: list[ControllerRouterHandler] = [TicketController]
