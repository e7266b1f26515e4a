"""How a booking is reached and recorded: its tokens, reading it again, showing it, and
its steps on the case's timeline. Shared by `service` and `confirmation`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.booking import appointments, views
from app.booking.context import BookingContext
from app.booking.schemas import Appointment as AppointmentView
from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.core.errors import InvalidToken
from app.core.tokens import TokenKind

# Looking a confirm token up ignores its expiry: the row's deadline decides, so a second
# click on a mail link after the deadline still shows the booking it confirmed.
ANY_TIME = datetime.min.replace(tzinfo=UTC)


async def by_token(token: str, ctx: BookingContext) -> dict[str, Any]:
    """The appointment a (case) appointment token opens; forged, unknown and revoked
    tokens all raise InvalidToken."""
    case = await cases.resolve_token(token, ctx.signer, clock=ctx.clock, kind=TokenKind.APPOINTMENT)
    row = await appointments.by_token_id(nonce(token, ctx))
    if row is None or row["case_id"] != case.id:
        raise InvalidToken()
    return row


async def by_confirm_token(confirm_token: str, ctx: BookingContext) -> dict[str, Any]:
    claims = ctx.signer.verifier.verify(confirm_token, kind=TokenKind.APPOINTMENT, now=ANY_TIME)
    row = await appointments.by_confirm_token_id(claims.id)
    if row is None:
        raise InvalidToken()
    return row


async def reread(row: dict[str, Any]) -> dict[str, Any]:
    current = await appointments.by_id(row["id"])
    if current is None:
        raise InvalidToken()
    return current


async def shown(
    row: dict[str, Any], ctx: BookingContext, token: str | None, lang: str
) -> AppointmentView:
    return views.view(await views.load(row, lang, ctx.lookups), ctx.settings, token, lang)


async def record(
    case_id: int | None,
    kind: EventKind,
    ctx: BookingContext,
    channel: Channel,
    item: views.Booking | None = None,
) -> None:
    """One timeline event per step; the data names the slot, never the person."""
    if case_id is None:
        return
    data = (
        {}
        if item is None
        else {
            "code": item.code,
            "office": item.office.slug,
            "channel": item.channel,
            "starts_at": item.starts_at.isoformat(),
        }
    )
    await cases.append_event(
        case_id, kind, channel=channel, clock=ctx.clock, data=data, citizen_visible=True
    )


def mint_confirm_token(ctx: BookingContext, expires: datetime) -> tuple[str, str]:
    token, claims = ctx.signer.mint(TokenKind.APPOINTMENT, expires_at=expires)
    return token, claims.id


def nonce(token: str, ctx: BookingContext) -> str:
    return ctx.signer.verifier.verify(token, now=ANY_TIME).id
