"""The office's live stream over WebSocket, and the call display's link for its staff."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import WebSocket, get, websocket
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.types import ControllerRouterHandler

from app.core.dependencies import CatalogDep, SettingsDep
from app.live import service
from app.live.schemas import DisplayLink
from app.staff.guards import StaffController, office_role

ChannelsDep = NamedDependency[ChannelsPlugin]
Socket = WebSocket[Any, Any, Any]


class DisplayLinkController(StaffController):
    """What staff of an office open on the waiting room's screen."""

    path = "/api/clerk/offices/{office_id:int}/display-link"
    tags = ("live",)

    @get("/", guards=[office_role()], sync_to_thread=False, summary="The call display's link")
    def display_link(
        self, office_id: FromPath[int], settings: SettingsDep, catalog: CatalogDep
    ) -> DisplayLink:
        return service.display_link(settings, office_id, catalog.language.code)


@websocket("/ws/display/{office_id:int}")
async def display_stream(
    socket: Socket,
    office_id: FromPath[int],
    channels: ChannelsDep,
    settings: SettingsDep,
    key: Annotated[str, QueryParameter(max_length=64)] = "",
    epoch: Annotated[str, QueryParameter(max_length=16)] = "",
    after: Annotated[int, QueryParameter(ge=0)] = 0,
) -> None:
    """Queue events of the office (ticket numbers and desks only), caught up by `after`."""
    await service.serve_display(
        socket, channels, settings, office_id, key=key, epoch=epoch, after=after
    )


HANDLERS: list[ControllerRouterHandler] = [DisplayLinkController, display_stream]
