"""The shells open offline after the first visit, and a changed asset offers an update."""

import pytest

from tests.browser.conftest import as_enrolled_kiosk

pytestmark = pytest.mark.browser


async def test_the_citizen_app_opens_offline_after_the_first_visit(start_server, new_context):
    server = await start_server()  # its own, so that taking it away is really offline
    context, watch = await new_context(server.url)
    page = watch.follow(await context.new_page())
    await page.goto("/de/")
    await page.locator("[data-notice=ready]").wait_for()
    cards_online = await page.locator(".service-card").count()
    await server.stop()
    await context.set_offline(True)

    await page.reload()
    assert await page.locator(".service-card").count() == cards_online > 0
    await page.goto("/ar/")  # every language's start page belongs to the shell
    assert await page.locator("html").get_attribute("dir") == "rtl"
    layout = "getComputedStyle(document.querySelector('.service-list')).display"
    assert await page.evaluate(layout) == "grid"  # the stylesheet came from the cache too


async def test_the_kiosk_opens_offline_after_the_first_visit(start_server, new_context):
    server = await start_server()
    context, watch = await new_context(server.url)
    await as_enrolled_kiosk(context)
    page = watch.follow(await context.new_page())
    await page.goto("/kiosk/de/")
    await page.locator("[data-notice=ready]").wait_for()
    await server.stop()
    await context.set_offline(True)

    await page.reload()
    assert await page.locator(".kiosk-tile--language").count() == 9
    await page.locator("a[lang=fa]").click()
    await page.wait_for_url(f"{server.url}/kiosk/fa/services")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert await page.locator(".kiosk-tile--service").count() > 0


async def test_a_changed_asset_offers_an_update_and_reloads_into_it(
    start_server, new_context, app_copy
):
    server = await start_server(app_copy)
    context, watch = await new_context(server.url)
    page = watch.follow(await context.new_page())
    await page.goto("/de/")
    await page.locator("[data-notice=ready]").wait_for()
    old_caches = await page.evaluate("caches.keys()")

    await server.stop()
    with (app_copy / "pwa" / "app.css").open("a") as css:
        css.write("\n.service-list { outline-offset: 7px; }\n")
    await start_server(app_copy, port=server.port)  # same origin, same registration

    await page.reload()
    await page.locator("[data-notice=update]").wait_for()
    await page.locator("[data-notice=update] button").click()
    await page.wait_for_function(
        "getComputedStyle(document.querySelector('.service-list')).outlineOffset === '7px'"
    )
    caches = [name for name in await page.evaluate("caches.keys()") if "amtsweg-pwa-" in name]
    assert len(caches) == 1 and caches != old_caches
    assert watch.errors == []


CACHED = """async (path) => {
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(path)) return true;
  }
  return false;
}"""


async def test_pages_that_carry_a_token_never_enter_the_offline_cache(server, new_context):
    context, watch = await new_context(server.url)
    page = watch.follow(await context.new_page())
    await page.goto("/de/")
    await page.locator("[data-notice=ready]").wait_for()
    opened = await page.evaluate(
        """async () => (await fetch("/api/cases", {method: "POST",
             headers: {"Content-Type": "application/json"},
             body: JSON.stringify({service: "personalausweis", language: "de"})})).json()"""
    )
    case_page = f"/de/case/{opened['token']}"

    await page.goto(case_page)  # no-store: a capability link must not sit in a cache
    await page.goto("/de/imprint")  # an ordinary page: cached on the way, as before
    assert await page.evaluate(CACHED, "/de/imprint")
    assert not await page.evaluate(CACHED, case_page)
