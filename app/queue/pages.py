"""The clerk's queue screen. The page holds no data: its script fetches the queue API."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.web.rendering import offered_language, render


class QueuePages(Controller):
    path = "/"
    include_in_schema = False
    guards = [offered_language]
    cache_control = CacheControlHeader(no_store=True)

    @get("/clerk/{lang:str}/queue", sync_to_thread=False)
    def clerk_queue(self, request: Request[Any, Any, Any], lang: FromPath[str]) -> Response[str]:
        return render(request, "clerk/queue.html", lang=lang, path="/clerk/{lang}/queue")


HANDLERS: list[ControllerRouterHandler] = [QueuePages]
