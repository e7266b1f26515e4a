"""Reminders on this device in Chromium: the opt-in block explains before it asks, and the
service worker turns a content-free push into the notice's text in the page's language
and opens the notice's page when it is clicked.

Chromium here cannot reach a push service, so the subscription is one of the test's own
(a P-256 key pair and an auth secret, its endpoint on loopback), sent by the page's own
`enrol()`, and the push is delivered by the DevTools protocol
(`ServiceWorker.deliverPushMessage`), as a push service would hand it to the browser.
"""

import json
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

sys.path.append(str(Path(__file__).resolve().parent))  # tests/browser/: the drivers
from push_driver import (
    COUNT_PERMISSION_REQUESTS,
    FAKE_PUSH_SERVICE,
    PUSH_MODULE,
    browser_subscription,
    click_notification,
    deliver,
    direction,
    enrolled_page,
    notifications,
    token_page,
)

from app.core.clock import Clock
from app.core.translation import load_catalog
from app.push import kinds
from app.push import service as push
from app.settings import ROOT

pytestmark = pytest.mark.browser

LOCALES = ROOT / "locales"


@pytest.fixture
async def push_server(start_server, monkeypatch) -> AsyncIterator[Any]:
    """A server that takes subscriptions whose push service is on loopback over http."""
    monkeypatch.setenv("APP_PUSH_ALLOW_LOOPBACK_HTTP", "1")
    yield await start_server()


@pytest.mark.parametrize(("lang", "kind"), [("de", "appointment"), ("ar", "case")])
async def test_a_push_shows_the_notice_in_the_page_language_and_a_click_opens_its_page(
    push_server, new_context, settings, signer, lang, kind
):
    context, watch, page, path, token = await enrolled_page(new_context, push_server, lang, kind)
    answers: list[tuple[str, int]] = []  # what the worker was told, should a notice not show
    context.on(
        "response",
        lambda response: (
            "/api/push/notices/" in response.url and answers.append((response.url, response.status))
        ),
    )
    # Reminders are on for a second case too: the worker asks with each token until one of
    # them is the notice's case.
    other = await token_page(push_server, lang, "case")
    await page.evaluate(
        "async ([module, subscription, token, lang, page]) =>"
        " (await import(module)).enrol(subscription, token, lang, page)",
        [PUSH_MODULE, browser_subscription(), other.rsplit("/", 1)[1], lang, other],
    )
    case, _kind = await push.resolve(token, signer, Clock())
    now = datetime.now(UTC) - timedelta(seconds=1)
    start = (now + timedelta(days=2)).replace(microsecond=0)
    params = {"start": start.isoformat()}
    notice_id = await push.notify_case(
        case.id, kinds.MOVED, settings=settings, now=now, expires_at=start, params=params
    )
    assert notice_id

    await deliver(context, page, push_server, {"n": notice_id})
    found = await notifications(page)
    assert len(found) == 1, (found, answers)
    [shown] = found

    title, body = kinds.render(kinds.MOVED, params, load_catalog(LOCALES, lang))
    assert title != kinds.KINDS[kinds.MOVED].title  # translated, not the English msgid
    assert shown["title"] == title and shown["body"] == body
    assert shown["lang"] == lang and shown["dir"] == direction(lang)
    assert shown["data"] == {"url": path}
    assert shown["icon"] == f"{push_server.url}/static/pwa/icons/icon-192.png"
    fetched = f"{push_server.url}/api/push/notices/{notice_id}?lang={lang}"
    assert fetched in watch.requests  # the text came from our server, not the push

    await page.goto(f"/{lang}/imprint")  # the app is open elsewhere when the click comes
    await click_notification(context)
    await page.wait_for_url(f"{push_server.url}{path}")
    assert await notifications(page, within_ms=0) == []  # the click closed it
    assert watch.foreign() == []
    assert watch.errors == []


async def test_a_push_no_kept_token_can_read_shows_a_notice_without_content(
    push_server, new_context
):
    context, watch, page, path, _token = await enrolled_page(new_context, push_server, "ar", "case")

    await deliver(context, page, push_server, {"n": "a-notice-of-another-case"})
    [shown] = await notifications(page)

    catalog = load_catalog(LOCALES, "ar")
    assert shown["title"] == catalog.gettext("There is news about your appointment or case")
    assert shown["body"] == catalog.gettext("Please open the citizens' office website to read it.")
    assert (shown["tag"], shown["lang"], shown["dir"]) == ("amtsweg-notice", "ar", "rtl")
    assert shown["data"] == {"url": path}  # the one page reminders are on for

    other = await token_page(push_server, "ar", "case")  # and now a second case
    await page.evaluate(
        "async ([module, subscription, token, page]) =>"
        " (await import(module)).enrol(subscription, token, 'ar', page)",
        [PUSH_MODULE, browser_subscription(), other.rsplit("/", 1)[1], other],
    )
    await deliver(context, page, push_server, {"n": "yet-another-notice"})
    # One tag: the second replaced the first. Two pages: it opens the start page, no guess.
    assert [shown["data"] for shown in await notifications(page, "/ar/")] == [{"url": "/ar/"}]
    notice = f"{push_server.url}/api/push/notices/yet-another-notice?lang=ar"
    assert [url for url in watch.requests if url == notice] == [notice, notice]  # each token
    assert watch.foreign() == []


@pytest.mark.parametrize(("lang", "kind"), [("de", "appointment"), ("ar", "case")])
async def test_the_reminder_block_explains_first_reads_in_the_page_language_and_passes_axe(
    server, new_context, axe_script, lang, kind
):
    # The CSP is bypassed only to inject axe; no worker, the page is checked as served.
    context, watch = await new_context(server.url, bypass_csp=True, service_workers="block")
    page = watch.follow(await context.new_page())
    await page.goto(await token_page(server, lang, kind))
    block = page.locator("#push-optin:not([hidden])")
    await block.wait_for()

    catalog = load_catalog(LOCALES, lang)
    assert await page.locator("html").get_attribute("dir") == direction(lang)
    assert await block.locator("h2").inner_text() == catalog.gettext("Reminders on this device")
    assert await block.locator("li").count() == 3  # push service, no content, opt-out
    assert await page.locator("#push-on").is_visible()
    assert await page.locator("#push-off").is_hidden()
    state = catalog.gettext("Reminders are off for this device.")
    assert await page.locator("#push-state").inner_text() == state
    # The block's rule stands at the start of the line: the left in German, the right in Arabic.
    borders = await block.evaluate(
        "(e) => [getComputedStyle(e).borderLeftWidth, getComputedStyle(e).borderRightWidth]"
    )
    assert (borders[0] != "0px", borders[1] != "0px") == (lang == "de", lang == "ar")

    await page.add_script_tag(path=str(axe_script))
    results = await page.evaluate("axe.run('#push-optin', {resultTypes: ['violations']})")
    assert [rule["id"] for rule in results["violations"]] == []
    assert watch.foreign() == []


async def test_permission_is_asked_only_after_the_click_and_a_failed_subscribe_is_explained(
    server, new_context
):
    context, watch = await new_context(server.url)
    await context.grant_permissions(["notifications"], origin=server.url)
    await context.add_init_script(COUNT_PERMISSION_REQUESTS)
    page = watch.follow(await context.new_page())
    await page.goto(await token_page(server, "ar", "case"))
    await page.locator("#push-optin:not([hidden])").wait_for()
    assert await page.evaluate("window.permissionRequests") == []  # reading is no consent

    await page.locator("#push-on").click()
    error = page.locator("#push-error .kern-alert")
    await error.wait_for()

    # The prompt came once, from the click. This browser context is off the record, like a
    # private window: Chromium gives it no push subscription, as when the push service
    # cannot be reached, and the page says so in the page's language.
    assert await page.evaluate("window.permissionRequests") == [True]
    catalog = load_catalog(LOCALES, "ar")
    unreachable = "The push service of your browser could not be reached. Please try again later."
    assert await error.inner_text() == catalog.gettext(unreachable)
    assert await page.locator("#push-error").get_attribute("role") == "alert"
    assert await page.locator("#push-optin").get_attribute("data-state") == "off"
    assert await page.evaluate("document.activeElement.id") == "push-on"
    assert watch.foreign() == []


async def test_turning_reminders_on_and_off_links_and_unlinks_the_case(
    push_server, new_context, settings, signer
):
    context, watch = await new_context(push_server.url)
    await context.grant_permissions(["notifications"], origin=push_server.url)
    subscription = json.dumps(browser_subscription())
    await context.add_init_script(FAKE_PUSH_SERVICE.replace("SUBSCRIPTION", subscription))
    page = watch.follow(await context.new_page())
    path = await token_page(push_server, "de", "case")
    token = path.rsplit("/", 1)[1]
    case, _kind = await push.resolve(token, signer, Clock())
    block = page.locator("#push-optin")
    await page.goto(path)

    async def notify() -> str | None:
        now = datetime.now(UTC)
        return await push.notify_case(
            case.id,
            kinds.CANCELLED,
            settings=settings,
            now=now,
            expires_at=now + timedelta(hours=1),
        )

    await page.locator("#push-on").click()
    await page.locator("#push-optin[data-state=on]").wait_for()
    stored = await page.evaluate(
        "async (module) => (await import(module)).storedTokens()", PUSH_MODULE
    )
    assert stored == [{"token": token, "lang": "de", "page": path}]
    assert await notify() is not None  # the case has a subscriber now
    assert await page.evaluate("document.activeElement.id") == "push-off"
    catalog = load_catalog(LOCALES, "de")
    assert await block.locator("#push-state").inner_text() == catalog.gettext(
        "Reminders are on for this device."
    )

    await page.locator("#push-off").click()
    await page.locator("#push-optin[data-state=off]").wait_for()
    stored = await page.evaluate(
        "async (module) => (await import(module)).storedTokens()", PUSH_MODULE
    )
    assert stored == []
    assert await notify() is None  # the last case gone: the subscription is dropped
    assert await page.evaluate("document.activeElement.id") == "push-on"
    assert await page.locator("#push-error").inner_text() == ""
    assert watch.foreign() == []
    assert watch.errors == []
