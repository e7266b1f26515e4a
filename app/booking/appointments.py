"""Appointment rows: inserted with a fresh booking code, changed only conditionally.

A state change is one `UPDATE … WHERE id = ? AND state IN (…) [AND …] RETURNING *`: if
someone else changed the row first, nothing matches and the caller learns it from the
empty answer, never from a read that may already be stale.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from piccolo.columns.combination import Where
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine

from app.booking.contacts import booking_code
from app.booking.errors import AlreadyBooked
from app.booking.tables import Appointment
from app.core.database import write_transaction

Row = dict[str, Any]
# The states the "one active booking per contact and service" index covers.
ACTIVE = ("held", "confirmed")
_CODE_ATTEMPTS = 8
_SQLITE_WRITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def engine() -> Engine[Any]:
    """The database the booking tables are bound to, for the booking's transactions."""
    db: Engine[Any] = Appointment._meta.db
    return db


@asynccontextmanager
async def write() -> AsyncIterator[Any]:
    """A write transaction on the booking tables' database; nested, it joins the outer one.

    On SQLite (one process per file) the booking's writers also queue on an asyncio lock
    before BEGIN IMMEDIATE: a rush of holds then waits in line instead of polling the
    file lock with SQLite's busy handler, which under hundreds of waiters costs seconds.
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


async def insert(values: Mapping[str, Any]) -> int:
    """Insert an appointment with a fresh booking code; returns its id.

    `ON CONFLICT DO NOTHING` answers both unique rules without an error that would spoil a
    PostgreSQL transaction: an empty answer is either the contact's active booking of the
    service (AlreadyBooked; a concurrent insert by the same contact has been waited for and
    is visible now) or, once in a hundred million, a code that exists: then a new code.
    """
    for _attempt in range(_CODE_ATTEMPTS):
        rows = (
            await Appointment.insert(Appointment(**values, code=booking_code()))
            .on_conflict(action="DO NOTHING")
            .returning(Appointment.id)
        )
        if rows:
            return int(rows[0]["id"])
        key = values.get("contact_key")
        if key and values.get("state") in ACTIVE and await has_active(key, values["service"]):
            raise AlreadyBooked(field="email")
    raise RuntimeError("no free booking code found")  # astronomically unlikely


async def has_active(contact_key: str, service_id: int) -> bool:
    return bool(
        await Appointment.exists()
        .where(Appointment.contact_key == contact_key)
        .where(Appointment.service == service_id)
        .where(Appointment.state.is_in(list(ACTIVE)))
    )


async def change(
    appointment_id: int,
    values: Mapping[Any, Any],
    *,
    states: Sequence[str],
    now: datetime,
    where: Where | Any | None = None,
) -> Row | None:
    """Apply `values` if the appointment is in one of `states` (and `where` holds);
    returns the changed row, or None when nothing matched."""
    query = (
        Appointment.update({**values, Appointment.updated_at: now})
        .where(Appointment.id == appointment_id)
        .where(Appointment.state.is_in(list(states)))
    )
    if where is not None:
        query = query.where(where)
    rows = await query.returning(*Appointment.all_columns())
    return dict(rows[0]) if rows else None


async def by_id(appointment_id: int) -> Row | None:
    row = await Appointment.select().where(Appointment.id == appointment_id).first()
    return None if row is None else dict(row)


async def by_token_id(token_id: str) -> Row | None:
    """The appointment an appointment token opens: the app's token or the mails' one."""
    row = (
        await Appointment.select()
        .where((Appointment.token_id == token_id) | (Appointment.mail_token_id == token_id))
        .first()
    )
    return None if row is None else dict(row)


async def by_confirm_token_id(token_id: str) -> Row | None:
    row = await Appointment.select().where(Appointment.confirm_token_id == token_id).first()
    return None if row is None else dict(row)
