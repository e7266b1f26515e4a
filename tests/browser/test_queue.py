"""The clerk's queue screen in Chromium: a walk-in ticket is waiting, the clerk logs in,
picks the desk, calls the next visitor, calls them again and finishes; in Arabic the
screen runs right to left."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.async_api import BrowserContext, expect

from app.booking.context import BookingContext
from app.booking.rules import BookingRules
from app.core.clock import Clock
from app.core.tokens import TokenSigner
from app.queue import desks
from app.queue.context import QueueContext
from app.queue.rules import QueueRules
from app.queue.schemas import WalkInCreate
from app.queue.service import draw
from app.settings import Settings
from app.staff import demo
from tests.browser.conftest import Watch
from tests.browser.test_clerk_login import _log_in

pytestmark = pytest.mark.browser


async def test_a_clerk_calls_the_next_ticket_to_the_desk_and_finishes_it(
    context: tuple[BrowserContext, Watch], settings: Settings
) -> None:
    await demo.load(settings, now=datetime.now(UTC))
    clerk = demo.logins(settings)[0]
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await _log_in(page, clerk.username, clerk.password, clerk.totp_secret)
    me = await page.evaluate("fetch('/api/staff/me').then((r) => r.json())")
    office = me["offices"][0]["office_id"]
    first_desk = (await desks.office_desks(office))[0]
    # The server runs on real time: the ticket is drawn today, as a kiosk would.
    clock, signer = Clock(), TokenSigner(settings.token_signing_key)
    ctx = QueueContext(
        settings,
        QueueRules(),
        clock,
        signer,
        BookingContext(settings, BookingRules(), clock, signer),
    )
    drawn = await draw(
        office,
        WalkInCreate(service=first_desk.service_ids[0], language="de"),
        ctx,
        None,
        actor="test",
    )

    await page.goto("/clerk/de/queue")
    await page.locator("#q-office").select_option(str(office))
    await page.locator("#q-desk").select_option(str(first_desk.id))
    waiting = page.locator("#waiting-rows tr", has_text=drawn.number)
    await expect(waiting).to_have_count(1)
    first_in_line = await page.locator("#waiting-rows tr td.queue__number-cell").first.inner_text()

    await page.locator("#call-next").click()
    await expect(page.locator("#current-number")).to_have_text(first_in_line)
    await expect(page.locator("#q-status")).to_contain_text(first_desk.label)
    await expect(page.locator("#call-next")).to_be_disabled()
    await page.locator("#recall").click()
    await expect(page.locator("#current-meta")).to_contain_text("1")
    await page.locator("#finish").click()
    await expect(page.locator("#current")).to_be_hidden()
    await expect(page.locator("#waiting-rows tr", has_text=first_in_line)).to_have_count(0)
    await expect(page.locator("#call-next")).to_be_enabled()

    await page.goto("/clerk/ar/queue")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("#q-desk option").first).to_be_attached()
    assert not watch.errors, watch.errors
    assert not watch.foreign(), watch.foreign()
