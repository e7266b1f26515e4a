"""The guard that routes attach to require a solved, unused ALTCHA challenge.

    @post("/holds", guards=[require_proof_of_work])

The payload comes from the `X-Altcha` header, else from an `altcha` field of a JSON or
form body (the widget's hidden input). It is spent before the handler runs: a request
that then fails for another reason needs a new proof, as a bot's retry would.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import SerializationException
from litestar.handlers.base import BaseRouteHandler

from app.antibot import service
from app.core.antibot import BODY_FIELD, HEADER
from app.core.clock import Clock
from app.settings import Settings

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def require_proof_of_work(
    connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
) -> None:
    settings: Settings = connection.app.state.settings
    clock: Clock = connection.app.state.clock
    payload = connection.headers.get(HEADER) or await _from_body(connection)
    await service.accept(payload, secret_key=settings.secret_key, now=clock.now())


async def _from_body(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The `altcha` field of the body; reading it here leaves it cached for the handler."""
    if not isinstance(connection, Request):
        return None
    content_type = connection.headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            body = await connection.json()
            value = body.get(BODY_FIELD) if isinstance(body, dict) else None
        elif content_type.startswith(_FORMS):
            value = (await connection.form()).get(BODY_FIELD)
        else:
            return None
    except SerializationException:
        return None  # the handler reports the malformed body; here it just has no proof
    return value if isinstance(value, str) else None
