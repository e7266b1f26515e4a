"""Staff login over HTTP: both steps, enrolment, lock-out, throttling, the login page."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
from piccolo.engine.base import Engine

from app.audit.tables import AuditEntry
from app.core.clock import FrozenClock
from app.main import create_app
from app.settings import Settings
from app.staff import totp
from tests.conftest import running
from tests.staff.conftest import (
    Account,
    LogIn,
    MakeAccount,
    csrf,
    failed_logins,
    password_step,
    problem,
    set_cookies,
)


async def test_a_clerk_logs_in_with_password_and_code_and_sees_their_offices(
    client: httpx.AsyncClient, make_account: MakeAccount, office_a: int, clock: FrozenClock
) -> None:
    clerk = await make_account("a.schmidt", roles={office_a: "clerk"})
    page = await client.get("/clerk/de/login")
    assert page.status_code == 200
    csrf_cookie = set_cookies(page)["amtsweg-csrf"]
    assert "samesite=strict" in csrf_cookie and "httponly" not in csrf_cookie

    first = await client.post(
        "/api/staff/login",
        json={"username": "A.Schmidt ", "password": clerk.password},
        headers=csrf(client),
    )
    assert first.json() == {"next": "totp", "enrolment": None}
    second = await client.post(
        "/api/staff/login/code",
        json={"code": totp.code_at(clerk.secret, clock.now())},
        headers=csrf(client),
    )
    assert second.status_code == 200, second.text
    session_cookie = set_cookies(second)["amtsweg-staff"]
    for flag in ("httponly", "samesite=strict", "path=/"):
        assert flag in session_cookie
    assert "secure" not in session_cookie  # the test app runs on http://

    me = await client.get("/api/staff/me")
    assert me.status_code == 200
    assert me.headers["cache-control"] == "no-store"
    assert me.json() == {
        "id": clerk.id,
        "username": "a.schmidt",
        "display_name": "A.Schmidt",
        "is_admin": False,
        "offices": [{"office_id": office_a, "office_name": "Bürgeramt Altstadt", "role": "clerk"}],
    }
    actions = await AuditEntry.select(AuditEntry.action, AuditEntry.staff_id, AuditEntry.ip)
    assert actions == [{"action": "staff.login", "staff_id": clerk.id, "ip": "127.0.0.1"}]


async def test_unknown_user_and_wrong_password_get_the_same_answer(
    client: httpx.AsyncClient, make_account: MakeAccount
) -> None:
    clerk = await make_account("clerk")
    wrong = await password_step(client, clerk.username, "not the password at all")
    unknown = await password_step(client, "nobody", "not the password at all")
    answer = problem(wrong, 401, "invalid_credentials")
    assert unknown.status_code == wrong.status_code
    assert unknown.json() == answer
    assert "amtsweg-staff" not in client.cookies


async def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    client: httpx.AsyncClient, make_account: MakeAccount, log_in: LogIn, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    for _attempt in range(4):
        problem(await password_step(client, "clerk", "wrong password!"), 401, "invalid_credentials")
    locked = problem(await password_step(client, "clerk", "wrong password!"), 423, "account_locked")
    # 09:00 UTC is 10:00 in Berlin; locked for 15 minutes.
    assert "10:15" in locked["title"] and "Europe/Berlin" in locked["title"]
    right = await password_step(client, "clerk", clerk.password)
    problem(right, 423, "account_locked")

    clock.advance(timedelta(minutes=15))
    assert (await log_in(client, clerk)).status_code == 200
    assert await failed_logins(clerk.id) == 0


async def test_a_wrong_code_is_refused_and_counts_as_a_failed_attempt(
    client: httpx.AsyncClient, make_account: MakeAccount, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    await password_step(client, clerk.username, clerk.password)
    wrong = "000000" if totp.code_at(clerk.secret, clock.now()) != "000000" else "111111"
    response = await client.post(
        "/api/staff/login/code", json={"code": wrong}, headers=csrf(client)
    )
    assert problem(response, 401, "invalid_totp")["errors"][0]["field"] == "code"
    assert await failed_logins(clerk.id) == 1
    assert (await client.get("/api/staff/me")).status_code == 401


async def test_a_code_is_accepted_once(
    client: httpx.AsyncClient, make_account: MakeAccount, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    code = totp.code_at(clerk.secret, clock.now())
    await password_step(client, clerk.username, clerk.password)
    first = await client.post("/api/staff/login/code", json={"code": code}, headers=csrf(client))
    assert first.status_code == 200
    await client.post("/api/staff/logout", headers=csrf(client))

    await password_step(client, clerk.username, clerk.password)
    replay = await client.post("/api/staff/login/code", json={"code": code}, headers=csrf(client))
    problem(replay, 401, "totp_replayed")
    assert (await client.get("/api/staff/me")).status_code == 401
    assert await failed_logins(clerk.id) == 0


async def test_the_code_step_without_a_checked_password_is_refused(
    client: httpx.AsyncClient, make_account: MakeAccount, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    await client.get("/clerk/de/login")
    code = totp.code_at(clerk.secret, clock.now())
    response = await client.post("/api/staff/login/code", json={"code": code}, headers=csrf(client))
    problem(response, 401, "login_step_expired")


async def test_the_code_must_follow_the_password_within_five_minutes(
    client: httpx.AsyncClient, make_account: MakeAccount, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    await password_step(client, clerk.username, clerk.password)
    clock.advance(timedelta(minutes=5, seconds=1))
    code = totp.code_at(clerk.secret, clock.now())
    response = await client.post("/api/staff/login/code", json={"code": code}, headers=csrf(client))
    problem(response, 401, "login_step_expired")


async def test_the_first_login_enrols_the_second_factor_with_a_qr_code(
    client: httpx.AsyncClient, make_account: MakeAccount, clock: FrozenClock
) -> None:
    newcomer = await make_account("newcomer", enrolled=False)
    step = (await password_step(client, newcomer.username, newcomer.password)).json()
    assert step["next"] == "enrol"
    secret = step["enrolment"]["secret"]
    assert step["enrolment"]["otpauth_uri"].startswith("otpauth://totp/Amtsweg%20Heidelberg:")
    assert f"secret={secret}" in step["enrolment"]["otpauth_uri"]
    assert step["enrolment"]["qr_svg"].lstrip().startswith(("<?xml", "<svg"))

    # A reload of the page shows the same secret, not a new one.
    again = (await password_step(client, newcomer.username, newcomer.password)).json()
    assert again["enrolment"]["secret"] == secret

    wrong = await client.post(
        "/api/staff/login/code", json={"code": "12345x"}, headers=csrf(client)
    )
    problem(wrong, 401, "invalid_totp")
    assert (await client.get("/api/staff/me")).status_code == 401

    code = totp.code_at(secret, clock.now())
    done = await client.post("/api/staff/login/code", json={"code": code}, headers=csrf(client))
    assert done.status_code == 200, done.text
    await client.post("/api/staff/logout", headers=csrf(client))
    clock.advance(timedelta(seconds=30))
    later = (await password_step(client, newcomer.username, newcomer.password)).json()
    assert later == {"next": "totp", "enrolment": None}  # the secret is never shown again


async def test_an_address_over_its_login_limit_is_told_to_wait(
    settings: Settings, engine: Engine, clock: FrozenClock, make_account: MakeAccount
) -> None:
    # The suite switches the rate limits off; this app has the login limit on.
    limited = replace(settings, rate_limits=(("login", "10/minute"),))
    app = create_app(limited, clock=clock, engine=engine)
    clerk = await make_account("clerk")
    transport = httpx.ASGITransport(app=app)
    base = "http://testserver.local"
    async with running(app), httpx.AsyncClient(transport=transport, base_url=base) as client:
        await client.get("/clerk/de/login")
        empty = {"username": "", "password": ""}  # refused as invalid, but counted
        for _attempt in range(10):
            response = await client.post("/api/staff/login", json=empty, headers=csrf(client))
            assert response.status_code == 400
        over = await client.post(
            "/api/staff/login",
            json={"username": clerk.username, "password": clerk.password},
            headers=csrf(client),
        )
        problem(over, 429, "too_many_requests")
        assert "amtsweg-staff" not in client.cookies  # the password was not even checked
        clock.advance(timedelta(minutes=1))
        assert (await password_step(client, clerk.username, clerk.password)).status_code == 200


async def test_the_login_page_speaks_the_language_of_its_url(client: httpx.AsyncClient) -> None:
    page = await client.get("/clerk/ar/login")
    assert page.status_code == 200
    assert 'lang="ar" dir="rtl"' in page.text
    assert '<script type="module" src="/static/pwa/clerk-login.js">' in page.text
    assert (await client.get("/clerk/xx/login")).status_code == 404


async def test_failed_logins_are_audited_without_the_name_that_was_tried(
    client: httpx.AsyncClient, make_account: MakeAccount
) -> None:
    clerk: Account = await make_account("clerk")
    await password_step(client, "clerk", "wrong password!")
    await password_step(client, "nosuchperson", "wrong password!")
    rows = (
        await AuditEntry.select(AuditEntry.action, AuditEntry.staff_id, AuditEntry.detail)
        .order_by(AuditEntry.seq)
        .output(load_json=True)
    )
    assert rows == [
        {"action": "staff.login_failed", "staff_id": clerk.id, "detail": {"step": "password"}},
        {"action": "staff.login_failed", "staff_id": None, "detail": {"step": "password"}},
    ]
