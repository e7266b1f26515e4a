from __future__ import annotations

import sqlite3
from datetime import date, time, timedelta
from typing import Any

import asyncpg
import pytest

from app.catalogue import service, tables
from app.catalogue.schemas import Period
from app.core.clock import FrozenClock

MONDAY = date(2026, 11, 23)  # the test clock's day; the fixtures' hours are for Mondays

UNIQUE_VIOLATION = (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError)


async def test_services_are_listed_in_the_readers_language_in_display_order(city: Any) -> None:
    services = await service.list_services("en")

    assert [s.slug for s in services] == ["personalausweis", "anmeldung"]
    id_card = services[0]
    assert id_card.name == "Apply for an ID card"
    assert id_card.description == "Valid for 10 years."
    assert id_card.documents == ["Photo", "Old ID card"]
    assert id_card.in_person_reason == "Fingerprints in person."
    assert id_card.fee == "€46.00"


async def test_text_missing_in_a_language_falls_back_to_german(city: Any) -> None:
    registration = await service.get_service("anmeldung", "tr")

    assert registration.name == "Wohnsitz anmelden"
    assert registration.documents == ["Wohnungsgeberbestätigung"]
    assert registration.fee == "€0,00"


async def test_a_language_we_do_not_offer_reads_german(city: Any) -> None:
    id_card = await service.get_service("personalausweis", "xx")

    assert id_card.name == "Personalausweis beantragen"
    assert id_card.fee == "46,00\xa0€"


async def test_fees_are_written_as_each_language_writes_money(city: Any) -> None:
    fees = {
        lang: (await service.get_service("personalausweis", lang)).fee
        for lang in ("de", "en", "pl")
    }

    assert fees == {"de": "46,00\xa0€", "en": "€46.00", "pl": "46,00\xa0€"}


async def test_channels_say_in_person_video_and_where_to_go_online(city: Any) -> None:
    id_card = await service.get_service("personalausweis", "en")
    registration = await service.get_service("anmeldung", "en")

    assert (id_card.channels.in_person, id_card.channels.video) == (True, True)
    assert id_card.channels.online_url is None
    assert registration.channels.online_url == "https://www.wohnsitzanmeldung.gov.de"
    assert registration.channels.online_note == "With the online ID."
    assert registration.in_person_reason is None


async def test_an_unknown_service_is_not_found(city: Any) -> None:
    with pytest.raises(service.ServiceNotFound):
        await service.get_service("fuehrerschein", "de")


@pytest.mark.parametrize("slug", ["", "Personalausweis", "../etc/passwd", "a" * 65, "ü", "a--b"])
async def test_a_malformed_slug_is_not_found(city: Any, slug: str) -> None:
    with pytest.raises(service.ServiceNotFound):
        await service.get_service(slug, "de")
    with pytest.raises(service.OfficeNotFound):
        await service.get_office(slug, "de")


async def test_a_retired_service_is_not_offered_but_still_found_by_id(city: Any) -> None:
    with pytest.raises(service.ServiceNotFound):
        await service.get_service("fischereischein", "de")

    retired = await service.get_service_by_id(city.retired, "de")

    assert retired.slug == "fischereischein"
    assert "fischereischein" not in [s.slug for s in await service.list_services("de")]


async def test_a_service_id_that_does_not_exist_is_not_found(city: Any) -> None:
    with pytest.raises(service.ServiceNotFound):
        await service.get_service_by_id(city.id_card + 1000, "de")


async def test_offices_list_district_offices_first_and_can_be_narrowed_by_kind(
    city: Any,
) -> None:
    everything = await service.list_offices("de", today=MONDAY)
    virtual = await service.list_offices("de", kind="virtual", today=MONDAY)

    assert [o.slug for o in everything] == ["altstadt", "ziegelhausen", "virtuell"]
    assert [o.slug for o in virtual] == ["virtuell"]
    assert everything[0].accessibility == "Stufenloser Zugang."


async def test_hours_today_are_the_periods_of_todays_weekday_in_order(city: Any) -> None:
    monday = {o.slug: o.hours_today for o in await service.list_offices("de", today=MONDAY)}
    tuesday = {
        o.slug: o.hours_today
        for o in await service.list_offices("de", today=MONDAY + timedelta(days=1))
    }

    assert monday["altstadt"] == [Period(time(8), time(12)), Period(time(13, 30), time(16))]
    assert monday["ziegelhausen"] == []
    assert tuesday["altstadt"] == []


async def test_an_office_is_closed_on_every_day_of_its_closure(city: Any) -> None:
    await tables.Closure.insert(
        tables.Closure(
            office=city.altstadt,
            starts_on=MONDAY - timedelta(days=3),
            ends_on=MONDAY,
            reason={"de": "Umbau"},
        )
    )

    offices = {o.slug: o for o in await service.list_offices("de", today=MONDAY)}
    detail = await service.get_office("altstadt", "de", today=MONDAY)
    next_week = await service.get_office("altstadt", "de", today=MONDAY + timedelta(days=7))

    assert offices["altstadt"].hours_today == []
    assert offices["virtuell"].hours_today == [Period(time(8), time(18))]
    assert detail.hours_today == []
    assert detail.closures[0].reason == "Umbau"
    assert next_week.hours_today == [Period(time(8), time(12)), Period(time(13, 30), time(16))]
    assert next_week.closures == []


async def test_a_closure_without_office_closes_every_office(city: Any) -> None:
    await tables.Closure.insert(
        tables.Closure(office=None, starts_on=MONDAY, ends_on=MONDAY, reason={"de": "Feiertag"})
    )

    offices = await service.list_offices("de", today=MONDAY)
    virtual = await service.get_office("virtuell", "de", today=MONDAY)

    assert all(o.hours_today == [] for o in offices)
    assert [c.reason for c in virtual.closures] == ["Feiertag"]


async def test_office_detail_shows_desks_week_and_offered_services(city: Any) -> None:
    detail = await service.get_office("altstadt", "en", today=MONDAY)

    assert (detail.desks, detail.video_desks) == (2, 0)
    assert [(d.weekday, d.weekday_name) for d in detail.opening_hours] == [
        (0, "Monday"),
        (2, "Wednesday"),
    ]
    assert detail.opening_hours[0].periods == [
        Period(time(8), time(12)),
        Period(time(13, 30), time(16)),
    ]
    # Registration is offered only at the desk that is out of service.
    assert detail.services == ["personalausweis"]


async def test_weekday_names_are_in_the_readers_language(city: Any) -> None:
    names = {
        lang: (await service.get_office("altstadt", lang, today=MONDAY)).opening_hours[0]
        for lang in ("de", "tr", "ar")
    }

    assert {lang: day.weekday_name for lang, day in names.items()} == {
        "de": "Montag",
        "tr": "Pazartesi",
        "ar": "الاثنين",
    }


async def test_office_detail_lists_only_closures_still_to_come(city: Any) -> None:
    await tables.Closure.insert(
        tables.Closure(
            office=city.altstadt,
            starts_on=date(2026, 11, 2),
            ends_on=date(2026, 11, 6),
            reason={"de": "Vorbei"},
        ),
        tables.Closure(
            office=city.altstadt,
            starts_on=date(2026, 12, 24),
            ends_on=date(2026, 12, 24),
            reason={"de": "Heiligabend", "en": "Christmas Eve"},
        ),
        tables.Closure(
            office=city.virtual,
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 1),
            reason={"de": "Anderswo"},
        ),
    )

    detail = await service.get_office("altstadt", "en", today=MONDAY)

    assert [(c.starts_on, c.reason) for c in detail.closures] == [
        (date(2026, 12, 24), "Christmas Eve")
    ]
    assert detail.hours_today != []


async def test_an_unknown_office_is_not_found(city: Any) -> None:
    with pytest.raises(service.OfficeNotFound):
        await service.get_office("mannheim", "de")
    with pytest.raises(service.OfficeNotFound):
        await service.get_office_by_id(city.altstadt + 1000, "de")


async def test_offices_offering_a_service_are_those_with_an_active_desk_for_it(
    city: Any,
) -> None:
    id_card = await service.offices_offering(city.id_card, "de", today=MONDAY)
    registration = await service.offices_offering(city.registration, "de", today=MONDAY)
    retired = await service.offices_offering(city.retired, "de", today=MONDAY)

    assert [o.slug for o in id_card] == ["altstadt"]
    assert [o.slug for o in registration] == ["virtuell"]
    assert retired == []


async def test_a_desk_offers_a_service_only_once(city: Any) -> None:
    with pytest.raises(UNIQUE_VIOLATION):
        await tables.DeskService.insert(tables.DeskService(desk=city.counter, service=city.id_card))

    assert await tables.DeskService.count().where(tables.DeskService.desk == city.counter) == 1


async def test_two_desks_of_one_office_cannot_share_a_label(city: Any) -> None:
    with pytest.raises(UNIQUE_VIOLATION):
        await tables.Desk.insert(tables.Desk(office=city.altstadt, label="Schalter 1"))

    await tables.Desk.insert(tables.Desk(office=city.virtual, label="Schalter 1"))


async def test_berlin_today_is_the_date_in_berlin_not_in_utc(clock: FrozenClock) -> None:
    clock.advance(timedelta(hours=14, minutes=30))  # 23:30 UTC is already Tuesday in Berlin

    assert service.berlin_today(clock) == MONDAY + timedelta(days=1)
