"""What the workspace tests stand on: two offices, a service, a case in each office, and
signed-in clients for a clerk and a lead of office A, an administrator and a clerk of
office B (the stranger)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.cases import service as cases
from app.cases.schemas import Case, Channel
from app.catalogue.tables import Service
from app.core.clock import FrozenClock
from app.core.tokens import TokenKind, TokenSigner
from app.settings import Settings
from app.staff import service as staff_service
from app.staff.schemas import Staff
from app.workspace.service import Actor
from tests.conftest import running
from tests.staff.conftest import (  # noqa: F401 — fixtures
    Account,
    LogIn,
    MakeAccount,
    csrf,
    log_in,
    make_account,
    office_a,
    office_b,
    problem,
)


@dataclass(frozen=True)
class World:
    office_a: int
    office_b: int
    service_id: int
    case_a: Case
    case_b: Case
    token_a: str
    token_b: str
    clerk: Account
    lead: Account
    admin: Account
    stranger: Account


async def _service() -> int:
    rows: list[dict[str, Any]] = await Service.insert(
        Service(
            slug="personalausweis",
            ticket_letter="A",
            name={"de": "Personalausweis beantragen", "en": "Apply for an ID card"},
            description={"de": "Beschreibung"},
            documents={"de": ["Foto"], "en": ["Photo"]},
            duration_minutes=15,
            fee_cents=3700,
            active=True,
        )
    ).returning(Service.id)
    return int(rows[0]["id"])


@pytest.fixture
async def world(
    office_a: int,  # noqa: F811
    office_b: int,  # noqa: F811
    make_account: MakeAccount,  # noqa: F811
    settings: Settings,
    clock: FrozenClock,
    signer: TokenSigner,
) -> World:
    service_id = await _service()

    async def case_in(office: int) -> tuple[Case, str]:
        case = await cases.open_case(
            service_id,
            language="de",
            channel=Channel.PWA,
            settings=settings,
            clock=clock,
            office_id=office,
        )
        return case, await cases.issue_token(case.id, TokenKind.CASE, signer, clock=clock)

    (case_a, token_a), (case_b, token_b) = await case_in(office_a), await case_in(office_b)
    return World(
        office_a=office_a,
        office_b=office_b,
        service_id=service_id,
        case_a=case_a,
        case_b=case_b,
        token_a=token_a,
        token_b=token_b,
        clerk=await make_account("clerk-a", roles={office_a: "clerk"}),
        lead=await make_account("lead-a", roles={office_a: "lead"}),
        admin=await make_account("admin", is_admin=True),
        stranger=await make_account("clerk-b", roles={office_b: "clerk"}),
    )


async def staff_of(account: Account) -> Staff:
    found = await staff_service.signed_in_staff(account.id)
    assert found is not None
    return found


@pytest.fixture
def actor_of(settings: Settings, clock: FrozenClock) -> Callable[[Account], Awaitable[Actor]]:
    async def actor(account: Account) -> Actor:
        return Actor(await staff_of(account), "192.0.2.7", clock, settings)

    return actor


ClientFor = Callable[[Account | None], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def client_for(app: Litestar, log_in: LogIn) -> AsyncIterator[ClientFor]:  # noqa: F811
    """A fresh client per person, signed in (None: anonymous, with a CSRF cookie)."""
    opened: list[httpx.AsyncClient] = []
    async with running(app):

        async def make(account: Account | None) -> httpx.AsyncClient:
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
            )
            opened.append(client)
            if account is None:
                await client.get("/clerk/de/login")
            else:
                response = await log_in(client, account)
                assert response.status_code == 200, response.text
            return client

        yield make
        for client in opened:
            await client.aclose()


__all__ = ["World", "csrf", "problem"]
