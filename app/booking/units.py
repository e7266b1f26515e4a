"""Taking and giving back desk units: the lock that makes a double booking impossible.

A unit is taken by inserting its row; the unique index on (desk, unit_start) lets exactly
one insert win, on SQLite and PostgreSQL alike, however many holds race for it. Every
function here runs inside the caller's write transaction, so a hold that fails half-way
takes nothing with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.booking.tables import DeskUnit

_LOTTERY = 0


async def claim(appointment_id: int, desks: Sequence[int], units: Sequence[datetime]) -> int | None:
    """Take `units` for the appointment on the first desk where all of them are free;
    returns the desk, or None if every desk was taken.

    Desks are tried in ascending id order in every transaction, so two holds waiting on
    each other's uncommitted units can never wait in a cycle. The units of a hold that
    lapsed stay taken until its job hands them on (`handover.end_hold`): a lapsed hold's
    slot goes to the waitlist first, like a cancelled one, never straight to a new hold.
    """
    for desk in sorted(desks):
        if await insert(appointment_id, desk, units):
            return desk
    return None


async def still_free(
    desks: Sequence[int], units: Sequence[datetime], *, office: int, channel: str
) -> list[int] | None:
    """The desks (ascending) on which none of `units` is taken, or None when a pending
    lottery release keeps the slot back from the public.

    Read inside the hold's write transaction, in one query: a lost race then costs this
    one SELECT. It decides nothing: the inserts in `claim` do.
    """
    marks = ", ".join(["{}"] * len(desks))
    unit_marks = ", ".join(["{}"] * len(units))
    rows = await DeskUnit.raw(
        "SELECT DISTINCT u.desk FROM booking_desk_unit u "  # noqa: S608
        f"WHERE u.desk IN ({marks}) AND u.unit_start IN ({unit_marks}) "
        # Desk ids start at 1: a row with desk 0 says "kept for a lottery".
        "UNION ALL SELECT 0 FROM booking_release r WHERE r.office = {} AND r.channel = {} "
        "AND r.state = 'pending' AND r.slots_from <= {} AND r.slots_to > {}",
        *desks,
        *units,
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
