"""Kiosk devices and staff administration in Chromium: an administrator creates a device,
a terminal enrols with the code shown, the administrator revokes it and the terminal is
refused; the staff page passes axe-core right-to-left."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.async_api import Page

from app.catalogue import service as catalogue
from app.settings import Settings
from app.staff import service, totp
from app.staff.schemas import StaffMemberCreate
from tests.browser.conftest import ContextFactory, Server
from tests.browser.test_clerk_login import _log_in

pytestmark = pytest.mark.browser

PASSWORD = "a long enough admin password"
DEVICE_KEY = "amtsweg-kiosk-device"


async def _new_admin(settings: Settings) -> tuple[str, str]:
    """A fresh, enrolled administrator: its user name and TOTP secret."""
    username, secret = f"admin-{secrets.token_hex(4)}", totp.new_secret()
    now = datetime.now(UTC)
    account = await service.create_staff(
        StaffMemberCreate(username, "Ada Admin", PASSWORD, is_admin=True), now=now
    )
    await service.set_enrolled_secret(account.id, secret, secret_key=settings.secret_key, now=now)
    return username, secret


async def _kiosk_me(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = await page.evaluate(
        """async (key) => {
            const stored = JSON.parse(localStorage.getItem(key));
            const response = await fetch("/api/kiosk/me", {
                headers: { Authorization: `Device ${stored.credential}` },
            });
            return { status: response.status, body: await response.json() };
        }""",
        DEVICE_KEY,
    )
    return result


async def test_an_admin_enrols_a_kiosk_by_code_and_revoking_it_refuses_the_kiosk(
    new_context: ContextFactory, server: Server, settings: Settings
) -> None:
    username, secret = await _new_admin(settings)
    office = await catalogue.get_office("altstadt", "de")
    admin_context, admin_watch = await new_context(server.url)
    admin = admin_watch.follow(await admin_context.new_page())
    await _log_in(admin, username, PASSWORD, secret)
    await admin.goto("/clerk/de/admin/devices")
    await admin.locator(f"#device-office option[value='{office.id}']").wait_for(state="attached")
    await admin.locator("#device-office").select_option(str(office.id))
    await admin.locator("#device-name").fill("Eingang links")
    await admin.locator("#create-form button[type=submit]").click()
    await admin.locator("#code-box").wait_for()
    code = await admin.locator("#enrolment-code").inner_text()
    assert len(code) == 9 and code[4] == "-"

    # The terminal: a browser of its own, sent from the start page to the enrolment.
    kiosk_context, kiosk_watch = await new_context(server.url)
    kiosk = kiosk_watch.follow(await kiosk_context.new_page())
    await kiosk.goto("/kiosk/de/")
    await kiosk.wait_for_url(f"{server.url}/kiosk/de/enrol")
    await kiosk.locator("#enrol-code").fill(code.lower())
    await kiosk.locator("#enrol-form button[type=submit]").click()
    await kiosk.wait_for_url(f"{server.url}/kiosk/de/")
    await kiosk.locator(".kiosk-tile--language").first.wait_for()
    me = await _kiosk_me(kiosk)
    assert (me["status"], me["body"]["device"]["name"]) == (200, "Eingang links")
    assert me["body"]["office"]["slug"] == "altstadt"

    row = admin.locator("#device-rows tr", has_text="Eingang links")
    await admin.reload()
    await admin.locator("#device-office").select_option(str(office.id))
    await admin.locator("#device-rows tr[data-state=enrolled]", has_text="Eingang links").wait_for()
    admin.once("dialog", lambda dialog: dialog.accept())
    await row.locator("button[data-action=revoke]").click()
    await admin.locator("#device-rows tr[data-state=revoked]", has_text="Eingang links").wait_for()

    refused = await _kiosk_me(kiosk)
    assert (refused["status"], refused["body"]["code"]) == (401, "device_credential_invalid")
    await kiosk.goto("/kiosk/de/enrol")
    await kiosk.locator("#enrol-notice").wait_for()
    assert await kiosk.evaluate("(key) => localStorage.getItem(key)", DEVICE_KEY) is None
    await kiosk.goto("/kiosk/de/")
    await kiosk.wait_for_url(f"{server.url}/kiosk/de/enrol")

    for watch in (admin_watch, kiosk_watch):
        assert watch.foreign() == []
    assert admin_watch.errors == []


async def test_the_staff_page_right_to_left_has_no_axe_violations(
    new_context: ContextFactory, server: Server, settings: Settings, axe_script: Any
) -> None:
    username, secret = await _new_admin(settings)
    # Only here is the CSP bypassed: axe is injected as a script the page did not ask for.
    context, watch = await new_context(server.url, bypass_csp=True, service_workers="block")
    page = watch.follow(await context.new_page())
    await _log_in(page, username, PASSWORD, secret)
    await page.goto("/clerk/ar/admin/staff", wait_until="networkidle")
    await page.locator(f"#account-rows tr[data-username='{username}']").wait_for()
    assert await page.locator("html").get_attribute("dir") == "rtl"
    await page.add_script_tag(path=str(axe_script))
    results = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{rule['id']}: {rule['help']} → {[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"]
    ]
    assert violations == []
    assert watch.errors == []


async def test_an_admin_creates_an_account_gives_it_a_role_and_deactivates_it(
    new_context: ContextFactory, server: Server, settings: Settings
) -> None:
    username, secret = await _new_admin(settings)
    office = await catalogue.get_office("altstadt", "de")
    newcomer = f"neu-{secrets.token_hex(3)}"
    context, watch = await new_context(server.url)
    page = watch.follow(await context.new_page())
    await _log_in(page, username, PASSWORD, secret)
    await page.goto("/clerk/de/admin/staff")
    await page.locator(f"#account-rows tr[data-username='{username}']").wait_for()

    await page.locator("#new-username").fill(newcomer)
    await page.locator("#new-display-name").fill("Nina Neu")
    await page.locator("#new-password").fill("a long enough password")
    await page.locator("#create-form button[type=submit]").click()
    row = page.locator(f"#account-rows tr[data-username='{newcomer}']")
    await row.wait_for()

    await page.locator("#role-account").select_option(label=f"Nina Neu ({newcomer})")
    await page.locator("#role-office").select_option(str(office.id))
    await page.locator("#role-role").select_option("lead")
    await page.locator("#role-form button[type=submit]").click()
    await row.filter(has_text=office.name).wait_for()

    page.once("dialog", lambda dialog: dialog.accept())
    await row.locator("button[data-action=deactivate]").click()
    deactivated = f"#account-rows tr[data-username='{newcomer}'][data-active=false]"
    await page.locator(deactivated).wait_for()
    account = await service.account(newcomer)
    assert account is None  # `account` finds active accounts only
    assert watch.errors == []
