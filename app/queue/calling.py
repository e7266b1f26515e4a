"""The desks' actions on the queue: call next, call one ticket, recall, missed, park,
pass on (transfer) and finish.

States: waiting → called → finished | missed | parked | waiting (passed on);
parked → called | waiting (passed on). Every action is one conditional
`UPDATE … WHERE id = ? AND state IN (…) RETURNING`; a ticket in another state matches
nothing and the caller gets TicketStateConflict, never a half-done change.

"Call next" picks and takes in one statement: `UPDATE … WHERE id = (SELECT id …
WHERE state = 'waiting' ORDER BY sort_at, id LIMIT 1 [FOR UPDATE SKIP LOCKED]) AND
state = 'waiting' RETURNING …` (a scalar sub-select, evaluated once). On PostgreSQL the
sub-select locks the row it picks and skips rows other desks are taking at that moment,
so two desks never get the same ticket and neither waits for the other; on SQLite the
statement runs inside an IMMEDIATE transaction, which lets one writer in at a time. A
desk holds one called ticket at a time: checked first inside the transaction, and
guarded by a partial unique index, which answers a concurrent second press at the same
desk with DeskBusy.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, NoReturn

from asyncpg.exceptions import UniqueViolationError  # type: ignore[import-untyped]
from piccolo.columns.combination import WhereRaw
from piccolo.engine.postgres import PostgresEngine

from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.catalogue import service as catalogue
from app.core.errors import InvalidInput
from app.push import kinds as push_kinds
from app.push import service as push
from app.queue import desks, events, tickets
from app.queue.context import QueueContext
from app.queue.errors import (
    DeskBusy,
    NotRecalledEnough,
    QueueEmpty,
    ServiceNotHere,
    TicketStateConflict,
)
from app.queue.events import Channels
from app.queue.schemas import EventType, TicketState, Transfer
from app.queue.schemas import Ticket as TicketView
from app.queue.tables import Ticket

WAITING, CALLED, PARKED = TicketState.WAITING, TicketState.CALLED, TicketState.PARKED
# A "come to desk 3" push that arrives later than this is no use to anyone.
CALLED_NOTICE_LIFETIME = timedelta(minutes=15)

log = logging.getLogger("amtsweg.queue")
_KINDS: dict[EventType, EventKind] = {
    "called": EventKind.TICKET_CALLED,
    "recalled": EventKind.TICKET_RECALLED,
    "missed": EventKind.TICKET_MISSED,
    "parked": EventKind.TICKET_PARKED,
    "transferred": EventKind.TICKET_TRANSFERRED,
    "finished": EventKind.TICKET_FINISHED,
}


async def call_next(
    office_id: int, desk_id: int, ctx: QueueContext, channels: Channels | None, *, actor: str
) -> TicketView:
    """Give the first waiting ticket (in line order) of the desk's services, or of those
    passed on to the desk, to the desk. Raises DeskNotFound, DeskBusy or QueueEmpty."""
    desk = await desks.desk_of(office_id, desk_id)
    if not desk.service_ids:
        raise QueueEmpty()
    pick = (
        Ticket.select(Ticket.id)
        .where(
            Ticket.office_id == office_id,
            Ticket.day == tickets.berlin_day(ctx.now()),
            Ticket.state == WAITING.value,
            Ticket.service_id.is_in(desk.service_ids),
            Ticket.target_desk_id.is_null() | (Ticket.target_desk_id == desk.id),
        )
        .order_by(Ticket.sort_at, Ticket.id)
        .limit(1)
    )
    if isinstance(tickets.engine(), PostgresEngine):
        pick = pick.lock_rows("UPDATE", skip_locked=True)
    # A scalar sub-select runs once (PostgreSQL plans it as an InitPlan); `IN (…)` may
    # be planned as a join that evaluates the LIMIT 1 more than once and takes two rows.
    which = WhereRaw('"queue_ticket"."id" = ({})', pick.querystrings[0])
    row = await _call(desk.id, which, [WAITING], ctx, actor)
    if row is None:
        raise QueueEmpty()
    await _notify_called(row, ctx)
    return await _publish(row, "called", ctx, channels)


async def call(
    office_id: int,
    ticket_id: int,
    desk_id: int,
    ctx: QueueContext,
    channels: Channels | None,
    *,
    actor: str,
) -> TicketView:
    """Call one waiting or parked ticket to the desk, out of turn (e.g. back from parking)."""
    desk = await desks.desk_of(office_id, desk_id)
    which = (Ticket.id == ticket_id) & (Ticket.office_id == office_id)
    row = await _call(desk.id, which, [WAITING, PARKED], ctx, actor)
    if row is None:
        return await _explain(office_id, ticket_id)
    await _notify_called(row, ctx)
    return await _publish(row, "called", ctx, channels)


async def recall(
    office_id: int, ticket_id: int, ctx: QueueContext, channels: Channels | None, *, actor: str
) -> TicketView:
    values = {Ticket.recalls: Ticket.recalls + 1, Ticket.called_at: ctx.now()}
    async with tickets.write():
        row = await _change(office_id, ticket_id, values, [CALLED])
        await _record(row, "recalled", ctx, actor)
    return await _publish(row, "recalled", ctx, channels)


async def missed(
    office_id: int, ticket_id: int, ctx: QueueContext, channels: Channels | None, *, actor: str
) -> TicketView:
    """The visitor did not come after `recalls_before_missed` recalls (else NotRecalledEnough)."""
    enough = Ticket.recalls >= ctx.rules.recalls_before_missed
    values = {Ticket.state: TicketState.MISSED.value, Ticket.finished_at: ctx.now()}
    async with tickets.write():
        rows = await _update(office_id, ticket_id, values, [CALLED], enough)
        if not rows:
            row = await tickets.by_id(office_id, ticket_id)
            if row["state"] == CALLED.value:
                raise NotRecalledEnough(recalls=ctx.rules.recalls_before_missed)
            raise TicketStateConflict()
        await _record(rows[0], "missed", ctx, actor)
    return await _publish(rows[0], "missed", ctx, channels)


async def park(
    office_id: int, ticket_id: int, ctx: QueueContext, channels: Channels | None, *, actor: str
) -> TicketView:
    """Set a called ticket aside (e.g. a document is missing); the desk is free again."""
    async with tickets.write():
        row = await _change(office_id, ticket_id, {Ticket.state: PARKED.value}, [CALLED])
        await _record(row, "parked", ctx, actor)
    return await _publish(row, "parked", ctx, channels)


async def transfer(
    office_id: int,
    ticket_id: int,
    data: Transfer,
    ctx: QueueContext,
    channels: Channels | None,
    *,
    actor: str,
) -> TicketView:
    """Pass a called or parked ticket on to another desk and/or service; it waits again,
    keeps its number and its place in the line."""
    if data.desk_id is None and data.service_id is None:
        raise InvalidInput(field="desk_id")
    values: dict[Any, Any] = {Ticket.state: WAITING.value}
    office_desks = await desks.office_desks(office_id)
    if data.desk_id is not None:
        values[Ticket.target_desk_id] = (await desks.desk_of(office_id, data.desk_id)).id
    if data.service_id is not None:
        if not any(data.service_id in desk.service_ids for desk in office_desks):
            raise ServiceNotHere(field="service_id")
        await catalogue.get_service_by_id(data.service_id, "de")
        values[Ticket.service_id] = data.service_id
    async with tickets.write():
        row = await _change(office_id, ticket_id, values, [CALLED, PARKED])
        await _record(row, "transferred", ctx, actor)
    return await _publish(row, "transferred", ctx, channels)


async def finish(
    office_id: int, ticket_id: int, ctx: QueueContext, channels: Channels | None, *, actor: str
) -> TicketView:
    """The visitor has been served; the time since the last call feeds the wait estimate."""
    now = ctx.now()
    values = {Ticket.state: TicketState.FINISHED.value, Ticket.finished_at: now}
    async with tickets.write():
        row = await _change(office_id, ticket_id, values, [CALLED])
        seconds = max(0, int((now - row["called_at"]).total_seconds()))
        await Ticket.update({Ticket.service_seconds: seconds}).where(Ticket.id == row["id"])
        await _record(row, "finished", ctx, actor)
    return await _publish(row, "finished", ctx, channels)


async def _call(
    desk_id: int, which: Any, states: Sequence[TicketState], ctx: QueueContext, actor: str
) -> tickets.Row | None:
    """Call the ticket `which` selects to the desk, with its timeline event; None if no
    ticket matched."""
    values: dict[Any, Any] = {
        Ticket.state: CALLED.value,
        Ticket.desk_id: desk_id,
        Ticket.target_desk_id: None,
        Ticket.called_at: ctx.now(),
        Ticket.recalls: 0,
    }
    try:
        async with tickets.write():
            busy = await Ticket.exists().where(
                (Ticket.desk_id == desk_id) & (Ticket.state == CALLED.value)
            )
            if busy:
                raise DeskBusy()
            rows = (
                await Ticket.update(values)
                .where(which, Ticket.state.is_in([state.value for state in states]))
                .returning(*Ticket.all_columns())
            )
            if rows:
                await _record(dict(rows[0]), "called", ctx, actor)
    except (UniqueViolationError, sqlite3.IntegrityError):
        # Another press at the same desk called a ticket first (the partial unique index).
        raise DeskBusy() from None
    return dict(rows[0]) if rows else None


async def _update(
    office_id: int,
    ticket_id: int,
    values: Mapping[Any, Any],
    states: Sequence[TicketState],
    where: Any = None,
) -> list[dict[str, Any]]:
    query = (
        Ticket.update(dict(values))
        .where(Ticket.id == ticket_id)
        .where(Ticket.office_id == office_id)
        .where(Ticket.state.is_in([state.value for state in states]))
    )
    if where is not None:
        query = query.where(where)
    return list(await query.returning(*Ticket.all_columns()))


async def _change(
    office_id: int, ticket_id: int, values: Mapping[Any, Any], states: Sequence[TicketState]
) -> tickets.Row:
    rows = await _update(office_id, ticket_id, values, states)
    if not rows:
        await _explain(office_id, ticket_id)
    return dict(rows[0])


async def _explain(office_id: int, ticket_id: int) -> NoReturn:
    """Why a conditional update matched nothing: no such ticket, or the wrong state."""
    await tickets.by_id(office_id, ticket_id)
    raise TicketStateConflict()


async def _record(row: tickets.Row, kind: EventType, ctx: QueueContext, actor: str) -> None:
    """The case's timeline entry, written in the transaction of the change."""
    await cases.append_event(
        row["case_id"],
        _KINDS[kind],
        channel=Channel.CLERK,
        clock=ctx.clock,
        actor=actor,
        data={"ticket": row["number"], "desk": await desks.label_of(row["desk_id"])},
        citizen_visible=kind in ("called", "recalled", "finished"),
    )


async def _notify_called(row: tickets.Row, ctx: QueueContext) -> None:
    """A CALLED push notice ("please come to desk …") to the ticket's case, after the call
    has committed. The call stands whatever happens here: a failure is only logged."""
    now = ctx.now()
    try:
        await push.notify_case(
            row["case_id"],
            push_kinds.CALLED,
            settings=ctx.settings,
            now=now,
            expires_at=now + CALLED_NOTICE_LIFETIME,
            topic=f"ticket:{row['id']}",
            params={"desk": await desks.label_of(row["desk_id"]) or ""},
        )
    except Exception:  # the desk's call matters more than the phone's buzz
        log.exception("queue: the push notice for ticket %s was not queued", row["id"])


async def _publish(
    row: tickets.Row, kind: EventType, ctx: QueueContext, channels: Channels | None
) -> TicketView:
    """The live event, after the change has committed; desks only for calls."""
    label = await desks.label_of(row["desk_id"]) if kind in ("called", "recalled") else None
    office_id = row["office_id"]
    await events.publish(
        channels, office_id, events.event(kind, row["number"], label, office_id, ctx.now())
    )
    return tickets.view(row)
