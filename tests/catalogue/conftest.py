"""A small hand-made catalogue: two services on offer and a retired one, a district
office open on Mondays and Wednesdays with two active desks and one out of service, a
virtual office with one video desk, and a district office without desks.

The test clock stands on Monday, 23 November 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest

from app.catalogue import tables


@dataclass(frozen=True)
class City:
    id_card: int
    registration: int
    retired: int
    altstadt: int
    virtual: int
    empty: int
    counter: int
    second_counter: int
    broken_counter: int
    video_desk: int


async def insert(row: Any) -> int:
    """Insert one row and return its id."""
    await row.save()
    return int(row.id)


def office(slug: str, kind: str = "district") -> tables.Office:
    return tables.Office(
        slug=slug,
        kind=kind,
        name=f"Bürgeramt {slug.title()}",
        street="Teststraße 1",
        postcode="69117",
        city="Heidelberg",
        phone="+49 6221 0000-000",
        email=f"{slug}@test.example",
        languages=["de", "en"],
        accessibility={"de": "Stufenloser Zugang.", "en": "Step-free access."},
    )


@pytest.fixture
async def city() -> City:
    id_card = await insert(
        tables.Service(
            slug="personalausweis",
            leika="99008001012000",
            ticket_letter="A",
            position=1,
            name={"de": "Personalausweis beantragen", "en": "Apply for an ID card"},
            description={"de": "Gilt 10 Jahre.", "en": "Valid for 10 years."},
            documents={"de": ["Lichtbild", "Alter Ausweis"], "en": ["Photo", "Old ID card"]},
            duration_minutes=20,
            fee_cents=4600,
            allows_in_person=True,
            allows_video=True,
            in_person_reason={"de": "Fingerabdrücke vor Ort.", "en": "Fingerprints in person."},
        )
    )
    registration = await insert(
        tables.Service(
            slug="anmeldung",
            ticket_letter="B",
            position=2,
            name={"de": "Wohnsitz anmelden"},
            description={"de": "Innerhalb von zwei Wochen."},
            documents={"de": ["Wohnungsgeberbestätigung"]},
            duration_minutes=15,
            fee_cents=0,
            allows_in_person=True,
            allows_video=True,
            online_url="https://www.wohnsitzanmeldung.gov.de",
            online_note={"de": "Mit Online-Ausweis.", "en": "With the online ID."},
        )
    )
    retired = await insert(
        tables.Service(
            slug="fischereischein",
            ticket_letter="C",
            position=0,
            name={"de": "Fischereischein"},
            description={"de": "Gibt es nicht mehr."},
            documents={"de": []},
            duration_minutes=10,
            active=False,
        )
    )
    altstadt = await insert(office("altstadt"))
    virtual = await insert(office("virtuell", kind="virtual"))
    empty = await insert(office("ziegelhausen"))
    await tables.OpeningHours.insert(
        tables.OpeningHours(office=altstadt, weekday=0, opens=time(13, 30), closes=time(16)),
        tables.OpeningHours(office=altstadt, weekday=0, opens=time(8), closes=time(12)),
        tables.OpeningHours(office=altstadt, weekday=2, opens=time(8), closes=time(12)),
        tables.OpeningHours(office=virtual, weekday=0, opens=time(8), closes=time(18)),
    )
    counter = await insert(tables.Desk(office=altstadt, label="Schalter 1"))
    second_counter = await insert(tables.Desk(office=altstadt, label="Schalter 2"))
    broken_counter = await insert(tables.Desk(office=altstadt, label="Schalter 3", active=False))
    video_desk = await insert(tables.Desk(office=virtual, label="Videoplatz 1", channel="video"))
    await tables.DeskService.insert(
        tables.DeskService(desk=counter, service=id_card),
        tables.DeskService(desk=second_counter, service=id_card),
        tables.DeskService(desk=broken_counter, service=registration),
        tables.DeskService(desk=broken_counter, service=retired),
        tables.DeskService(desk=video_desk, service=registration),
    )
    return City(
        id_card=id_card,
        registration=registration,
        retired=retired,
        altstadt=altstadt,
        virtual=virtual,
        empty=empty,
        counter=counter,
        second_counter=second_counter,
        broken_counter=broken_counter,
        video_desk=video_desk,
    )
