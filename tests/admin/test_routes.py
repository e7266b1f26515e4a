"""The administration over HTTP: who may do what, problems with stable codes, the
preview-and-confirm flow, the effect on public availability, and a slug race."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.audit import service as audit
from app.catalogue.tables import Closure, OpeningHours, Service

from .conftest import TUESDAY, Book, City, People, berlin, csrf, problem

Clients = dict[str, httpx.AsyncClient]
CLOSURE = {"starts_on": "2026-11-24", "ends_on": "2026-11-24", "reason": {"de": "Schulung"}}


def _service(slug: str = "wohngeld", **fields: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "ticket_letter": "W",
        "name": {"de": "Wohngeld beantragen"},
        "duration_minutes": 30,
        **fields,
    }


async def _slots(client: httpx.AsyncClient, day: str) -> int:
    response = await client.get(
        "/api/availability",
        params={"service": "anmeldung", "office": "altstadt", "from": day, "to": day},
    )
    assert response.status_code == 200, response.text
    return sum(len(found["slots"]) for found in response.json()["days"])


async def test_each_person_sees_the_offices_they_administer(city: City, clients: Clients) -> None:
    async def slugs(who: str) -> list[str]:
        response = await clients[who].get("/api/admin/offices")
        assert response.status_code == 200
        return [office["slug"] for office in response.json()]

    assert await slugs("admin") == ["altstadt", "virtuell"]
    assert await slugs("lead") == ["altstadt"]
    assert await slugs("clerk") == []


async def test_leads_change_only_their_office_and_never_what_only_administrators_may(
    city: City, clients: Clients
) -> None:
    url = f"/api/admin/offices/{city.altstadt}/closures"
    for who in ("clerk", "other_lead"):
        client = clients[who]
        problem(await client.post(url, json=CLOSURE, headers=csrf(client)), 404, "office_not_found")
    lead = clients["lead"]
    created = await lead.post(url, json=CLOSURE, headers=csrf(lead))
    assert created.status_code == 201, created.text
    assert created.json()["office"]["closures"][0]["reason"] == {"de": "Schulung"}
    desk = city.counters[0]
    refused = await lead.put(
        f"/api/admin/offices/{city.altstadt}/desks/{desk}/services",
        json={"services": []},
        headers=csrf(lead),
    )
    problem(refused, 403, "admin_required")
    problem(
        await lead.post("/api/admin/services", json=_service(), headers=csrf(lead)),
        403,
        "admin_required",
    )
    assert await Closure.count() == 1


async def test_a_write_without_the_csrf_header_is_refused(city: City, clients: Clients) -> None:
    response = await clients["lead"].post(
        f"/api/admin/offices/{city.altstadt}/closures", json=CLOSURE
    )
    problem(response, 403, "csrf_failed")
    assert await Closure.count() == 0


async def test_a_closure_over_bookings_answers_with_them_and_cancels_them_once_confirmed(
    city: City, clients: Clients, book: Book
) -> None:
    client = clients["anonymous"]
    booked = await book(berlin(TUESDAY, "09:00"), email="ada@example.org")
    lead = clients["lead"]
    url = f"/api/admin/offices/{city.altstadt}/closures"
    preview = problem(
        await lead.post(url, json=CLOSURE, headers=csrf(lead)), 409, "appointments_affected"
    )
    assert preview["count"] == 1
    assert [(a["code"], a["local_start"]) for a in preview["appointments"]] == [
        (booked.code, "2026-11-24 09:00")
    ]
    assert "1" in preview["title"] and "ada" not in str(preview)
    assert await Closure.count() == 0
    confirmed = await lead.post(
        url, json={**CLOSURE, "cancel_appointments": [booked.code]}, headers=csrf(lead)
    )
    assert confirmed.status_code == 201, confirmed.text
    assert (confirmed.json()["cancelled"], confirmed.json()["cancelled_codes"]) == (
        1,
        [booked.code],
    )
    mine = await client.get(f"/api/appointments/{booked.token}")
    assert mine.json()["state"] == "cancelled"


async def test_a_closure_removes_the_day_from_public_availability_at_once(
    city: City, clients: Clients
) -> None:
    client = clients["anonymous"]
    assert await _slots(client, "2026-11-24") > 0
    lead = clients["lead"]
    created = await lead.post(
        f"/api/admin/offices/{city.altstadt}/closures", json=CLOSURE, headers=csrf(lead)
    )
    assert created.status_code == 201
    assert await _slots(client, "2026-11-24") == 0
    assert await _slots(client, "2026-11-25") > 0
    closure_id = created.json()["office"]["closures"][0]["id"]
    removed = await lead.delete(
        f"/api/admin/offices/{city.altstadt}/closures/{closure_id}", headers=csrf(lead)
    )
    assert removed.status_code == 200 and removed.json()["closures"] == []
    assert await _slots(client, "2026-11-24") > 0


async def test_bad_input_names_the_field_and_writes_nothing(city: City, clients: Clients) -> None:
    lead, admin = clients["lead"], clients["admin"]
    hours = f"/api/admin/offices/{city.altstadt}/hours"
    before = await OpeningHours.count()
    bad = await lead.put(
        hours,
        json={"hours": [{"weekday": 7, "opens": "08:00", "closes": "12:00"}]},
        headers=csrf(lead),
    )
    assert problem(bad, 400, "invalid_input")["errors"][0]["field"] == "hours[0].weekday"
    overlap = [
        {"weekday": 1, "opens": "08:00", "closes": "12:00"},
        {"weekday": 1, "opens": "11:59", "closes": "13:00"},
    ]
    problem(
        await lead.put(hours, json={"hours": overlap}, headers=csrf(lead)),
        422,
        "overlapping_periods",
    )
    backwards = [{"weekday": 1, "opens": "12:00", "closes": "12:00"}]
    problem(
        await lead.put(hours, json={"hours": backwards}, headers=csrf(lead)), 422, "invalid_period"
    )
    assert await OpeningHours.count() == before
    for field, value in (
        ("duration_minutes", 241),
        ("duration_minutes", 4),
        ("fee_cents", -1),
        ("slug", "Wohn geld"),
    ):
        response = await admin.post(
            "/api/admin/services", json=_service(**{field: value}), headers=csrf(admin)
        )
        assert problem(response, 400, "invalid_input")["errors"][0]["field"] == field
    missing = await admin.post(
        "/api/admin/services", json=_service(name={"en": "Housing"}), headers=csrf(admin)
    )
    problem(missing, 422, "german_text_missing")
    assert await Service.count() == 2
    assert [e for e in await audit.entries() if e.action.startswith("admin.")] == []


async def test_service_texts_per_language_reach_the_citizens_at_once(
    city: City, clients: Clients
) -> None:
    client = clients["anonymous"]
    admin = clients["admin"]
    current = (await admin.get(f"/api/admin/services/{city.registration}")).json()
    current["name"]["ar"] = "تسجيل السكن"
    current["documents"]["ar"] = ["بطاقة الهوية"]
    current["fee_cents"] = 1200
    body = {key: value for key, value in current.items() if key != "id"}
    changed = await admin.put(
        f"/api/admin/services/{city.registration}", json=body, headers=csrf(admin)
    )
    assert changed.status_code == 200, changed.text
    shown = (await client.get("/api/services/anmeldung", params={"lang": "ar"})).json()
    assert (shown["name"], shown["documents"], shown["fee_cents"]) == (
        "تسجيل السكن",
        ["بطاقة الهوية"],
        1200,
    )
    german = (await client.get("/api/services/anmeldung", params={"lang": "de"})).json()
    assert german["name"] == "Dienst anmeldung"
    [entry] = [e for e in await audit.entries() if e.action == "admin.service.update"]
    assert entry.detail == {"service": city.registration}


async def test_hundreds_of_creations_of_one_slug_create_exactly_one_service(
    city: City, clients: Clients, people: People
) -> None:
    admin = clients["admin"]
    answers = await asyncio.gather(
        *(
            admin.post(
                "/api/admin/services", json=_service(name={"de": f"Nr. {n}"}), headers=csrf(admin)
            )
            for n in range(200)
        )
    )
    statuses = sorted(response.status_code for response in answers)
    assert statuses == [201] + [409] * 199
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"service_slug_taken"}
    assert await Service.count().where(Service.slug == "wohngeld") == 1
    created = [e for e in await audit.entries(limit=1000) if e.action == "admin.service.create"]
    assert [(e.staff_id, e.office_id) for e in created] == [(people.admin.id, None)]


async def test_an_office_with_a_taken_slug_is_a_conflict(city: City, clients: Clients) -> None:
    admin = clients["admin"]
    office = {"slug": "altstadt", "kind": "district", "name": "Noch eine Altstadt"}
    problem(
        await admin.post("/api/admin/offices", json=office, headers=csrf(admin)),
        409,
        "office_slug_taken",
    )
    made = await admin.post(
        "/api/admin/offices", json={**office, "slug": "emmertsgrund"}, headers=csrf(admin)
    )
    assert made.status_code == 201 and made.json()["desks"] == []
    desk = await admin.post(
        f"/api/admin/offices/{made.json()['id']}/desks",
        json={"label": "Schalter 1"},
        headers=csrf(admin),
    )
    assert desk.status_code == 201 and desk.json()["desks"][0]["label"] == "Schalter 1"
    again = await admin.post(
        f"/api/admin/offices/{made.json()['id']}/desks",
        json={"label": "Schalter 1"},
        headers=csrf(admin),
    )
    problem(again, 409, "desk_label_taken")


async def test_desks_and_closures_of_another_office_cannot_be_reached_through_ones_own(
    city: City, clients: Clients
) -> None:
    other = clients["other_lead"]
    closure = await other.post(
        f"/api/admin/offices/{city.virtual}/closures", json=CLOSURE, headers=csrf(other)
    )
    closure_id = closure.json()["office"]["closures"][0]["id"]
    lead = clients["lead"]
    own = f"/api/admin/offices/{city.altstadt}"
    desk = await lead.put(
        f"{own}/desks/{city.video_desk}", json={"label": "Mine now"}, headers=csrf(lead)
    )
    problem(desk, 404, "desk_not_found")
    gone = await lead.delete(f"{own}/closures/{closure_id}", headers=csrf(lead))
    problem(gone, 404, "closure_not_found")
    assert await Closure.count() == 1
