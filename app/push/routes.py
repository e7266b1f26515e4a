"""Web push over HTTP: the VAPID key, subscribing and unsubscribing with a case's token,
and the text of a notice, which the service worker fetches when a push arrives.

Everything but the key carries or was opened by a token, so none of it may be cached.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, HeaderParameter, JSONBody
from litestar.types import ControllerRouterHandler

from app.core.dependencies import CatalogDep, ClockDep, SettingsDep, SignerDep
from app.push import service
from app.push.schemas import Notice, PublicKey, Subscribed, SubscriptionCreate, Unsubscribe

TOKEN_HEADER = "X-Amtsweg-Token"  # noqa: S105 — a header name, not a secret
TokenHeader = Annotated[str, HeaderParameter(name=TOKEN_HEADER, min_length=1, max_length=200)]


class PushController(Controller):
    path = "/api/push"
    tags = ("push",)
    cache_control = CacheControlHeader(no_store=True)

    @get("/key", summary="The VAPID public key (applicationServerKey)")
    async def key(self, settings: SettingsDep) -> PublicKey:
        return service.public_key(settings)

    @post("/subscriptions", status_code=201, summary="Get notices about the token's case")
    async def subscribe(
        self,
        data: JSONBody[SubscriptionCreate],
        settings: SettingsDep,
        signer: SignerDep,
        clock: ClockDep,
    ) -> Subscribed:
        return await service.subscribe(data, settings=settings, signer=signer, clock=clock)

    @post("/unsubscribe", status_code=204, summary="Stop notices: one case, or all of them")
    async def unsubscribe(
        self, data: JSONBody[Unsubscribe], signer: SignerDep, clock: ClockDep
    ) -> None:
        await service.unsubscribe(data, signer=signer, clock=clock)

    @get("/notices/{notice_id:str}", summary="A notice's text, for the token's holder")
    async def notice(
        self,
        notice_id: FromPath[str],
        token: TokenHeader,
        signer: SignerDep,
        clock: ClockDep,
        catalog: CatalogDep,
    ) -> Notice:
        return await service.notice(notice_id, token, signer=signer, clock=clock, catalog=catalog)


HANDLERS: list[ControllerRouterHandler] = [PushController]
