"""A small city the booking tests stand on, and a booking context on the test's clock.

The clock stands at Monday 2026-11-23, 10:00 in Berlin (09:00 UTC). Altstadt has two
counters open Monday to Friday 08:00–12:00 and Thursdays also 14:00–18:00; the virtual
office has one video desk, Monday to Friday 09:00–17:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from app.booking.context import BookingContext
from app.booking.rules import BookingRules
from app.catalogue.tables import Closure, Desk, DeskService, Office, OpeningHours, Service
from app.core.clock import BERLIN, FrozenClock
from app.core.tokens import TokenSigner
from app.settings import Settings


@dataclass(frozen=True)
class City:
    altstadt: int
    virtual: int
    counters: tuple[int, int]
    video_desk: int
    id_card: int  # 30 minutes, in person only
    registration: int  # 15 minutes, in person, by video or online elsewhere


def berlin(day: date, clock_time: str) -> datetime:
    """A Berlin wall-clock time on `day`, as the UTC instant the API speaks."""
    hours, minutes = (int(part) for part in clock_time.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=BERLIN).astimezone(UTC)


TUESDAY = date(2026, 11, 24)
WEDNESDAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)


async def _id(table: Any, row: Any) -> int:
    rows: list[dict[str, Any]] = await table.insert(row).returning(table.id)
    return int(rows[0]["id"])


async def _office(slug: str, kind: str, name: str) -> int:
    return await _id(
        Office,
        Office(
            slug=slug,
            kind=kind,
            name=name,
            street="Marktplatz 10" if kind == "district" else "",
            postcode="69117",
            city="Heidelberg",
            phone="06221 58-0",
            email=f"{slug}@example.org",
        ),
    )


async def _service(slug: str, minutes: int, *, video: bool, online: bool) -> int:
    return await _id(
        Service,
        Service(
            slug=slug,
            ticket_letter="A",
            name={"de": f"Dienst {slug}", "en": f"Service {slug}"},
            description={"de": "Beschreibung"},
            documents={"de": ["Ausweis"], "en": ["ID card"]},
            duration_minutes=minutes,
            fee_cents=3700,
            allows_in_person=True,
            allows_video=video,
            in_person_reason=None if video else {"de": "Fingerabdrücke", "en": "Fingerprints"},
            online_url="https://www.wohnsitzanmeldung.gov.de" if online else None,
            online_note={"de": "Mit eID", "en": "With eID"} if online else None,
        ),
    )


@pytest.fixture
async def city() -> City:
    altstadt = await _office("altstadt", "district", "Bürgeramt Altstadt")
    virtual = await _office("virtuell", "virtual", "Bürgeramt Virtuell")
    counters = (
        await _id(Desk, Desk(office=altstadt, label="Schalter 1", channel="in_person")),
        await _id(Desk, Desk(office=altstadt, label="Schalter 2", channel="in_person")),
    )
    video_desk = await _id(Desk, Desk(office=virtual, label="Video 1", channel="video"))
    for weekday in range(5):
        await _hours(altstadt, weekday, 8, 12)
        await _hours(virtual, weekday, 9, 17)
    await _hours(altstadt, 3, 14, 18)
    id_card = await _service("personalausweis", 30, video=False, online=False)
    registration = await _service("anmeldung", 15, video=True, online=True)
    for desk in counters:
        for service in (id_card, registration):
            await _id(DeskService, DeskService(desk=desk, service=service))
    await _id(DeskService, DeskService(desk=video_desk, service=registration))
    return City(altstadt, virtual, counters, video_desk, id_card, registration)


async def _hours(office: int, weekday: int, opens: int, closes: int) -> None:
    row = OpeningHours(office=office, weekday=weekday, opens=time(opens), closes=time(closes))
    await _id(OpeningHours, row)


async def close(office: int | None, first: date, last: date) -> None:
    await _id(Closure, Closure(office=office, starts_on=first, ends_on=last, reason={}))


@pytest.fixture
def rules() -> BookingRules:
    return BookingRules()


@pytest.fixture
def ctx(
    settings: Settings, rules: BookingRules, clock: FrozenClock, signer: TokenSigner
) -> BookingContext:
    return BookingContext(settings, rules, clock, signer)
