"""The devices' pages (shells; their scripts call the API): the administration's device
list, and the kiosk's enrolment screen."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.core.dependencies import ClockDep
from app.web.rendering import offered_language, render
from app.web.service import local_time

AnyRequest = Request[Any, Any, Any]


class DevicePages(Controller):
    path = "/"
    include_in_schema = False
    guards = [offered_language]
    cache_control = CacheControlHeader(no_store=True)

    @get("/clerk/{lang:str}/admin/devices", sync_to_thread=False)
    def admin_devices(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        path = "/clerk/{lang}/admin/devices"
        return render(request, "clerk/admin_devices.html", lang=lang, path=path)

    @get("/kiosk/{lang:str}/enrol", sync_to_thread=False)
    def kiosk_enrol(
        self, request: AnyRequest, lang: FromPath[str], clock: ClockDep
    ) -> Response[str]:
        now = local_time(clock.now(), lang)
        return render(request, "kiosk_enrol.html", lang=lang, path="/kiosk/{lang}/enrol", now=now)


HANDLERS: list[ControllerRouterHandler] = [DevicePages]
