"""The case spine: references, opening, status rules and the timeline, on both databases."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from app.cases import service
from app.cases.schemas import Case, CaseStatus, Channel, EventKind
from app.cases.service import CaseNotFound, CaseStatusConflict, LanguageNotOffered
from app.cases.tables import Case as CaseRow
from app.cases.tables import CaseCounter, CaseEvent
from app.catalogue.service import OfficeNotFound, ServiceNotFound
from app.core.clock import FrozenClock
from app.core.database import write_transaction
from app.settings import Settings

S = CaseStatus
OpenCase = Callable[..., Awaitable[Case]]


# References --------------------------------------------------------------------------


async def test_a_new_case_gets_the_city_code_the_year_and_a_five_digit_number(
    open_case: OpenCase, service_id: int, settings: Settings
) -> None:
    first = await open_case(service_id)
    second = await open_case(service_id)
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d{5}", first.reference)
    assert first.reference == f"{settings.city_code}-2026-00001"
    assert second.reference == f"{settings.city_code}-2026-00002"


async def test_the_reference_year_is_the_year_in_berlin(
    open_case: OpenCase, service_id: int, settings: Settings, clock: FrozenClock
) -> None:
    new_years_eve = FrozenClock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 00:30 in Berlin
    case = await open_case(service_id, clock=new_years_eve)
    assert case.reference == f"{settings.city_code}-2027-00001"


async def test_numbers_start_again_at_one_in_a_new_year_and_never_repeat_within_one(
    open_case: OpenCase, service_id: int, settings: Settings, clock: FrozenClock
) -> None:
    await open_case(service_id)
    clock.advance(timedelta(days=60))
    new_year = await open_case(service_id)
    other_city = dataclasses.replace(settings, city_code="ma")
    elsewhere = await open_case(service_id, settings=other_city)
    assert new_year.reference == f"{settings.city_code}-2027-00001"
    assert elsewhere.reference == "MA-2027-00001"


async def test_300_cases_opened_at_once_get_300_distinct_references(
    open_case: OpenCase, service_id: int, settings: Settings
) -> None:
    cases = await asyncio.gather(*(open_case(service_id) for _ in range(300)))
    references = {case.reference for case in cases}
    assert references == {f"{settings.city_code}-2026-{n:05d}" for n in range(1, 301)}
    assert await CaseRow.count() == 300
    assert await CaseEvent.count().where(CaseEvent.kind == EventKind.CREATED.value) == 300


async def test_a_case_rolled_back_with_its_callers_transaction_leaves_no_trace(
    open_case: OpenCase, service_id: int
) -> None:
    with pytest.raises(RuntimeError):
        async with write_transaction(service.engine()):
            await open_case(service_id)
            raise RuntimeError("the booking failed")
    assert await CaseRow.count() == 0
    assert await CaseEvent.count() == 0
    assert (await open_case(service_id)).reference.endswith("-00001")


# Opening -----------------------------------------------------------------------------


async def test_opening_a_case_records_who_opened_it_and_where(
    open_case: OpenCase, service_id: int, office_id: int, clock: FrozenClock
) -> None:
    case = await open_case(
        "personalausweis",
        channel=Channel.KIOSK,
        actor="kiosk:K2",
        office_id=office_id,
        language="tr",
    )
    assert (case.service_id, case.office_id, case.language) == (service_id, office_id, "tr")
    assert (case.status, case.opened_via) == (S.OPEN, Channel.KIOSK)
    assert case.opened_at == case.updated_at == clock.now()
    assert case.closed_at is None
    [created] = await service.timeline(case.id)
    assert (created.kind, created.channel, created.actor) == (
        EventKind.CREATED,
        Channel.KIOSK,
        "kiosk:K2",
    )
    assert created.citizen_visible and created.at == clock.now()
    assert await service.get_case(case.id) == case
    assert await service.get_case_by_reference(case.reference.lower()) == case


@pytest.mark.parametrize("unknown", [999_999, "no-such-service", "Personalausweis"])
async def test_no_case_is_opened_for_a_service_that_does_not_exist(
    open_case: OpenCase, service_id: int, unknown: int | str
) -> None:
    with pytest.raises(ServiceNotFound):
        await open_case(unknown)
    assert await CaseRow.count() == 0
    assert await CaseCounter.count() == 0


@pytest.mark.parametrize("by", ["id", "slug"])
async def test_no_case_is_opened_for_a_service_no_longer_on_offer(
    open_case: OpenCase, retired_service_id: int, by: str
) -> None:
    with pytest.raises(ServiceNotFound):
        await open_case(retired_service_id if by == "id" else "fischereischein")
    assert await CaseRow.count() == 0


async def test_no_case_is_opened_in_a_language_that_is_not_offered(
    open_case: OpenCase, service_id: int
) -> None:
    with pytest.raises(LanguageNotOffered):
        await open_case(service_id, language="xx")


async def test_no_case_is_opened_at_an_office_that_does_not_exist(
    open_case: OpenCase, service_id: int
) -> None:
    with pytest.raises(OfficeNotFound):
        await open_case(service_id, office_id=424242)
    assert await CaseRow.count() == 0


async def test_an_unknown_case_or_reference_is_not_found() -> None:
    with pytest.raises(CaseNotFound):
        await service.get_case(1)
    with pytest.raises(CaseNotFound):
        await service.get_case_by_reference("HD-2026-99999")


# Status ------------------------------------------------------------------------------


async def _move(case_id: int, status: CaseStatus, clock: FrozenClock) -> Case:
    clock.advance(timedelta(minutes=1))
    return await service.change_status(
        case_id, status, channel=Channel.CLERK, clock=clock, actor="clerk:17"
    )


async def test_a_case_goes_the_whole_way_and_each_step_is_in_the_timeline(
    open_case: OpenCase, service_id: int, clock: FrozenClock
) -> None:
    case = await open_case(service_id)
    steps = [S.IN_PROGRESS, S.WAITING_FOR_CITIZEN, S.IN_PROGRESS, S.COMPLETED]
    for status in steps:
        moved = await _move(case.id, status, clock)
        assert moved.status is status
        assert moved.updated_at == clock.now()
    assert moved.closed_at == clock.now()
    events = await service.timeline(case.id)
    assert [event.kind for event in events] == [
        EventKind.CREATED,
        EventKind.PROCESSING,
        EventKind.WAITING_FOR_CITIZEN,
        EventKind.PROCESSING,
        EventKind.COMPLETED,
    ]
    assert [event.data.get("status") for event in events[1:]] == [s.value for s in steps]
    assert {event.actor for event in events[1:]} == {"clerk:17"}
    assert await service.get_case(case.id) == moved


@pytest.mark.parametrize("path", [[], [S.IN_PROGRESS], [S.IN_PROGRESS, S.WAITING_FOR_CITIZEN]])
async def test_a_case_can_be_cancelled_from_every_status_that_is_not_final(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    path: list[CaseStatus],
) -> None:
    case = await open_case(service_id)
    for status in path:
        await _move(case.id, status, clock)
    cancelled = await _move(case.id, S.CANCELLED, clock)
    assert (cancelled.status, cancelled.closed_at) == (S.CANCELLED, clock.now())
    assert (await service.timeline(case.id))[-1].kind is EventKind.CANCELLED


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], S.WAITING_FOR_CITIZEN),
        ([], S.COMPLETED),
        ([], S.OPEN),
        ([S.IN_PROGRESS], S.OPEN),
        ([S.IN_PROGRESS, S.WAITING_FOR_CITIZEN], S.COMPLETED),
        ([S.IN_PROGRESS, S.COMPLETED], S.IN_PROGRESS),
        ([S.IN_PROGRESS, S.COMPLETED], S.CANCELLED),
        ([S.CANCELLED], S.IN_PROGRESS),
        ([S.CANCELLED], S.CANCELLED),
    ],
)
async def test_an_illegal_move_is_a_conflict_and_writes_nothing(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    path: list[CaseStatus],
    illegal: CaseStatus,
) -> None:
    case = await open_case(service_id)
    for status in path:
        await _move(case.id, status, clock)
    before, events_before = await service.get_case(case.id), await service.timeline(case.id)
    with pytest.raises(CaseStatusConflict) as raised:
        await _move(case.id, illegal, clock)
    assert raised.value.code == "case_status_conflict" and raised.value.status == 409
    assert await service.get_case(case.id) == before
    assert await service.timeline(case.id) == events_before


async def test_of_two_clerks_completing_and_cancelling_at_once_exactly_one_wins(
    open_case: OpenCase, service_id: int, clock: FrozenClock
) -> None:
    case = await open_case(service_id)
    await _move(case.id, S.IN_PROGRESS, clock)
    moves = [S.COMPLETED, S.CANCELLED] * 10
    results = await asyncio.gather(
        *(service.change_status(case.id, s, channel=Channel.CLERK, clock=clock) for s in moves),
        return_exceptions=True,
    )
    winners = [result for result in results if not isinstance(result, BaseException)]
    assert len(winners) == 1
    assert all(
        isinstance(result, CaseStatusConflict) for result in results if result not in winners
    )
    final_events = [e for e in await service.timeline(case.id) if e.data.get("status")]
    assert [e.data["status"] for e in final_events] == ["in_progress", winners[0].status.value]


async def test_moving_a_case_that_does_not_exist_is_not_found(clock: FrozenClock) -> None:
    with pytest.raises(CaseNotFound):
        await service.change_status(4711, S.IN_PROGRESS, channel=Channel.CLERK, clock=clock)


# Timeline ----------------------------------------------------------------------------


async def test_the_timeline_is_in_time_order_and_shows_citizens_only_their_part(
    open_case: OpenCase, service_id: int, clock: FrozenClock
) -> None:
    case = await open_case(service_id)
    clock.advance(timedelta(minutes=5))
    await service.append_event(
        case.id,
        EventKind.CHECKED_IN,
        channel=Channel.KIOSK,
        clock=clock,
        actor="kiosk:K2",
        data={"kiosk": "K2"},
        citizen_visible=True,
    )
    # Same instant: the order of writing decides.
    await service.append_event(
        case.id,
        EventKind.TICKET_CALLED,
        channel=Channel.CLERK,
        clock=clock,
        data={"desk": "Schalter 3"},
    )
    clock.advance(timedelta(minutes=20))
    await service.append_event(
        case.id, EventKind.FEE_PAID, channel=Channel.SYSTEM, clock=clock, citizen_visible=True
    )
    everything = await service.timeline(case.id)
    assert [e.kind for e in everything] == [
        EventKind.CREATED,
        EventKind.CHECKED_IN,
        EventKind.TICKET_CALLED,
        EventKind.FEE_PAID,
    ]
    assert [e.at for e in everything] == sorted(e.at for e in everything)
    assert everything[2].data == {"desk": "Schalter 3"}
    visible = await service.timeline(case.id, citizen_only=True)
    assert [e.kind for e in visible] == [
        EventKind.CREATED,
        EventKind.CHECKED_IN,
        EventKind.FEE_PAID,
    ]
    assert (await service.get_case(case.id)).updated_at == clock.now()


async def test_timelines_of_different_cases_do_not_mix(
    open_case: OpenCase, service_id: int, clock: FrozenClock
) -> None:
    first, second = (
        await open_case(service_id),
        await open_case(service_id),
    )
    await service.append_event(
        second.id, EventKind.VIDEO_CALL_HELD, channel=Channel.VIDEO, clock=clock
    )
    assert [e.case_id for e in await service.timeline(first.id)] == [first.id]
    assert len(await service.timeline(second.id)) == 2


async def test_an_event_for_a_case_that_does_not_exist_is_not_written(clock: FrozenClock) -> None:
    with pytest.raises(CaseNotFound):
        await service.append_event(99, EventKind.FEE_PAID, channel=Channel.SYSTEM, clock=clock)
    assert await CaseEvent.count() == 0
