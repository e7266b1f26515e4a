"""Taking and giving back desk units: the lock that makes a double booking impossible.

A unit is taken by inserting its row; the unique index on (desk, unit_start) lets exactly
one insert win, on SQLite and PostgreSQL alike, however many holds race for it. Every
function here runs inside the caller's write transaction, so a hold that fails half-way
takes nothing with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.booking.tables import DeskUnit

_LOTTERY = 0


@dataclass(frozen=True, slots=True)
class Lapsed:
    """A hold that lapsed unconfirmed and whose units another hold has just reclaimed."""

    appointment_id: int
    case_id: int | None


async def claim(
    appointment_id: int, desks: Sequence[int], units: Sequence[datetime], now: datetime
) -> tuple[int | None, list[Lapsed]]:
    """Take `units` for the appointment on the first desk where all of them are free.

    Returns the desk (None if every desk was taken) and the lapsed holds reclaimed on
    the way. Desks are tried in ascending id order in every transaction, so two holds
    waiting on each other's uncommitted units can never wait in a cycle.
    """
    reclaimed: list[Lapsed] = []
    for desk in sorted(desks):
        if await insert(appointment_id, desk, units):
            return desk, reclaimed
        lapsed = await reclaim_lapsed(desk, units, now)
        reclaimed.extend(lapsed)
        if lapsed and await insert(appointment_id, desk, units):
            return desk, reclaimed
    return None, reclaimed


async def still_free(
    desks: Sequence[int], units: Sequence[datetime], now: datetime, *, office: int, channel: str
) -> list[int] | None:
    """The desks (ascending) on which none of `units` is held by a live appointment, or
    None when a pending lottery release keeps the slot back from the public.

    Read inside the hold's write transaction, in one query: a lost race then costs this
    one SELECT. It decides nothing: the inserts in `claim` do.
    """
    marks = ", ".join(["{}"] * len(desks))
    unit_marks = ", ".join(["{}"] * len(units))
    rows = await DeskUnit.raw(
        "SELECT DISTINCT u.desk FROM booking_desk_unit u "  # noqa: S608
        "JOIN booking_appointment a ON a.id = u.appointment "
        f"WHERE u.desk IN ({marks}) AND u.unit_start IN ({unit_marks}) "
        "AND (a.state <> 'held' OR a.hold_expires_at > {}) "
        # Desk ids start at 1: a row with desk 0 says "kept for a lottery".
        "UNION ALL SELECT 0 FROM booking_release r WHERE r.office = {} AND r.channel = {} "
        "AND r.state = 'pending' AND r.slots_from <= {} AND r.slots_to > {}",
        *desks,
        *units,
        now,
        office,
        channel,
        units[0],
        units[0],
    )
    busy = {int(row["desk"]) for row in rows}
    if _LOTTERY in busy:
        return None
    return sorted(desk for desk in desks if desk not in busy)


async def insert(appointment_id: int, desk: int, units: Sequence[datetime]) -> bool:
    """Take all of `units` on `desk`, or none: True if every one was free.

    One INSERT … ON CONFLICT DO NOTHING RETURNING: the rows it returns are ours; if that
    is fewer than asked, ours are deleted again in the same transaction.
    """
    values = ", ".join(["({}, {}, {})"] * len(units))
    params: list[object] = []
    for unit in units:
        params.extend((desk, unit, appointment_id))
    rows = await DeskUnit.raw(
        # Only the placeholder list is formatted in; every value is a bound parameter.
        f"INSERT INTO booking_desk_unit (desk, unit_start, appointment) VALUES {values} "  # noqa: S608
        "ON CONFLICT (desk, unit_start) DO NOTHING RETURNING id",
        *params,
    )
    if len(rows) == len(units):
        return True
    if rows:
        await DeskUnit.delete().where(DeskUnit.id.is_in([row["id"] for row in rows]))
    return False


async def reclaim_lapsed(desk: int, units: Sequence[datetime], now: datetime) -> list[Lapsed]:
    """Expire the lapsed holds that sit on any of `units` of `desk`, and free their units.

    The conditional UPDATE is what makes this safe against a confirm arriving at the same
    moment: on PostgreSQL it waits for the confirming transaction and then no longer
    matches a row that is confirmed; on SQLite the write lock orders the two.
    """
    marks = ", ".join(["{}"] * len(units))
    rows = await DeskUnit.raw(
        "UPDATE booking_appointment SET state = 'expired', updated_at = {} "  # noqa: S608
        "WHERE state = 'held' AND hold_expires_at <= {} AND id IN ("
        "SELECT appointment FROM booking_desk_unit "
        f"WHERE desk = {{}} AND unit_start IN ({marks})) RETURNING id, case_id",
        now,
        now,
        desk,
        *units,
    )
    lapsed = [Lapsed(int(row["id"]), row["case_id"]) for row in rows]
    if lapsed:
        await DeskUnit.delete().where(
            DeskUnit.appointment.is_in([hold.appointment_id for hold in lapsed])
        )
    return lapsed


async def give_back(appointment_id: int) -> list[tuple[int, datetime]]:
    """Free every unit of the appointment; returns what was freed as (desk, unit_start).

    Until the transaction commits, nobody else can take the freed units: a concurrent
    insert of the same key waits for us. So a caller may hand them straight on.
    """
    rows = (
        await DeskUnit.delete()
        .where(DeskUnit.appointment == appointment_id)
        .returning(DeskUnit.desk, DeskUnit.unit_start)
    )
    return sorted((int(row["desk"]), row["unit_start"]) for row in rows)
