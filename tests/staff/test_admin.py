"""Administering staff accounts over HTTP: the list, new accounts, roles, deactivation,
unlocking, the reset of the second factor, and never locking the city out."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.audit import service as audit
from app.core.clock import FrozenClock
from app.settings import Settings
from app.staff import accounts, login, totp
from app.staff.accounts import Change
from app.staff.errors import AccountLocked, InvalidCredentials, LastAdmin
from app.staff.tables import StaffMember
from tests.staff.conftest import LogIn, MakeAccount, csrf, password_step, problem
from tests.workspace.conftest import ClientFor, client_for  # noqa: F401 — fixture

MEMBERS = "/api/staff/members"


async def _actions() -> list[tuple[int | None, str, dict[str, object]]]:
    return [(e.staff_id, e.action, e.detail) for e in reversed(await audit.entries())]


async def _active_admins() -> int:
    return await StaffMember.count().where(
        (StaffMember.is_admin == True) & (StaffMember.active == True)  # noqa: E712
    )


async def test_an_admin_sees_every_account_with_roles_lock_state_and_last_login(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
    office_a: int,
    clock: FrozenClock,
) -> None:
    admin = await make_account("admin", is_admin=True)
    clerk = await make_account("clerk", roles={office_a: "lead"})
    await make_account("newcomer", enrolled=False)
    for _attempt in range(login.MAX_FAILURES):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            await login.check_password("newcomer", "wrong password!", now=clock.now(), ip=None)
    client = await client_for(admin)
    listed = (await client.get(f"{MEMBERS}/")).json()
    by_name = {account["username"]: account for account in listed}
    assert set(by_name) == {"admin", "clerk", "newcomer"}
    assert by_name["clerk"]["offices"] == [
        {"office_id": office_a, "office_name": "Bürgeramt Altstadt", "role": "lead"}
    ]
    assert by_name["clerk"]["last_login_at"] is None
    assert by_name["admin"]["last_login_at"] is not None  # the admin just logged in
    assert by_name["newcomer"]["enrolled"] is False
    assert by_name["newcomer"]["locked_until"] is not None
    assert by_name["clerk"]["locked_until"] is None
    assert clerk.id == by_name["clerk"]["id"]


async def test_a_new_account_sets_up_its_second_factor_at_its_first_login(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
) -> None:
    admin = await make_account("admin", is_admin=True)
    client = await client_for(admin)
    body = {"username": "n.neu", "display_name": "Nora Neu", "password": "a long password here"}
    created = await client.post(f"{MEMBERS}/", json=body, headers=csrf(client))
    assert created.status_code == 201, created.text
    assert created.json()["enrolled"] is False

    first = await password_step(await client_for(None), "n.neu", "a long password here")
    assert first.json()["next"] == "enrol"
    assert (admin.id, "staff.created", {"staff_id": created.json()["id"], "admin": False}) in (
        await _actions()
    )


async def test_roles_are_granted_and_withdrawn_with_an_audit_entry_each(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
    office_a: int,
) -> None:
    admin = await make_account("admin", is_admin=True)
    clerk = await make_account("clerk")
    client = await client_for(admin)
    path = f"{MEMBERS}/{clerk.id}/offices/{office_a}"
    granted = await client.put(path, json={"role": "lead"}, headers=csrf(client))
    assert granted.status_code == 204
    withdrawn = await client.delete(path, headers=csrf(client))
    assert withdrawn.status_code == 204
    unknown = await client.put(
        f"{MEMBERS}/999999/offices/{office_a}", json={"role": "clerk"}, headers=csrf(client)
    )
    problem(unknown, 404, "staff_member_not_found")
    actions = await _actions()
    assert (admin.id, "staff.role_granted", {"staff_id": clerk.id, "role": "lead"}) in actions
    assert (admin.id, "staff.role_revoked", {"staff_id": clerk.id}) in actions


async def test_deactivation_ends_the_sessions_at_once_and_reactivation_does_not_revive_them(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
    log_in: LogIn,
    clock: FrozenClock,
) -> None:
    admin = await make_account("admin", is_admin=True)
    clerk = await make_account("clerk")
    clerks_client = await client_for(clerk)
    client = await client_for(admin)
    assert (await clerks_client.get("/api/staff/me")).status_code == 200

    off = await client.post(f"{MEMBERS}/{clerk.id}/deactivate", headers=csrf(client))
    assert off.status_code == 204
    assert (await clerks_client.get("/api/staff/me")).status_code == 401
    on = await client.post(f"{MEMBERS}/{clerk.id}/reactivate", headers=csrf(client))
    assert on.status_code == 204

    old_session = await client_for(None)
    old_session.cookies = clerks_client.cookies
    assert (await old_session.get("/api/staff/me")).status_code == 401
    assert (await log_in(clerks_client, clerk)).status_code == 200
    assert (await clerks_client.get("/api/staff/me")).status_code == 200
    actions = await _actions()
    assert (admin.id, "staff.deactivated", {"staff_id": clerk.id}) in actions
    assert (admin.id, "staff.reactivated", {"staff_id": clerk.id}) in actions


async def test_a_locked_account_is_unlocked_by_an_admin(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
    clock: FrozenClock,
) -> None:
    admin = await make_account("admin", is_admin=True)
    clerk = await make_account("clerk")
    anonymous = await client_for(None)
    for _attempt in range(login.MAX_FAILURES):
        await password_step(anonymous, "clerk", "not the password at all")
    problem(await password_step(anonymous, "clerk", clerk.password), 423, "account_locked")

    client = await client_for(admin)
    unlocked = await client.post(f"{MEMBERS}/{clerk.id}/unlock", headers=csrf(client))
    assert unlocked.status_code == 204
    assert (await password_step(anonymous, "clerk", clerk.password)).status_code == 200
    assert (admin.id, "staff.unlocked", {"staff_id": clerk.id}) in await _actions()


async def test_resetting_the_second_factor_ends_sessions_and_the_next_login_enrols_anew(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
    settings: Settings,
    clock: FrozenClock,
) -> None:
    admin = await make_account("admin", is_admin=True)
    clerk = await make_account("clerk")
    clerks_client = await client_for(clerk)
    client = await client_for(admin)
    reset = await client.post(f"{MEMBERS}/{clerk.id}/second-factor/reset", headers=csrf(client))
    assert reset.status_code == 204
    assert (await clerks_client.get("/api/staff/me")).status_code == 401

    clock.advance(timedelta(seconds=30))
    step = await password_step(clerks_client, "clerk", clerk.password)
    enrolment = step.json()["enrolment"]
    assert step.json()["next"] == "enrol" and enrolment["secret"] != clerk.secret
    code = totp.code_at(enrolment["secret"], clock.now())
    done = await clerks_client.post(
        "/api/staff/login/code", json={"code": code}, headers=csrf(clerks_client)
    )
    assert done.status_code == 200, done.text
    assert (admin.id, "staff.second_factor_reset", {"staff_id": clerk.id}) in await _actions()


async def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
) -> None:
    admin = await make_account("admin", is_admin=True)
    retired = await make_account("retired", is_admin=True)
    client = await client_for(admin)
    off = await client.post(f"{MEMBERS}/{retired.id}/deactivate", headers=csrf(client))
    assert off.status_code == 204
    problem(
        await client.delete(f"{MEMBERS}/{admin.id}/admin", headers=csrf(client)), 409, "last_admin"
    )
    problem(
        await client.post(f"{MEMBERS}/{admin.id}/deactivate", headers=csrf(client)),
        409,
        "last_admin",
    )
    problem(
        await client.post(f"{MEMBERS}/999999/unlock", headers=csrf(client)),
        404,
        "staff_member_not_found",
    )
    made = await client.put(f"{MEMBERS}/{retired.id}/admin", headers=csrf(client))
    assert made.status_code == 204  # an inactive admin does not count
    problem(
        await client.delete(f"{MEMBERS}/{admin.id}/admin", headers=csrf(client)), 409, "last_admin"
    )
    assert (await client.get("/api/staff/me")).json()["is_admin"] is True


async def test_two_admins_deactivating_each_other_at_once_leave_one_admin(
    client_for: ClientFor,  # noqa: F811
    make_account: MakeAccount,
) -> None:
    first = await make_account("first", is_admin=True)
    second = await make_account("second", is_admin=True)
    clients = {first.id: await client_for(first), second.id: await client_for(second)}

    async def deactivate(by: int, whom: int) -> int:
        client = clients[by]
        response = await client.post(f"{MEMBERS}/{whom}/deactivate", headers=csrf(client))
        return response.status_code

    calls = [deactivate(first.id, second.id), deactivate(second.id, first.id)] * 100
    statuses = await asyncio.gather(*calls)
    assert await _active_admins() == 1
    assert statuses.count(204) >= 1 and set(statuses) <= {204, 401, 409}
    deactivated = [e for e in await _actions() if e[1] == "staff.deactivated"]
    assert {e[2]["staff_id"] for e in deactivated} in ({first.id}, {second.id})


async def test_many_admins_removing_each_other_at_once_leave_exactly_one(
    make_account: MakeAccount, clock: FrozenClock
) -> None:
    admins = [await make_account(f"admin-{n}", is_admin=True, enrolled=False) for n in range(12)]
    change = Change(admins[0].id, clock.now(), None)

    async def remove(staff_id: int, demote: bool) -> bool:
        try:
            if demote:
                await accounts.set_admin(staff_id, False, change)
            else:
                await accounts.set_active(staff_id, False, change)
        except LastAdmin:
            return False
        return True

    calls = [remove(a.id, demote) for a in admins for demote in (False, True)] * 10
    results = await asyncio.gather(*calls)
    assert await _active_admins() == 1
    assert results.count(False) >= 10
