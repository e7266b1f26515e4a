"""Kiosk devices over HTTP: leads and admins manage them, a kiosk enrols with its code and
then proves itself with `Authorization: Device …`; revoked means refused at once."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.audit import service as audit
from tests.staff.conftest import csrf, problem
from tests.workspace.conftest import ClientFor, World


def _devices(office: int) -> str:
    return f"/api/clerk/offices/{office}/devices"


async def _create(client: httpx.AsyncClient, office: int, name: str = "Eingang") -> Any:
    response = await client.post(f"{_devices(office)}/", json={"name": name}, headers=csrf(client))
    assert response.status_code == 201, response.text
    return response.json()


def _as_device(credential: str) -> dict[str, str]:
    return {"Authorization": f"Device {credential}"}


async def test_a_lead_creates_a_device_and_the_kiosk_enrols_and_knows_its_office(
    world: World, client_for: ClientFor
) -> None:
    lead = await client_for(world.lead)
    created = await _create(lead, world.office_a)
    kiosk = await client_for(None)
    enrolled = await kiosk.post("/api/kiosk/enrol", json={"code": created["code"]})
    assert enrolled.status_code == 200, enrolled.text
    assert enrolled.headers["cache-control"] == "no-store"
    credential = enrolled.json()["credential"]

    me = await kiosk.get("/api/kiosk/me", headers=_as_device(credential))
    assert me.status_code == 200
    assert me.json()["device"] == {
        "id": created["device"]["id"],
        "office_id": world.office_a,
        "name": "Eingang",
    }
    assert me.json()["office"]["name"] == "Bürgeramt Altstadt"
    [listed] = (await lead.get(f"{_devices(world.office_a)}/")).json()
    assert listed["state"] == "enrolled" and listed["last_seen_at"] is not None
    actions = {(entry.staff_id, entry.action) for entry in await audit.entries()}
    assert {(world.lead.id, "device.created"), (None, "device.enrolled")} <= actions


async def test_a_revoked_kiosk_is_refused_with_its_next_request(
    world: World, client_for: ClientFor
) -> None:
    admin = await client_for(world.admin)
    created = await _create(admin, world.office_a)
    kiosk = await client_for(None)
    credential = (await kiosk.post("/api/kiosk/enrol", json={"code": created["code"]})).json()[
        "credential"
    ]
    path = f"{_devices(world.office_a)}/{created['device']['id']}/revoke"
    assert (await admin.post(path, headers=csrf(admin))).status_code == 204
    refused = await kiosk.get("/api/kiosk/me", headers=_as_device(credential))
    problem(refused, 401, "device_credential_invalid")


async def test_kiosk_requests_without_a_device_credential_get_401_with_a_stable_code(
    client_for: ClientFor,
) -> None:
    kiosk = await client_for(None)
    for headers in ({}, {"Authorization": "Bearer abc"}, {"Authorization": "Device "}):
        problem(
            await kiosk.get("/api/kiosk/me", headers=headers), 401, "device_credential_required"
        )
    unknown = await kiosk.get("/api/kiosk/me", headers=_as_device("not-a-credential"))
    problem(unknown, 401, "device_credential_invalid")


async def test_a_wrong_code_is_refused_in_the_kiosks_language_and_enrols_nothing(
    world: World, client_for: ClientFor
) -> None:
    kiosk = await client_for(None)
    wrong = await kiosk.post("/api/kiosk/enrol?lang=de", json={"code": "ABCD-EFGH"})
    answer = problem(wrong, 422, "invalid_enrolment_code")
    assert answer["errors"][0]["field"] == "code"
    lead = await client_for(world.lead)
    assert (await lead.get(f"{_devices(world.office_a)}/")).json() == []


async def test_clerks_and_leads_of_other_offices_cannot_see_or_change_devices(
    world: World, client_for: ClientFor
) -> None:
    admin = await client_for(world.admin)
    created = await _create(admin, world.office_a)
    device = created["device"]["id"]
    for account in (world.clerk, world.stranger):
        client = await client_for(account)
        problem(await client.get(f"{_devices(world.office_a)}/"), 404, "office_not_found")
    # The admin names office B, but the device belongs to A: as if it did not exist.
    renamed = await admin.put(
        f"{_devices(world.office_b)}/{device}", json={"name": "X"}, headers=csrf(admin)
    )
    problem(renamed, 404, "device_not_found")


async def test_hundreds_of_kiosks_enrolling_with_one_code_at_once_get_one_credential(
    world: World, client_for: ClientFor
) -> None:
    admin = await client_for(world.admin)
    created = await _create(admin, world.office_a)
    kiosk = await client_for(None)
    answers = await asyncio.gather(
        *(kiosk.post("/api/kiosk/enrol", json={"code": created["code"]}) for _ in range(200))
    )
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(200) == 1 and statuses.count(422) == 199
    [winner] = [answer.json()["credential"] for answer in answers if answer.status_code == 200]
    assert (await kiosk.get("/api/kiosk/me", headers=_as_device(winner))).status_code == 200
