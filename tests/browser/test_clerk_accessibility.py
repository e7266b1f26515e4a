"""axe-core finds nothing on the clerk's login, workspace and case pages, left-to-right and
right-to-left, and the case list works with the keyboard alone."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from app.catalogue import service as catalogue
from app.settings import Settings
from app.staff import service, totp
from app.staff.schemas import StaffMemberCreate
from tests.browser.conftest import ContextFactory, Server
from tests.browser.test_clerk_login import _log_in
from tests.browser.test_clerk_workspace import _book

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
TAB_LIMIT = 60


async def _clerk(settings: Settings) -> tuple[str, str, int]:
    """A clerk of Altstadt of its own (the demo accounts' TOTP steps belong to the other
    tests): user name, TOTP secret and office id."""
    office = await catalogue.get_office("altstadt", "de")
    username, secret = f"axe-{secrets.token_hex(4)}", totp.new_secret()
    now = datetime.now(UTC)
    account = await service.create_staff(
        StaffMemberCreate(username, "Axe Clerk", PASSWORD), now=now
    )
    await service.set_enrolled_secret(account.id, secret, secret_key=settings.secret_key, now=now)
    await service.grant_role(account.id, office.id, "clerk", now=now)
    return username, secret, office.id


async def _violations(page: Page, axe_script: Path) -> list[str]:
    await page.add_script_tag(path=str(axe_script))
    results = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']}: {rule['help']} → {[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"]
    ]


async def _open_case(page: Page, reference: str) -> None:
    await page.get_by_role("button", name=reference).click()
    await page.locator("#timeline li").first.wait_for()


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("ar", "rtl")])
async def test_axe_core_finds_nothing_on_the_clerk_pages(
    new_context: ContextFactory,
    server: Server,
    settings: Settings,
    axe_script: Path,
    lang: str,
    direction: str,
) -> None:
    username, secret, office_id = await _clerk(settings)
    reference = await _book(server, {office_id})
    # Only here is the CSP bypassed: axe is injected as a script the page did not ask for.
    context, watch = await new_context(server.url, bypass_csp=True, service_workers="block")
    page = watch.follow(await context.new_page())
    found: dict[str, list[str]] = {}

    await page.goto(f"/clerk/{lang}/login", wait_until="networkidle")
    assert await page.locator("html").get_attribute("dir") == direction
    found["login"] = await _violations(page, axe_script)
    await page.locator("#username").fill(username)
    await page.locator("#password").fill("not the password")
    await page.locator("#password-form button[type=submit]").click()
    await page.locator("#login-error").wait_for()
    found["login error"] = await _violations(page, axe_script)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("#password-form button[type=submit]").click()
    await page.locator("#code").wait_for()  # the second step; no code is spent here
    found["login code"] = await _violations(page, axe_script)

    await _log_in(page, username, PASSWORD, secret)
    await page.goto(f"/clerk/{lang}/", wait_until="networkidle")
    assert await page.locator("html").get_attribute("dir") == direction
    found["workspace"] = await _violations(page, axe_script)

    await page.goto(f"/clerk/{lang}/cases", wait_until="networkidle")
    await _open_case(page, reference)
    assert await page.locator("html").get_attribute("dir") == direction
    found["cases"] = await _violations(page, axe_script)

    assert found == {
        "login": [], "login error": [], "login code": [], "workspace": [], "cases": [],
    }  # fmt: skip
    # The wrong password's 401 is the only error the console may show.
    assert [error for error in watch.errors if "/api/staff/login" not in error] == []


async def _tab_to(page: Page, selector: str, text: str | None = None) -> None:
    """Press Tab until the element matching `selector` (and saying `text`) has the focus."""
    for _press in range(TAB_LIMIT):
        await page.keyboard.press("Tab")
        if await page.evaluate(
            """([selector, text]) => {
                const focused = document.activeElement;
                return Boolean(focused?.matches(selector)
                    && (text === null || focused.textContent.trim() === text));
            }""",
            [selector, text],
        ):
            return
    raise AssertionError(f"{selector} was not reached with {TAB_LIMIT} presses of Tab")


async def test_the_case_list_filters_and_opens_a_case_with_the_keyboard_alone(
    new_context: ContextFactory, server: Server, settings: Settings
) -> None:
    username, secret, office_id = await _clerk(settings)
    reference = await _book(server, {office_id})
    context, watch = await new_context(server.url, service_workers="block")
    page = watch.follow(await context.new_page())
    await _log_in(page, username, PASSWORD, secret)
    await page.goto("/clerk/de/cases", wait_until="networkidle")
    await page.get_by_role("button", name=reference).wait_for()

    # Filter by a status the case does not have: the list empties.
    await _tab_to(page, "#f-status")
    await page.keyboard.press("End")  # the last status: cancelled
    assert await page.locator("#f-status").input_value() == "cancelled"
    await _tab_to(page, "#filters button[type=submit]")
    await page.keyboard.press("Enter")
    await page.get_by_role("button", name=reference).wait_for(state="detached")

    # Back to any status, by the keyboard again: the case is listed and opens with Enter.
    await _tab_to(page, "#f-status")
    await page.keyboard.press("Home")
    await _tab_to(page, "#filters button[type=submit]")
    await page.keyboard.press("Enter")
    await page.get_by_role("button", name=reference).wait_for()
    await _tab_to(page, "#case-rows button", reference)
    await page.keyboard.press("Enter")
    heading = page.locator("#detail-heading")
    await expect(heading).to_be_focused()  # the open case's heading, read out first
    assert reference in (await heading.text_content() or "")
    await page.locator("#timeline li").first.wait_for()
    assert watch.errors == []
