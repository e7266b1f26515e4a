"""The catalogue's read API: services and offices in the language of the request."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery

from app.catalogue import service
from app.catalogue.schemas import Office, OfficeDetail, OfficeKind, Service
from app.core.dependencies import ClockDep
from app.core.locale import request_language


class CatalogueController(Controller):
    """Language: `?lang=`, then the `lang` cookie, then Accept-Language, then German."""

    path = "/api"
    tags = ["catalogue"]

    @get("/services")
    async def list_services(self, request: Request[Any, Any, Any]) -> list[Service]:
        """Every service on offer: fee, documents to bring, and how it can be done
        (in person, by video, or online elsewhere) and why in person where required."""
        return await service.list_services(request_language(request))

    @get("/services/{slug:str}")
    async def get_service(self, slug: FromPath[str], request: Request[Any, Any, Any]) -> Service:
        """One service by its slug, e.g. `personalausweis`; 404 `service_not_found`."""
        return await service.get_service(slug, request_language(request))

    @get("/offices")
    async def list_offices(
        self,
        request: Request[Any, Any, Any],
        clock: ClockDep,
        kind: FromQuery[OfficeKind | None] = None,
    ) -> list[Office]:
        """Every office, district offices first; `?kind=district|virtual` narrows the list.
        `hours_today` is empty when the office is closed today (Berlin time)."""
        today = service.berlin_today(clock)
        return await service.list_offices(request_language(request), kind=kind, today=today)

    @get("/offices/{slug:str}")
    async def get_office(
        self, slug: FromPath[str], request: Request[Any, Any, Any], clock: ClockDep
    ) -> OfficeDetail:
        """One office: address, desks, weekly hours, coming closures and the services
        offered; 404 `office_not_found`."""
        today = service.berlin_today(clock)
        return await service.get_office(slug, request_language(request), today=today)


HANDLERS = [CatalogueController]
