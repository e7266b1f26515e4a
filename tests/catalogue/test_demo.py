from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from urllib.parse import urlparse

import pytest

from app.catalogue import demo, service, tables
from app.settings import LANGUAGES, Settings

MONDAY = date(2026, 11, 23)
EVERY_TABLE = (
    tables.Office,
    tables.Desk,
    tables.OpeningHours,
    tables.Closure,
    tables.Service,
    tables.DeskService,
)
# The only places the demo links out to: the federal online services.
OFFICIAL_PORTALS = {"www.wohnsitzanmeldung.gov.de", "www.fuehrungszeugnis.bund.de"}


async def row_counts() -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in EVERY_TABLE}


def speaks_every_language(texts: dict[str, Any] | None) -> bool:
    return texts is not None and all(texts.get(lang) for lang in LANGUAGES)


@pytest.fixture
async def loaded(settings: Settings) -> None:
    assert await demo.load(settings, today=MONDAY)


async def test_the_demo_city_fills_an_empty_catalogue(settings: Settings) -> None:
    assert await demo.load(settings, today=MONDAY) is True

    districts = await service.list_offices("de", kind="district", today=MONDAY)
    virtual = await service.list_offices("de", kind="virtual", today=MONDAY)
    assert len(districts) == 8
    assert [o.name for o in virtual] == ["Bürgeramt Virtuell"]
    assert len(await service.list_services("de")) >= 12
    assert {o.city for o in districts} == {settings.city_name}


async def test_loading_twice_adds_nothing_the_second_time(settings: Settings, loaded: None) -> None:
    before = await row_counts()

    assert await demo.load(settings, today=MONDAY) is False
    assert await row_counts() == before


async def test_an_existing_office_keeps_the_demo_out(settings: Settings) -> None:
    await tables.Office.insert(
        tables.Office(slug="rathaus", kind="district", name="Rathaus", postcode="69117")
    )

    assert await demo.load(settings) is False
    assert await tables.Service.count() == 0


async def test_two_loads_at_once_load_the_city_once(settings: Settings) -> None:
    results = await asyncio.gather(
        demo.load(settings, today=MONDAY), demo.load(settings, today=MONDAY)
    )

    assert sorted(results) == [False, True]
    assert await tables.Office.count() == 9


async def test_a_load_that_fails_half_way_leaves_nothing_behind(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> list[tables.Closure]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(demo, "_closures", broken)  # the last step, after everything else

    with pytest.raises(RuntimeError, match="power cut"):
        await demo.load(settings, today=MONDAY)
    assert set((await row_counts()).values()) == {0}


async def test_every_service_text_is_written_in_all_nine_languages(loaded: None) -> None:
    rows = await tables.Service.select().output(load_json=True)

    for row in rows:
        assert speaks_every_language(row["name"]), row["slug"]
        assert speaks_every_language(row["description"]), row["slug"]
        assert speaks_every_language(row["documents"]), row["slug"]
        assert len({len(docs) for docs in row["documents"].values()}) == 1, row["slug"]
        if row["in_person_reason"] is not None:
            assert speaks_every_language(row["in_person_reason"]), row["slug"]
        if row["online_url"] is not None:
            assert speaks_every_language(row["online_note"]), row["slug"]


async def test_every_office_and_closure_text_is_written_in_all_nine_languages(
    loaded: None,
) -> None:
    offices = await tables.Office.select().output(load_json=True)
    closures = await tables.Closure.select().output(load_json=True)

    assert all(speaks_every_language(o["accessibility"]) for o in offices)
    assert all(speaks_every_language(c["reason"]) for c in closures)


async def test_every_district_office_has_desks_hours_and_all_in_person_services(
    loaded: None,
) -> None:
    in_person = [s.slug for s in await service.list_services("de") if s.channels.in_person]

    for office in await service.list_offices("de", kind="district", today=MONDAY):
        detail = await service.get_office(office.slug, "de", today=MONDAY)
        assert 2 <= detail.desks <= 5, office.slug
        assert detail.video_desks == 0
        assert detail.opening_hours, office.slug
        for day in detail.opening_hours:
            assert 0 <= day.weekday <= 5
            assert all(p.opens < p.closes for p in day.periods)
        assert detail.services == in_person, office.slug


async def test_the_virtual_office_offers_only_video_services_at_video_desks(
    loaded: None,
) -> None:
    detail = await service.get_office("virtuell", "de", today=MONDAY)
    video = [s.slug for s in await service.list_services("de") if s.channels.video]

    assert detail.kind == "virtual"
    assert detail.desks == detail.video_desks >= 1
    assert detail.services == video
    assert "anmeldung" in video
    assert "beglaubigung" not in video


async def test_id_cards_and_passports_need_a_visit_for_biometrics(loaded: None) -> None:
    for slug in ("personalausweis", "personalausweis-unter-24", "reisepass", "reisepass-kind"):
        document = await service.get_service(slug, "en")
        assert document.channels.in_person and document.channels.video, slug
        assert document.in_person_reason is not None
        assert "in person" in document.in_person_reason
        assert "biometrics" in document.in_person_reason


async def test_fees_are_the_federal_fees_of_2025_and_2026(loaded: None) -> None:
    fees = {s.slug: s.fee_cents for s in await service.list_services("de")}

    assert fees["personalausweis"] == 4600
    assert fees["personalausweis-unter-24"] == 2280
    assert fees["vorlaeufiger-personalausweis"] == 1000
    assert fees["reisepass"] == 7000
    assert fees["reisepass-unter-24"] == fees["reisepass-kind"] == 3750
    assert fees["fuehrungszeugnis"] == 1300
    assert fees["anmeldung"] == fees["abmeldung"] == 0


async def test_the_childrens_passport_is_described_as_abolished(loaded: None) -> None:
    child = await service.get_service("reisepass-kind", "en")

    assert "abolished on 1 January 2024" in child.description


async def test_the_demo_links_out_only_to_official_portals_and_reserved_domains(
    loaded: None,
) -> None:
    services = await service.list_services("de")
    offices = await service.list_offices("de", today=MONDAY)

    links = [s.channels.online_url for s in services if s.channels.online_url]
    assert links
    assert all(urlparse(link).scheme == "https" for link in links)
    assert {urlparse(link).hostname for link in links} <= OFFICIAL_PORTALS
    assert all(o.email.endswith(".example") for o in offices)


async def test_demo_closures_lie_ahead_of_the_day_it_was_loaded(loaded: None) -> None:
    closures = await tables.Closure.select()

    assert len(closures) >= 2
    assert all(MONDAY <= c["starts_on"] <= c["ends_on"] for c in closures)
    assert any(c["office"] is None for c in closures)
