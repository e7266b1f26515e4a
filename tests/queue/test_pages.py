"""The visitor's ticket page as a browser receives it: a private frame in the page's
language around the office's name, and for a link that opens no ticket the same page
saying so, with a 404 or 410 and no script."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.core.clock import FrozenClock
from app.queue.context import QueueContext
from app.queue.schemas import DrawnTicket
from tests.queue.conftest import Floor, booked, walk_in
from tests.web.test_booking_pages import parse


@pytest.fixture
async def ticket(ctx: QueueContext, floor: Floor) -> DrawnTicket:
    return await walk_in(ctx, floor.office, floor.id_card)


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("ar", "rtl")])
async def test_the_ticket_page_is_a_private_frame_around_the_office_in_the_page_language(
    client: httpx.AsyncClient, ticket: DrawnTicket, lang: str, direction: str
) -> None:
    response = await client.get(f"/{lang}/tickets/{ticket.token}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "noindex" in response.headers["x-robots-tag"]
    page = parse(response.text)
    html = page.first("html")
    assert (html["lang"], html["dir"]) == (lang, direction)
    assert "Bürgeramt Altstadt" in response.text
    scripts = {attrs["src"] for attrs in page.all("script")}
    assert scripts == {"/static/pwa/ticket.js", "/static/pwa/push.js"}
    assert not page.inline_scripts
    assert len(page.all("h1")) == 1
    assert any(attrs.get("id") == "push-optin" for _name, attrs in page.tags)
    assert ticket.number not in response.text  # the number is the API's to give


@pytest.mark.parametrize(
    "token", ["forged", "not%20a%20token", "%7Blang%7D", "a" * 201, "AWFBrqCyPQ8ChCZz-dpe_Igk8"]
)
async def test_a_link_that_opens_no_ticket_is_a_translated_404_page_without_a_script(
    client: httpx.AsyncClient, floor: Floor, token: str
) -> None:
    response = await client.get(f"/ar/tickets/{token}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    page = parse(response.text)
    assert page.first("html")["dir"] == "rtl"
    assert not page.all("script")
    assert any(attrs.get("id") == "ticket-problem" for _name, attrs in page.tags)
    assert "هذا الرابط أو رمز QR غير صالح." in response.text  # InvalidToken, in Arabic
    assert "Traceback" not in response.text


async def test_an_appointment_link_opens_no_ticket_page(
    client: httpx.AsyncClient, ctx: QueueContext, floor: Floor
) -> None:
    appointment = await booked(ctx, floor.office, floor.id_card, floor.desks[0], ctx.now())
    assert (await client.get(f"/de/tickets/{appointment.token}")).status_code == 404


async def test_an_expired_ticket_link_says_so_with_410(
    client: httpx.AsyncClient, ticket: DrawnTicket, clock: FrozenClock
) -> None:
    clock.advance(timedelta(days=400))
    response = await client.get(f"/de/tickets/{ticket.token}")
    assert response.status_code == 410
    assert "abgelaufen" in response.text or "expired" in response.text
