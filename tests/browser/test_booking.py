"""A citizen books, confirms, moves and cancels through the pages, in German and Arabic:
in the app, and by the links of the mails a real SMTP server on loopback received."""

import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from uuid import uuid4

import pytest
from icalendar import Calendar

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
)
from smtp import SmtpServer, smtp_server  # noqa: F401 — fixture

from app.jobs.worker import Worker
from app.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(server) -> AsyncIterator[Api]:
    client = Api(server.url)
    yield client
    await client.close()


@pytest.fixture
def mail_worker(smtp_server: SmtpServer, settings: Settings) -> Worker:  # noqa: F811
    return job_worker(settings, smtp_server.settings(settings))


def mails_to(smtp: SmtpServer, address: str) -> list:
    return [item.message for item in smtp.received if address in item.rcpt_tos]


def same_instant(first: str, second: str) -> bool:
    return datetime.fromisoformat(first) == datetime.fromisoformat(second)


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_a_citizen_books_moves_and_cancels_in_the_app(context, api, lang):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    booking = Booking(page, lang)
    await booking.open()
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    await booking.in_person()
    await booking.office("altstadt")
    starts_at = await booking.time(0)
    await booking.reserve()
    assert "Europe/Berlin" in await page.locator("#hold-timer").inner_text()
    token = await booking.confirm()

    booked = await api.appointment(token)
    assert booked["state"] == "confirmed" and same_instant(booked["starts_at"], starts_at)
    done = page.locator(step("done"))
    assert await done.locator(".booking-code").first.inner_text() == booked["code"]
    assert await focused(page) == "step-done-title"
    await page.wait_for_function(
        "document.querySelector('.appointment-qr__image').naturalWidth > 0"
    )
    assert booked["code"] in await done.locator(".appointment-qr__image").get_attribute("alt")
    ics = await api.client.get(await done.locator(".appointment-ics").get_attribute("href"))
    event = Calendar.from_ical(ics.text).walk("VEVENT")[0]
    assert event.walk("VALARM") and str(event["DTSTART"].params["TZID"]) == "Europe/Berlin"

    await page.goto(f"/{lang}/appointments/{token}")
    await page.locator("#reschedule-open").click()
    later = page.locator("#reschedule-picker .slot-time").last
    new_start = await later.get_attribute("data-starts-at")
    await later.click()
    await page.locator("#reschedule-button").click()
    await page.locator("#appointment-state [data-notice=moved]").wait_for()
    assert await focused(page) == "appointment-state"
    moved = await api.appointment(token)
    assert moved["state"] == "confirmed" and same_instant(moved["starts_at"], new_start)
    assert not same_instant(new_start, starts_at)

    await page.locator("#cancel-link").click()
    await page.locator("#cancel-ask:not([hidden])").wait_for()
    assert (await api.appointment(token))["state"] == "confirmed"  # opening it changed nothing
    await page.locator("#cancel-button").click()
    await page.locator("#cancel-state .kern-alert--success").wait_for()
    assert (await api.appointment(token))["state"] == "cancelled"
    assert watch.errors == []
    assert watch.foreign() == []


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_the_links_in_the_mails_confirm_and_cancel_the_booking(
    context,
    api,
    server,
    smtp_server,  # noqa: F811 — the fixture imported above
    mail_worker,
    lang,
):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    address = f"citizen-{uuid4().hex[:12]}@example.org"
    booking = Booking(page, lang)
    await booking.open()
    await booking.in_person()
    await booking.office("bergheim")
    await booking.time(1)
    await booking.reserve(address)
    assert await page.locator("#confirm-button").is_hidden()  # only the mail's link confirms

    await mail_worker.run_until_idle()
    confirm_link = link_to(mails_to(smtp_server, address)[0], r"/confirm/")
    assert confirm_link.startswith(f"{server.url}/{lang}/confirm/")
    inbox = watch.follow(await browser_context.new_page())
    await inbox.goto(confirm_link)
    await inbox.locator("#confirm-ask:not([hidden])").wait_for()
    preview = await api.client.get(f"/api/confirm/{confirm_link.rsplit('/', 1)[1]}")
    assert preview.json()["state"] == "held"  # the link alone books nothing
    await inbox.locator("#confirm-button").click()
    await inbox.locator("#confirm-extras .appointment-qr").wait_for()
    assert await focused(inbox) == "page-title"
    token = await manage_token(inbox)
    assert (await api.appointment(token))["state"] == "confirmed"

    await mail_worker.run_until_idle()
    cancel_link = next(
        link_to(mail, r"/cancel$")
        for mail in mails_to(smtp_server, address)[1:]
        if "/cancel" in mail.get_body(preferencelist=("plain",)).get_content()
    )
    await inbox.goto(cancel_link)
    await inbox.locator("#cancel-ask:not([hidden])").wait_for()
    assert (await api.appointment(token))["state"] == "confirmed"
    await inbox.locator("#cancel-button").click()
    await inbox.locator("#cancel-state .kern-alert--success").wait_for()
    assert (await api.appointment(token))["state"] == "cancelled"
    assert watch.errors == []
    assert watch.foreign() == []


async def test_a_time_taken_meanwhile_is_explained_at_the_time_picker(context, api):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    booking = Booking(page, "de")
    await booking.open()
    await booking.in_person()
    await booking.office("altstadt")
    starts_at = await booking.time(2)
    free = next(
        slot["capacity"]
        for day in (await api.availability("anmeldung", "altstadt"))["days"]
        for slot in day["slots"]
        if same_instant(slot["starts_at"], starts_at)
    )
    for _desk in range(free):  # someone else is faster, at every desk
        taken = await api.hold(service="anmeldung", office="altstadt", starts_at=starts_at)
        assert taken.status_code == 201, taken.text

    await booking.submit_contact()
    summary = page.locator(f"{step('slot')} .error-summary")
    await summary.wait_for(timeout=60_000)
    assert "error-summary" in await focused(page)
    assert await page.locator("#slot-picker .kern-error").count() == 1
    assert await page.locator(f'.slot-time[data-starts-at="{starts_at}"]').count() == 0
    # Chromium logs the refused hold (409) itself; nothing else went wrong.
    assert [error for error in watch.errors if "status of 409" not in error] == []


async def test_a_reservation_about_to_end_can_be_kept_for_longer(
    start_server, new_context, monkeypatch
):
    monkeypatch.setenv("APP_BOOKING_HOLD_MINUTES", "1")  # inside the warning from the start
    server = await start_server()
    browser_context, watch = await new_context(server.url)
    page = watch.follow(await browser_context.new_page())
    booking = Booking(page, "de")
    await booking.open()
    await booking.in_person()
    await booking.office("neuenheim")
    await booking.time(0)
    await booking.reserve()
    warning = page.locator("#hold-timer .kern-alert--warning")
    await warning.wait_for()
    first_code = await page.locator("#confirm-summary .booking-code").first.inner_text()
    await warning.locator(".hold-timer__renew").click()
    renewed = page.locator("#hold-timer[data-holds='2'] .kern-alert--warning")
    await renewed.wait_for(timeout=60_000)  # a new proof of work, then a new hold
    assert "hold-timer__box" in await focused(page)
    token = await booking.confirm()
    api = Api(server.url)
    booked = await api.appointment(token)
    await api.close()
    assert booked["state"] == "confirmed" and booked["code"] != first_code
    assert watch.errors == []


async def test_a_booking_page_says_when_it_has_no_connection(context):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    booking = Booking(page, "ar")
    await booking.open()
    await page.locator("[data-question=eid] [data-answer=no]").click()
    await page.locator("[data-question=video] [data-answer=no]").click()
    await browser_context.set_offline(True)
    await page.locator("[data-continue]").click()
    await page.locator("#booking-offline:not([hidden])").wait_for()
    assert await focused(page) == "booking-offline"
    await browser_context.set_offline(False)
    await page.locator("[data-continue]").click()
    await page.locator(step("place")).wait_for()
    assert await page.locator("#booking-offline").is_hidden()


async def test_a_citizen_joins_and_leaves_the_waiting_list(context, api):
    browser_context, watch = context
    page = watch.follow(await browser_context.new_page())
    await page.goto("/de/book/anmeldung/waitlist?channel=in_person&office=altstadt")
    assert await page.locator("#office-altstadt").is_checked()
    await page.locator("#waitlist-submit").click()
    assert "error-summary" in await focused(page)  # the address is missing
    await page.fill("#email", f"waiting-{uuid4().hex[:12]}@example.org")
    await page.locator("#waitlist-submit").click()
    await page.wait_for_url("**/de/waitlist/*", timeout=60_000)
    await page.locator("#waitlist-leave:not([hidden])").wait_for()
    token = page.url.rsplit("/", 1)[1]
    entry = (await api.client.get(f"/api/waitlist/{token}")).json()
    assert entry["state"] == "waiting" and [o["slug"] for o in entry["offices"]] == ["altstadt"]
    await page.locator("#leave-button").click()
    await page.locator("#waitlist-leave").wait_for(state="hidden")
    assert (await api.client.get(f"/api/waitlist/{token}")).json()["state"] == "withdrawn"
    assert watch.errors == []


async def test_under_the_service_worker_a_booking_page_opened_offline_says_so(
    start_server, new_context
):
    server = await start_server()  # its own, so that taking it away is really offline
    browser_context, watch = await new_context(server.url)
    page = watch.follow(await browser_context.new_page())
    await page.goto("/de/")
    await page.locator("[data-notice=ready]").wait_for()  # the worker controls the app now
    booking = Booking(page, "de")
    await booking.open()  # the worker leaves the page and the API to the network
    await booking.in_person()
    await server.stop()
    await browser_context.set_offline(True)

    await page.reload()  # the page from the worker's cache, its modules precached
    await page.locator("#booking-offline:not([hidden])").wait_for()
    assert await focused(page) == "booking-offline"
    assert await page.locator("html").get_attribute("lang") == "de"
    assert [error for error in watch.errors if "net::ERR_" not in error] == []
