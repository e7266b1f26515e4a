"""Confirming a booking: in the app (a hold without e-mail), by the link in a mail (a
hold with e-mail — double opt-in — or a waitlist or lottery offer), or declining an offer.

Confirming is a conditional UPDATE `WHERE state = 'held' AND hold_expires_at > now`: a
hold that lapsed can no longer be confirmed.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from asyncpg.exceptions import UniqueViolationError  # type: ignore[import-untyped]

from app.booking import access, appointments, handover, mails, views
from app.booking.context import BookingContext
from app.booking.errors import AlreadyBooked, ConfirmByEmail, HoldExpired, NotConfirmable
from app.booking.schemas import Appointment as AppointmentView
from app.booking.schemas import Confirmed
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.core.tokens import TokenKind
from app.jobs import service as jobs


async def confirm_in_app(token: str, ctx: BookingContext, *, lang: str) -> Confirmed:
    """Confirm a hold made without an e-mail address; with one, only the mail's link can
    (double opt-in): ConfirmByEmail. Raises HoldExpired once the hold has lapsed."""
    row = await access.by_token(token, ctx)
    if row["email"]:
        raise ConfirmByEmail()
    item, changed = await _confirm(row, ctx)
    if changed:  # no mail goes out; push reminders reach whoever subscribes on the page
        await mails.push_reminders(item, settings=ctx.settings, rules=ctx.rules, now=ctx.now())
    return Confirmed(token=token, appointment=await views.view_in(item, ctx.settings, token, lang))


async def confirm_by_mail(confirm_token: str, ctx: BookingContext, *, lang: str) -> Confirmed:
    """Follow a mail's confirm link: confirm a held appointment, or accept an offered one.

    Hands out a fresh appointment token for the mails and this answer. Confirming twice
    shows the booking again. Raises InvalidToken, HoldExpired and AlreadyBooked.
    """
    row = await access.by_confirm_token(confirm_token, ctx)
    if row["state"] == "confirmed":
        return Confirmed(token=None, appointment=await access.shown(row, ctx, None, lang))
    if row["state"] == "expired":
        raise HoldExpired()
    if row["state"] not in ("held", "offered"):
        raise NotConfirmable()
    token = await _confirm_by_mail(row, ctx)
    confirmed = await appointments.by_id(row["id"])
    assert confirmed is not None
    return Confirmed(token=token, appointment=await access.shown(confirmed, ctx, token, lang))


async def preview(confirm_token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """What a mail's confirm link is about, without changing anything (mail scanners)."""
    return await access.shown(await access.by_confirm_token(confirm_token, ctx), ctx, None, lang)


async def decline(confirm_token: str, ctx: BookingContext, *, lang: str) -> AppointmentView:
    """Say no to an offered slot or to a hold awaiting confirmation: the slot goes to the
    next in line, else back to the public after a random delay."""
    row = await access.by_confirm_token(confirm_token, ctx)
    if row["state"] == "held":
        await handover.end_hold(row["id"], ctx, declined=True)
    else:
        await handover.decline(row["id"], ctx)
    return await access.shown(await access.reread(row), ctx, None, lang)


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
            current = await access.reread(row)
            if current["state"] == "confirmed":
                return await views.load(current, lookups=ctx.lookups), False
            if current["state"] in ("held", "expired"):
                raise HoldExpired()
            raise NotConfirmable()
        item = await views.load(changed, lookups=ctx.lookups)
        # The lapse job stays queued and finds nothing to do: cheaper than a DELETE here.
        await access.record(item.case_id, EventKind.APPOINTMENT_CONFIRMED, ctx, Channel.PWA, item)
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
            await Appointment.update({column: access.nonce(token, ctx)}).where(
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
    await access.record(case.id, EventKind.APPOINTMENT_BOOKED, ctx, Channel.PWA, item)
    await access.record(case.id, EventKind.APPOINTMENT_CONFIRMED, ctx, Channel.PWA, item)
    await jobs.cancel(f"{handover.OFFER_LAPSE}:{row['id']}")
    await handover.booked(row["id"], now)
    return item
