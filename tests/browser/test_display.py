"""The call display in Chromium: a call made on one app process appears on a display
served by another, highlighted; the display survives its server going away, says so,
and catches up on what it missed; right to left, the number still leads to the desk."""

from __future__ import annotations

from typing import Any

import pytest

from app.live.service import display_key
from app.settings import Settings
from tests.browser.conftest import ContextFactory
from tests.live.conftest import StartServer, office_id, start_live  # noqa: F401 — fixtures

pytestmark = pytest.mark.browser

NEWEST = ".display-call--newest"
RECONNECT_MS = 45_000


def call(ticket: str, desk: str) -> dict[str, Any]:
    return {"type": "called", "ticket": ticket, "desk": desk, "at": "2026-11-23T09:00:00Z"}


async def test_the_display_shows_calls_and_catches_up_after_its_server_went_away(
    new_context: ContextFactory,
    start_live: StartServer,  # noqa: F811
    office_id: int,  # noqa: F811
    settings: Settings,
) -> None:
    a, b = await start_live(redis=True), await start_live(redis=True)
    link = f"?office={office_id}&key={display_key(settings, office_id)}"
    context, watch = await new_context(b.url)
    page = watch.follow(await context.new_page())
    await page.goto(f"/display/de/{link}")
    await page.locator("body[data-connection=live]").wait_for()
    assert await page.locator("[data-empty]").is_visible()

    await a.publish(office_id, call("A-017", "3"))
    newest = page.locator(f"{NEWEST}[data-ticket='A-017']")
    await newest.wait_for()
    assert "3" in await newest.locator(".display-call__desk").inner_text()
    assert not await page.locator("[data-empty]").is_visible()
    assert "A 17" in await page.locator("[data-announcement]").inner_text()

    port = b.port
    assert watch.errors == []
    await b.stop()
    await page.locator("body[data-connection=lost]").wait_for()
    assert await page.locator("[data-connection-lost]").is_visible()
    await a.publish(office_id, call("B-002", "5"))  # while the display cannot hear it
    await start_live(redis=True, port=port)
    # The display retries with back-off (up to 15 s apart), not at once.
    await page.locator(f"{NEWEST}[data-ticket='B-002']").wait_for(timeout=RECONNECT_MS)
    await page.locator("body[data-connection=live]").wait_for()
    assert not await page.locator("[data-connection-lost]").is_visible()
    tickets = await page.locator(".display-call").evaluate_all(
        "items => items.map(item => item.dataset.ticket)"
    )
    assert tickets == ["B-002", "A-017"]
    # While the server was away Chromium reports each refused reconnect on the console,
    # and any resource it fetched late (the favicon) as refused; nothing else may appear.
    refused = ("WebSocket connection", "net::ERR_CONNECTION_REFUSED")
    assert [error for error in watch.errors if not any(r in error for r in refused)] == []

    arabic = watch.follow(await context.new_page())
    await arabic.goto(f"/display/ar/{link}")
    first = arabic.locator(f"{NEWEST}[data-ticket='B-002']")
    await first.wait_for()
    ticket = await first.locator(".display-call__ticket").bounding_box()
    desk = await first.locator(".display-call__desk").bounding_box()
    assert ticket and desk and ticket["x"] > desk["x"]  # read from the right


async def test_a_display_link_with_a_wrong_key_says_so_and_stops_trying(
    new_context: ContextFactory,
    start_live: StartServer,  # noqa: F811
    office_id: int,  # noqa: F811
) -> None:
    server = await start_live()
    context, watch = await new_context(server.url)
    page = watch.follow(await context.new_page())
    await page.goto(f"/display/de/?office={office_id}&key=forged")
    await page.locator("body[data-connection=invalid]").wait_for()
    assert await page.locator("[data-link-invalid]").is_visible()
    assert watch.errors == []
