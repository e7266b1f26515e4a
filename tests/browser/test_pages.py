"""The front ends in Chromium: languages and direction, the switch, and nothing foreign."""

import pytest

from tests.browser.conftest import as_enrolled_kiosk

pytestmark = pytest.mark.browser

TOUR = [
    "/de/",
    "/ar/",
    "/de/accessibility",
    "/fa/imprint",
    "/clerk/de/",
    "/kiosk/de/",
    "/kiosk/ar/services",
    "/display/de/",
    "/api/docs",
]


async def test_the_german_start_page_lists_the_services_with_their_fees(context, api_services):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await page.goto("/de/")
    html = page.locator("html")
    assert (await html.get_attribute("lang"), await html.get_attribute("dir")) == ("de", "ltr")
    expected = await api_services("de")
    cards = page.locator(".service-card")
    assert await cards.count() == len(expected) > 0
    first = cards.first
    assert await first.locator("h3").inner_text() == expected[0]["name"]
    assert await first.locator(".service-card__fee").inner_text() == expected[0]["fee"]
    assert watch.errors == []


async def test_the_arabic_start_page_reads_right_to_left(context, api_services):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await page.goto("/ar/")
    html = page.locator("html")
    assert (await html.get_attribute("lang"), await html.get_attribute("dir")) == ("ar", "rtl")
    names = [service["name"] for service in await api_services("ar")]
    assert await page.locator(".service-card h3").all_inner_texts() == names
    assert any("\u0600" <= char <= "\u06ff" for char in "".join(map(str, names)))
    # Mirrored layout: the app's name sits on the right, the language switch on the left.
    brand = await page.locator(".site-header__brand").bounding_box()
    switch = await page.locator(".language-switch").bounding_box()
    assert brand and switch and brand["x"] > switch["x"]
    assert watch.errors == []


async def test_the_language_switch_changes_the_page_and_is_remembered(context, server):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await page.goto("/de/accessibility")
    await page.get_by_role("link", name="العربية").click()
    await page.wait_for_url(f"{server.url}/ar/accessibility")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    cookies = {cookie["name"]: cookie for cookie in await browser_context.cookies()}
    assert cookies["lang"]["value"] == "ar"
    assert (cookies["lang"]["path"], cookies["lang"]["sameSite"]) == ("/", "Lax")
    await page.goto("/")
    assert page.url == f"{server.url}/ar/"
    assert watch.errors == []


@pytest.mark.parametrize("path", ["/kiosk/de/", "/kiosk/ar/services"])
async def test_every_kiosk_touch_target_is_at_least_44_px(context, path):
    browser_context, watch = context
    await as_enrolled_kiosk(browser_context)
    page = watch.follow(await browser_context.new_page())
    await page.goto(path)
    targets = page.locator("a:not(.skip-link), button")
    assert await targets.count() > 0
    for box in [await target.bounding_box() for target in await targets.all()]:
        assert box and box["width"] >= 44 and box["height"] >= 44, box


async def test_no_page_asks_another_origin_for_anything(context, server):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    for path in TOUR:
        await page.goto(path, wait_until="networkidle")
    assert len(watch.requests) > len(TOUR)
    assert watch.foreign() == []
    assert watch.errors == []  # a CSP violation would be reported here


async def test_swagger_ui_renders_the_schema_under_the_strict_csp(context):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await page.goto("/api/docs")
    await page.locator(".swagger-ui .info .title").wait_for()
    assert "Amtsweg" in await page.locator(".swagger-ui .info .title").inner_text()
    assert watch.errors == []


async def test_the_citizen_app_is_installable(profile_context, server):
    page = await profile_context.new_page()
    await page.goto("/de/")
    await page.locator("[data-notice=ready]").wait_for()
    cdp = await profile_context.new_cdp_session(page)
    manifest = await cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"] == f"{server.url}/manifest.webmanifest?lang=de"
    installability = await cdp.send("Page.getInstallabilityErrors")
    assert installability["installabilityErrors"] == []
