"""The workspace's pages: the clerk's case list and case, the citizen's case page, and
the short link behind a case's QR code. The pages hold no data: their scripts fetch it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Redirect, Response
from litestar.types import ControllerRouterHandler

from app.core.locale import request_language
from app.web.rendering import offered_language, render

AnyRequest = Request[Any, Any, Any]


class WorkspacePages(Controller):
    path = "/"
    include_in_schema = False
    guards = [offered_language]
    # A page addressed by a token must not linger in caches (the token is the key).
    cache_control = CacheControlHeader(no_store=True)

    @get("/clerk/{lang:str}/cases", sync_to_thread=False)
    def clerk_cases(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        return render(request, "clerk/cases.html", lang=lang, path="/clerk/{lang}/cases")

    @get("/{lang:str}/case/{token:str}", sync_to_thread=False)
    def citizen_case(
        self, request: AnyRequest, lang: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        path = "/{lang}/case/" + token
        return render(request, "case.html", lang=lang, path=path)

    @get("/c/{token:str}", sync_to_thread=False)
    def short_link(self, request: AnyRequest, token: FromPath[str]) -> Redirect:
        """The QR code's link: to the case page in the visitor's language."""
        target = f"/{request_language(request)}/case/{token}"
        return Redirect(target, status_code=302, headers={"Vary": "Cookie, Accept-Language"})


HANDLERS: list[ControllerRouterHandler] = [WorkspacePages]
