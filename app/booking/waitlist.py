"""The waitlist as its citizens see it: join, see one's place in line, leave.

Offers are made by `handover` when a slot is freed; they are accepted (or declined) with
the link in the offer mail, so only someone who reads that mailbox can take one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from app.booking import appointments, availability, calendar, handover, views
from app.booking.contacts import checked_email, contact_key
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyWaiting,
    InvalidRange,
    NotWaiting,
    RangeInPast,
    UnknownOffice,
)
from app.booking.schemas import WaitlistCreate, WaitlistJoined, WaitlistStatus
from app.booking.tables import WaitlistEntry
from app.cases import service as cases
from app.catalogue import capacity as catalogue_capacity
from app.catalogue import service as catalogue
from app.core.errors import InvalidToken
from app.core.tokens import TokenKind

_ANY_TIME = datetime.min.replace(tzinfo=UTC)
OPEN_STATES = ("requested", "waiting")


async def join(data: WaitlistCreate, ctx: BookingContext, *, language: str) -> WaitlistJoined:
    """Join the line for a service; one place per contact and service (AlreadyWaiting)."""
    now = ctx.now()
    lang = data.language or language
    if lang not in ctx.settings.languages:
        raise cases.LanguageNotOffered(field="language")
    email = checked_email(data.email)
    service = await availability.service_on_offer(data.service, lang)
    availability.check_channel(service, data.channel)
    offices = await office_ids(data.offices)
    check_days(data.first_day, data.last_day, now)
    token, claims = ctx.signer.mint(TokenKind.APPOINTMENT)
    rows = (
        await WaitlistEntry.insert(
            WaitlistEntry(
                service=service.id,
                offices=offices,
                channel=data.channel,
                first_day=data.first_day,
                last_day=data.last_day,
                language=lang,
                email=email,
                contact_key=contact_key(email, ctx.settings.secret_key),
                state="waiting",
                release=None,
                draw_rank=0,
                token_id=claims.id,
                queued_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(*WaitlistEntry.all_columns())
    )
    if not rows:
        raise AlreadyWaiting(field="email")
    return WaitlistJoined(token=token, entry=await status_of(rows[0], ctx, lang))


async def status(token: str, ctx: BookingContext, *, lang: str) -> WaitlistStatus:
    return await status_of(await by_token(token, ctx), ctx, lang)


async def withdraw(token: str, ctx: BookingContext, *, lang: str) -> WaitlistStatus:
    """Leave the line (or the draw); an open offer is declined and moves on. Twice is fine."""
    entry = await by_token(token, ctx)
    now = ctx.now()
    async with appointments.write():
        if entry["state"] == "offered" and entry["appointment"] is not None:
            await handover.decline(entry["appointment"], ctx)
        left = await (
            WaitlistEntry.update({WaitlistEntry.state: "withdrawn", WaitlistEntry.updated_at: now})
            .where(WaitlistEntry.id == entry["id"])
            .where(WaitlistEntry.state.is_in([*OPEN_STATES, "declined"]))
            .returning(*WaitlistEntry.all_columns())
        )
    if left:
        return await status_of(left[0], ctx, lang)
    current = await by_token(token, ctx)
    if current["state"] != "withdrawn":
        raise NotWaiting()
    return await status_of(current, ctx, lang)


async def by_token(token: str, ctx: BookingContext) -> dict[str, Any]:
    claims = ctx.signer.verifier.verify(token, kind=TokenKind.APPOINTMENT, now=_ANY_TIME)
    row = (
        await WaitlistEntry.select()
        .where(WaitlistEntry.token_id == claims.id)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise InvalidToken()
    return dict(row)


async def status_of(entry: Mapping[str, Any], ctx: BookingContext, lang: str) -> WaitlistStatus:
    service = await catalogue.get_service_by_id(entry["service"], lang)
    wanted = ids_of(entry["offices"])
    offices = await catalogue_capacity.offices_by_id(wanted)
    offer = None
    if entry["state"] == "offered" and entry["appointment"] is not None:
        row = await appointments.by_id(entry["appointment"])
        if row is not None:
            offer = await views.view_in(
                await views.load(row, lookups=ctx.lookups), ctx.settings, None, lang
            )
    return WaitlistStatus(
        state=entry["state"],
        service=views.service_summary(service),
        offices=[availability.summary(offices[i]) for i in wanted if i in offices],
        channel=entry["channel"],
        first_day=entry["first_day"],
        last_day=entry["last_day"],
        ahead=await _ahead(entry) if entry["state"] == "waiting" else None,
        release=entry["release"],
        offer=offer,
    )


async def office_ids(slugs: Sequence[str]) -> list[int]:
    """Office ids for slugs, in the order given; raises UnknownOffice for any unknown."""
    found = await catalogue_capacity.office_ids_by_slug(list(slugs))
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise UnknownOffice(field="offices")
    return list(dict.fromkeys(found[slug] for slug in slugs))


def check_days(first_day: date, last_day: date, now: datetime) -> None:
    if last_day < first_day:
        raise InvalidRange(field="last_day")
    if last_day < calendar.berlin_date(now):
        raise RangeInPast(field="last_day")


async def _ahead(entry: Mapping[str, Any]) -> int:
    """How many waiting entries for the same service and channel are served first."""
    queued, rank, own = entry["queued_at"], entry["draw_rank"], entry["id"]
    earlier = (
        (WaitlistEntry.queued_at < queued)
        | ((WaitlistEntry.queued_at == queued) & (WaitlistEntry.draw_rank < rank))
        | (
            (WaitlistEntry.queued_at == queued)
            & (WaitlistEntry.draw_rank == rank)
            & (WaitlistEntry.id < own)
        )
    )
    return int(
        await WaitlistEntry.count()
        .where(WaitlistEntry.state == "waiting")
        .where(WaitlistEntry.service == entry["service"])
        .where(WaitlistEntry.channel == entry["channel"])
        .where(earlier)
    )


def ids_of(value: Any) -> list[int]:
    """A JSON list of ids, as the row holds it (SQLite's RETURNING gives it as text)."""
    loaded = json.loads(value) if isinstance(value, str | bytes) else value
    return [int(item) for item in loaded or []]
