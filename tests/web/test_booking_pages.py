"""The booking pages as a browser receives them: frames in every language, private when
they carry a token, and never changing a booking just by being opened."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

import httpx
import pytest

from app.catalogue import demo
from app.core.antibot import solve
from app.core.clock import BERLIN, FrozenClock
from app.settings import LANGUAGES, Settings

BOOK = "/de/book/anmeldung"


class Page(HTMLParser):
    """The start tags of a page, the text of its h1s and of any inline script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script" and data.strip():
            self.inline_scripts.append(data)

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attrs for name, attrs in self.tags if name == tag)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture
async def demo_city(settings: Settings) -> None:
    await demo.load(settings)


def _weekday_at_ten(clock: FrozenClock) -> str:
    """A Berlin weekday morning a few days after the test's clock, as UTC ISO."""
    day = clock.now().astimezone(BERLIN).date() + timedelta(days=3)
    while day.weekday() > 3:  # Monday–Thursday: every demo office is open at ten
        day += timedelta(days=1)
    return _utc(day, time(10))


def _utc(day: date, at: time) -> str:
    return datetime.combine(day, at, tzinfo=BERLIN).astimezone(UTC).isoformat()


async def _hold(client: httpx.AsyncClient, clock: FrozenClock, **fields: str) -> dict:
    challenge = (await client.get("/api/altcha/challenge")).json()
    body = {"service": "anmeldung", "office": "altstadt", "starts_at": _weekday_at_ten(clock)}
    response = await client.post(
        "/api/holds", json={**body, **fields}, headers={"X-Altcha": solve(challenge)}
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_booking_page_is_a_frame_in_every_language(client, demo_city, lang):
    response = await client.get(f"/{lang}/book/anmeldung")
    assert response.status_code == 200
    page = parse(response.text)
    html = page.first("html")
    assert html["lang"] == lang
    assert html["dir"] == ("rtl" if lang in {"ar", "fa"} else "ltr")
    # One h1 per step, each step its own section; only the module shows one at a time.
    steps = [attrs for attrs in page.all("section") if "booking-step" in (attrs["class"] or "")]
    assert len(steps) == len(page.all("h1")) == 7
    assert all("hidden" in step for step in steps)
    assert {"type": "module", "src": "/static/pwa/js/booking/book.js"} in page.all("script")
    assert page.inline_scripts == []


@pytest.mark.parametrize(
    "path",
    [
        "/ar/appointments/{token}",
        "/de/appointments/{token}/cancel",
        "/fa/confirm/{token}",
        "/de/waitlist/{token}",
    ],
)
async def test_pages_opened_by_a_token_are_neither_cached_nor_indexed(client, path):
    response = await client.get(path.format(token="AWFBrqCyPQ8ChCZz-dpe_Igk8"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "noindex" in response.headers["x-robots-tag"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert len(parse(response.text).all("h1")) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/de/book/no-such-service",
        "/xx/book/anmeldung",
        "/de/book/no-such-service/waitlist",
        "/de/appointments/not%20a%20token",
        "/de/confirm/%7Blang%7D",
        "/de/waitlist/" + "a" * 201,
    ],
)
async def test_a_page_for_nothing_is_a_translated_404_not_an_error(client, demo_city, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_waitlist_form_offers_the_district_offices_of_the_service(client, demo_city):
    page = parse((await client.get("/de/book/anmeldung/waitlist")).text)
    offices = [attrs["value"] for attrs in page.all("input") if attrs.get("name") == "offices"]
    assert "altstadt" in offices and "virtuell" not in offices
    channels = {attrs["value"] for attrs in page.all("input") if attrs.get("name") == "channel"}
    assert channels == {"in_person", "video"}  # the service is offered both ways


async def test_the_start_page_links_every_bookable_service_to_its_booking_page(client, demo_city):
    services = (await client.get("/api/services", params={"lang": "de"})).json()
    page = parse((await client.get("/de/")).text)
    links = {attrs["href"] for attrs in page.all("a")}
    for service in services:
        bookable = service["channels"]["in_person"] or service["channels"]["video"]
        assert (f"/de/book/{service['slug']}" in links) == bookable
        response = await client.get(f"/de/book/{service['slug']}")
        assert response.status_code == 200


async def test_opening_the_cancel_and_confirm_pages_changes_nothing(client, demo_city, clock):
    held = await _hold(client, clock)
    token = held["token"]
    confirmed = await client.post(f"/api/appointments/{token}/confirm")
    assert confirmed.json()["appointment"]["state"] == "confirmed"

    for path in (f"/de/appointments/{token}/cancel", f"/de/appointments/{token}"):
        assert (await client.get(path)).status_code == 200
    after = (await client.get(f"/api/appointments/{token}")).json()
    assert after["state"] == "confirmed"


async def test_every_module_of_the_booking_pages_is_precached(client, demo_city, clock):
    """Opened offline from the cache, a booking page still runs and says it is offline."""
    worker = (await client.get("/sw.js")).text
    build = next(line for line in worker.splitlines() if line.startswith("const BUILD = "))
    precache = set(json.loads(build.removeprefix("const BUILD = ").rstrip(";"))["precache"])
    held = await _hold(client, clock)
    pages = [BOOK, "/ar/book/anmeldung/waitlist", f"/de/appointments/{held['token']}"]
    for path in pages:
        page = parse((await client.get(path)).text)
        modules = [attrs["src"] for attrs in page.all("script") if attrs.get("src")]
        styles = [attrs["href"] for attrs in page.all("link") if attrs.get("rel") == "stylesheet"]
        seen: set[str] = set()
        while modules:
            module = modules.pop()
            if module in seen:
                continue
            seen.add(module)
            source = (await client.get(module)).text
            for target in re.findall(r'^import .*? from "([^"]+)";$', source, re.MULTILINE):
                modules.append(httpx.URL(module).join(target).path)
        missing = (seen | set(styles)) - precache
        assert not missing, f"{path} needs {missing}"
