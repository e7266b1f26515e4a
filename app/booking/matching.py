"""Which waiting entries a freed slot can serve, in line order, each claimed as it is found.

A freed slot (a desk's units from a start) can serve an entry for any service that the
desk offers on the slot's channel, whose length with the buffer fits in the freed units,
and that lies inside the office's opening hours that day; the entry must accept the
slot's day and office. Among those, the first in line (queued_at, draw_rank, id) is
served. What the offer leaves over is a smaller freed slot, served the same way.

The line is read forward only, with a keyset cursor, and each entry is claimed by a
conditional `UPDATE … WHERE state = 'waiting'`. So a handover takes its entries' row
locks in line order, and two handovers running at once can wait on each other but never
in a cycle; the loser of a claim moves on to the next entry.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.booking import availability, calendar
from app.booking.context import BookingContext
from app.booking.tables import WaitlistEntry
from app.catalogue import service as catalogue
from app.catalogue.schemas import Service

_BATCH = 100


@dataclass(frozen=True, slots=True)
class Freed:
    """A slot just given back: where and when, and the units it occupied."""

    service_id: int
    office_id: int
    desk: int
    channel: str
    starts_at: datetime
    ends_at: datetime
    units: list[datetime]


@dataclass(frozen=True, slots=True)
class Match:
    """A claimed entry (now `offered`) and the part of the slot it is to be offered."""

    entry: dict[str, Any]
    part: Freed


def rest(slot: Freed, part: Freed) -> Freed | None:
    """What is left of `slot` after `part` (a prefix of its units), or None."""
    left = slot.units[len(part.units) :]
    if not left:
        return None
    return replace(slot, starts_at=left[0], ends_at=max(slot.ends_at, left[0]), units=left)


class Line:
    """The waiting line as one handover reads it: forward, never back."""

    def __init__(self, ctx: BookingContext, now: datetime) -> None:
        self._ctx = ctx
        self._now = now
        self._rows: deque[dict[str, Any]] = deque()
        self._after: tuple[datetime, int, int] | None = None
        self._read_all = False
        self._parts: dict[tuple[int, datetime, int], Freed | None] = {}

    async def claim_first(self, slot: Freed) -> Match | None:
        """The first entry after those already passed that `slot` can serve, claimed.

        An entry passed over stays passed for the slot's remnants too: a remnant is a
        later, shorter part of the same desk's time, so what did not fit the whole does
        not fit a remnant either.
        """
        while True:
            if not self._rows:
                if self._read_all:
                    return None
                await self._read(slot)
                continue
            row = self._rows.popleft()
            if not _wants(row, slot):
                continue
            part = await self._part(slot, row["service"])
            if part is not None and await _claim(row["id"], self._now):
                return Match(row, part)

    async def _read(self, slot: Freed) -> None:
        day = calendar.berlin_date(slot.starts_at)
        query = (
            WaitlistEntry.select()
            .where(WaitlistEntry.state == "waiting")
            .where(WaitlistEntry.channel == slot.channel)
            .where(WaitlistEntry.first_day <= day)
            .where(WaitlistEntry.last_day >= day)
        )
        if self._after is not None:
            queued, rank, own = self._after
            query = query.where(
                (WaitlistEntry.queued_at > queued)
                | ((WaitlistEntry.queued_at == queued) & (WaitlistEntry.draw_rank > rank))
                | (
                    (WaitlistEntry.queued_at == queued)
                    & (WaitlistEntry.draw_rank == rank)
                    & (WaitlistEntry.id > own)
                )
            )
        rows = await (
            query.order_by(WaitlistEntry.queued_at, WaitlistEntry.draw_rank, WaitlistEntry.id)
            .limit(_BATCH)
            .output(load_json=True)
        )
        self._rows.extend(dict(row) for row in rows)
        if rows:
            last = rows[-1]
            self._after = (last["queued_at"], last["draw_rank"], last["id"])
        self._read_all = len(rows) < _BATCH

    async def _part(self, slot: Freed, service_id: int) -> Freed | None:
        key = (service_id, slot.starts_at, len(slot.units))
        if key not in self._parts:
            self._parts[key] = await part_for(slot, service_id, self._ctx)
        return self._parts[key]


async def part_for(slot: Freed, service_id: int, ctx: BookingContext) -> Freed | None:
    """The part of `slot` an appointment for the service would take (its first units),
    or None when the desk does not offer it, it does not fit, or the office is not open."""
    rules, lookups = ctx.rules, ctx.lookups
    service = await _service(service_id, ctx)
    if service is None or not _on_channel(service, slot.channel):
        return None
    need = rules.units_for(service.duration_minutes)
    start = calendar.index_of(slot.starts_at, rules.unit_minutes)
    wanted = [calendar.start_of(unit, rules.unit_minutes) for unit in range(start, start + need)]
    if slot.units[:need] != wanted:
        return None  # longer than what was freed
    day = calendar.berlin_date(slot.starts_at)
    cap = await availability.capacity(service_id, slot.channel, day, day, [slot.office_id], lookups)
    if slot.desk not in cap.desks.get(slot.office_id, ()):
        return None
    found = calendar.openings(cap, day, day, rules.unit_minutes)
    if not calendar.fits(found, slot.office_id, start, need):
        return None  # closed that day, or the time lies outside the opening hours
    return Freed(
        service_id=service_id,
        office_id=slot.office_id,
        desk=slot.desk,
        channel=slot.channel,
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + timedelta(minutes=service.duration_minutes),
        units=wanted,
    )


async def _service(service_id: int, ctx: BookingContext) -> Service | None:
    lang = ctx.settings.default_language

    async def load() -> Service | None:
        try:
            return await catalogue.get_service_by_id(service_id, lang)
        except catalogue.ServiceNotFound:
            return None

    return await ctx.lookups.get(("service-id", service_id, lang), load)


def _on_channel(service: Service, channel: str) -> bool:
    return service.channels.video if channel == "video" else service.channels.in_person


def _wants(row: Mapping[str, Any], slot: Freed) -> bool:
    """Whether the entry accepts the slot's office (its days were asked in the query)."""
    offices = row["offices"]  # read with load_json: a list of ids; empty means any
    return not offices or slot.office_id in offices


async def _claim(entry_id: int, now: datetime) -> bool:
    claimed = await (
        WaitlistEntry.update({WaitlistEntry.state: "offered", WaitlistEntry.updated_at: now})
        .where((WaitlistEntry.id == entry_id) & (WaitlistEntry.state == "waiting"))
        .returning(WaitlistEntry.id)
    )
    return bool(claimed)
