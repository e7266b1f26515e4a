"""The staff login in Chromium: password and TOTP code, the session cookie, CSRF, expiry."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from typing import Any

import pyotp
import pytest
from playwright.async_api import BrowserContext, Page

from app.catalogue import service as catalogue
from app.settings import Settings
from app.staff import demo, service, totp
from app.staff.schemas import StaffMemberCreate
from tests.browser.conftest import ContextFactory, Server, ServerFactory, Watch

pytestmark = pytest.mark.browser

IDLE_SECONDS = 3


# The server accepts each TOTP time step once per account (replay protection), and the
# browser tests share the demo accounts in one database: two logins within the same 30 s
# step would look like a replayed code. Each login therefore takes a step this run has not
# used yet — the current one, or the next one, which the server's one-step window admits.
_used_steps: dict[str, int] = {}


async def _unused_code(secret: str) -> str:
    generator = pyotp.TOTP(secret)
    while True:
        now = datetime.now(UTC)
        current = generator.timecode(now)
        step = max(current, _used_steps.get(secret, current - 1) + 1)
        if step <= current + 1:
            _used_steps[secret] = step
            return generator.generate_otp(step)
        # a third login within one step: wait for the next step to begin
        await asyncio.sleep(generator.interval - now.timestamp() % generator.interval + 0.1)


async def _log_in(page: Page, username: str, password: str, secret: str) -> None:
    await page.goto("/clerk/de/login")
    await page.locator("#username").fill(username)
    await page.locator("#password").fill(password)
    await page.locator("#password-form button[type=submit]").click()
    await page.locator("#code").wait_for()
    await page.locator("#code").fill(await _unused_code(secret))
    await page.locator("#code-form button[type=submit]").click()
    await page.wait_for_url("**/clerk/de/")


async def _fetch(page: Page, path: str, method: str = "GET") -> dict[str, Any]:
    result: dict[str, Any] = await page.evaluate(
        """async ([path, method]) => {
            const response = await fetch(path, { method });
            return { status: response.status, body: await response.json() };
        }""",
        [path, method],
    )
    return result


async def test_a_clerk_logs_in_with_password_and_totp_and_sees_the_workspace(
    context: tuple[BrowserContext, Watch], settings: Settings
) -> None:
    await demo.load(settings, now=datetime.now(UTC))
    clerk = demo.logins(settings)[0]
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())

    await _log_in(page, clerk.username, clerk.password, clerk.totp_secret)
    await page.locator("h1").wait_for()
    me = await _fetch(page, "/api/staff/me")
    assert (me["status"], me["body"]["username"]) == (200, "demo-clerk")
    assert [office["role"] for office in me["body"]["offices"]] == ["clerk", "clerk"]
    cookies = {cookie["name"]: cookie for cookie in await browser_context.cookies()}
    assert (cookies["amtsweg-staff"]["httpOnly"], cookies["amtsweg-staff"]["sameSite"]) == (
        True,
        "Strict",
    )
    assert watch.errors == []
    assert watch.foreign() == []

    # The page's own origin, but no CSRF header: refused, and the session lives on.
    refused = await _fetch(page, "/api/staff/logout", method="POST")
    assert (refused["status"], refused["body"]["code"]) == (403, "csrf_failed")
    assert (await _fetch(page, "/api/staff/me"))["status"] == 200


async def test_a_wrong_code_is_shown_as_an_error_and_the_form_stays(
    context: tuple[BrowserContext, Watch], settings: Settings
) -> None:
    await demo.load(settings, now=datetime.now(UTC))
    lead = demo.logins(settings)[1]
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await page.goto("/clerk/de/login")
    await page.locator("#username").fill(lead.username)
    await page.locator("#password").fill("not the password")
    await page.locator("#password-form button[type=submit]").click()
    error = page.locator("#login-error")
    await error.wait_for()
    assert await error.get_attribute("role") == "alert"
    assert await page.locator("#password-form").is_visible()
    assert not await page.locator("#code-form").is_visible()


async def test_an_idle_session_expires_and_the_login_page_says_so(
    start_server: ServerFactory,
    new_context: ContextFactory,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_STAFF_IDLE_MINUTES", str(IDLE_SECONDS / 60))
    server: Server = await start_server()
    office = await catalogue.get_office("altstadt", "de")
    username, secret = f"clerk-{secrets.token_hex(4)}", totp.new_secret()
    now = datetime.now(UTC)
    account = await service.create_staff(
        StaffMemberCreate(username, "Idle Clerk", "a long enough password"), now=now
    )
    await service.set_enrolled_secret(account.id, secret, secret_key=settings.secret_key, now=now)
    await service.grant_role(account.id, office.id, "clerk", now=now)

    browser_context, watch = await new_context(server.url)
    page = watch.follow(await browser_context.new_page())
    await _log_in(page, username, "a long enough password", secret)
    await asyncio.sleep(IDLE_SECONDS + 1)  # the idle time passing is what is tested
    await page.goto("/clerk/de/login")
    notice = page.locator("#login-notice")
    await notice.wait_for()
    assert "abgelaufen" in await notice.inner_text()  # "Ihre Sitzung ist abgelaufen …"
    assert (await _fetch(page, "/api/staff/me"))["status"] == 401
