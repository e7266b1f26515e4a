"""The booking pages as a citizen drives them in Chromium, and the API and mail beside them.

Steps are found by their `data-step`, answers and actions by stable attributes, so the
same driver works in every language (the catalog may not translate a text yet).
"""

from __future__ import annotations

import email.message
import re
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.async_api import Page

from app.booking import jobs as booking_jobs
from app.booking.context import BookingContext
from app.booking.rules import BookingRules
from app.core.antibot import solve
from app.core.clock import Clock
from app.core.tokens import TokenSigner
from app.jobs.worker import Worker
from app.main import JOB_HANDLERS
from app.notify.sender import make_sender
from app.notify.service import MAIL_SEND
from app.settings import Settings

STEP_TIMEOUT_MS = 60_000  # the proof of work runs in the browser's workers: seconds, not ms


def step(name: str) -> str:
    return f"#step-{name}:not([hidden])"


@dataclass
class Booking:
    """One citizen booking one service on one page."""

    page: Page
    lang: str
    service: str = "anmeldung"

    async def open(self) -> None:
        await self.page.goto(f"/{self.lang}/book/{self.service}")
        await self.page.locator(step("triage")).wait_for()
        await self.page.locator("#triage [data-answer], #triage [data-outcome]").first.wait_for()

    async def in_person(self) -> None:
        """Triage: no online ID, no video call; then continue to the offices."""
        await self.page.locator("[data-question=eid] [data-answer=no]").click()
        await self.page.locator("[data-question=video] [data-answer=no]").click()
        await self.page.locator("[data-outcome=in_person] [data-continue]").click()
        await self.page.locator(step("place")).wait_for()

    async def office(self, slug: str = "altstadt") -> None:
        await self.page.locator(f"#office-{slug}").check()
        await self.page.locator("#place-form [type=submit]").click()
        await self.page.locator(step("slot")).wait_for()

    async def time(self, nth: int = 0) -> str:
        """Choose the nth free time of the first day that has one; returns its start (UTC ISO).

        Late in the afternoon the minimum notice leaves the first day only a time or two,
        so a test asking for the second time may need the next day.
        """
        days = self.page.locator(".slot-day__label")
        for index in range(await days.count()):
            if index:
                await days.nth(index).click()  # the times of that day replace the list at once
            if await self.page.locator(".slot-time").count() > nth:
                break
        button = self.page.locator(".slot-time").nth(nth)
        starts_at = await button.get_attribute("data-starts-at")
        assert starts_at
        await button.click()
        await self.page.locator(step("contact")).wait_for()
        return starts_at

    async def submit_contact(self, email: str = "") -> None:
        await self.page.fill("#email", email)
        await self.page.locator("#contact-form [type=submit]").click()

    async def reserve(self, email: str = "") -> None:
        """Give the contact; the proof of work and the hold follow by themselves."""
        await self.submit_contact(email)
        await self.page.locator(step("confirm")).wait_for(timeout=STEP_TIMEOUT_MS)

    async def confirm(self) -> str:
        """Book the reserved time in the app; returns the booking's token."""
        await self.page.locator("#confirm-button").click()
        await self.page.locator(step("done")).wait_for()
        return await manage_token(self.page)


async def manage_token(page: Page) -> str:
    href = await page.locator(".appointment-manage, .appointment-link").first.get_attribute("href")
    assert href
    return href.rstrip("/").split("/")[-1]


async def focused(page: Page) -> str:
    """What has the focus, as a short description for assertions."""
    return str(
        await page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e.id || e.className || e.tagName; })()"
        )
    )


async def tab_to(page: Page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus (Tab is the only key)."""
    for _press in range(limit):
        if await page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


class Api:
    """The booking API of the running server, for what a test sets up or checks."""

    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=30)

    async def appointment(self, token: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/appointments/{token}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    async def hold(self, **fields: Any) -> httpx.Response:
        challenge = (await self.client.get("/api/altcha/challenge")).json()
        return await self.client.post(
            "/api/holds", json=fields, headers={"X-Altcha": solve(challenge)}
        )

    async def availability(self, service: str, office: str) -> dict[str, Any]:
        query = {"service": service, "office": office}
        data: dict[str, Any] = (await self.client.get("/api/availability", params=query)).json()
        return data

    async def close(self) -> None:
        await self.client.aclose()


def job_worker(settings: Settings, smtp_settings: Settings) -> Worker:
    """The jobs the server queued, run in the test: the server runs no worker in tests, so
    this one sends its mails (to `smtp_settings`' server) when the test says so."""
    clock = Clock()
    ctx = BookingContext(settings, BookingRules(), clock, TokenSigner(settings.token_signing_key))
    handlers = {
        **JOB_HANDLERS,
        **booking_jobs.handlers(ctx),
        MAIL_SEND: make_sender(smtp_settings, clock),
    }
    return Worker(handlers, clock, name="browser-test")


def links(message: email.message.EmailMessage) -> list[str]:
    """Every link in a mail's plain-text part."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    return re.findall(r"https?://\S+", text)


def link_to(message: email.message.EmailMessage, pattern: str) -> str:
    found = [url for url in links(message) if re.search(pattern, url)]
    assert found, f"no link matching {pattern} in {links(message)}"
    return found[0]
