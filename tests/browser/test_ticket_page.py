"""The visitor's ticket on the phone in Chromium: a walk-in ticket drawn as the kiosk
would, its page in German and in Arabic (right to left) shows the number and the people
ahead; a desk calls it and the page says "called" with the desk, announced; axe-core
finds nothing; nothing is fetched from another origin."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page, expect

from app.booking.context import BookingContext
from app.booking.rules import BookingRules
from app.catalogue import service as catalogue
from app.core.clock import Clock
from app.core.tokens import TokenSigner
from app.queue import calling, desks
from app.queue.context import QueueContext
from app.queue.rules import QueueRules
from app.queue.schemas import Desk, DrawnTicket, WalkInCreate
from app.queue.service import draw
from app.queue.tables import Ticket
from app.settings import Settings
from app.staff import demo
from tests.browser.conftest import ContextFactory, Server, Watch

pytestmark = pytest.mark.browser


def _queue(settings: Settings) -> QueueContext:
    # The server runs on real time: the ticket is drawn today, as a kiosk would.
    clock, signer = Clock(), TokenSigner(settings.token_signing_key)
    booking = BookingContext(settings, BookingRules(), clock, signer)
    return QueueContext(settings, QueueRules(), clock, signer, booking)


async def _office_with_a_desk() -> tuple[int, str, Desk]:
    for office in await catalogue.list_offices("de"):
        found = await desks.office_desks(office.id)
        if found:
            return office.id, office.name, found[0]
    raise AssertionError("the demo city has no office with a desk")


async def _walk_in(ctx: QueueContext, office: int, desk: Desk) -> DrawnTicket:
    body = WalkInCreate(service=desk.service_ids[0], language="de")
    return await draw(office, body, ctx, None, actor="test")


async def _refresh_now(page: Page) -> None:
    """What coming back to the tab does: ask the API at once, not in 15 seconds."""
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


async def test_the_phone_follows_the_ticket_until_it_is_called_to_a_desk(
    context: tuple[BrowserContext, Watch], settings: Settings
) -> None:
    await demo.load(settings, now=datetime.now(UTC))
    ctx = _queue(settings)
    office, office_name, desk = await _office_with_a_desk()
    first = await _walk_in(ctx, office, desk)
    second = await _walk_in(ctx, office, desk)
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())

    await page.goto(f"/ar/tickets/{second.token}")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("#ticket-number")).to_have_text(second.number)
    await expect(page.locator("#ticket-office")).to_have_text(office_name)
    await expect(page.locator("#ticket-ahead")).to_have_text(str(second.people_ahead))
    assert second.people_ahead >= 1

    await page.goto(f"/de/tickets/{second.token}")
    await expect(page.locator("#ticket-number")).to_have_text(second.number)
    await expect(page.locator("#ticket-state")).to_have_text("In der Warteschlange")
    await expect(page.locator("#ticket-ahead")).to_have_text(str(second.people_ahead))
    await expect(page.locator("#push-optin")).to_be_attached()

    row = await Ticket.select(Ticket.id).where(Ticket.number == second.number).first()
    assert row is not None and first.number != second.number
    await calling.call(office, row["id"], desk.id, ctx, None, actor="test")
    await _refresh_now(page)
    await expect(page.locator("#ticket-state")).to_contain_text(desk.label)
    await expect(page.locator("#ticket-state")).to_have_attribute("data-state", "called")
    await expect(page.locator("#ticket-announcer")).to_contain_text(desk.label)
    await expect(page.locator("#ticket-ahead-item")).to_be_hidden()
    assert not watch.errors, watch.errors
    assert not watch.foreign(), watch.foreign()


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_axe_core_finds_nothing_on_the_ticket_page(
    new_context: ContextFactory, server: Server, axe_script: Path, settings: Settings, lang: str
) -> None:
    await demo.load(settings, now=datetime.now(UTC))
    office, _name, desk = await _office_with_a_desk()
    drawn = await _walk_in(_queue(settings), office, desk)
    # Only here is the CSP bypassed: axe is injected as a script the page did not ask for.
    browser_context, watch = await new_context(server.url, bypass_csp=True, service_workers="block")
    page = await browser_context.new_page()
    await page.goto(f"/{lang}/tickets/{drawn.token}", wait_until="networkidle")
    await expect(page.locator("#ticket-number")).to_have_text(drawn.number)
    await page.add_script_tag(path=str(axe_script))
    results = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{rule['id']}: {rule['help']} → {[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"]
    ]
    assert violations == []
    assert not watch.foreign(), watch.foreign()
