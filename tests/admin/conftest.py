"""What the administration tests stand on: booking's small city (Altstadt with two
counters, the virtual office, two services), an administrator, a lead and a clerk of
Altstadt, a lead of the virtual office, and bookings made through booking's service.

The clock stands at Monday 2026-11-23, 10:00 in Berlin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from litestar import Litestar

from app.admin.service import Admin
from app.booking import confirmation
from app.booking import service as booking
from app.booking.context import BookingContext
from app.booking.schemas import HoldCreate
from app.cases import service as cases
from app.core.tokens import TokenKind
from app.notify import service as notify
from app.staff import service as staff_service
from tests.booking.conftest import (  # noqa: F401 — fixtures
    TUESDAY,
    WEDNESDAY,
    City,
    berlin,
    city,
    rules,
)
from tests.staff.conftest import Account, MakeAccount
from tests.workspace.conftest import (  # noqa: F401 — fixtures
    ClientFor,
    client_for,
    csrf,
    log_in,
    make_account,
    problem,
)


@dataclass(frozen=True)
class People:
    admin: Account
    lead: Account
    clerk: Account
    other_lead: Account


@dataclass(frozen=True)
class Booked:
    code: str
    token: str
    case_id: int


@pytest.fixture
async def people(city: City, make_account: MakeAccount) -> People:  # noqa: F811
    return People(
        admin=await make_account("admin", is_admin=True),
        lead=await make_account("lead-altstadt", roles={city.altstadt: "lead"}),
        clerk=await make_account("clerk-altstadt", roles={city.altstadt: "clerk"}),
        other_lead=await make_account("lead-virtuell", roles={city.virtual: "lead"}),
    )


@pytest.fixture
def ctx(app: Litestar) -> BookingContext:
    """The app's own booking context: the API and the test book on the same clock."""
    context: BookingContext = app.state.booking
    return context


@pytest.fixture
def admin_as(ctx: BookingContext) -> Callable[[Account], Awaitable[Admin]]:
    async def make(account: Account) -> Admin:
        staff = await staff_service.signed_in_staff(account.id)
        assert staff is not None
        return Admin(staff, "192.0.2.9", ctx)

    return make


@pytest.fixture
async def clients(
    client_for: ClientFor,  # noqa: F811
    people: People,
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    yield {
        "admin": await client_for(people.admin),
        "lead": await client_for(people.lead),
        "clerk": await client_for(people.clerk),
        "other_lead": await client_for(people.other_lead),
        "anonymous": await client_for(None),
    }


Book = Callable[..., Awaitable[Booked]]


@pytest.fixture
def book(ctx: BookingContext) -> Book:
    """A confirmed booking: by mail (so a cancellation is mailed) when `email` is given."""

    async def make(at: datetime, service: str = "anmeldung", email: str | None = None) -> Booked:
        held = await booking.hold(
            HoldCreate(service=service, office="altstadt", starts_at=at, email=email),
            ctx,
            language="de",
        )
        case = await cases.resolve_token(
            held.token, ctx.signer, clock=ctx.clock, kind=TokenKind.APPOINTMENT
        )
        if email is None:
            await confirmation.confirm_in_app(held.token, ctx, lang="de")
        else:
            [request] = await notify.mails_of_case(case.id)
            confirm_token = request.text_body.split("/de/confirm/")[1].split()[0]
            await confirmation.confirm_by_mail(confirm_token, ctx, lang="de")
        return Booked(held.appointment.code, held.token, case.id)

    return make


__all__ = ["TUESDAY", "WEDNESDAY", "Booked", "People", "berlin", "csrf", "problem"]
