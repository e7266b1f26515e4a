"""The challenge endpoint that the widget and `pwa/pow.js` fetch before a protected request."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.types import ControllerRouterHandler

from app.antibot import service
from app.core.dependencies import ClockDep, SettingsDep


class AltchaController(Controller):
    path = "/api/altcha"
    tags = ("antibot",)
    cache_control = CacheControlHeader(no_store=True)

    @get(
        "/challenge",
        summary="A fresh proof-of-work challenge (ALTCHA v2, SHA-256)",
        description="Solve it (npm `altcha` or `/static/pwa/pow.js`) and send the payload "
        "in the `X-Altcha` header of the protected request. Valid for five minutes, once.",
    )
    async def challenge(self, settings: SettingsDep, clock: ClockDep) -> dict[str, Any]:
        return service.issue_challenge(settings, clock.now())


HANDLERS: list[ControllerRouterHandler] = [AltchaController]
