"""Where a freed slot goes: first to the waitlist, strictly in order; only when nobody
waits, back to the public, and then only after a random delay, so that nobody can cancel
a slot into a friend's hands at an agreed moment.

A slot is handed on with its units: the caller has just given them back in its
transaction, and they are taken again here for the offer (or for a `withheld`
placeholder) before that transaction commits, so there is no moment in which anyone else
could take them. A slot in a pending lottery release goes back to the release's pool.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from app.booking import access, appointments, mails, matching, units, views
from app.booking.context import BookingContext
from app.booking.matching import Freed as Freed  # the lottery hands on slots too
from app.booking.tables import Appointment, Release, WaitlistEntry
from app.cases.schemas import Channel, EventKind
from app.core.tokens import TokenKind
from app.jobs import service as jobs

OFFER_LAPSE = "booking.offer_lapsed"
RELEASE_WITHHELD = "booking.release_withheld"
_RANDOM = secrets.SystemRandom()  # the delay must not be predictable

Outcome = Literal["offered", "withheld", "public"]


def freed(row: Mapping[str, Any], given_back: Sequence[tuple[int, datetime]]) -> Freed:
    return Freed(
        service_id=int(row["service"]),
        office_id=int(row["office"]),
        desk=int(row["desk"]),
        channel=row["channel"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        units=[unit for _desk, unit in given_back],
    )


async def hand_on(slot: Freed, ctx: BookingContext, *, withhold: bool = True) -> Outcome:
    """Offer the slot to the first waiting entry it can serve (see `matching`), what is
    left of it to the next, and so on; withhold what nobody can use for a random delay
    (or, with `withhold=False`, leave it free). Runs in the caller's transaction."""
    now = ctx.now()
    if not slot.units or slot.starts_at < now + ctx.rules.min_notice:
        return "public"  # too soon for anyone to accept, and for anyone else to book
    if await _in_pending_release(slot):
        return "public"  # not bookable by the public: the release's draw will use it
    line = matching.Line(ctx, now)
    left: Freed | None = slot
    outcome: Outcome = "public"
    while left is not None:
        found = await line.claim_first(left)
        if found is None:
            break
        deadline = min(now + ctx.rules.offer, found.part.starts_at - ctx.rules.min_notice)
        if await offer(found.entry, found.part, ctx, deadline=deadline) is None:
            await WaitlistEntry.update({WaitlistEntry.state: "waiting"}).where(
                WaitlistEntry.id == found.entry["id"]
            )
            return outcome  # the units were not free after all: nobody can have them
        outcome = "offered"
        left = matching.rest(left, found.part)
    if left is None or not withhold:
        return outcome
    await _withhold(left, ctx)
    return "offered" if outcome == "offered" else "withheld"


async def end_hold(appointment_id: int, ctx: BookingContext, *, declined: bool) -> bool:
    """A hold ends unconfirmed: it lapsed (its job, at `hold_expires_at`) or the citizen
    declined it by the mail's link. Its slot goes the way of a cancelled one: to the
    waitlist first, else back to the public after a random delay; never straight back."""
    now = ctx.now()
    async with appointments.write():
        row = await appointments.change(
            appointment_id,
            {Appointment.state: "cancelled" if declined else "expired"},
            states=["held"],
            now=now,
            # A decline after the deadline is too late: the lapse does it, once.
            where=(Appointment.hold_expires_at > now)
            if declined
            else (Appointment.hold_expires_at <= now),
        )
        if row is None:
            return False
        await hand_on(freed(row, await units.give_back(appointment_id)), ctx)
        if declined:
            await access.record(row["case_id"], EventKind.APPOINTMENT_CANCELLED, ctx, Channel.PWA)
        else:
            await access.record(row["case_id"], EventKind.APPOINTMENT_EXPIRED, ctx, Channel.SYSTEM)
    return True


async def offer(
    entry: Mapping[str, Any], slot: Freed, ctx: BookingContext, *, deadline: datetime
) -> int | None:
    """Hold the slot for the entry as an `offered` appointment, mail the offer and book
    its lapse; returns the appointment id, or None when the units are no longer free."""
    now = ctx.now()
    token, claims = ctx.signer.mint(TokenKind.APPOINTMENT, expires_at=deadline)
    appointment_id = await appointments.insert(
        _values(slot, now, state="offered", until=deadline)
        | {
            "email": entry["email"],
            "contact_key": entry["contact_key"],
            "language": entry["language"],
            "confirm_token_id": claims.id,
        }
    )
    if not await units.insert(appointment_id, slot.desk, slot.units):
        await Appointment.delete().where(Appointment.id == appointment_id)
        return None
    await WaitlistEntry.update(
        {
            WaitlistEntry.state: "offered",
            WaitlistEntry.appointment: appointment_id,
            WaitlistEntry.updated_at: now,
        }
    ).where(WaitlistEntry.id == entry["id"])
    await jobs.enqueue(
        OFFER_LAPSE,
        {"appointment": appointment_id},
        due_at=deadline,
        now=now,
        dedupe_key=f"{OFFER_LAPSE}:{appointment_id}",
    )
    row = await appointments.by_id(appointment_id)
    assert row is not None  # inserted above, in this transaction
    item = await views.load(row, lookups=ctx.lookups)
    await mails.offer(item, settings=ctx.settings, confirm_token=token, now=now)
    return appointment_id


async def offer_lapsed(appointment_id: int, ctx: BookingContext) -> bool:
    """The offer was not accepted in time: the entry leaves the line, the slot moves on."""
    return await _end_offer(appointment_id, ctx, state="expired", entry_state="expired")


async def decline(appointment_id: int, ctx: BookingContext) -> bool:
    """The citizen said no to the offer: the entry leaves the line, the slot moves on."""
    return await _end_offer(appointment_id, ctx, state="cancelled", entry_state="declined")


async def release_withheld(appointment_id: int, ctx: BookingContext) -> bool:
    """The delay is over: the slot goes to whoever joined the line meanwhile, else free."""
    now = ctx.now()
    async with appointments.write():
        row = await appointments.change(
            appointment_id,
            {Appointment.state: "expired", Appointment.hold_expires_at: None},
            states=["withheld"],
            now=now,
            where=Appointment.hold_expires_at <= now,
        )
        if row is None:
            return False
        await hand_on(freed(row, await units.give_back(appointment_id)), ctx, withhold=False)
    return True


async def booked(appointment_id: int, now: datetime) -> None:
    """The offer was accepted: its entry is served."""
    await WaitlistEntry.update(
        {WaitlistEntry.state: "booked", WaitlistEntry.updated_at: now}
    ).where((WaitlistEntry.appointment == appointment_id) & (WaitlistEntry.state == "offered"))


async def _end_offer(
    appointment_id: int, ctx: BookingContext, *, state: str, entry_state: str
) -> bool:
    now = ctx.now()
    lapsing = Appointment.hold_expires_at <= now if state == "expired" else None
    async with appointments.write():
        row = await appointments.change(
            appointment_id,
            {Appointment.state: state, Appointment.hold_expires_at: None},
            states=["offered"],
            now=now,
            where=lapsing,
        )
        if row is None:
            return False
        await WaitlistEntry.update(
            {WaitlistEntry.state: entry_state, WaitlistEntry.updated_at: now}
        ).where((WaitlistEntry.appointment == appointment_id) & (WaitlistEntry.state == "offered"))
        await hand_on(freed(row, await units.give_back(appointment_id)), ctx)
    return True


async def _withhold(slot: Freed, ctx: BookingContext) -> None:
    now = ctx.now()
    rules = ctx.rules
    delay = _RANDOM.randint(
        rules.release_delay_min_minutes * 60, rules.release_delay_max_minutes * 60
    )
    release_at = now + timedelta(seconds=delay)
    appointment_id = await appointments.insert(
        _values(slot, now, state="withheld", until=release_at)
        | {"language": ctx.settings.default_language}
    )
    if not await units.insert(appointment_id, slot.desk, slot.units):
        raise RuntimeError("a freed unit was taken inside its own transaction")
    await jobs.enqueue(
        RELEASE_WITHHELD,
        {"appointment": appointment_id},
        due_at=release_at,
        now=now,
        dedupe_key=f"{RELEASE_WITHHELD}:{appointment_id}",
    )


def _values(slot: Freed, now: datetime, *, state: str, until: datetime) -> dict[str, Any]:
    return {
        "case_id": None,
        "office": slot.office_id,
        "service": slot.service_id,
        "desk": slot.desk,
        "channel": slot.channel,
        "state": state,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "hold_expires_at": until,
        "created_at": now,
        "updated_at": now,
    }


async def _in_pending_release(slot: Freed) -> bool:
    return bool(
        await Release.exists()
        .where(Release.office == slot.office_id)
        .where(Release.channel == slot.channel)
        .where(Release.state == "pending")
        .where(Release.slots_from <= slot.starts_at)
        .where(Release.slots_to > slot.starts_at)
    )
