"""Staff sessions over HTTP: cookies, fixation, idle and absolute expiry, CSRF, logout."""

from __future__ import annotations

from datetime import timedelta

import httpx
from litestar import Litestar

from app.audit.tables import AuditEntry
from app.core.clock import FrozenClock
from app.staff.tables import StaffMember
from tests.staff.conftest import (
    LogIn,
    MakeAccount,
    csrf,
    failed_logins,
    password_step,
    problem,
    set_cookies,
)


async def test_the_session_id_changes_at_each_login_step_and_a_planted_one_is_not_adopted(
    client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn
) -> None:
    clerk = await make_account("clerk")
    client.cookies.set("amtsweg-staff", "chosen-by-an-attacker", domain="testserver.local")
    step = await password_step(client, clerk.username, clerk.password)
    after_password = client.cookies["amtsweg-staff"]
    assert step.status_code == 200
    assert after_password != "chosen-by-an-attacker"
    response = await log_in(client, clerk)
    assert response.status_code == 200
    assert client.cookies["amtsweg-staff"] not in {after_password, "chosen-by-an-attacker"}


async def test_an_anonymous_request_leaves_no_session_behind(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/staff/session")
    assert response.json() == {"state": "none", "staff": None}
    assert "amtsweg-staff" not in set_cookies(response)
    assert "amtsweg-csrf" in set_cookies(response)
    assert (await client.get("/api/staff/me")).status_code == 401


async def test_a_session_ends_after_thirty_idle_minutes(
    client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn, clock: FrozenClock
) -> None:
    await log_in(client, await make_account("clerk"))
    for _request in range(3):  # activity keeps it alive
        clock.advance(timedelta(minutes=29))
        assert (await client.get("/api/staff/me")).status_code == 200
    clock.advance(timedelta(minutes=30, seconds=1))
    problem(await client.get("/api/staff/me"), 401, "session_expired")
    problem(await client.get("/api/staff/me"), 401, "not_authenticated")


async def test_a_session_ends_after_ten_hours_however_busy(
    client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn, clock: FrozenClock
) -> None:
    await log_in(client, await make_account("clerk"))
    for _request in range(33):
        clock.advance(timedelta(minutes=18))
        assert (await client.get("/api/staff/me")).status_code == 200
    clock.advance(timedelta(minutes=7))  # 10 h 1 min after the login
    assert (await client.get("/api/staff/session")).json() == {"state": "expired", "staff": None}


async def test_an_unsafe_request_without_the_csrf_token_is_refused_and_changes_nothing(
    app: Litestar, client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn
) -> None:
    clerk = await make_account("clerk")
    await log_in(client, clerk)
    refused = await client.post("/api/staff/logout")
    problem(refused, 403, "csrf_failed")
    assert "content-security-policy" in refused.headers  # answered inside the app's middleware
    forged = {"X-CSRF-Token": "made.up"}
    problem(await client.post("/api/staff/logout", headers=forged), 403, "csrf_failed")
    assert (await client.get("/api/staff/me")).status_code == 200

    # A page of another site can post, but has neither the cookie's value nor the header.
    anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=client.base_url)
    async with anonymous:
        attempt = await anonymous.post(
            "/api/staff/login", json={"username": "clerk", "password": "wrong password!"}
        )
    problem(attempt, 403, "csrf_failed")
    assert await failed_logins(clerk.id) == 0


async def test_a_csrf_cookie_not_issued_by_the_server_is_refused(
    client: httpx.AsyncClient, make_account: MakeAccount
) -> None:
    await make_account("clerk")
    client.cookies.set("amtsweg-csrf", "planted.value", domain="testserver.local")
    response = await client.post(
        "/api/staff/login",
        json={"username": "clerk", "password": "whatever it is"},
        headers={"X-CSRF-Token": "planted.value"},
    )
    problem(response, 403, "csrf_failed")


async def test_logout_ends_the_session_and_is_audited(
    client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn
) -> None:
    clerk = await make_account("clerk")
    await log_in(client, clerk)
    response = await client.post("/api/staff/logout", headers=csrf(client))
    assert response.status_code == 204
    assert "amtsweg-staff" not in client.cookies
    assert (await client.get("/api/staff/me")).status_code == 401
    actions = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.seq)
    assert [row["action"] for row in actions] == ["staff.login", "staff.logout"]


async def test_a_deactivated_account_loses_its_session_at_the_next_request(
    client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn
) -> None:
    clerk = await make_account("clerk")
    await log_in(client, clerk)
    await StaffMember.update({StaffMember.active: False}).where(StaffMember.id == clerk.id)
    problem(await client.get("/api/staff/me"), 401, "not_authenticated")
