"""The queue's rules: numbering, order of the line, estimated wait, check-in, and every
desk action with its illegal transitions."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.booking.checkin import AlreadyCheckedIn
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import Channel, EventKind
from app.core.clock import FrozenClock
from app.core.errors import DomainError
from app.queue import calling, numbering
from app.queue.context import QueueContext
from app.queue.rules import QueueRules, RulesError
from app.queue.schemas import CheckInCreate, TicketState, Transfer
from app.queue.service import check_in, office_queue, status
from app.queue.tables import Ticket
from tests.queue.conftest import Floor, Recorder, arrive, booked, walk_in


async def call_next(ctx: QueueContext, floor: Floor, desk: int, recorder: Recorder | None = None):
    return await calling.call_next(floor.office, desk, ctx, recorder, actor="clerk:1")


def code_of(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


async def test_numbers_count_per_group_and_office_and_start_again_the_next_day(
    ctx: QueueContext, floor: Floor, clock: FrozenClock
) -> None:
    drawn = [
        await walk_in(ctx, floor.office, floor.id_card),
        await walk_in(ctx, floor.office, floor.id_card),
        await walk_in(ctx, floor.office, floor.certificate),
    ]
    assert [ticket.number for ticket in drawn] == ["A-001", "A-002", "C-001"]
    await Ticket.raw("SELECT 1")  # the other office counts on its own
    other_desk_service = await walk_in(ctx, floor.other_office, floor.id_card)
    assert other_desk_service.number == "A-001"
    clock.advance(timedelta(days=1))
    assert (await walk_in(ctx, floor.office, floor.id_card)).number == "A-001"


async def test_the_queue_mapping_puts_a_service_into_another_group(
    ctx: QueueContext, floor: Floor
) -> None:
    await numbering.set_group(floor.certificate, "B")
    assert (await walk_in(ctx, floor.office, floor.certificate)).number == "B-001"
    with pytest.raises(DomainError) as error:
        await numbering.set_group(floor.certificate, "b")
    assert code_of(error) == "invalid_group_letter"


async def test_two_hundred_tickets_drawn_at_once_get_two_hundred_numbers_in_a_row(
    ctx: QueueContext, floor: Floor
) -> None:
    drawn = await asyncio.gather(*(walk_in(ctx, floor.office, floor.id_card) for _ in range(200)))
    assert sorted(ticket.number for ticket in drawn) == [f"A-{n:03d}" for n in range(1, 201)]


async def test_a_walk_in_opens_a_kiosk_case_and_its_token_shows_the_ticket(
    ctx: QueueContext, floor: Floor, recorder: Recorder
) -> None:
    ticket = await walk_in(ctx, floor.office, floor.id_card, recorder)
    seen = await status(ticket.token, ctx)
    assert (seen.number, seen.state, seen.people_ahead, seen.desk) == ("A-001", "waiting", 0, None)
    row = await Ticket.select().where(Ticket.number == "A-001").first()
    assert row is not None
    case = await cases.get_case(row["case_id"])
    assert (case.opened_via, case.office_id) == (Channel.KIOSK, floor.office)
    kinds = [event.kind for event in await cases.timeline(case.id)]
    assert kinds == [EventKind.CREATED, EventKind.TICKET_DRAWN]
    assert recorder.events == [
        (
            f"queue:office:{floor.office}",
            {
                "type": "drawn",
                "ticket": "A-001",
                "desk": None,
                "office_id": floor.office,
                "at": "2026-11-23T09:00:00+00:00",
            },
        )
    ]


async def test_a_service_no_desk_of_the_office_offers_gets_no_ticket(
    ctx: QueueContext, floor: Floor
) -> None:
    with pytest.raises(DomainError) as error:
        await walk_in(ctx, floor.other_office, floor.certificate)
    assert code_of(error) == "service_not_here"
    assert await Ticket.count() == 0


async def test_an_appointment_checks_in_by_code_or_token_and_joins_its_case(
    ctx: QueueContext, floor: Floor, clock: FrozenClock
) -> None:
    starts = clock.now() + timedelta(minutes=30)
    by_code = await booked(ctx, floor.office, floor.id_card, floor.desks[0], starts)
    by_token = await booked(ctx, floor.office, floor.id_card, floor.desks[1], starts, code="MNPRTU")
    first = await arrive(ctx, floor.office, by_code)
    second = await check_in(
        floor.office, CheckInCreate(token=by_token.token), ctx, None, actor="kiosk:1"
    )
    assert (first.number, first.kind, second.number) == ("A-001", "appointment", "A-002")
    for appointment in (by_code, by_token):
        kinds = [event.kind for event in await cases.timeline(appointment.case_id)]
        assert EventKind.CHECKED_IN in kinds
        row = await Appointment.select(Appointment.state).where(Appointment.id == appointment.id)
        assert row[0]["state"] == "checked_in"


async def test_checking_in_twice_gives_a_conflict_and_no_second_ticket(
    ctx: QueueContext, floor: Floor, clock: FrozenClock
) -> None:
    appointment = await booked(ctx, floor.office, floor.id_card, floor.desks[0], clock.now())
    await arrive(ctx, floor.office, appointment)
    with pytest.raises(AlreadyCheckedIn):
        await arrive(ctx, floor.office, appointment)
    assert await Ticket.count() == 1


async def test_fifty_check_ins_of_one_appointment_at_once_give_one_ticket(
    ctx: QueueContext, floor: Floor, clock: FrozenClock
) -> None:
    appointment = await booked(ctx, floor.office, floor.id_card, floor.desks[0], clock.now())
    results = await asyncio.gather(
        *(arrive(ctx, floor.office, appointment) for _ in range(50)), return_exceptions=True
    )
    assert sum(1 for r in results if not isinstance(r, BaseException)) == 1
    assert all(isinstance(r, AlreadyCheckedIn) for r in results if isinstance(r, BaseException))
    assert await Ticket.count() == 1


@pytest.mark.parametrize(
    ("where", "shift", "state", "code"),
    [
        ("other", timedelta(0), "confirmed", "appointment_other_office"),
        ("here", timedelta(days=1), "confirmed", "appointment_not_today"),
        ("here", timedelta(0), "held", "appointment_not_checkable"),
        ("here", timedelta(0), "cancelled", "appointment_not_checkable"),
    ],
)
async def test_appointments_of_another_office_or_day_or_not_confirmed_do_not_check_in(
    ctx: QueueContext,
    floor: Floor,
    clock: FrozenClock,
    where: str,
    shift: timedelta,
    state: str,
    code: str,
) -> None:
    office = floor.other_office if where == "other" else floor.office
    appointment = await booked(
        ctx, office, floor.id_card, floor.desks[0], clock.now() + shift, state=state
    )
    with pytest.raises(DomainError) as error:
        await arrive(ctx, floor.office, appointment)
    assert code_of(error) == code
    assert await Ticket.count() == 0


async def test_unknown_codes_and_forged_tokens_do_not_check_in(
    ctx: QueueContext, floor: Floor
) -> None:
    for data, code in [
        (CheckInCreate(code="XXXXXX"), "appointment_not_found"),
        (CheckInCreate(token="forged"), "invalid_token"),
        (CheckInCreate(), "check_in_needs_one"),
        (CheckInCreate(code="K7TRXA", token="x"), "check_in_needs_one"),
    ]:
        with pytest.raises(DomainError) as error:
            await check_in(floor.office, data, ctx, None, actor="kiosk:1")
        assert code_of(error) == code


async def test_an_appointment_is_served_at_its_time_ahead_of_walk_ins_who_came_later(
    ctx: QueueContext, floor: Floor, clock: FrozenClock
) -> None:
    """10:00 the visitor of the 10:30 appointment checks in; walk-ins draw at 10:10 and
    10:40: the 10:10 walk-in first, then the appointment, then the 10:40 walk-in."""
    start = clock.now() + timedelta(minutes=30)
    appointment = await booked(ctx, floor.office, floor.id_card, floor.desks[0], start)
    early = await arrive(ctx, floor.office, appointment)
    clock.advance(timedelta(minutes=10))
    before = await walk_in(ctx, floor.office, floor.id_card)
    clock.advance(timedelta(minutes=30))
    after = await walk_in(ctx, floor.office, floor.id_card)
    order = []
    for _ in range(3):
        called = await call_next(ctx, floor, floor.desks[1])
        order.append(called.number)
        await calling.finish(floor.office, called.id, ctx, None, actor="clerk:1")
    assert order == [before.number, early.number, after.number]


@pytest.mark.parametrize(("late", "first"), [(14, "appointment"), (16, "walk_in")])
async def test_a_late_appointment_keeps_its_time_only_within_the_tolerance(
    ctx: QueueContext, floor: Floor, clock: FrozenClock, late: int, first: str
) -> None:
    appointment = await booked(ctx, floor.office, floor.id_card, floor.desks[0], clock.now())
    clock.advance(timedelta(minutes=late - 1))
    await walk_in(ctx, floor.office, floor.id_card)
    clock.advance(timedelta(minutes=1))
    await arrive(ctx, floor.office, appointment)
    assert (await call_next(ctx, floor, floor.desks[1])).kind == first


async def test_the_estimated_wait_is_the_median_service_time_per_open_desk(
    ctx: QueueContext, floor: Floor, clock: FrozenClock
) -> None:
    for minutes, desk in ((5, 0), (10, 1), (30, 0)):
        await walk_in(ctx, floor.office, floor.id_card)
        called = await call_next(ctx, floor, floor.desks[desk])
        clock.advance(timedelta(minutes=minutes))
        await calling.finish(floor.office, called.id, ctx, None, actor="clerk:1")
    drawn = [await walk_in(ctx, floor.office, floor.id_card) for _ in range(4)]
    # Three ahead of the fourth, a median of 10 minutes, two desks called in the last hour.
    assert (drawn[3].people_ahead, drawn[3].estimated_wait_minutes) == (3, 15)
    assert (drawn[0].people_ahead, drawn[0].estimated_wait_minutes) == (0, 0)
    # A group nobody was served in yet: the default 10 minutes, at the two open desks.
    other = [await walk_in(ctx, floor.office, floor.certificate) for _ in range(2)]
    assert (other[1].people_ahead, other[1].estimated_wait_minutes) == (1, 5)


async def test_call_next_takes_only_the_services_of_the_desk(
    ctx: QueueContext, floor: Floor
) -> None:
    await walk_in(ctx, floor.office, floor.certificate)
    with pytest.raises(DomainError) as error:
        await call_next(ctx, floor, floor.desks[1])  # ID cards only
    assert code_of(error) == "queue_empty"
    assert (await call_next(ctx, floor, floor.desks[2])).number == "C-001"


async def test_a_desk_calls_one_ticket_at_a_time(ctx: QueueContext, floor: Floor) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    await walk_in(ctx, floor.office, floor.id_card)
    await call_next(ctx, floor, floor.desks[0])
    with pytest.raises(DomainError) as error:
        await call_next(ctx, floor, floor.desks[0])
    assert code_of(error) == "desk_busy"


async def test_a_desk_or_ticket_of_another_office_is_not_found(
    ctx: QueueContext, floor: Floor
) -> None:
    other = await walk_in(ctx, floor.other_office, floor.id_card)
    with pytest.raises(DomainError) as error:
        await call_next(ctx, floor, floor.other_desk)
    assert code_of(error) == "desk_not_found"
    row = await Ticket.select(Ticket.id).where(Ticket.office_id == floor.other_office).first()
    assert row is not None and other.number == "A-001"
    with pytest.raises(DomainError) as error:
        await calling.recall(floor.office, row["id"], ctx, None, actor="clerk:1")
    assert code_of(error) == "ticket_not_found"


async def test_missed_needs_the_configured_recalls_first(
    ctx: QueueContext, floor: Floor, recorder: Recorder
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    ticket = await call_next(ctx, floor, floor.desks[0], recorder)
    with pytest.raises(DomainError) as error:
        await calling.missed(floor.office, ticket.id, ctx, recorder, actor="clerk:1")
    assert code_of(error) == "not_recalled_enough"
    for _ in range(ctx.rules.recalls_before_missed):
        recalled = await calling.recall(floor.office, ticket.id, ctx, recorder, actor="clerk:1")
    assert recalled.recalls == 2
    gone = await calling.missed(floor.office, ticket.id, ctx, recorder, actor="clerk:1")
    assert gone.state is TicketState.MISSED
    assert [event["type"] for _, event in recorder.events] == [
        "called", "recalled", "recalled", "missed",
    ]  # fmt: skip
    assert [event["desk"] for _, event in recorder.events] == [
        "Schalter 1", "Schalter 1", "Schalter 1", None,
    ]  # fmt: skip
    kinds = [event.kind for event in await cases.timeline(ticket.case_id)]
    assert kinds[-4:] == [
        EventKind.TICKET_CALLED,
        EventKind.TICKET_RECALLED,
        EventKind.TICKET_RECALLED,
        EventKind.TICKET_MISSED,
    ]


async def test_the_number_of_recalls_before_missed_comes_from_the_environment() -> None:
    assert QueueRules.from_env({"APP_QUEUE_RECALLS_BEFORE_MISSED": "0"}).recalls_before_missed == 0
    with pytest.raises(RulesError):
        QueueRules.from_env({"APP_QUEUE_RECALLS_BEFORE_MISSED": "two"})


async def test_a_parked_ticket_frees_the_desk_and_can_be_called_back(
    ctx: QueueContext, floor: Floor
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    await walk_in(ctx, floor.office, floor.id_card)
    first = await call_next(ctx, floor, floor.desks[0])
    parked = await calling.park(floor.office, first.id, ctx, None, actor="clerk:1")
    assert parked.state is TicketState.PARKED
    second = await call_next(ctx, floor, floor.desks[0])
    await calling.finish(floor.office, second.id, ctx, None, actor="clerk:1")
    back = await calling.call(floor.office, first.id, floor.desks[0], ctx, None, actor="clerk:1")
    assert (back.state, back.desk_id) == (TicketState.CALLED, floor.desks[0])


async def test_a_ticket_passed_on_to_a_desk_is_called_only_by_that_desk_in_its_old_place(
    ctx: QueueContext, floor: Floor
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    await walk_in(ctx, floor.office, floor.id_card)
    first = await call_next(ctx, floor, floor.desks[0])
    moved = await calling.transfer(
        floor.office, first.id, Transfer(desk_id=floor.desks[1]), ctx, None, actor="clerk:1"
    )
    assert (moved.state, moved.target_desk_id) == (TicketState.WAITING, floor.desks[1])
    assert (await call_next(ctx, floor, floor.desks[0])).number == "A-002"
    assert (await call_next(ctx, floor, floor.desks[1])).number == "A-001"


async def test_a_ticket_passed_on_to_another_service_keeps_its_number(
    ctx: QueueContext, floor: Floor
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    first = await call_next(ctx, floor, floor.desks[1])
    await calling.transfer(
        floor.office, first.id, Transfer(service_id=floor.certificate), ctx, None, actor="c:1"
    )
    assert (await call_next(ctx, floor, floor.desks[2])).number == "A-001"
    with pytest.raises(DomainError) as error:
        await calling.transfer(floor.office, first.id, Transfer(), ctx, None, actor="c:1")
    assert code_of(error) == "invalid_input"


async def test_finishing_records_the_service_time_and_the_timeline(
    ctx: QueueContext, floor: Floor, clock: FrozenClock, recorder: Recorder
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    ticket = await call_next(ctx, floor, floor.desks[0])
    clock.advance(timedelta(minutes=7))
    done = await calling.finish(floor.office, ticket.id, ctx, recorder, actor="clerk:1")
    assert done.state is TicketState.FINISHED
    row = await Ticket.select(Ticket.service_seconds).where(Ticket.id == ticket.id)
    assert row[0]["service_seconds"] == 420
    timeline = await cases.timeline(ticket.case_id)
    assert (timeline[-1].kind, timeline[-1].actor) == (EventKind.TICKET_FINISHED, "clerk:1")
    assert recorder.events[-1][1]["type"] == "finished"


@pytest.mark.parametrize("action", ["recall", "missed", "park", "finish"])
async def test_actions_on_a_waiting_ticket_are_refused(
    ctx: QueueContext, floor: Floor, action: str
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    row = await Ticket.select(Ticket.id).first()
    assert row is not None
    with pytest.raises(DomainError) as error:
        await getattr(calling, action)(floor.office, row["id"], ctx, None, actor="clerk:1")
    assert code_of(error) == "ticket_state_conflict"
    assert (await Ticket.select(Ticket.state).first() or {})["state"] == "waiting"


async def test_a_finished_ticket_cannot_be_called_recalled_or_passed_on(
    ctx: QueueContext, floor: Floor
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    ticket = await call_next(ctx, floor, floor.desks[0])
    await calling.finish(floor.office, ticket.id, ctx, None, actor="clerk:1")
    attempts = [
        calling.call(floor.office, ticket.id, floor.desks[0], ctx, None, actor="clerk:1"),
        calling.recall(floor.office, ticket.id, ctx, None, actor="clerk:1"),
        calling.transfer(
            floor.office, ticket.id, Transfer(desk_id=floor.desks[1]), ctx, None, actor="c"
        ),
        calling.finish(floor.office, ticket.id, ctx, None, actor="clerk:1"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            await attempt
        assert code_of(error) == "ticket_state_conflict"


async def test_the_clerk_view_lists_todays_open_tickets_in_line_order(
    ctx: QueueContext, floor: Floor
) -> None:
    for service in (floor.id_card, floor.certificate, floor.id_card):
        await walk_in(ctx, floor.office, service)
    called = await call_next(ctx, floor, floor.desks[0])
    view = await office_queue(floor.office, ctx)
    assert [t.number for t in view.waiting] == ["C-001", "A-002"]
    assert [t.number for t in view.called] == [called.number] == ["A-001"]
    assert [(d.label, len(d.service_ids)) for d in view.desks] == [
        ("Schalter 1", 2), ("Schalter 2", 1), ("Schalter 3", 1),
    ]  # fmt: skip


class BrokenChannels:
    async def wait_published(self, data: object, channels: object) -> None:
        raise ConnectionError("broker down")


async def test_a_failed_publish_leaves_the_committed_change_standing(
    ctx: QueueContext, floor: Floor, caplog: pytest.LogCaptureFixture
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    called = await calling.call_next(floor.office, floor.desks[0], ctx, BrokenChannels(), actor="c")
    assert called.state is TicketState.CALLED
    assert (await Ticket.select(Ticket.state).first() or {})["state"] == "called"
    assert "not published" in caplog.text
