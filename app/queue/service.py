"""What the queue domain does, for routes and for other domains: drawing a ticket,
checking an appointment in, the visitor's view of a ticket, the clerk's view of a queue.

Every ticket belongs to a case: a walk-in opens one (channel kiosk), a check-in joins
its appointment's. The ticket, its number, its token and its timeline event are written
in one transaction; the live event goes out after it committed (`events.publish`).
The desks' actions (call next, recall, …) are in `calling`.
"""

from __future__ import annotations

from app.booking import checkin
from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.core.errors import InvalidToken
from app.core.tokens import TokenKind
from app.queue import desks, estimate, events, ordering, tickets
from app.queue.context import QueueContext
from app.queue.errors import ServiceNotHere
from app.queue.events import Channels
from app.queue.schemas import (
    CheckInCreate,
    DrawnTicket,
    QueueView,
    TicketKind,
    TicketState,
    TicketStatus,
    WalkInCreate,
)
from app.queue.tables import Ticket

_OPEN = [TicketState.WAITING.value, TicketState.CALLED.value, TicketState.PARKED.value]


async def draw(
    office_id: int,
    data: WalkInCreate,
    ctx: QueueContext,
    channels: Channels | None,
    *,
    actor: str | None,
) -> DrawnTicket:
    """A walk-in's ticket for a service offered at a desk of the office, with a new case.

    Raises ServiceNotHere, and the case service's LanguageNotOffered; changes nothing then.
    """
    if not any(data.service in desk.service_ids for desk in await desks.office_desks(office_id)):
        raise ServiceNotHere(field="service")
    now = ctx.now()
    async with tickets.write():
        case = await cases.open_case(
            data.service,
            language=data.language,
            channel=Channel.KIOSK,
            settings=ctx.settings,
            clock=ctx.clock,
            office_id=office_id,
            actor=actor,
        )
        row, token = await tickets.insert(
            office_id=office_id,
            service_id=data.service,
            case_id=case.id,
            kind=TicketKind.WALK_IN,
            sort_at=ordering.walk_in_place(now),
            ctx=ctx,
            actor=actor,
        )
        await _record(row, EventKind.TICKET_DRAWN, ctx, actor)
    drawn = events.event("drawn", row["number"], None, office_id, now)
    await events.publish(channels, office_id, drawn)
    return await _drawn(row, token, ctx)


async def check_in(
    office_id: int,
    data: CheckInCreate,
    ctx: QueueContext,
    channels: Channels | None,
    *,
    actor: str | None,
) -> DrawnTicket:
    """The ticket of an appointment of today at this office, found by its QR code's token
    or its booking code; its place in the line is the appointment's time (`ordering`).

    Raises the errors of `app.booking.checkin.find`, and AlreadyCheckedIn when the
    appointment was checked in before (or by a concurrent request): no second ticket.
    """
    arrival = await checkin.find(
        token=data.token, code=data.code, office_id=office_id, ctx=ctx.booking
    )
    now = ctx.now()
    async with tickets.write():
        await checkin.mark_checked_in(arrival.id, ctx.booking)
        row, token = await tickets.insert(
            office_id=office_id,
            service_id=arrival.service_id,
            case_id=arrival.case_id,
            kind=TicketKind.APPOINTMENT,
            sort_at=ordering.appointment_place(arrival.starts_at, now, ctx.rules.late),
            ctx=ctx,
            actor=actor,
            appointment=(arrival.id, arrival.starts_at),
        )
        await _record(row, EventKind.CHECKED_IN, ctx, actor)
    drawn = events.event("drawn", row["number"], None, office_id, now)
    await events.publish(channels, office_id, drawn)
    return await _drawn(row, token, ctx)


async def status(token: str, ctx: QueueContext) -> TicketStatus:
    """What the visitor's phone shows for a ticket token; forged, unknown, expired and
    revoked tokens all raise InvalidToken (or ExpiredToken)."""
    row = await _by_token(token, ctx)
    ahead, minutes = await estimate.wait(row, ctx.now(), ctx.rules)
    called = row["state"] == TicketState.CALLED.value
    return TicketStatus(
        number=row["number"],
        state=TicketState(row["state"]),
        people_ahead=ahead,
        estimated_wait_minutes=minutes,
        desk=await desks.label_of(row["desk_id"]) if called else None,
    )


async def office_of(token: str, ctx: QueueContext) -> int:
    """The office of the ticket a token opens; raises as `status` does."""
    return int((await _by_token(token, ctx))["office_id"])


async def _by_token(token: str, ctx: QueueContext) -> tickets.Row:
    await cases.resolve_token(token, ctx.signer, clock=ctx.clock, kind=TokenKind.TICKET)
    claims = ctx.signer.verifier.verify(token, kind=TokenKind.TICKET, now=ctx.now())
    found = await Ticket.select().where(Ticket.token_id == claims.id).first()
    if found is None:
        raise InvalidToken()
    return dict(found)


async def office_queue(office_id: int, ctx: QueueContext) -> QueueView:
    """Today's open tickets of an office in line order, and its desks."""
    rows = (
        await Ticket.select()
        .where(Ticket.office_id == office_id)
        .where(Ticket.day == tickets.berlin_day(ctx.now()))
        .where(Ticket.state.is_in(_OPEN))
        .order_by(Ticket.sort_at, Ticket.id)
    )
    views = [tickets.view(dict(row)) for row in rows]
    return QueueView(
        office_id=office_id,
        desks=await desks.office_desks(office_id),
        waiting=[t for t in views if t.state is TicketState.WAITING],
        called=[t for t in views if t.state is TicketState.CALLED],
        parked=[t for t in views if t.state is TicketState.PARKED],
    )


async def _drawn(row: tickets.Row, token: str, ctx: QueueContext) -> DrawnTicket:
    ahead, minutes = await estimate.wait(row, ctx.now(), ctx.rules)
    return DrawnTicket(
        number=row["number"],
        office_id=row["office_id"],
        kind=TicketKind(row["kind"]),
        drawn_at=row["drawn_at"],
        people_ahead=ahead,
        estimated_wait_minutes=minutes,
        token=token,
    )


async def _record(row: tickets.Row, kind: EventKind, ctx: QueueContext, actor: str | None) -> None:
    await cases.append_event(
        row["case_id"],
        kind,
        channel=Channel.KIOSK,
        clock=ctx.clock,
        actor=actor,
        data={"ticket": row["number"], "office_id": row["office_id"]},
        citizen_visible=True,
    )
