"""The queue over HTTP: the kiosk draws and checks in with its device credential, the
visitor follows the ticket by its token, the clerk works the queue with session and CSRF
— and hundreds of "call next" presses at once never hand one ticket to two desks."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.core.clock import FrozenClock
from app.devices import service as devices
from app.queue.context import QueueContext
from app.queue.tables import Ticket
from app.settings import Settings
from tests.conftest import running
from tests.queue.conftest import Floor, booked, make_desk, walk_in
from tests.staff.conftest import (  # noqa: F401 — fixtures
    Account,
    LogIn,
    MakeAccount,
    csrf,
    log_in,
    make_account,
    problem,
)

Client = httpx.AsyncClient


@pytest.fixture
async def clerk(make_account: MakeAccount, floor: Floor) -> Account:  # noqa: F811
    return await make_account("clerk-a", roles={floor.office: "clerk"})


@pytest.fixture
async def clients(app: Litestar) -> Any:
    opened: list[Client] = []
    async with running(app):

        def make() -> Client:
            client = Client(transport=httpx.ASGITransport(app=app), base_url="http://test.local")
            opened.append(client)
            return client

        yield make
        for client in opened:
            await client.aclose()


@pytest.fixture
async def desk_client(clients: Any, clerk: Account, log_in: LogIn) -> Client:  # noqa: F811
    client: Client = clients()
    assert (await log_in(client, clerk)).status_code == 200
    return client


@pytest.fixture
async def kiosk(
    clients: Any,
    floor: Floor,
    make_account: MakeAccount,  # noqa: F811
    settings: Settings,
    clock: FrozenClock,
) -> Client:
    admin = await make_account("admin", is_admin=True)
    actor = devices.Actor(admin.id, clock.now(), None)
    created = await devices.create_device(
        floor.office, "Kiosk 1", actor, secret_key=settings.secret_key
    )
    enrolled = await devices.redeem(
        created.code, secret_key=settings.secret_key, now=clock.now(), ip=None
    )
    client: Client = clients()
    client.headers["Authorization"] = f"Device {enrolled.credential}"
    return client


def queue_url(floor: Floor, rest: str = "") -> str:
    return f"/api/clerk/offices/{floor.office}/queue{rest}"


async def test_a_kiosk_draws_a_ticket_the_visitor_follows_it_and_sees_the_desk(
    kiosk: Client, desk_client: Client, floor: Floor
) -> None:
    drawn = await kiosk.post(
        "/api/kiosk/tickets", json={"service": floor.id_card, "language": "de"}
    )
    assert drawn.status_code == 201, drawn.text
    ticket = drawn.json()
    assert (ticket["number"], ticket["people_ahead"], ticket["office_id"]) == (
        "A-001",
        0,
        floor.office,
    )
    public = httpx.AsyncClient(transport=kiosk._transport, base_url="http://test.local")
    seen = (await public.get(f"/api/tickets/{ticket['token']}")).json()
    assert (seen["state"], seen["desk"]) == ("waiting", None)
    called = await desk_client.post(
        queue_url(floor, "/call-next"), json={"desk_id": floor.desks[0]}, headers=csrf(desk_client)
    )
    assert called.status_code == 200, called.text
    seen = (await public.get(f"/api/tickets/{ticket['token']}")).json()
    assert seen == {
        "number": "A-001",
        "state": "called",
        "people_ahead": 0,
        "estimated_wait_minutes": 0,
        "desk": "Schalter 1",
    }
    problem(await public.get("/api/tickets/forged"), 404, "invalid_token")


async def test_kiosk_routes_want_an_enrolled_device(clients: Any, floor: Floor) -> None:
    anonymous: Client = clients()
    body = {"service": floor.id_card, "language": "de"}
    problem(
        await anonymous.post("/api/kiosk/tickets", json=body), 401, "device_credential_required"
    )
    anonymous.headers["Authorization"] = "Device not-a-credential"
    problem(
        await anonymous.post("/api/kiosk/checkins", json={"code": "K7TRXA"}),
        401,
        "device_credential_invalid",
    )
    assert await Ticket.count() == 0


async def test_a_kiosk_checks_an_appointment_in_once(
    kiosk: Client, floor: Floor, clock: FrozenClock, ctx: QueueContext
) -> None:
    appointment = await booked(ctx, floor.office, floor.id_card, floor.desks[0], clock.now())
    first = await kiosk.post("/api/kiosk/checkins", json={"code": appointment.code.lower()})
    assert first.status_code == 201, first.text
    assert (first.json()["number"], first.json()["kind"]) == ("A-001", "appointment")
    again = await kiosk.post("/api/kiosk/checkins", json={"token": appointment.token})
    problem(again, 409, "already_checked_in")
    assert await Ticket.count() == 1


async def test_the_clerk_works_a_ticket_through_every_action(
    desk_client: Client, floor: Floor, ctx: QueueContext
) -> None:
    for _ in range(2):
        await walk_in(ctx, floor.office, floor.id_card)
    headers = csrf(desk_client)

    async def act(path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return await desk_client.post(queue_url(floor, path), json=body or {}, headers=headers)

    ticket = (await act("/call-next", {"desk_id": floor.desks[0]})).json()
    one = f"/tickets/{ticket['id']}"
    problem(await act(f"{one}/missed"), 409, "not_recalled_enough")
    assert (await act(f"{one}/recall")).json()["recalls"] == 1
    assert (await act(f"{one}/park")).json()["state"] == "parked"
    problem(await act(f"{one}/finish"), 409, "ticket_state_conflict")
    moved = await act(f"{one}/transfer", {"desk_id": floor.desks[1]})
    assert (moved.json()["state"], moved.json()["target_desk_id"]) == ("waiting", floor.desks[1])
    again = await act(f"{one}/call", {"desk_id": floor.desks[1]})
    assert (again.json()["state"], again.json()["desk_id"]) == ("called", floor.desks[1])
    assert (await act(f"{one}/finish")).json()["state"] == "finished"
    view = (await desk_client.get(queue_url(floor))).json()
    assert [t["number"] for t in view["waiting"]] == ["A-002"]
    problem(await act("/call-next", {"desk_id": floor.other_desk}), 404, "desk_not_found")
    problem(await act("/tickets/999999/recall"), 404, "ticket_not_found")


async def test_clerk_writes_want_the_csrf_token_and_a_role_in_the_office(
    desk_client: Client,
    clients: Any,
    floor: Floor,
    ctx: QueueContext,
    make_account: MakeAccount,  # noqa: F811
    log_in: LogIn,  # noqa: F811
) -> None:
    await walk_in(ctx, floor.office, floor.id_card)
    body = {"desk_id": floor.desks[0]}
    refused = await desk_client.post(queue_url(floor, "/call-next"), json=body)
    assert refused.status_code == 403
    stranger: Client = clients()
    await log_in(stranger, await make_account("clerk-b", roles={floor.other_office: "clerk"}))
    problem(
        await stranger.post(queue_url(floor, "/call-next"), json=body, headers=csrf(stranger)),
        404,
        "office_not_found",
    )
    assert (await Ticket.select(Ticket.state).first() or {})["state"] == "waiting"


async def test_two_hundred_presses_of_call_next_at_once_never_give_one_ticket_twice(
    desk_client: Client, floor: Floor, ctx: QueueContext
) -> None:
    """100 desks press twice each at the same moment, with 150 tickets waiting: every desk
    gets exactly one ticket, the second press at a desk is `desk_busy`, no ticket goes to
    two desks, and the 100 called are exactly the first 100 of the line (none skipped)."""
    desks = [await make_desk(floor.office, f"Platz {n}", [floor.id_card]) for n in range(100)]
    await asyncio.gather(*(walk_in(ctx, floor.office, floor.id_card) for _ in range(150)))
    # All drawn at one instant: the line runs in ticket order, which is number order.
    line = [f"A-{n:03d}" for n in range(1, 151)]
    headers = csrf(desk_client)

    async def press(desk: int) -> httpx.Response:
        return await desk_client.post(
            queue_url(floor, "/call-next"), json={"desk_id": desk}, headers=headers
        )

    answers = await asyncio.gather(*(press(desk) for desk in desks * 2))
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: 100, 409: 100}, statuses
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"desk_busy"}
    called = [a.json() for a in answers if a.status_code == 200]
    assert len({t["id"] for t in called}) == 100
    assert sorted(t["desk_id"] for t in called) == sorted(desks)
    assert sorted(t["number"] for t in called) == line[:100]
    rows = await Ticket.select(Ticket.number).where(Ticket.state == "waiting")
    assert sorted(r["number"] for r in rows) == line[100:]
