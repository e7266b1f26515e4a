"""Office guards over HTTP: a clerk of another office gets 404, admins see every office."""

from __future__ import annotations

import httpx

from tests.staff.conftest import LogIn, MakeAccount, csrf, problem


async def test_a_clerk_of_another_office_gets_404_and_an_admin_sees_every_office(
    client: httpx.AsyncClient,
    make_account: MakeAccount,
    log_in: LogIn,
    office_a: int,
    office_b: int,
) -> None:
    clerk = await make_account("clerk", roles={office_a: "clerk"})
    await make_account("lead", roles={office_b: "lead"})
    admin = await make_account("admin", is_admin=True)

    problem(await client.get(f"/api/staff/offices/{office_a}/colleagues"), 401, "not_authenticated")
    await log_in(client, clerk)
    mine = await client.get(f"/api/staff/offices/{office_a}/colleagues")
    assert mine.json() == [{"staff_id": clerk.id, "display_name": "Clerk", "role": "clerk"}]
    problem(await client.get(f"/api/staff/offices/{office_b}/colleagues"), 404, "office_not_found")
    problem(await client.get("/api/staff/offices/999999/colleagues"), 404, "office_not_found")

    await client.post("/api/staff/logout", headers=csrf(client))
    await log_in(client, admin)
    theirs = await client.get(f"/api/staff/offices/{office_b}/colleagues")
    assert [person["role"] for person in theirs.json()] == ["lead"]


async def test_only_an_admin_creates_accounts_and_grants_roles(
    client: httpx.AsyncClient,
    make_account: MakeAccount,
    log_in: LogIn,
    office_a: int,
) -> None:
    clerk = await make_account("clerk", roles={office_a: "clerk"})
    admin = await make_account("admin", is_admin=True)
    body = {"username": "n.neu", "display_name": "Nina Neu", "password": "a long enough password"}

    await log_in(client, clerk)
    problem(
        await client.post("/api/staff/members", json=body, headers=csrf(client)),
        403,
        "admin_required",
    )
    await client.post("/api/staff/logout", headers=csrf(client))

    await log_in(client, admin)
    created = await client.post("/api/staff/members", json=body, headers=csrf(client))
    assert created.status_code == 201, created.text
    assert created.json()["enrolled"] is False
    problem(
        await client.post("/api/staff/members", json=body, headers=csrf(client)),
        409,
        "username_taken",
    )
    new_id = created.json()["id"]
    grant = await client.put(
        f"/api/staff/members/{new_id}/offices/{office_a}",
        json={"role": "lead"},
        headers=csrf(client),
    )
    assert grant.status_code == 204
    colleagues = (await client.get(f"/api/staff/offices/{office_a}/colleagues")).json()
    assert {person["display_name"]: person["role"] for person in colleagues} == {
        "Clerk": "clerk",
        "Nina Neu": "lead",
    }
