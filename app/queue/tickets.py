"""Ticket rows: inserted with the next number, read back, and the queue's write
transaction. Shared by `service` (drawing, check-in, reading) and `calling` (desks)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import msgspec
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine

from app.cases import service as cases
from app.core.clock import BERLIN
from app.core.database import write_transaction
from app.core.tokens import TokenKind
from app.queue import numbering
from app.queue.context import QueueContext
from app.queue.errors import TicketNotFound
from app.queue.schemas import Ticket as TicketView
from app.queue.schemas import TicketKind
from app.queue.tables import Ticket

Row = dict[str, Any]
# A ticket's QR code outlives its day a little, so a visitor can look back at it.
TOKEN_LIFETIME = timedelta(hours=36)
_SQLITE_WRITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def engine() -> Engine[Any]:
    db: Engine[Any] = Ticket._meta.db
    return db


@asynccontextmanager
async def write() -> AsyncIterator[Any]:
    """A write transaction on the queue's database; nested, it joins the outer one.

    On SQLite (one process per file) the queue's writers queue on an asyncio lock before
    BEGIN IMMEDIATE: hundreds of desks pressing "call next" then wait in line instead of
    polling the file lock with SQLite's busy handler. On PostgreSQL the rows are the locks.
    """
    db = engine()
    if not isinstance(db, SQLiteEngine) or db.current_transaction.get() is not None:
        async with write_transaction(db) as transaction:
            yield transaction
        return
    loop = asyncio.get_running_loop()
    lock = _SQLITE_WRITERS.get(loop)
    if lock is None:
        lock = _SQLITE_WRITERS[loop] = asyncio.Lock()
    async with lock, write_transaction(db) as transaction:
        yield transaction


def berlin_day(at: datetime) -> Any:
    return at.astimezone(BERLIN).date()


async def insert(
    *,
    office_id: int,
    service_id: int,
    case_id: int,
    kind: TicketKind,
    sort_at: datetime,
    ctx: QueueContext,
    actor: str | None,
    appointment: tuple[int, datetime] | None = None,
) -> tuple[Row, str]:
    """A new waiting ticket with the next number of its group, and its token; call inside
    `write()`, so that number, ticket and token are saved together or not at all."""
    now = ctx.now()
    day = berlin_day(now)
    letter = await numbering.group_letter(service_id)
    sequence, number = await numbering.next_number(office_id, day, letter)
    token = await cases.issue_token(
        case_id, TokenKind.TICKET, ctx.signer, now + TOKEN_LIFETIME, clock=ctx.clock
    )
    claims = ctx.signer.verifier.verify(token, kind=TokenKind.TICKET, now=now)
    rows = await Ticket.insert(
        Ticket(
            office_id=office_id,
            service_id=service_id,
            case_id=case_id,
            day=day,
            group_letter=letter,
            sequence=sequence,
            number=number,
            kind=kind.value,
            appointment_id=appointment[0] if appointment else None,
            appointment_at=appointment[1] if appointment else None,
            state="waiting",
            sort_at=sort_at,
            recalls=0,
            token_id=claims.id,
            drawn_by=actor,
            drawn_at=now,
        )
    ).returning(*Ticket.all_columns())
    return dict(rows[0]), token


async def by_id(office_id: int, ticket_id: int) -> Row:
    """A ticket of the office; TicketNotFound for any other id."""
    row = (
        await Ticket.select()
        .where(Ticket.id == ticket_id)
        .where(Ticket.office_id == office_id)
        .first()
    )
    if row is None:
        raise TicketNotFound()
    return dict(row)


def view(row: Row) -> TicketView:
    return msgspec.convert(row, TicketView)
