"""The clerk's queue API: an office's queue, and the desk's actions on its tickets.

Staff session with CSRF (`StaffController`), a role in the office (else 404). Errors are
problem+json with stable codes: `queue_empty`, `desk_busy`, `ticket_state_conflict`,
`not_recalled_enough`, `desk_not_found`, `ticket_not_found`, `service_not_here`.
"""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromPath, JSONBody
from litestar.types import ControllerRouterHandler

from app.queue import calling, kiosk, pages, service
from app.queue.dependencies import QUEUE_DEPENDENCIES, ChannelsDep, QueueDep
from app.queue.schemas import DeskChoice, QueueView, Ticket, Transfer
from app.staff.guards import STAFF_DEPENDENCIES, CurrentStaff, StaffController, office_role


def _actor(staff: CurrentStaff) -> str:
    return f"clerk:{staff.id}"


class ClerkQueueController(StaffController):
    path = "/api/clerk/offices/{office_id:int}/queue"
    tags = ("queue",)
    guards = [*StaffController.guards, office_role()]
    dependencies = {**STAFF_DEPENDENCIES, **QUEUE_DEPENDENCIES}

    @get("/", summary="Today's queue of an office and its desks")
    async def queue_view(self, office_id: FromPath[int], queue: QueueDep) -> QueueView:
        return await service.office_queue(office_id, queue)

    @post("/call-next", status_code=200, summary="Call the next ticket to my desk")
    async def call_next(
        self,
        office_id: FromPath[int],
        data: JSONBody[DeskChoice],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        """409 `desk_busy` while the desk has a called ticket; 404 `queue_empty`."""
        actor = _actor(staff)
        return await calling.call_next(office_id, data.desk_id, queue, channels, actor=actor)

    @post("/tickets/{ticket_id:int}/call", status_code=200, summary="Call one ticket")
    async def call(
        self,
        office_id: FromPath[int],
        ticket_id: FromPath[int],
        data: JSONBody[DeskChoice],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        """A waiting or parked ticket, out of turn."""
        actor = _actor(staff)
        return await calling.call(office_id, ticket_id, data.desk_id, queue, channels, actor=actor)

    @post("/tickets/{ticket_id:int}/recall", status_code=200, summary="Call the ticket again")
    async def recall(
        self,
        office_id: FromPath[int],
        ticket_id: FromPath[int],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        return await calling.recall(office_id, ticket_id, queue, channels, actor=_actor(staff))

    @post("/tickets/{ticket_id:int}/missed", status_code=200, summary="The visitor did not come")
    async def missed(
        self,
        office_id: FromPath[int],
        ticket_id: FromPath[int],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        """409 `not_recalled_enough` before the configured number of recalls."""
        return await calling.missed(office_id, ticket_id, queue, channels, actor=_actor(staff))

    @post("/tickets/{ticket_id:int}/park", status_code=200, summary="Set the ticket aside")
    async def park(
        self,
        office_id: FromPath[int],
        ticket_id: FromPath[int],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        return await calling.park(office_id, ticket_id, queue, channels, actor=_actor(staff))

    @post("/tickets/{ticket_id:int}/transfer", status_code=200, summary="Pass the ticket on")
    async def transfer(
        self,
        office_id: FromPath[int],
        ticket_id: FromPath[int],
        data: JSONBody[Transfer],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        """To another desk and/or service; it waits again and keeps its place."""
        actor = _actor(staff)
        return await calling.transfer(office_id, ticket_id, data, queue, channels, actor=actor)

    @post("/tickets/{ticket_id:int}/finish", status_code=200, summary="The visitor was served")
    async def finish(
        self,
        office_id: FromPath[int],
        ticket_id: FromPath[int],
        queue: QueueDep,
        channels: ChannelsDep,
        staff: CurrentStaff,
    ) -> Ticket:
        return await calling.finish(office_id, ticket_id, queue, channels, actor=_actor(staff))


HANDLERS: list[ControllerRouterHandler] = [
    ClerkQueueController,
    *kiosk.HANDLERS,
    *pages.HANDLERS,
]
