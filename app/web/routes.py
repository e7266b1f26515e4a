"""Pages, service workers, the manifest and the static files of every front end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from litestar import Controller, Request, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Response
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from app.core.dependencies import ClockDep, SettingsDep
from app.core.locale import request_catalog, request_language
from app.settings import Settings
from app.web import assets, service
from app.web.assets import Shell, Shells
from app.web.booking_pages import BookingPagesController
from app.web.rendering import offered_language, render

ShellsDep = NamedDependency[Shells]
MANIFEST_JSON = "application/manifest+json"
JAVASCRIPT = "text/javascript"
# Where the chosen language may come from changes what `/` answers.
_NEGOTIATED = {"Vary": "Cookie, Accept-Language", "Cache-Control": "no-store"}


def _worker(shell: Shell, shells: Shells) -> Response[bytes]:
    headers = {"Service-Worker-Allowed": shell.scope, "Cache-Control": "no-cache"}
    return Response(shells.worker(shell), media_type=JAVASCRIPT, headers=headers)


def _to_language(prefix: str, request: Request[Any, Any, Any]) -> Redirect:
    return Redirect(f"{prefix}/{request_language(request)}/", status_code=302, headers=_NEGOTIATED)


class WebController(Controller):
    path = "/"
    tags = ["web"]
    include_in_schema = False
    guards = [offered_language]

    @get("/", sync_to_thread=False)
    def root(self, request: Request[Any, Any, Any]) -> Redirect:
        """Send a visitor to the start page in their language (cookie, then browser)."""
        return _to_language("", request)

    @get("/{lang:str}/")
    async def start(self, request: Request[Any, Any, Any], lang: FromPath[str]) -> Response[str]:
        services = await service.services(lang)
        return render(request, "start.html", lang=lang, path="/{lang}/", services=services)

    @get("/{lang:str}/accessibility", sync_to_thread=False)
    def accessibility(self, request: Request[Any, Any, Any], lang: FromPath[str]) -> Response[str]:
        return render(request, "accessibility.html", lang=lang, path="/{lang}/accessibility")

    @get("/{lang:str}/imprint", sync_to_thread=False)
    def imprint(self, request: Request[Any, Any, Any], lang: FromPath[str]) -> Response[str]:
        return render(request, "imprint.html", lang=lang, path="/{lang}/imprint")

    @get("/clerk/", sync_to_thread=False)
    def clerk_root(self, request: Request[Any, Any, Any]) -> Redirect:
        return _to_language("/clerk", request)

    @get("/clerk/{lang:str}/", sync_to_thread=False)
    def clerk(
        self, request: Request[Any, Any, Any], lang: FromPath[str], clock: ClockDep
    ) -> Response[str]:
        now = service.local_time(clock.now(), lang)
        return render(request, "clerk.html", lang=lang, path="/clerk/{lang}/", now=now)

    @get("/kiosk/", sync_to_thread=False)
    def kiosk_root(self, request: Request[Any, Any, Any]) -> Redirect:
        return _to_language("/kiosk", request)

    @get("/kiosk/{lang:str}/", sync_to_thread=False)
    def kiosk(
        self, request: Request[Any, Any, Any], lang: FromPath[str], clock: ClockDep
    ) -> Response[str]:
        now = service.local_time(clock.now(), lang)
        return render(request, "kiosk_start.html", lang=lang, path="/kiosk/{lang}/", now=now)

    @get("/kiosk/{lang:str}/services")
    async def kiosk_services(
        self, request: Request[Any, Any, Any], lang: FromPath[str], clock: ClockDep
    ) -> Response[str]:
        now, services = service.local_time(clock.now(), lang), await service.services(lang)
        path = "/kiosk/{lang}/services"
        return render(
            request, "kiosk_services.html", lang=lang, path=path, now=now, services=services
        )

    @get("/display/", sync_to_thread=False)
    def display_root(self, request: Request[Any, Any, Any]) -> Redirect:
        return _to_language("/display", request)

    @get("/display/{lang:str}/", sync_to_thread=False)
    def display(
        self, request: Request[Any, Any, Any], lang: FromPath[str], clock: ClockDep
    ) -> Response[str]:
        now = service.local_time(clock.now(), lang)
        return render(request, "display.html", lang=lang, path="/display/{lang}/", now=now)

    @get("/sw.js", sync_to_thread=False)
    def pwa_worker(self, shells: ShellsDep) -> Response[bytes]:
        """The citizen app's service worker, stamped with the current asset version."""
        return _worker(shells.pwa, shells)

    @get("/kiosk/sw.js", sync_to_thread=False)
    def kiosk_worker(self, shells: ShellsDep) -> Response[bytes]:
        """The kiosk's service worker, stamped with the current asset version."""
        return _worker(shells.kiosk, shells)

    @get("/manifest.webmanifest", sync_to_thread=False)
    def manifest(self, request: Request[Any, Any, Any], settings: SettingsDep) -> Response[bytes]:
        body = msgspec.json.encode(service.manifest(request_catalog(request), settings))
        return Response(body, media_type=MANIFEST_JSON, headers={"Cache-Control": "no-cache"})

    @get("/api/docs", sync_to_thread=False)
    def api_docs(self, request: Request[Any, Any, Any]) -> Response[str]:
        """Swagger UI for the OpenAPI schema, from our own copy of swagger-ui-dist."""
        return render(request, "api_docs.html", lang=request_language(request), path="/api/docs")


def _static(path: str, directory: Path) -> Router:
    # Revalidated on every use: the URLs are not fingerprinted; the service workers'
    # versioned caches are what keeps the shells fast and offline.
    return create_static_files_router(
        path=path,
        directories=[directory],
        name=f"static:{path}",
        cache_control=CacheControlHeader(no_cache=True),
    )


def handlers(settings: Settings) -> list[ControllerRouterHandler]:
    """The web domain's routes; the shells' asset version is computed here, once."""
    shells = assets.build_shells(settings.languages)

    def provide_shells() -> Shells:
        return shells

    return [
        Router(
            path="/",
            route_handlers=[
                WebController,
                BookingPagesController,
                _static("/static/pwa", assets.PWA_DIR),
                _static("/static/kiosk", assets.KIOSK_DIR),
                _static("/static/vendor/kern", assets.KERN_DIR),
                _static("/static/vendor/swagger-ui", assets.SWAGGER_DIR),
                _static("/static/vendor/altcha", assets.ALTCHA_DIR),
            ],
            dependencies={"shells": Provide(provide_shells, sync_to_thread=False)},
        )
    ]
