"""The booking API over HTTP: the rush, the whole journey, and every bad input refused."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from app.booking.tables import Appointment, DeskUnit
from app.core.clock import FrozenClock

from .conftest import TUESDAY, City, berlin

RUSH_SLOTS = [berlin(TUESDAY, time) for time in ("09:00", "09:15", "09:30")]


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["title"]
    return body


def _hold_body(at: Any = RUSH_SLOTS[0], **fields: Any) -> dict[str, Any]:
    starts_at = at if isinstance(at, str) else at.isoformat()
    return {"service": "anmeldung", "office": "altstadt", "starts_at": starts_at, **fields}


async def test_330_concurrent_holds_for_three_slots_book_each_desk_unit_at_most_once(
    city: City, client: httpx.AsyncClient
) -> None:
    requests = [_hold_body(RUSH_SLOTS[n % 3]) for n in range(330)]
    responses = await asyncio.gather(*(client.post("/api/holds", json=body) for body in requests))
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 6, 409: 324}, statuses  # three slots × two counters
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "slot_taken"
    units = await DeskUnit.select(DeskUnit.desk, DeskUnit.unit_start)
    assert len(units) == 6 and len({(u["desk"], u["unit_start"]) for u in units}) == 6
    assert await Appointment.count() == 6
    confirms = await asyncio.gather(
        *(
            client.post(f"/api/appointments/{response.json()['token']}/confirm")
            for response in responses
            if response.status_code == 201
        )
    )
    assert {response.status_code for response in confirms} == {200}
    assert await Appointment.count().where(Appointment.state == "confirmed") == 6


async def test_a_citizen_books_sees_downloads_moves_and_cancels_over_http(
    city: City, client: httpx.AsyncClient
) -> None:
    triage = (await client.get("/api/services/anmeldung/triage?lang=en")).json()
    assert triage["first_question"] == "eid" and {o["kind"] for o in triage["outcomes"]} == {
        "online", "video", "in_person",
    }  # fmt: skip
    found = (
        await client.get(f"/api/availability?service=anmeldung&from={TUESDAY}&to={TUESDAY}")
    ).json()
    slot = found["days"][0]["slots"][4]
    assert (slot["local_time"], slot["capacity"]) == ("09:00", 2)
    held = await client.post("/api/holds", json=_hold_body(slot["starts_at"]))
    assert held.status_code == 201 and held.headers["cache-control"] == "no-store"
    token = held.json()["token"]
    assert (await client.post(f"/api/appointments/{token}/confirm")).json()["appointment"][
        "state"
    ] == "confirmed"
    shown = (await client.get(f"/api/appointments/{token}?lang=en")).json()
    assert shown["service"]["documents"] == ["ID card"] and shown["office"]["slug"] == "altstadt"
    assert shown["links"]["manage_url"].endswith(f"/en/appointments/{token}")
    ics = await client.get(f"/api/appointments/{token}/ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.text).walk("VALARM")
    qr = await client.get(f"/api/appointments/{token}/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml") and "<svg" in qr.text
    moved = await client.post(
        f"/api/appointments/{token}/reschedule",
        json={"starts_at": berlin(TUESDAY, "10:30").isoformat()},
    )
    assert moved.status_code == 200 and moved.json()["local_start"] == "10:30"
    cancelled = await client.post(f"/api/appointments/{token}/cancel")
    assert cancelled.json()["state"] == "cancelled"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (_hold_body(berlin(TUESDAY, "07:00") - timedelta(days=2)), 422, "slot_in_past"),
        (_hold_body(service="drachenlizenz"), 422, "unknown_service"),
        (_hold_body(office="atlantis"), 422, "unknown_office"),
        (_hold_body(berlin(TUESDAY, "12:30")), 422, "outside_opening_hours"),
        (_hold_body(berlin(TUESDAY, "09:05")), 422, "outside_opening_hours"),
        (_hold_body("2026-11-24T09:00:00"), 422, "invalid_time"),
        (_hold_body(email="nobody"), 422, "invalid_email"),
        (_hold_body(channel="video"), 422, "not_offered_here"),
        (_hold_body(service="personalausweis", channel="video"), 422, "channel_not_offered"),
        (_hold_body(case_token="not-a-token"), 404, "invalid_token"),
        (_hold_body(colour="red"), 400, "invalid_input"),
        ({"service": "anmeldung"}, 400, "invalid_input"),
    ],
)
async def test_bad_holds_get_a_clear_problem_and_change_nothing(
    city: City, client: httpx.AsyncClient, body: dict[str, Any], status: int, code: str
) -> None:
    _problem(await client.post("/api/holds", json=body), status, code)
    assert await Appointment.count() == 0 and await DeskUnit.count() == 0


async def test_a_second_booking_for_the_same_contact_and_service_is_refused_in_german(
    city: City, client: httpx.AsyncClient
) -> None:
    first = await client.post("/api/holds", json=_hold_body(email="ada@example.org"))
    assert first.status_code == 201
    second = await client.post(
        "/api/holds", json=_hold_body(RUSH_SLOTS[1], email="ada@example.org")
    )
    problem = _problem(second, 409, "already_booked")
    assert problem["lang"] == "de"
    _problem(
        await client.post(f"/api/appointments/{first.json()['token']}/confirm"),
        409,
        "confirm_by_email",
    )
    assert await Appointment.count() == 1


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("service=drachenlizenz", 422, "unknown_service"),
        ("service=anmeldung&from=2026-11-23&to=2027-01-31", 422, "range_too_long"),
        ("service=anmeldung&from=2026-11-01&to=2026-11-10", 422, "range_in_past"),
        ("service=anmeldung&from=2026-11-27&to=2026-11-25", 422, "invalid_range"),
        ("service=anmeldung&office=atlantis", 422, "unknown_office"),
        ("service=anmeldung&channel=fax", 400, "invalid_input"),
        ("office=altstadt", 400, "invalid_input"),
    ],
)
async def test_bad_availability_queries_get_a_clear_problem(
    city: City, client: httpx.AsyncClient, query: str, status: int, code: str
) -> None:
    _problem(await client.get(f"/api/availability?{query}"), status, code)


async def test_a_lapsed_hold_cannot_be_confirmed_and_tampered_links_open_nothing(
    city: City, client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    token = (await client.post("/api/holds", json=_hold_body())).json()["token"]
    clock.advance(timedelta(minutes=11))
    _problem(await client.post(f"/api/appointments/{token}/confirm"), 410, "hold_expired")
    tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    for path in ("", "/ics", "/qr.svg"):
        _problem(await client.get(f"/api/appointments/{tampered}{path}"), 404, "invalid_token")
    _problem(await client.post(f"/api/appointments/{tampered}/cancel"), 404, "invalid_token")
    _problem(await client.post(f"/api/confirm/{tampered}"), 404, "invalid_token")


async def test_the_waitlist_and_a_lottery_request_over_http(
    city: City, client: httpx.AsyncClient
) -> None:
    body = {
        "service": "anmeldung",
        "email": "ada@example.org",
        "first_day": str(TUESDAY),
        "last_day": str(TUESDAY),
    }
    joined = await client.post("/api/waitlist", json=body)
    assert joined.status_code == 201 and joined.json()["entry"]["state"] == "waiting"
    _problem(await client.post("/api/waitlist", json=body), 409, "already_waiting")
    token = joined.json()["token"]
    assert (await client.get(f"/api/waitlist/{token}")).json()["ahead"] == 0
    assert (await client.post(f"/api/waitlist/{token}/withdraw")).json()["state"] == "withdrawn"
    _problem(await client.get("/api/releases/999"), 404, "release_not_found")
    request = {"service": "anmeldung", "email": "ada@example.org"}
    _problem(
        await client.post("/api/releases/999/requests", json=request), 404, "release_not_found"
    )


async def test_a_citizen_cannot_release_slots_by_lottery(
    city: City, client: httpx.AsyncClient
) -> None:
    """Only an office lead may (tests/security/test_role_matrix.py walks every role); a
    request without the staff session's CSRF token is refused before anything else."""
    response = await client.post("/api/releases", json={})
    _problem(response, 403, "csrf_failed")


async def test_the_anti_bot_hook_runs_the_guard_the_app_was_given(
    city: City, app: Litestar, client: httpx.AsyncClient
) -> None:
    async def refuse(_connection: ASGIConnection[Any, Any, Any, Any], _h: BaseRouteHandler) -> None:
        raise PermissionDeniedException()

    app.state.antibot_guard = refuse
    _problem(await client.post("/api/holds", json=_hold_body()), 403, "forbidden")
    _problem(await client.post("/api/waitlist", json={}), 403, "forbidden")
    assert await Appointment.count() == 0


async def test_the_openapi_schema_documents_the_booking_routes(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/schema/openapi.json")).json()
    paths = schema["paths"]
    for path in (
        "/api/holds",
        "/api/availability",
        "/api/appointments/{token}/reschedule",
        "/api/waitlist",
        "/api/releases/{release_id}/requests",
    ):
        assert path in paths
    assert "HoldCreate" in str(schema["components"]["schemas"])
