"""Lottery releases: requests during the window, a seeded draw, each slot allocated once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.booking import allocation, availability, lottery, waitlist
from app.booking import jobs as booking_jobs
from app.booking import service as booking
from app.booking.calendar import Opening
from app.booking.context import BookingContext
from app.booking.errors import (
    AlreadyRequested,
    InvalidRelease,
    RequestsClosed,
    SlotInLottery,
)
from app.booking.schemas import HoldCreate, ReleaseCreate, ReleaseRequestCreate
from app.booking.tables import Appointment, DeskUnit, WaitlistEntry
from app.core.clock import FrozenClock
from app.jobs.worker import Worker
from app.main import JOB_HANDLERS

from .conftest import TUESDAY, WEDNESDAY, City, berlin


def test_the_draw_order_is_a_permutation_reproducible_from_its_seed() -> None:
    ids = [17, 3, 42, 8, 5, 23]
    order = allocation.draw_order(ids, "a1b2")
    assert sorted(order) == sorted(ids)
    assert allocation.draw_order(list(reversed(ids)), "a1b2") == order  # input order is moot
    assert any(allocation.draw_order(ids, seed) != order for seed in ("c3", "d4", "e5"))


def test_allocation_gives_each_unit_once_earliest_first_within_preferred_days() -> None:
    day1, day2 = TUESDAY, WEDNESDAY
    found = [Opening(1, day1, 100, 102), Opening(1, day2, 200, 202)]
    supply = {9: allocation.Supply(found, (1, 2), 1)}
    wishes = {
        rid: allocation.Wish(rid, 9, day2 if rid == 4 else day1, day2) for rid in (1, 2, 3, 4, 5)
    }
    taken = {1: {100}}
    plan = allocation.allocate(
        [5, 4, 3, 2, 1], wishes, supply, taken, earliest=0, first=100, end=300
    )
    assert plan == {5: (2, 100), 4: (1, 200), 3: (1, 101), 2: (2, 101), 1: (2, 200)}
    units = [(desk, start) for desk, start in plan.values()]
    assert len(set(units)) == len(units) and (1, 100) not in units


@pytest.fixture
def release_data(clock: FrozenClock) -> ReleaseCreate:
    return ReleaseCreate(
        office="altstadt",
        services=["anmeldung"],
        slots_from=berlin(WEDNESDAY, "08:00"),
        slots_to=berlin(WEDNESDAY, "12:00"),
        requests_open_at=clock.now(),
        requests_close_at=clock.now() + timedelta(hours=1),
    )


async def _request(ctx: BookingContext, release_id: int, email: str) -> str:
    data = ReleaseRequestCreate(service="anmeldung", email=email)
    return (await lottery.request(release_id, data, ctx, language="de")).token


async def test_a_pending_release_keeps_its_slots_from_the_public(
    city: City, ctx: BookingContext, release_data: ReleaseCreate
) -> None:
    await lottery.create(release_data, ctx, lang="de")
    found = await availability.availability(
        "anmeldung", channel="in_person", office_slug="altstadt", first_day=TUESDAY,
        last_day=WEDNESDAY, rules=ctx.rules, now=ctx.now(), lang="de",
    )  # fmt: skip
    assert [day.date for day in found.days] == [TUESDAY]
    hold = HoldCreate(service="anmeldung", office="altstadt", starts_at=berlin(WEDNESDAY, "09:00"))
    with pytest.raises(SlotInLottery):
        await booking.hold(hold, ctx, language="de")


async def test_the_draw_allocates_each_slot_once_and_queues_the_rest_in_draw_order(
    city: City, ctx: BookingContext, clock: FrozenClock, release_data: ReleaseCreate
) -> None:
    release = await lottery.create(release_data, ctx, lang="de")
    tokens = [await _request(ctx, release.id, f"p{n}@example.org") for n in range(40)]
    with pytest.raises(AlreadyRequested):
        await _request(ctx, release.id, "P7@example.org")
    clock.advance(timedelta(hours=1))
    with pytest.raises(RequestsClosed):
        await _request(ctx, release.id, "late@example.org")
    await Worker({**JOB_HANDLERS, **booking_jobs.handlers(ctx)}, clock).run_until_idle()

    drawn = await lottery.get(release.id, lang="de")
    assert (drawn.state, drawn.requests, drawn.allocated) == ("drawn", 40, 32)  # 2 desks × 16
    assert drawn.seed == allocation.seed_for(release.id, ctx.settings.secret_key)
    units = await DeskUnit.select(DeskUnit.desk, DeskUnit.unit_start)
    assert len(units) == 32 and len({(u["desk"], u["unit_start"]) for u in units}) == 32
    assert await Appointment.count().where(Appointment.state == "offered") == 32

    entries = await WaitlistEntry.select().order_by(WaitlistEntry.draw_rank)
    assert [entry["id"] for entry in entries] == await lottery.replay(release.id, ctx)
    assert [entry["state"] for entry in entries] == ["offered"] * 32 + ["waiting"] * 8
    starts = []
    for entry in entries[:32]:
        offered = await Appointment.select().where(Appointment.id == entry["appointment"]).first()
        starts.append(offered["starts_at"])
    assert starts == sorted(starts) and starts[0] == berlin(WEDNESDAY, "08:00")
    statuses = [await waitlist.status(token, ctx, lang="de") for token in tokens]
    assert sum(status.state == "offered" for status in statuses) == 32
    assert sorted(status.ahead for status in statuses if status.state == "waiting") == list(
        range(8)
    )


async def test_after_the_draw_slots_nobody_drew_are_public(
    city: City, ctx: BookingContext, clock: FrozenClock, release_data: ReleaseCreate
) -> None:
    release = await lottery.create(release_data, ctx, lang="de")
    await _request(ctx, release.id, "only@example.org")
    clock.advance(timedelta(hours=1))
    assert await lottery.draw(release.id, ctx) is True
    assert await lottery.draw(release.id, ctx) is False  # drawn once
    hold = HoldCreate(service="anmeldung", office="altstadt", starts_at=berlin(WEDNESDAY, "08:00"))
    assert (await booking.hold(hold, ctx, language="de")).appointment.state == "held"


async def test_a_release_needs_a_window_that_closes_before_its_slots(
    city: City, ctx: BookingContext, release_data: ReleaseCreate
) -> None:
    late = ReleaseCreate(
        office=release_data.office,
        services=release_data.services,
        slots_from=release_data.slots_from,
        slots_to=release_data.slots_to,
        requests_open_at=release_data.requests_open_at,
        requests_close_at=release_data.slots_from + timedelta(minutes=1),
    )
    with pytest.raises(InvalidRelease):
        await lottery.create(late, ctx, lang="de")
