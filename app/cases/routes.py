"""The citizen's side of a case over HTTP: open one from the PWA, follow it by its link.

Every answer here carries a token or was opened by one, so none may be cached.
"""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody
from litestar.types import ControllerRouterHandler

from app.cases import citizen
from app.cases.schemas import CaseCreate, CaseOpened, CitizenCase
from app.core.dependencies import CatalogDep, ClockDep, SettingsDep, SignerDep


class CaseController(Controller):
    path = "/api/cases"
    tags = ("cases",)
    cache_control = CacheControlHeader(no_store=True)

    @post("/", status_code=201, summary="Open a case for a service")
    async def open_case(
        self,
        data: JSONBody[CaseCreate],
        settings: SettingsDep,
        signer: SignerDep,
        clock: ClockDep,
        catalog: CatalogDep,
    ) -> CaseOpened:
        return await citizen.open_citizen_case(
            data, language=catalog.language.code, settings=settings, signer=signer, clock=clock
        )

    @get("/{token:str}", summary="A case as its citizen sees it")
    async def show(
        self, token: FromPath[str], signer: SignerDep, clock: ClockDep, catalog: CatalogDep
    ) -> CitizenCase:
        return await citizen.citizen_case(token, signer=signer, clock=clock, catalog=catalog)

    @get("/{token:str}/qr.svg", media_type="image/svg+xml", summary="The case link as QR (SVG)")
    async def qr_svg(
        self, token: FromPath[str], settings: SettingsDep, signer: SignerDep, clock: ClockDep
    ) -> str:
        return await citizen.case_qr_svg(token, settings=settings, signer=signer, clock=clock)

    @get("/{token:str}/qr.png", media_type="image/png", summary="The case link as QR (PNG)")
    async def qr_png(
        self, token: FromPath[str], settings: SettingsDep, signer: SignerDep, clock: ClockDep
    ) -> bytes:
        return await citizen.case_qr_png(token, settings=settings, signer=signer, clock=clock)


HANDLERS: list[ControllerRouterHandler] = [CaseController]
