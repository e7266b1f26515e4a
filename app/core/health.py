"""Liveness and readiness, for the proxy, compose healthchecks and the test script."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Response

from app.core.translation import _


@get("/health", tags=["operations"], include_in_schema=True, sync_to_thread=False)
def health() -> dict[str, str]:
    """The process is up and answers."""
    return {"status": "ok"}


@get("/ready", tags=["operations"])
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """The database answers a query; until then the proxy sends no traffic here."""
    engine = request.app.state.engine
    try:
        await engine.run_ddl("SELECT 1")
    except Exception:
        return Response(
            {"status": "unavailable", "reason": _("database unreachable")}, status_code=503
        )
    return Response({"status": "ready"})
