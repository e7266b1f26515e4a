"""The booking's background jobs, by kind: lapses, releases of withheld slots, draws.

Each job is due at its moment (a hold's expiry, an offer's deadline, the end of a
random delay, the close of a lottery window) and is a no-op when the thing already
happened another way, so a job that runs twice or late does no harm.
"""

from __future__ import annotations

from typing import Any

from app.booking import handover, lottery, service
from app.booking.context import BookingContext
from app.jobs.worker import Handler


def handlers(ctx: BookingContext) -> dict[str, Handler]:
    """What `app.main` registers with the worker, bound to the app's settings and clock."""

    async def hold_lapsed(payload: dict[str, Any]) -> None:
        await service.lapse(int(payload["appointment"]), ctx)

    async def offer_lapsed(payload: dict[str, Any]) -> None:
        await handover.offer_lapsed(int(payload["appointment"]), ctx)

    async def release_withheld(payload: dict[str, Any]) -> None:
        await handover.release_withheld(int(payload["appointment"]), ctx)

    async def draw(payload: dict[str, Any]) -> None:
        await lottery.draw(int(payload["release"]), ctx)

    return {
        service.HOLD_LAPSE: hold_lapsed,
        handover.OFFER_LAPSE: offer_lapsed,
        handover.RELEASE_WITHHELD: release_withheld,
        lottery.DRAW: draw,
    }
