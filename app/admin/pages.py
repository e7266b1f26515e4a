"""Administration pages: HTML shells in the page's language; their scripts call the
administration API with the staff session (which decides what anyone may see or change).

Built by hand rather than with Piccolo Admin: that is a Vue single-page app whose every
bundle would have to be audited for other origins, and five small screens in the clerk
workspace's own style cost less than that.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.web.rendering import offered_language, render

AnyRequest = Request[Any, Any, Any]


class AdminPages(Controller):
    path = "/clerk/{lang:str}/admin"
    include_in_schema = False
    guards = [offered_language]
    cache_control = CacheControlHeader(no_store=True)

    @get("/", sync_to_thread=False)
    def index(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        return render(request, "clerk/admin.html", lang=lang, path="/clerk/{lang}/admin")

    @get("/offices", sync_to_thread=False)
    def offices(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        path = "/clerk/{lang}/admin/offices"
        return render(request, "clerk/admin_offices.html", lang=lang, path=path)

    @get("/offices/{office_id:int}", sync_to_thread=False)
    def office(
        self, request: AnyRequest, lang: FromPath[str], office_id: FromPath[int]
    ) -> Response[str]:
        path = "/clerk/{lang}/admin/offices/" + str(office_id)
        return render(request, "clerk/admin_office.html", lang=lang, path=path)

    @get("/services", sync_to_thread=False)
    def services(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        path = "/clerk/{lang}/admin/services"
        return render(request, "clerk/admin_services.html", lang=lang, path=path)

    @get("/services/{service_id:int}", sync_to_thread=False)
    def service(
        self, request: AnyRequest, lang: FromPath[str], service_id: FromPath[int]
    ) -> Response[str]:
        path = "/clerk/{lang}/admin/services/" + str(service_id)
        return render(request, "clerk/admin_service.html", lang=lang, path=path)


HANDLERS: list[ControllerRouterHandler] = [AdminPages]
