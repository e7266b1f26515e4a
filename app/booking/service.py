"""The life of an appointment: hold, look up, move, cancel, lapse (confirming is in
`confirmation`).

Routes and other domains call these. Every change is one write transaction that either
does all of it — units, appointment row, case timeline, jobs and mails — or nothing.
Units are the lock (see `units`); state changes are conditional UPDATEs (see
`appointments`).
"""

from __future__ import annotations

from app.booking import access, appointments, availability, handover, links, mails, units, views
from app.booking.contacts import checked_email, contact_key
from app.booking.context import BookingContext
from app.booking.errors import (
    CaseServiceMismatch,
    NotCancellable,
    NotReschedulable,
    SlotInLottery,
    SlotTaken,
)
from app.booking.schemas import Appointment as AppointmentView
from app.booking.schemas import Hold, HoldCreate, Reschedule
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.core.qrcodes import qr_svg
from app.core.tokens import TokenKind
from app.jobs import service as jobs

HOLD_LAPSE = "booking.hold_lapsed"


async def hold(data: HoldCreate, ctx: BookingContext, *, language: str) -> Hold:
    """Hold a free slot for a few minutes and open (or join) its case.

    Raises the slot errors of `availability.check_slot`, SlotTaken when every desk was
    taken first, AlreadyBooked for a second active booking of the contact and service,
    InvalidEmail, CaseServiceMismatch and the case service's errors; changes nothing then.
    """
    now = ctx.now()
    lang = data.language or language
    if lang not in ctx.settings.languages:
        raise cases.LanguageNotOffered(field="language")
    email = checked_email(data.email) if data.email is not None else None
    key = contact_key(email, ctx.settings.secret_key) if email else None
    service = await availability.service_on_offer(data.service, lang, ctx.lookups)
    case = None
    if data.case_token is not None:
        case = await cases.resolve_token(data.case_token, ctx.signer, clock=ctx.clock)
        if case.service_id != service.id:
            raise CaseServiceMismatch(field="case_token")
    offer = await availability.check_slot(
        service,
        data.office,
        data.channel,
        data.starts_at,
        rules=ctx.rules,
        now=now,
        lookups=ctx.lookups,
    )
    expires = now + ctx.rules.hold
    async with appointments.write():
        desks = await _free_desks(offer)
        appointment_id = await appointments.insert(
            {
                "case_id": None,
                "office": offer.office.id,
                "service": service.id,
                "desk": desks[0],
                "channel": offer.channel,
                "state": "held",
                "starts_at": offer.starts_at,
                "ends_at": offer.ends_at,
                "hold_expires_at": expires,
                "language": lang,
                "email": email,
                "contact_key": key,
                "created_at": now,
                "updated_at": now,
            }
        )
        desk = await units.claim(appointment_id, desks, offer.units)
        if desk is None:
            raise SlotTaken(field="starts_at")  # rolls back the appointment row too
        if case is None:
            case = await cases.open_case(
                service.slug,
                language=lang,
                channel=Channel.PWA,
                settings=ctx.settings,
                clock=ctx.clock,
            )
        token = await cases.issue_token(case.id, TokenKind.APPOINTMENT, ctx.signer, clock=ctx.clock)
        confirm_token, confirm_id = access.mint_confirm_token(ctx, expires) if email else ("", None)
        row = await appointments.change(
            appointment_id,
            {
                Appointment.case_id: case.id,
                Appointment.desk: desk,
                Appointment.token_id: access.nonce(token, ctx),
                Appointment.confirm_token_id: confirm_id,
            },
            states=["held"],
            now=now,
        )
        assert row is not None  # inserted above, in this transaction
        item = views.booking(row, service, offer.office, case.reference)
        await access.record(case.id, EventKind.APPOINTMENT_BOOKED, ctx, Channel.PWA, item)
        await jobs.enqueue(
            HOLD_LAPSE,
            {"appointment": appointment_id},
            due_at=expires,
            now=now,
            dedupe_key=f"{HOLD_LAPSE}:{appointment_id}",
        )
        if email:
            await mails.confirm_request(
                item, settings=ctx.settings, token=token, confirm_token=confirm_token, now=now
            )
    # Committed: the reference of this case id is now a fact worth keeping.
    ctx.lookups.put(views.reference_key(case.id), case.reference)
    return Hold(token=token, appointment=views.view(item, ctx.settings, token, lang))


async def get(token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """The booking its token opens, with what to bring and its links."""
    return await access.shown(await access.by_token(token, ctx), ctx, token, lang)


async def calendar_file(token: str, ctx: BookingContext) -> str:
    """The booking as an iCalendar file with alarms, in the booking's language."""
    row = await access.by_token(token, ctx)
    return mails.calendar_file(
        await views.load(row, lookups=ctx.lookups), ctx.settings, token, ctx.now()
    )


async def qr_code(token: str, ctx: BookingContext) -> str:
    """The booking's link as a QR code (SVG), for the phone's screen or the kiosk."""
    row = await access.by_token(token, ctx)
    return qr_svg(links.manage_url(ctx.settings, row["language"], token))


async def cancel(token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """Cancel a held or confirmed booking before it starts; cancelling twice is fine.

    The freed slot goes to the waitlist first, else back to the public after a random
    delay (see `handover`). Raises NotCancellable once it has started or been served.
    """
    row = await access.by_token(token, ctx)
    now = ctx.now()
    async with appointments.write():
        changed = await appointments.change(
            row["id"],
            {
                Appointment.state: "cancelled",
                Appointment.hold_expires_at: None,
                Appointment.revision: Appointment.revision + 1,
            },
            states=["held", "confirmed"],
            now=now,
            where=Appointment.starts_at > now,
        )
        if changed is None:
            current = await access.reread(row)
            if current["state"] == "cancelled":
                return await access.shown(current, ctx, token, lang)
            raise NotCancellable()
        item = await views.load(changed, lookups=ctx.lookups)
        await handover.hand_on(handover.freed(changed, await units.give_back(row["id"])), ctx)
        await access.record(item.case_id, EventKind.APPOINTMENT_CANCELLED, ctx, Channel.PWA, item)
        await jobs.cancel(f"{HOLD_LAPSE}:{row['id']}")
        if row["state"] == "confirmed":
            await mails.cancelled(item, settings=ctx.settings, rules=ctx.rules, now=now)
    return await views.view_in(item, ctx.settings, token, lang)


async def reschedule(
    token: str, data: Reschedule, ctx: BookingContext, *, lang: str
) -> AppointmentView:
    """Move a confirmed booking: the new units are taken and the old ones given up in one
    transaction, so it ends with exactly one of the two times, never none or both.

    Raises NotReschedulable, the slot errors of `availability.check_slot` and SlotTaken.
    """
    row = await access.by_token(token, ctx)
    if row["state"] != "confirmed":
        raise NotReschedulable()
    now = ctx.now()
    before = await views.load(row, lookups=ctx.lookups)
    offer = await availability.check_slot(
        before.service,
        data.office or before.office.slug,
        data.channel or before.channel,
        data.starts_at,
        rules=ctx.rules,
        now=now,
        lookups=ctx.lookups,
    )
    async with appointments.write():
        locked = await appointments.change(
            row["id"], {}, states=["confirmed"], now=now, where=Appointment.starts_at > now
        )
        if locked is None:
            raise NotReschedulable()
        old = await units.give_back(row["id"])
        desk = await units.claim(row["id"], await _free_desks(offer), offer.units)
        if desk is None:
            raise SlotTaken(field="starts_at")  # rolls back: the old time is kept
        moved = await appointments.change(
            row["id"],
            {
                Appointment.office: offer.office.id,
                Appointment.desk: desk,
                Appointment.channel: offer.channel,
                Appointment.starts_at: offer.starts_at,
                Appointment.ends_at: offer.ends_at,
                Appointment.revision: Appointment.revision + 1,
            },
            states=["confirmed"],
            now=now,
        )
        assert moved is not None
        new_units = {(desk, unit) for unit in offer.units}
        if not new_units & set(old):  # an overlapping move frees a remnant, not a slot
            await handover.hand_on(handover.freed(locked, old), ctx)
        item = views.booking(moved, before.service, offer.office, before.reference)
        await access.record(item.case_id, EventKind.APPOINTMENT_MOVED, ctx, Channel.PWA, item)
        await mails.changed(
            item, before.starts_at, settings=ctx.settings, rules=ctx.rules, token=token, now=now
        )
    return await views.view_in(item, ctx.settings, token, lang)


async def lapse(appointment_id: int, ctx: BookingContext) -> bool:
    """A hold not confirmed in time expires (the job at `hold_expires_at`); its slot is
    handed on like a cancelled one: to the waitlist first, else withheld for a while."""
    return await handover.end_hold(appointment_id, ctx, declined=False)


async def _free_desks(offer: availability.Offer) -> list[int]:
    """Inside the transaction: the offer's desks still free, else SlotTaken/SlotInLottery."""
    desks = await units.still_free(
        offer.desks, offer.units, office=offer.office.id, channel=offer.channel
    )
    if desks is None:
        raise SlotInLottery(field="starts_at")
    if not desks:
        raise SlotTaken(field="starts_at")
    return desks
