"""What the staff tests stand on: two offices, accounts made to measure, and a client that
logs in through both steps the way the login page does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.catalogue.tables import Office
from app.core.clock import FrozenClock
from app.settings import Settings
from app.staff import service, totp
from app.staff.schemas import Role, StaffMemberCreate
from app.staff.tables import StaffMember

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password: str
    secret: str


async def _office(slug: str, name: str) -> int:
    rows: list[dict[str, Any]] = await Office.insert(
        Office(
            slug=slug,
            kind="district",
            name=name,
            street="Marktplatz 10",
            postcode="69117",
            city="Heidelberg",
            phone="06221 58-0",
            email=f"{slug}@example.org",
        )
    ).returning(Office.id)
    return int(rows[0]["id"])


@pytest.fixture
async def office_a() -> int:
    return await _office("altstadt", "Bürgeramt Altstadt")


@pytest.fixture
async def office_b() -> int:
    return await _office("bergheim", "Bürgeramt Bergheim")


MakeAccount = Callable[..., Awaitable[Account]]


@pytest.fixture
def make_account(settings: Settings, clock: FrozenClock) -> MakeAccount:
    async def make(
        username: str,
        *,
        roles: dict[int, Role] | None = None,
        is_admin: bool = False,
        enrolled: bool = True,
    ) -> Account:
        created = await service.create_staff(
            StaffMemberCreate(username, username.title(), PASSWORD, is_admin=is_admin),
            now=clock.now(),
        )
        secret = ""
        if enrolled:
            secret = totp.new_secret()
            await service.set_enrolled_secret(
                created.id, secret, secret_key=settings.secret_key, now=clock.now()
            )
        for office_id, role in (roles or {}).items():
            await service.grant_role(created.id, office_id, role, now=clock.now())
        return Account(created.id, created.username, PASSWORD, secret)

    return make


def csrf(client: httpx.AsyncClient) -> dict[str, str]:
    """The header the page's script sends: the CSRF cookie's value."""
    return {"X-CSRF-Token": client.cookies["amtsweg-csrf"]}


LogIn = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def log_in(clock: FrozenClock) -> LogIn:
    """Both login steps; each login moves the clock on one TOTP step, so the next login of
    the same account has a fresh code (a code is accepted once)."""

    async def log_in_(client: httpx.AsyncClient, account: Account) -> httpx.Response:
        clock.advance(timedelta(seconds=30))
        await client.get("/clerk/de/login")
        first = await client.post(
            "/api/staff/login",
            json={"username": account.username, "password": account.password},
            headers=csrf(client),
        )
        assert first.status_code == 200, first.text
        code = totp.code_at(account.secret, clock.now())
        return await client.post("/api/staff/login/code", json={"code": code}, headers=csrf(client))

    return log_in_


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["title"]
    return problem


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """Each cookie the response sets, by name, with its attributes in lower case."""
    return {
        header.split("=", 1)[0]: header.lower()
        for header in response.headers.get_list("set-cookie")
    }


async def password_step(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    await client.get("/clerk/de/login")
    return await client.post(
        "/api/staff/login",
        json={"username": username, "password": password},
        headers=csrf(client),
    )


async def failed_logins(staff_id: int) -> int:
    row = (
        await StaffMember.select(StaffMember.failed_logins)
        .where(StaffMember.id == staff_id)
        .first()
    )
    assert row is not None
    return int(row["failed_logins"])
