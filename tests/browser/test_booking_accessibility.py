"""The booking pages for everyone: axe-core finds nothing on any step or page, left to
right and right to left, errors included; and a booking can be made with Tab, Enter and
Space alone."""

import sys
from pathlib import Path
from uuid import uuid4

import pytest

sys.path.append(str(Path(__file__).resolve().parents[1]))  # tests/: the SMTP fixture
sys.path.append(str(Path(__file__).resolve().parent))  # tests/browser/: the page driver
from booking_driver import (
    Api,
    Booking,
    focused,
    job_worker,
    link_to,
    manage_token,
    step,
    tab_to,
)
from smtp import smtp_server  # noqa: F401 — fixture

pytestmark = pytest.mark.browser


async def axe(page, axe_script) -> list[str]:
    """axe-core's violations on the page as it is now (scripts may have changed it)."""
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.add_script_tag(path=str(axe_script))
    results = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url.split('/', 3)[-1][:40]}: {rule['id']}: {rule['help']} → "
        f"{[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"]
    ]


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_axe_finds_nothing_on_any_booking_step_or_page(
    new_context,
    server,
    axe_script,
    settings,
    smtp_server,  # noqa: F811 — the fixture imported above
    lang,
):
    # Only here is the CSP bypassed: axe is injected as a script the pages did not ask for.
    context, _watch = await new_context(server.url, bypass_csp=True, service_workers="block")
    page = await context.new_page()
    found: list[str] = []
    booking = Booking(page, lang)
    await booking.open()
    found += await axe(page, axe_script)  # the first question
    await page.locator("[data-question=eid] [data-answer=yes]").click()
    found += await axe(page, axe_script)  # the way out: online elsewhere
    await page.locator("[data-outcome=online] .kern-btn--tertiary").first.click()
    await page.locator("[data-question=video] [data-answer=no]").click()
    found += await axe(page, axe_script)  # the outcome: in person, with the reason
    await page.locator("[data-continue]").click()
    await page.locator(step("place")).wait_for()
    await page.locator("#place-form [type=submit]").click()
    found += await axe(page, axe_script)  # offices, with an error
    await booking.office("rohrbach")
    found += await axe(page, axe_script)  # days and times
    await page.locator(".slot-day__input").nth(1).check()
    await booking.time(0)
    await booking.submit_contact("not an address")
    found += await axe(page, axe_script)  # contact, with an error
    await booking.reserve()
    found += await axe(page, axe_script)  # reserved, to confirm
    token = await booking.confirm()
    await page.wait_for_function(
        "document.querySelector('.appointment-qr__image').naturalWidth > 0"
    )
    found += await axe(page, axe_script)  # booked: code, QR code, calendar, documents

    await page.goto(f"/{lang}/appointments/{token}")
    await page.locator("#reschedule-open").click()
    await page.locator("#reschedule-picker .slot-time").nth(1).click()
    found += await axe(page, axe_script)  # the booking's page, moving it
    await page.goto(f"/{lang}/appointments/{token}/cancel")
    await page.locator("#cancel-ask:not([hidden])").wait_for()
    found += await axe(page, axe_script)  # cancel, asked once

    address = f"axe-{uuid4().hex[:12]}@example.org"
    api = Api(server.url)
    first = (await api.availability("anmeldung", "wieblingen"))["days"][0]["slots"][0]
    held = await api.hold(
        service="anmeldung",
        office="wieblingen",
        starts_at=first["starts_at"],
        email=address,
        language=lang,
    )
    await api.close()
    assert held.status_code == 201, held.text
    await job_worker(settings, smtp_server.settings(settings)).run_until_idle()
    mail = next(item.message for item in smtp_server.received if address in item.rcpt_tos)
    await page.goto(link_to(mail, rf"/{lang}/confirm/"))
    await page.locator("#confirm-ask:not([hidden])").wait_for()
    found += await axe(page, axe_script)  # the mail's confirm link

    await page.goto(f"/{lang}/book/anmeldung/waitlist")
    await page.locator("#waitlist-submit").click()
    await page.locator(".error-summary").wait_for()
    found += await axe(page, axe_script)  # joining the waiting list, with an error
    await page.fill("#email", address)
    await page.locator("#waitlist-submit").click()
    await page.wait_for_url("**/waitlist/*", timeout=60_000)
    await page.locator("#waitlist-leave:not([hidden])").wait_for()
    found += await axe(page, axe_script)  # a place on the waiting list
    assert found == []


async def test_a_booking_can_be_made_with_tab_enter_and_space_alone(context, server):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await Booking(page, "de").open()
    keys = page.keyboard

    await tab_to(page, "[data-question=eid] [data-answer=no]")
    await keys.press("Enter")
    assert await focused(page) == "question-video"  # the next question took the focus
    await tab_to(page, "[data-question=video] [data-answer=no]")
    await keys.press("Space")
    await tab_to(page, "[data-continue]")
    await keys.press("Enter")
    await page.locator(step("place")).wait_for()
    assert await focused(page) == "step-place-title"
    await tab_to(page, "input[name=office]")
    await keys.press("Space")
    await tab_to(page, "#place-form [type=submit]")
    await keys.press("Enter")
    await page.locator(step("slot")).wait_for()
    await tab_to(page, ".slot-time")
    await keys.press("Enter")
    await page.locator(step("contact")).wait_for()
    await tab_to(page, "#contact-form [type=submit]")
    await keys.press("Enter")
    await page.locator(step("confirm")).wait_for(timeout=60_000)
    await tab_to(page, "#confirm-button")
    await keys.press("Enter")
    await page.locator(step("done")).wait_for()
    assert await focused(page) == "step-done-title"
    assert await manage_token(page)
    assert watch.errors == []
    assert watch.foreign() == []
