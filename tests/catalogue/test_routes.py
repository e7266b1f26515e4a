from __future__ import annotations

from typing import Any

import httpx
import pytest

PROBLEM_JSON = "application/problem+json"


async def test_services_speak_the_language_asked_for_in_the_url(
    client: httpx.AsyncClient, city: Any
) -> None:
    response = await client.get("/api/services", params={"lang": "en"})

    assert response.status_code == 200
    body = response.json()
    assert [s["slug"] for s in body] == ["personalausweis", "anmeldung"]
    assert body[0]["name"] == "Apply for an ID card"
    assert body[0]["fee"] == "€46.00"
    assert body[0]["channels"] == {
        "in_person": True,
        "video": True,
        "online_url": None,
        "online_note": None,
    }


async def test_without_a_url_language_the_browsers_accept_language_decides(
    client: httpx.AsyncClient, city: Any
) -> None:
    english = await client.get(
        "/api/services/personalausweis", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    german = await client.get("/api/services/personalausweis")
    url_wins = await client.get(
        "/api/services/personalausweis?lang=de", headers={"Accept-Language": "en"}
    )

    assert english.json()["name"] == "Apply for an ID card"
    assert german.json()["name"] == "Personalausweis beantragen"
    assert url_wins.json()["name"] == "Personalausweis beantragen"


async def test_an_unknown_service_is_a_404_problem_with_its_code(
    client: httpx.AsyncClient, city: Any
) -> None:
    response = await client.get("/api/services/fuehrerschein?lang=en")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert response.json()["code"] == "service_not_found"
    assert response.json()["lang"] == "en"


@pytest.mark.parametrize(
    "slug", ["Personalausweis", "%C3%BCber", "a" * 300, "..%2F..%2Fetc", "x%00y", "a;drop"]
)
async def test_a_malformed_slug_is_a_404_problem_never_a_500(
    client: httpx.AsyncClient, city: Any, slug: str
) -> None:
    services = await client.get(f"/api/services/{slug}")
    offices = await client.get(f"/api/offices/{slug}")

    assert (services.status_code, offices.status_code) == (404, 404)
    assert services.headers["content-type"].startswith(PROBLEM_JSON)
    assert offices.headers["content-type"].startswith(PROBLEM_JSON)


async def test_offices_can_be_narrowed_to_one_kind(client: httpx.AsyncClient, city: Any) -> None:
    everything = await client.get("/api/offices")
    virtual = await client.get("/api/offices", params={"kind": "virtual"})

    assert [o["slug"] for o in everything.json()] == ["altstadt", "ziegelhausen", "virtuell"]
    assert [o["slug"] for o in virtual.json()] == ["virtuell"]


async def test_an_unknown_office_kind_is_invalid_input(
    client: httpx.AsyncClient, city: Any
) -> None:
    response = await client.get("/api/offices", params={"kind": "castle"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


async def test_office_hours_today_follow_the_apps_clock(
    client: httpx.AsyncClient, city: Any
) -> None:
    response = await client.get("/api/offices")  # the test clock says Monday morning

    hours = {o["slug"]: o["hours_today"] for o in response.json()}
    assert hours["altstadt"] == [
        {"opens": "08:00:00", "closes": "12:00:00"},
        {"opens": "13:30:00", "closes": "16:00:00"},
    ]
    assert hours["ziegelhausen"] == []


async def test_office_detail_names_weekdays_in_the_language_asked_for(
    client: httpx.AsyncClient, city: Any
) -> None:
    response = await client.get("/api/offices/altstadt", params={"lang": "tr"})

    assert response.status_code == 200
    body = response.json()
    assert [d["weekday_name"] for d in body["opening_hours"]] == ["Pazartesi", "Çarşamba"]
    assert body["desks"] == 2
    assert body["services"] == ["personalausweis"]


async def test_an_unknown_office_is_a_404_problem_with_its_code(
    client: httpx.AsyncClient, city: Any
) -> None:
    response = await client.get("/api/offices/mannheim")

    assert response.status_code == 404
    assert response.json()["code"] == "office_not_found"


async def test_the_catalogue_routes_are_documented_in_openapi(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/schema/openapi.json")).json()

    for path in ("/api/services", "/api/services/{slug}", "/api/offices", "/api/offices/{slug}"):
        assert schema["paths"][path]["get"]["tags"] == ["catalogue"]
    (kind,) = schema["paths"]["/api/offices"]["get"]["parameters"]
    assert set(kind["schema"]["enum"]) == {"district", "virtual", None}
