"""What the case tests stand on: a service on offer, a retired one, an office, and a way
to open a case with the test's settings and clock unless a test says otherwise."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from app.cases import service
from app.cases.schemas import Case, Channel
from app.catalogue.tables import Office, Service
from app.core.clock import Clock, FrozenClock
from app.settings import Settings


async def _service(slug: str, *, active: bool, name: dict[str, str]) -> int:
    rows: list[dict[str, Any]] = await Service.insert(
        Service(
            slug=slug,
            ticket_letter="A",
            name=name,
            description={"de": "Beschreibung"},
            documents={"de": []},
            duration_minutes=15,
            fee_cents=3700,
            active=active,
        )
    ).returning(Service.id)
    return int(rows[0]["id"])


@pytest.fixture
async def service_id() -> int:
    return await _service(
        "personalausweis",
        active=True,
        name={"de": "Personalausweis beantragen", "en": "Apply for an ID card"},
    )


@pytest.fixture
async def retired_service_id() -> int:
    return await _service("fischereischein", active=False, name={"de": "Fischereischein"})


@pytest.fixture
async def office_id() -> int:
    rows: list[dict[str, Any]] = await Office.insert(
        Office(
            slug="altstadt",
            kind="district",
            name="Bürgeramt Altstadt",
            street="Marktplatz 10",
            postcode="69117",
            city="Heidelberg",
            phone="06221 58-0",
            email="altstadt@example.org",
        )
    ).returning(Office.id)
    return int(rows[0]["id"])


@pytest.fixture
def open_case(settings: Settings, clock: FrozenClock) -> Callable[..., Awaitable[Case]]:
    async def open_(
        service_ref: int | str,
        *,
        language: str = "de",
        channel: Channel = Channel.PWA,
        office_id: int | None = None,
        actor: str | None = None,
        settings: Settings = settings,
        clock: Clock = clock,
    ) -> Case:
        return await service.open_case(
            service_ref,
            language=language,
            channel=channel,
            settings=settings,
            clock=clock,
            office_id=office_id,
            actor=actor,
        )

    return open_
