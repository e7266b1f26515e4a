"""Fair release by lottery: an office releases a batch of slots, requests come in during
a window, and a seeded, reproducible draw allocates them when it closes.

The draw order is `random.Random(seed).shuffle` of the request ids in ascending order;
the seed is HMAC(secret, release id), fixed before any request exists and published with
the result, so anyone holding the request ids can replay the order. In that order each
request gets the earliest free slot of its preferred days (each unit once); whoever draws
nothing joins the waitlist in draw order. Slots nobody drew become public.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from app.booking import allocation, appointments, availability, calendar, handover, waitlist
from app.booking.contacts import checked_email, contact_key
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyRequested,
    InvalidRange,
    InvalidRelease,
    InvalidTime,
    ReleaseNotFound,
    RequestsClosed,
    UnknownService,
)
from app.booking.schemas import (
    Release,
    ReleaseCreate,
    ReleaseRequestCreate,
    WaitlistJoined,
)
from app.booking.tables import Release as ReleaseRow
from app.booking.tables import WaitlistEntry
from app.cases import service as cases
from app.catalogue import capacity as catalogue_capacity
from app.catalogue import service as catalogue
from app.core.tokens import TokenKind
from app.jobs import service as jobs

DRAW = "booking.draw"
NOT_DRAWN = -1  # the draw_rank of a request until the draw gives it its place


async def create(data: ReleaseCreate, ctx: BookingContext, *, lang: str) -> Release:
    """Create a pending release and book its draw for when requests close."""
    now = ctx.now()
    moments = (data.slots_from, data.slots_to, data.requests_open_at, data.requests_close_at)
    if any(moment.tzinfo is None for moment in moments):
        raise InvalidTime()
    if not (
        now < data.requests_close_at
        and data.requests_open_at < data.requests_close_at <= data.slots_from < data.slots_to
    ):
        raise InvalidRelease()
    office = await availability.office_id(data.office)
    services = [await availability.service_on_offer(slug, lang) for slug in data.services]
    for service in services:
        availability.check_channel(service, data.channel)
    rows = await ReleaseRow.insert(
        ReleaseRow(
            office=office,
            services=[service.id for service in services],
            channel=data.channel,
            slots_from=data.slots_from,
            slots_to=data.slots_to,
            requests_open_at=data.requests_open_at,
            requests_close_at=data.requests_close_at,
            state="pending",
            created_at=now,
        )
    ).returning(ReleaseRow.id)
    release_id = int(rows[0]["id"])
    await jobs.enqueue(
        DRAW,
        {"release": release_id},
        due_at=data.requests_close_at,
        now=now,
        dedupe_key=f"{DRAW}:{release_id}",
    )
    return await get(release_id, lang=lang)


async def get(release_id: int, *, lang: str) -> Release:
    row = await _release(release_id)
    offices = await catalogue_capacity.offices_by_id([row["office"]])
    slugs = [
        (await catalogue.get_service_by_id(i, lang)).slug for i in waitlist.ids_of(row["services"])
    ]
    return Release(
        id=row["id"],
        office=availability.summary(offices[row["office"]]),
        services=slugs,
        channel=row["channel"],
        slots_from=row["slots_from"],
        slots_to=row["slots_to"],
        requests_open_at=row["requests_open_at"],
        requests_close_at=row["requests_close_at"],
        state=row["state"],
        seed=row["seed"] if row["state"] == "drawn" else None,
        requests=row["requests"],
        allocated=row["allocated"],
        drawn_at=row["drawn_at"],
    )


async def request(
    release_id: int, data: ReleaseRequestCreate, ctx: BookingContext, *, language: str
) -> WaitlistJoined:
    """Take part in the draw while requests are open; once per contact (AlreadyRequested)."""
    now = ctx.now()
    release = await _release(release_id)
    if not (
        release["state"] == "pending"
        and release["requests_open_at"] <= now < release["requests_close_at"]
    ):
        raise RequestsClosed()
    lang = data.language or language
    if lang not in ctx.settings.languages:
        raise cases.LanguageNotOffered(field="language")
    email = checked_email(data.email)
    service = await availability.service_on_offer(data.service, lang)
    if service.id not in waitlist.ids_of(release["services"]):
        raise UnknownService(field="service")
    first, last = _days(release)
    first_day, last_day = data.first_day or first, data.last_day or last
    waitlist.check_days(first_day, last_day, now)
    first_day, last_day = max(first_day, first), min(last_day, last)
    if last_day < first_day:
        raise InvalidRange(field="last_day")  # no preferred day inside the release
    token, claims = ctx.signer.mint(TokenKind.APPOINTMENT)
    rows = (
        await WaitlistEntry.insert(
            WaitlistEntry(
                service=service.id,
                offices=[release["office"]],
                channel=release["channel"],
                first_day=first_day,
                last_day=last_day,
                language=lang,
                email=email,
                contact_key=contact_key(email, ctx.settings.secret_key),
                state="requested",
                release=release_id,
                draw_rank=NOT_DRAWN,
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
        raise AlreadyRequested(field="email")
    return WaitlistJoined(token=token, entry=await waitlist.status_of(rows[0], ctx, lang))


async def draw(release_id: int, ctx: BookingContext) -> bool:
    """Draw a release whose window has closed (the job at `requests_close_at`); all of it
    in one transaction, so a crash leaves it pending and the job retries it whole."""
    now = ctx.now()
    seed = allocation.seed_for(release_id, ctx.settings.secret_key)
    async with appointments.write():
        drawn = await (
            ReleaseRow.update(
                {ReleaseRow.state: "drawn", ReleaseRow.seed: seed, ReleaseRow.drawn_at: now}
            )
            .where(ReleaseRow.id == release_id)
            .where(ReleaseRow.state == "pending")
            .where(ReleaseRow.requests_close_at <= now)
            .returning(*ReleaseRow.all_columns())
        )
        if not drawn:
            return False
        release = drawn[0]
        entries = {
            row["id"]: row
            for row in await WaitlistEntry.select()
            .where(WaitlistEntry.release == release_id)
            .where(WaitlistEntry.state == "requested")
            .output(load_json=True)
        }
        order = allocation.draw_order(list(entries), seed)
        plan, slots = await _plan(release, entries, order, ctx)
        allocated = 0
        deadline_cap = now + ctx.rules.offer
        for rank, request_id in enumerate(order):
            entry = entries[request_id]
            await WaitlistEntry.update(
                {
                    WaitlistEntry.state: "waiting",
                    WaitlistEntry.queued_at: now,
                    WaitlistEntry.draw_rank: rank,
                }
            ).where(WaitlistEntry.id == request_id)
            if request_id not in plan:
                continue  # drew nothing: now waiting, in draw order
            slot = slots[request_id]
            deadline = min(deadline_cap, slot.starts_at - ctx.rules.min_notice)
            if await handover.offer(entry, slot, ctx, deadline=deadline) is not None:
                allocated += 1
        await ReleaseRow.update(
            {ReleaseRow.requests: len(order), ReleaseRow.allocated: allocated}
        ).where(ReleaseRow.id == release_id)
    return True


async def replay(release_id: int, ctx: BookingContext) -> list[int]:
    """The draw order of a drawn release, recomputed from its published seed."""
    release = await _release(release_id)
    ids = (
        await WaitlistEntry.select(WaitlistEntry.id)
        .where(WaitlistEntry.release == release_id)
        .where(WaitlistEntry.draw_rank != NOT_DRAWN)
    )
    return allocation.draw_order([row["id"] for row in ids], release["seed"] or "")


async def _plan(
    release: Mapping[str, Any],
    entries: Mapping[int, Mapping[str, Any]],
    order: Sequence[int],
    ctx: BookingContext,
) -> tuple[dict[int, tuple[int, int]], dict[int, handover.Freed]]:
    rules, now = ctx.rules, ctx.now()
    first_day, last_day = _days(release)
    supply: dict[int, allocation.Supply] = {}
    durations: dict[int, int] = {}
    desks: set[int] = set()
    for service_id in waitlist.ids_of(release["services"]):
        service = await catalogue.get_service_by_id(service_id, ctx.settings.default_language)
        cap = await catalogue_capacity.capacity(
            service_id, release["channel"], first_day, last_day, [release["office"]]
        )
        found = calendar.openings(cap, first_day, last_day, rules.unit_minutes)
        office_desks = tuple(cap.desks.get(release["office"], ()))
        supply[service_id] = allocation.Supply(
            found, office_desks, rules.units_for(service.duration_minutes)
        )
        durations[service_id] = service.duration_minutes
        desks.update(office_desks)
    taken = await availability.taken_units(
        sorted(desks),
        release["slots_from"],
        release["slots_to"] + timedelta(days=1),
        unit_minutes=rules.unit_minutes,
    )
    wishes = {
        request_id: allocation.Wish(request_id, row["service"], row["first_day"], row["last_day"])
        for request_id, row in entries.items()
    }
    plan = allocation.allocate(
        order,
        wishes,
        supply,
        taken,
        earliest=calendar.ceil_index(now + rules.min_notice, rules.unit_minutes),
        first=calendar.ceil_index(release["slots_from"], rules.unit_minutes),
        end=calendar.ceil_index(release["slots_to"], rules.unit_minutes),
    )
    slots: dict[int, handover.Freed] = {}
    for request_id, (desk, start) in plan.items():
        service_id = wishes[request_id].service_id
        starts_at = calendar.start_of(start, rules.unit_minutes)
        slots[request_id] = handover.Freed(
            service_id=service_id,
            office_id=release["office"],
            desk=desk,
            channel=release["channel"],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=durations[service_id]),
            units=[
                calendar.start_of(unit, rules.unit_minutes)
                for unit in range(start, start + supply[service_id].need)
            ],
        )
    return plan, slots


async def _release(release_id: int) -> dict[str, Any]:
    row = (
        await ReleaseRow.select().where(ReleaseRow.id == release_id).first().output(load_json=True)
    )
    if row is None:
        raise ReleaseNotFound()
    return dict(row)


def _days(release: Mapping[str, Any]) -> tuple[date, date]:
    """The Berlin days the release's slots fall on."""
    last_moment: datetime = release["slots_to"] - timedelta(seconds=1)
    return calendar.berlin_date(release["slots_from"]), calendar.berlin_date(last_moment)
