"""The counters of an office and the services each offers, as the queue needs them.

The catalogue offers no read of an office's desks with their services yet, so this one
query reads its tables directly (read-only, plain SQL like the catalogue's own capacity
query); it belongs in `app.catalogue.service` once the catalogue has such a function.
"""

from __future__ import annotations

from typing import Any

from app.queue.errors import DeskNotFound
from app.queue.schemas import Desk
from app.queue.tables import Ticket

_DESKS = (
    "SELECT d.id AS desk_id, d.label, ds.service AS service_id FROM catalogue_desk d "
    "LEFT JOIN catalogue_desk_service ds ON ds.desk = d.id "
    "WHERE d.office = {} AND d.active = {} AND d.channel = {}"
)


async def office_desks(office_id: int) -> list[Desk]:
    """The active in-person desks of an office, by id, each with its services."""
    rows = await Ticket.raw(_DESKS + " ORDER BY d.id, ds.service", office_id, True, "in_person")
    return _desks(rows)


async def desk_of(office_id: int, desk_id: int) -> Desk:
    """One active desk of the office; DeskNotFound for any other id."""
    rows = await Ticket.raw(
        _DESKS + " AND d.id = {} ORDER BY ds.service", office_id, True, "in_person", desk_id
    )
    if not rows:
        raise DeskNotFound(field="desk_id")
    return _desks(rows)[0]


def _desks(rows: list[dict[str, Any]]) -> list[Desk]:
    desks: dict[int, Desk] = {}
    for row in rows:
        desk = desks.setdefault(
            row["desk_id"], Desk(id=row["desk_id"], label=row["label"], service_ids=[])
        )
        if row["service_id"] is not None:
            desk.service_ids.append(row["service_id"])
    return list(desks.values())


async def label_of(desk_id: int | None) -> str | None:
    """What the call display shows for a desk, e.g. 'Schalter 3'."""
    if desk_id is None:
        return None
    rows = await Ticket.raw("SELECT label FROM catalogue_desk WHERE id = {}", desk_id)
    return str(rows[0]["label"]) if rows else None
