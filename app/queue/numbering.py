"""Ticket numbers: a letter for the service group and a running number per office, Berlin
day and group, e.g. "A-017".

The letter comes from the queue's own mapping (`ServiceGroup`) and, for a service not
mapped there, from the catalogue's default letter of the service.

A number is taken like a case reference: the counter row of (office, day, group) is
created if missing (`INSERT … ON CONFLICT DO NOTHING`, the unique index decides), then
bumped by one `UPDATE … SET last_number = last_number + 1 … RETURNING last_number`.
The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite, inside the
caller's IMMEDIATE transaction), so concurrent drawers take turns and each gets the next
number; inside the ticket's transaction a number is used up only if the ticket is saved.
The unique index on (office, day, number) of the tickets is the second guard.
"""

from __future__ import annotations

import re
from datetime import date

from app.catalogue import service as catalogue
from app.queue.errors import InvalidGroupLetter
from app.queue.tables import ServiceGroup, TicketCounter

_LETTER = re.compile(r"[A-Z]")


async def group_letter(service_id: int) -> str:
    """The letter of the service's group: the queue's mapping, else the catalogue's."""
    row = (
        await ServiceGroup.select(ServiceGroup.group_letter)
        .where(ServiceGroup.service_id == service_id)
        .first()
    )
    if row is not None:
        return str(row["group_letter"])
    letter = (await catalogue.get_service_by_id(service_id, "de")).ticket_letter.upper()
    return letter if _LETTER.fullmatch(letter) else "A"


async def set_group(service_id: int, letter: str) -> None:
    """Put a service into the group `letter` (one capital A–Z) from now on."""
    if not _LETTER.fullmatch(letter):
        raise InvalidGroupLetter(field="group_letter")
    await catalogue.get_service_by_id(service_id, "de")  # ServiceNotFound for a bad id
    await ServiceGroup.insert(ServiceGroup(service_id=service_id, group_letter=letter)).on_conflict(
        target=ServiceGroup.service_id,
        action="DO UPDATE",
        values=[ServiceGroup.group_letter],
    )


async def next_number(office_id: int, day: date, letter: str) -> tuple[int, str]:
    """The next (sequence, number) of the group on that day; call inside a write
    transaction, so that the number is only used if the ticket is saved."""
    await TicketCounter.insert(
        TicketCounter(office_id=office_id, day=day, group_letter=letter, last_number=0)
    ).on_conflict(
        target=(TicketCounter.office_id, TicketCounter.day, TicketCounter.group_letter),
        action="DO NOTHING",
    )
    rows = (
        await TicketCounter.update({TicketCounter.last_number: TicketCounter.last_number + 1})
        .where(TicketCounter.office_id == office_id)
        .where(TicketCounter.day == day)
        .where(TicketCounter.group_letter == letter)
        .returning(TicketCounter.last_number)
    )
    sequence = int(rows[0]["last_number"])
    return sequence, f"{letter}-{sequence:03d}"
