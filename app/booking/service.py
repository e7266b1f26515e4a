"""The life of an appointment: hold, confirm, look up, move, cancel, lapse.

Routes and other domains call these. Every change is one
write transaction that either does all of it — units, appointment row, case timeline,
jobs and mails — or nothing. Units are the lock (see `units`); state changes are
conditional UPDATEs (see `appointments`).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from asyncpg.exceptions import UniqueViolationError  # type: ignore[import-untyped]

from app.booking import appointments, availability, handover, links, mails, units, views
from app.booking.contacts import checked_email, contact_key
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyBooked,
    CaseServiceMismatch,
    ConfirmByEmail,
    HoldExpired,
    NotCancellable,
    NotConfirmable,
    NotReschedulable,
    SlotTaken,
)
from app.booking.schemas import Appointment as AppointmentView
from app.booking.schemas import Confirmed, Hold, HoldCreate, Reschedule
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.core.errors import InvalidToken
from app.core.qrcodes import qr_svg
from app.core.tokens import TokenKind
from app.jobs import service as jobs

HOLD_LAPSE = "booking.hold_lapsed"
# Looking a confirm token up ignores its expiry: the row's deadline decides, so a second
# click on a mail link after the deadline still shows the booking it confirmed.
_ANY_TIME = datetime.min.replace(tzinfo=UTC)


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
        desks = await units.still_free(offer.desks, offer.units, now)
        if not desks:
            raise SlotTaken(field="starts_at")
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
        desk, lapsed = await units.claim(appointment_id, desks, offer.units, now)
        if desk is None:
            raise SlotTaken(field="starts_at")  # rolls back the appointment row too
        for gone in lapsed:
            await _timeline(gone.case_id, EventKind.APPOINTMENT_EXPIRED, ctx, Channel.SYSTEM)
        if case is None:
            case = await cases.open_case(
                service.slug,
                language=lang,
                channel=Channel.PWA,
                settings=ctx.settings,
                clock=ctx.clock,
            )
        token = await cases.issue_token(case.id, TokenKind.APPOINTMENT, ctx.signer, clock=ctx.clock)
        confirm_token, confirm_id = _confirm_token(ctx, expires) if email else ("", None)
        row = await appointments.change(
            appointment_id,
            {
                Appointment.case_id: case.id,
                Appointment.desk: desk,
                Appointment.token_id: _nonce(token, ctx),
                Appointment.confirm_token_id: confirm_id,
            },
            states=["held"],
            now=now,
        )
        assert row is not None  # inserted above, in this transaction
        item = views.booking(row, service, offer.office, case.reference)
        await _timeline(case.id, EventKind.APPOINTMENT_BOOKED, ctx, Channel.PWA, item)
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
    return Hold(token=token, appointment=views.view(item, ctx.settings, token, lang))


async def confirm_in_app(token: str, ctx: BookingContext, *, lang: str) -> Confirmed:
    """Confirm a hold made without an e-mail address; with one, only the mail's link can
    (double opt-in): ConfirmByEmail. Raises HoldExpired once the hold has lapsed."""
    row = await _by_token(token, ctx)
    if row["email"]:
        raise ConfirmByEmail()
    item, _changed = await _confirm(row, ctx)
    return Confirmed(token=token, appointment=await views.view_in(item, ctx.settings, token, lang))


async def confirm_by_mail(confirm_token: str, ctx: BookingContext, *, lang: str) -> Confirmed:
    """Follow a mail's confirm link: confirm a held appointment, or accept an offered one.

    Hands out a fresh appointment token for the mails and this answer. Confirming twice
    shows the booking again. Raises InvalidToken, HoldExpired and AlreadyBooked.
    """
    row = await _by_confirm_token(confirm_token, ctx)
    if row["state"] == "confirmed":
        return Confirmed(token=None, appointment=await _view(row, ctx, None, lang))
    if row["state"] == "expired":
        raise HoldExpired()
    if row["state"] not in ("held", "offered"):
        raise NotConfirmable()
    token = await _confirm_by_mail(row, ctx)
    confirmed = await appointments.by_id(row["id"])
    assert confirmed is not None
    return Confirmed(token=token, appointment=await _view(confirmed, ctx, token, lang))


async def preview(confirm_token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """What a mail's confirm link is about, without changing anything (mail scanners)."""
    return await _view(await _by_confirm_token(confirm_token, ctx), ctx, None, lang)


async def decline(confirm_token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """Say no to an offered slot: it goes to the next in line."""
    row = await _by_confirm_token(confirm_token, ctx)
    await handover.decline(row["id"], ctx)
    return await _view(await _reread(row), ctx, None, lang)


async def get(token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """The booking its token opens, with what to bring and its links."""
    return await _view(await _by_token(token, ctx), ctx, token, lang)


async def calendar_file(token: str, ctx: BookingContext) -> str:
    """The booking as an iCalendar file with alarms, in the booking's language."""
    row = await _by_token(token, ctx)
    return mails.calendar_file(
        await views.load(row, lookups=ctx.lookups), ctx.settings, token, ctx.now()
    )


async def qr_code(token: str, ctx: BookingContext) -> str:
    """The booking's link as a QR code (SVG), for the phone's screen or the kiosk."""
    row = await _by_token(token, ctx)
    return qr_svg(links.manage_url(ctx.settings, row["language"], token))


async def cancel(token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """Cancel a held or confirmed booking before it starts; cancelling twice is fine.

    The freed slot goes to the waitlist first, else back to the public after a random
    delay (see `handover`). Raises NotCancellable once it has started or been served.
    """
    row = await _by_token(token, ctx)
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
            current = await _reread(row)
            if current["state"] == "cancelled":
                return await _view(current, ctx, token, lang)
            raise NotCancellable()
        item = await views.load(changed, lookups=ctx.lookups)
        await handover.hand_on(handover.freed(changed, await units.give_back(row["id"])), ctx)
        await _timeline(item.case_id, EventKind.APPOINTMENT_CANCELLED, ctx, Channel.PWA, item)
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
    row = await _by_token(token, ctx)
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
        ignore=row["id"],
        lookups=ctx.lookups,
    )
    async with appointments.write():
        locked = await appointments.change(
            row["id"], {}, states=["confirmed"], now=now, where=Appointment.starts_at > now
        )
        if locked is None:
            raise NotReschedulable()
        old = await units.give_back(row["id"])
        desk, lapsed = await units.claim(row["id"], offer.desks, offer.units, now)
        if desk is None:
            raise SlotTaken(field="starts_at")  # rolls back: the old time is kept
        for gone in lapsed:
            await _timeline(gone.case_id, EventKind.APPOINTMENT_EXPIRED, ctx, Channel.SYSTEM)
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
        await _timeline(item.case_id, EventKind.APPOINTMENT_MOVED, ctx, Channel.PWA, item)
        await mails.changed(
            item, before.starts_at, settings=ctx.settings, rules=ctx.rules, token=token, now=now
        )
    return await views.view_in(item, ctx.settings, token, lang)


async def lapse(appointment_id: int, ctx: BookingContext) -> bool:
    """A hold not confirmed in time expires and its units are free at once (the job at
    `hold_expires_at`; a hold that needs them may have reclaimed them already)."""
    now = ctx.now()
    async with appointments.write():
        row = await appointments.change(
            appointment_id,
            {Appointment.state: "expired"},
            states=["held"],
            now=now,
            where=Appointment.hold_expires_at <= now,
        )
        if row is None:
            return False
        await units.give_back(appointment_id)
        await _timeline(row["case_id"], EventKind.APPOINTMENT_EXPIRED, ctx, Channel.SYSTEM)
    return True


async def _confirm(row: dict[str, Any], ctx: BookingContext) -> tuple[views.Booking, bool]:
    """Held → confirmed while the hold lasts; (the booking, whether this call confirmed it)."""
    now = ctx.now()
    async with appointments.write():
        changed = await appointments.change(
            row["id"],
            {Appointment.state: "confirmed", Appointment.hold_expires_at: None},
            states=["held"],
            now=now,
            where=Appointment.hold_expires_at > now,
        )
        if changed is None:
            current = await _reread(row)
            if current["state"] == "confirmed":
                return await views.load(current, lookups=ctx.lookups), False
            if current["state"] in ("held", "expired"):
                raise HoldExpired()
            raise NotConfirmable()
        item = await views.load(changed, lookups=ctx.lookups)
        await _timeline(item.case_id, EventKind.APPOINTMENT_CONFIRMED, ctx, Channel.PWA, item)
        await jobs.cancel(f"{HOLD_LAPSE}:{row['id']}")
    return item, True


async def _confirm_by_mail(row: dict[str, Any], ctx: BookingContext) -> str | None:
    """Confirm (held) or accept (offered); returns the appointment token minted for it,
    None when another click confirmed it a moment earlier.

    Accepting an offer can collide with the contact's other active booking of the same
    service on the partial unique index: that is AlreadyBooked, and nothing changes.
    """
    now = ctx.now()
    try:
        async with appointments.write():
            if row["state"] == "held":
                item, changed = await _confirm(row, ctx)
                if not changed:
                    return None
            else:
                item = await _accept(row, ctx)
            assert item.case_id is not None  # a confirmed booking has its case
            token = await cases.issue_token(
                item.case_id, TokenKind.APPOINTMENT, ctx.signer, clock=ctx.clock
            )
            column = Appointment.mail_token_id if row["state"] == "held" else Appointment.token_id
            await Appointment.update({column: _nonce(token, ctx)}).where(
                Appointment.id == row["id"]
            )
            await mails.confirmed(
                item, settings=ctx.settings, rules=ctx.rules, token=token, now=now
            )
    except (sqlite3.IntegrityError, UniqueViolationError):
        raise AlreadyBooked() from None
    return token


async def _accept(row: dict[str, Any], ctx: BookingContext) -> views.Booking:
    now = ctx.now()
    changed = await appointments.change(
        row["id"],
        {Appointment.state: "confirmed", Appointment.hold_expires_at: None},
        states=["offered"],
        now=now,
        where=Appointment.hold_expires_at > now,
    )
    if changed is None:
        raise HoldExpired()
    offered = await views.load(changed, lookups=ctx.lookups)
    case = await cases.open_case(
        offered.service.slug,
        language=offered.language,
        channel=Channel.PWA,
        settings=ctx.settings,
        clock=ctx.clock,
    )
    linked = await appointments.change(
        row["id"], {Appointment.case_id: case.id}, states=["confirmed"], now=now
    )
    assert linked is not None
    item = views.booking(linked, offered.service, offered.office, case.reference)
    await _timeline(case.id, EventKind.APPOINTMENT_BOOKED, ctx, Channel.PWA, item)
    await _timeline(case.id, EventKind.APPOINTMENT_CONFIRMED, ctx, Channel.PWA, item)
    await jobs.cancel(f"{handover.OFFER_LAPSE}:{row['id']}")
    await handover.booked(row["id"], now)
    return item


async def _by_token(token: str, ctx: BookingContext) -> dict[str, Any]:
    """The appointment a (case) appointment token opens; forged, unknown and revoked
    tokens all raise InvalidToken."""
    case = await cases.resolve_token(token, ctx.signer, clock=ctx.clock, kind=TokenKind.APPOINTMENT)
    row = await appointments.by_token_id(_nonce(token, ctx))
    if row is None or row["case_id"] != case.id:
        raise InvalidToken()
    return row


async def _by_confirm_token(confirm_token: str, ctx: BookingContext) -> dict[str, Any]:
    claims = ctx.signer.verifier.verify(confirm_token, kind=TokenKind.APPOINTMENT, now=_ANY_TIME)
    row = await appointments.by_confirm_token_id(claims.id)
    if row is None:
        raise InvalidToken()
    return row


async def _reread(row: dict[str, Any]) -> dict[str, Any]:
    current = await appointments.by_id(row["id"])
    if current is None:
        raise InvalidToken()
    return current


async def _view(
    row: dict[str, Any], ctx: BookingContext, token: str | None, lang: str
) -> AppointmentView:
    return views.view(await views.load(row, lang, ctx.lookups), ctx.settings, token, lang)


async def _timeline(
    case_id: int | None,
    kind: EventKind,
    ctx: BookingContext,
    channel: Channel,
    item: views.Booking | None = None,
) -> None:
    """One timeline event per step; the data names the slot, never the person."""
    if case_id is None:
        return
    data = (
        {}
        if item is None
        else {
            "code": item.code,
            "office": item.office.slug,
            "channel": item.channel,
            "starts_at": item.starts_at.isoformat(),
        }
    )
    await cases.append_event(
        case_id, kind, channel=channel, clock=ctx.clock, data=data, citizen_visible=True
    )


def _confirm_token(ctx: BookingContext, expires: datetime) -> tuple[str, str]:
    token, claims = ctx.signer.mint(TokenKind.APPOINTMENT, expires_at=expires)
    return token, claims.id


def _nonce(token: str, ctx: BookingContext) -> str:
    return ctx.signer.verifier.verify(token, now=_ANY_TIME).id
