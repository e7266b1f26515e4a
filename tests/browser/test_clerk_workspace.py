"""The clerk workspace in Chromium: a citizen books through the booking API, a clerk logs
in with TOTP, finds the booked case in the office's list, reads its timeline and adds a
note; a request without the CSRF header is refused; the idle session expires."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext

from app.core import antibot
from app.settings import Settings
from app.staff import demo
from tests.browser.conftest import ContextFactory, Server, ServerFactory
from tests.browser.test_clerk_login import _log_in

pytestmark = pytest.mark.browser

IDLE_SECONDS = 15


async def _book(server: Server, office_ids: set[int]) -> str:
    """Hold the first free in-person slot at one of `office_ids`; the case's reference."""
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
        offices = {o["slug"]: o["id"] for o in (await client.get("/api/offices")).json()}
        for service in (await client.get("/api/services")).json():
            for slug, office_id in offices.items():
                if office_id not in office_ids:
                    continue
                found = await client.get(
                    "/api/availability", params={"service": service["slug"], "office": slug}
                )
                days: list[dict[str, Any]] = (
                    found.json().get("days", []) if found.is_success else []
                )
                for day in days:
                    for slot in day["slots"]:
                        challenge = (await client.get("/api/altcha/challenge")).json()
                        hold = await client.post(
                            "/api/holds",
                            headers={antibot.HEADER: antibot.solve(challenge)},
                            json={
                                "service": service["slug"],
                                "office": slug,
                                "starts_at": slot["starts_at"],
                                "language": "de",
                            },
                        )
                        if hold.status_code == 201:
                            reference: str = hold.json()["appointment"]["reference"]
                            return reference
    raise AssertionError("no bookable slot in the clerk's offices")


async def test_a_clerk_finds_a_booked_case_reads_its_timeline_and_adds_a_note(
    start_server: ServerFactory,
    new_context: ContextFactory,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_STAFF_IDLE_MINUTES", str(IDLE_SECONDS / 60))
    server = await start_server()
    await demo.load(settings, now=datetime.now(UTC))
    clerk = demo.logins(settings)[0]
    browser_context: BrowserContext
    browser_context, watch = await new_context(server.url)
    page = watch.follow(await browser_context.new_page())

    await _log_in(page, clerk.username, clerk.password, clerk.totp_secret)
    me = await page.evaluate("fetch('/api/staff/me').then((r) => r.json())")
    reference = await _book(server, {office["office_id"] for office in me["offices"]})

    await page.goto("/clerk/de/cases")
    offices = await page.locator("#f-office option").evaluate_all("(os) => os.map((o) => o.value)")
    for office in offices:  # the case is in one of the clerk's offices
        await page.locator("#f-office").select_option(office)
        await (
            page.get_by_role("button", name="Fälle anzeigen")
            .or_(page.locator("#filters button[type=submit]"))
            .first.click()
        )
        if await page.get_by_role("button", name=reference).count():
            break
    await page.get_by_role("button", name=reference).click()
    heading = page.locator("#detail-heading")
    await heading.wait_for()
    assert reference in (await heading.text_content() or "")
    timeline = page.locator("#timeline li")
    await timeline.first.wait_for()
    assert await timeline.count() >= 2  # opened, appointment booked

    await page.locator("#note-text").fill("Ausweis läuft im Januar ab")
    await page.locator("#note-form button[type=submit]").click()
    await page.locator("#timeline li", has_text="Ausweis läuft im Januar ab").wait_for()

    assert not watch.errors, watch.errors
    assert not watch.foreign()
    case_id = await page.locator("#detail").get_attribute("data-case-id")
    refused = await page.evaluate(
        """async (url) => (await fetch(url, { method: "POST", headers: {"Content-Type":
        "application/json"}, body: JSON.stringify({ text: "without the token" }) })).status""",
        f"/api/clerk/cases/{case_id}/notes",
    )
    assert refused == 403
    await page.reload()
    await page.get_by_role("button", name=reference).click()
    await page.locator("#timeline li", has_text="Ausweis läuft im Januar ab").wait_for()
    assert await page.locator("#timeline li", has_text="without the token").count() == 0

    await asyncio.sleep(IDLE_SECONDS + 1)  # the idle time passing is what is tested
    await page.goto("/clerk/de/cases")
    await page.wait_for_url("**/clerk/de/login")
