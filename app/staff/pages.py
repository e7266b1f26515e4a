"""Administration pages of the staff domain (HTML shells; their scripts call the API)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.web.rendering import offered_language, render

AnyRequest = Request[Any, Any, Any]


class StaffAdminPages(Controller):
    path = "/clerk/{lang:str}/admin"
    include_in_schema = False
    guards = [offered_language]
    cache_control = CacheControlHeader(no_store=True)

    @get("/staff", sync_to_thread=False)
    def staff(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        path = "/clerk/{lang}/admin/staff"
        return render(request, "clerk/admin_staff.html", lang=lang, path=path)


HANDLERS: list[ControllerRouterHandler] = [StaffAdminPages]
