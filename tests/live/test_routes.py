"""The office's live stream on real app processes: delivery, catch-up after a reconnect,
N processes through Redis, the display key; and the display link for the office's staff."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from app.live.service import CLOSE_INVALID_KEY, display_key, key_valid
from app.settings import Settings
from tests.live.conftest import OpenDisplay, StartServer
from tests.workspace.conftest import ClientFor, World


def call(ticket: str, desk: str = "3", office_id: int = 1) -> dict[str, Any]:
    return {"type": "called", "ticket": ticket, "desk": desk, "office_id": office_id, "at": "now"}


async def test_a_call_reaches_a_display_and_a_reconnect_gets_exactly_what_it_missed(
    start_live: StartServer, open_display: OpenDisplay, office_id: int
) -> None:
    server = await start_live()
    display = await open_display(server, office_id)
    assert await display.until_sync() == (
        [],
        {"type": "sync", "epoch": display.epoch, "seq": 0, "reset": True},
    )
    await server.publish(office_id, call("A-001"))
    first = await display.next()
    assert (first["ticket"], first["desk"], first["seq"]) == ("A-001", "3", 1)
    await display.socket.close()

    for ticket in ("A-002", "A-003"):
        await server.publish(office_id, call(ticket))
    back = await open_display(server, office_id, epoch=display.epoch, after=display.seq)
    caught, sync = await back.until_sync()
    assert [(event["ticket"], event["seq"]) for event in caught] == [("A-002", 2), ("A-003", 3)]
    assert (sync["seq"], sync["reset"]) == (3, False)
    await server.publish(office_id, call("A-004"))
    # In order, so a repeated would have come before A-004.
    assert ((await back.next())["ticket"], back.seq) == ("A-004", 4)


async def test_a_display_of_another_epoch_gets_everything_kept_and_rebuilds(
    start_live: StartServer, open_display: OpenDisplay, office_id: int
) -> None:
    server = await start_live()
    await server.publish(office_id, call("A-001"))
    stale = await open_display(server, office_id, epoch="gone", after=57)
    caught, sync = await stale.until_sync()
    assert ([event["ticket"] for event in caught], sync["reset"]) == (["A-001"], True)


async def test_a_display_without_the_office_key_is_turned_away(
    start_live: StartServer, open_display: OpenDisplay, office_id: int, settings: Settings
) -> None:
    server = await start_live()
    for key in (display_key(settings, office_id + 1), "x" * 22):
        display = await open_display(server, office_id, key=key)
        with pytest.raises(ConnectionClosed) as closed:
            await display.next()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == CLOSE_INVALID_KEY


async def test_a_call_on_one_process_reaches_a_display_on_another_and_catches_up_there(
    start_live: StartServer, open_display: OpenDisplay, office_id: int
) -> None:
    a, b = await start_live(redis=True), await start_live(redis=True)
    on_b = await open_display(b, office_id)
    await on_b.until_sync()
    await a.publish(office_id, call("B-101", desk="7"))
    event = await on_b.next()
    assert (event["ticket"], event["desk"], event["seq"]) == ("B-101", "7", 1)
    await on_b.socket.close()

    await b.publish(office_id, call("B-102"))
    await a.publish(office_id, call("B-103"))
    # Back on the other process: the history is Redis's, not the process's.
    on_a = await open_display(a, office_id, epoch=on_b.epoch, after=on_b.seq)
    caught, sync = await on_a.until_sync()
    assert [event["ticket"] for event in caught] == ["B-102", "B-103"]
    assert (sync["seq"], sync["reset"]) == (3, False)


async def test_hundreds_of_concurrent_calls_reach_every_display_once_in_order(
    start_live: StartServer, open_display: OpenDisplay, office_id: int
) -> None:
    servers = [await start_live(redis=True), await start_live(redis=True)]
    displays = [await open_display(servers[n % 2], office_id) for n in range(20)]
    for display in displays:
        await display.until_sync()
    await asyncio.gather(
        *(servers[n % 2].publish(office_id, call(f"C-{n:03}")) for n in range(200))
    )
    for display in displays:
        received = [await display.next() for _ in range(200)]
        assert [event["seq"] for event in received] == list(range(1, 201))
        assert sorted(event["ticket"] for event in received) == [f"C-{n:03}" for n in range(200)]


async def test_staff_of_the_office_get_its_display_link_and_others_do_not(
    world: World, client_for: ClientFor, settings: Settings
) -> None:
    clerk = await client_for(world.clerk)
    response = await clerk.get(f"/api/clerk/offices/{world.office_a}/display-link")
    assert response.status_code == 200
    link = response.json()
    assert key_valid(settings, world.office_a, link["key"])
    assert not key_valid(settings, world.office_b, link["key"])
    assert link["url"].endswith(f"/display/de/?office={world.office_a}&key={link['key']}")
    stranger = await client_for(world.stranger)
    response = await stranger.get(f"/api/clerk/offices/{world.office_a}/display-link")
    assert response.status_code == 404
    anonymous = await client_for(None)
    response = await anonymous.get(f"/api/clerk/offices/{world.office_a}/display-link")
    assert response.status_code == 401
