"""What the queue tests stand on: an office with three counters and two services, a
second office, a queue context on the test's clock, and a recorder of live events.

The clock stands at Monday 2026-11-23, 10:00 in Berlin (09:00 UTC). Desk 1 offers both
services, desk 2 only the ID card (group A), desk 3 only certificates (group C).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar

from app.booking.context import BookingContext
from app.booking.rules import BookingRules
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import Channel
from app.catalogue.tables import Desk, DeskService, Office, Service
from app.core.clock import FrozenClock
from app.core.tokens import TokenKind, TokenSigner
from app.queue.context import QueueContext
from app.queue.rules import QueueRules
from app.queue.schemas import CheckInCreate, DrawnTicket, WalkInCreate
from app.queue.service import check_in, draw
from app.queue.tables import Ticket
from app.settings import Settings


async def insert(table: Any, row: Any) -> int:
    rows: list[dict[str, Any]] = await table.insert(row).returning(table.id)
    return int(rows[0]["id"])


async def make_office(slug: str) -> int:
    return await insert(
        Office,
        Office(
            slug=slug,
            kind="district",
            name=f"Bürgeramt {slug.title()}",
            street="Marktplatz 10",
            postcode="69117",
            city="Heidelberg",
            phone="06221 58-0",
            email=f"{slug}@example.org",
        ),
    )


async def make_service(slug: str, letter: str) -> int:
    return await insert(
        Service,
        Service(
            slug=slug,
            ticket_letter=letter,
            name={"de": slug.title(), "en": slug.title()},
            description={"de": "Beschreibung"},
            documents={"de": []},
            duration_minutes=15,
            active=True,
        ),
    )


async def make_desk(office_id: int, label: str, services: Iterable[int]) -> int:
    desk = await insert(Desk, Desk(office=office_id, label=label, channel="in_person"))
    for service_id in services:
        await insert(DeskService, DeskService(desk=desk, service=service_id))
    return desk


@dataclass(frozen=True)
class Floor:
    office: int
    other_office: int
    id_card: int  # group A
    certificate: int  # group C
    desks: tuple[int, int, int]
    other_desk: int


@pytest.fixture
async def floor() -> Floor:
    office, other = await make_office("altstadt"), await make_office("bergheim")
    id_card = await make_service("personalausweis", "A")
    certificate = await make_service("fuehrungszeugnis", "C")
    desks = (
        await make_desk(office, "Schalter 1", [id_card, certificate]),
        await make_desk(office, "Schalter 2", [id_card]),
        await make_desk(office, "Schalter 3", [certificate]),
    )
    other_desk = await make_desk(other, "Schalter 1", [id_card])
    return Floor(office, other, id_card, certificate, desks, other_desk)


@pytest.fixture
def rules() -> QueueRules:
    return QueueRules()


@pytest.fixture
def ctx(
    settings: Settings, clock: FrozenClock, signer: TokenSigner, rules: QueueRules
) -> QueueContext:
    booking = BookingContext(settings, BookingRules(), clock, signer)
    return QueueContext(settings, rules, clock, signer, booking)


@dataclass
class Recorder:
    """Stands in for Litestar's ChannelsPlugin: keeps what was published, and where."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def wait_published(self, data: Any, channels: str | Iterable[str]) -> None:
        for name in [channels] if isinstance(channels, str) else channels:
            self.events.append((name, data))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


async def walk_in(
    ctx: QueueContext, office: int, service: int, recorder: Recorder | None = None
) -> DrawnTicket:
    return await draw(
        office, WalkInCreate(service=service, language="de"), ctx, recorder, actor="kiosk:1"
    )


@dataclass(frozen=True)
class Booked:
    id: int
    code: str
    token: str
    case_id: int


async def booked(
    ctx: QueueContext,
    office: int,
    service: int,
    desk: int,
    starts_at: datetime,
    *,
    state: str = "confirmed",
    code: str = "K7TRXA",
) -> Booked:
    """A confirmed in-person appointment with its case and token, as booking leaves it."""
    case = await cases.open_case(
        service, language="de", channel=Channel.PWA, settings=ctx.settings, clock=ctx.clock
    )
    token = await cases.issue_token(case.id, TokenKind.APPOINTMENT, ctx.signer, clock=ctx.clock)
    now = ctx.now()
    appointment = await insert(
        Appointment,
        Appointment(
            case_id=case.id,
            office=office,
            service=service,
            desk=desk,
            channel="in_person",
            state=state,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=15),
            language="de",
            code=code,
            token_id=ctx.signer.verifier.verify(token).id,
            created_at=now,
            updated_at=now,
        ),
    )
    return Booked(appointment, code, token, case.id)


async def arrive(ctx: QueueContext, office: int, appointment: Booked) -> DrawnTicket:
    return await check_in(office, CheckInCreate(code=appointment.code), ctx, None, actor="kiosk:1")


async def matrix_ticket(app: Litestar, office: int, service: int) -> int:
    """A waiting ticket of `office` (at a desk of its own that offers `service`), for the
    role matrix: the id its ticket routes are walked with."""
    state = app.state
    ctx = QueueContext(state.settings, QueueRules(), state.clock, state.signer, state.booking)
    await make_desk(office, "Schalter 8", [service])
    await walk_in(ctx, office, service)
    row = await Ticket.select(Ticket.id).where(Ticket.office_id == office).first()
    assert row is not None
    return int(row["id"])
