"""The workspace's rules, called directly: office scoping, audit entries, notes, status,
assignment, document requests, encrypted uploads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.audit import service as audit
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import CaseStatus, Channel, EventKind
from app.catalogue.tables import Desk
from app.core.clock import FrozenClock
from app.core.tokens import TokenSigner
from app.core.translation import Catalog, Catalogs
from app.settings import ROOT, Settings
from app.workspace import citizen, service, uploads, vault
from app.workspace.service import Actor, CaseFilter
from app.workspace.tables import Upload as UploadRow
from tests.staff.conftest import Account
from tests.workspace.conftest import World

ActorOf = Callable[[Account], Awaitable[Actor]]
PDF = b"%PDF-1.7\n" + b"secret citizen content " * 100
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


async def appointment_at(
    office: int, case_id: int, world: World, clock: FrozenClock, **extra: Any
) -> int:
    desk = await Desk.insert(
        Desk(office=office, label=f"Desk {extra.get('code', 'K7TRXA')}", channel="in_person")
    ).returning(Desk.id)
    values: dict[str, Any] = {
        "case_id": case_id,
        "office": office,
        "service": world.service_id,
        "desk": desk[0]["id"],
        "channel": "in_person",
        "state": "confirmed",
        "starts_at": clock.now() + timedelta(days=1),
        "ends_at": clock.now() + timedelta(days=1, minutes=15),
        "language": "de",
        "email": "ada@example.org",
        "code": "K7TRXA",
        "created_at": clock.now(),
        "updated_at": clock.now(),
        **extra,
    }
    rows = await Appointment.insert(Appointment(**values)).returning(Appointment.id)
    return int(rows[0]["id"])


async def test_a_clerk_lists_the_cases_of_their_office_and_no_other(
    world: World, actor_of: ActorOf
) -> None:
    page = await service.office_cases(
        await actor_of(world.clerk), world.office_a, CaseFilter(), page=1, per_page=10, lang="de"
    )
    assert [item.reference for item in page.items] == [world.case_a.reference]
    assert page.total == 1


async def test_a_booked_case_without_office_belongs_to_its_appointments_office(
    world: World, actor_of: ActorOf, settings: Settings, clock: FrozenClock
) -> None:
    booked = await cases.open_case(
        world.service_id, language="de", channel=Channel.PWA, settings=settings, clock=clock
    )
    await appointment_at(world.office_a, booked.id, world, clock)
    page = await service.office_cases(
        await actor_of(world.clerk), world.office_a, CaseFilter(), page=1, per_page=10, lang="de"
    )
    assert {item.id for item in page.items} == {world.case_a.id, booked.id}
    detail = await service.case_detail(await actor_of(world.clerk), booked.id, _catalog(settings))
    assert detail.appointments[0].email == "ada@example.org"
    with pytest.raises(cases.CaseNotFound):
        await service.case_detail(await actor_of(world.stranger), booked.id, _catalog(settings))


async def test_filters_and_pages_narrow_the_list(
    world: World, actor_of: ActorOf, settings: Settings, clock: FrozenClock
) -> None:
    for _ in range(3):
        await cases.open_case(
            world.service_id,
            language="de",
            channel=Channel.KIOSK,
            settings=settings,
            clock=clock,
            office_id=world.office_a,
        )
    clerk = await actor_of(world.clerk)
    kiosk = await service.office_cases(
        clerk, world.office_a, CaseFilter(channel=Channel.KIOSK), page=2, per_page=2, lang="de"
    )
    assert (kiosk.total, len(kiosk.items)) == (3, 1)
    none = await service.office_cases(
        clerk,
        world.office_a,
        CaseFilter(status=CaseStatus.COMPLETED),
        page=1,
        per_page=10,
        lang="de",
    )
    assert none.total == 0


async def test_a_clerk_of_another_office_cannot_open_the_case(
    world: World, actor_of: ActorOf
) -> None:
    with pytest.raises(cases.CaseNotFound):
        await service.open_for(await actor_of(world.stranger), world.case_a.id)
    with pytest.raises(cases.CaseNotFound):
        await service.add_note(await actor_of(world.stranger), world.case_a.id, "x", _catalog(None))
    assert [e.kind for e in await cases.timeline(world.case_a.id)] == [EventKind.CREATED]


async def test_reading_and_writing_a_case_is_audited(
    world: World, actor_of: ActorOf, settings: Settings
) -> None:
    clerk = await actor_of(world.clerk)
    await service.case_detail(clerk, world.case_a.id, _catalog(settings))
    await service.add_note(clerk, world.case_a.id, "Called back", _catalog(settings))
    entries = await audit.entries(case_id=world.case_a.id)
    assert [(e.action, e.staff_id, e.office_id) for e in entries] == [
        ("case.note", world.clerk.id, world.office_a),
        ("case.read", world.clerk.id, world.office_a),
    ]
    assert (await audit.verify()).ok


async def test_a_note_is_on_the_timeline_but_never_in_the_citizens_view(
    world: World, actor_of: ActorOf, settings: Settings
) -> None:
    note = await service.add_note(
        await actor_of(world.clerk), world.case_a.id, " Called back ", _catalog(settings)
    )
    assert (note.kind, note.citizen_visible, note.data) == (
        EventKind.NOTE_ADDED,
        False,
        {"text": "Called back"},
    )
    assert EventKind.NOTE_ADDED not in [
        e.kind for e in await cases.timeline(world.case_a.id, citizen_only=True)
    ]


async def test_a_lead_moves_the_status_and_assigns_a_colleague_but_not_a_stranger(
    world: World, actor_of: ActorOf
) -> None:
    lead = await actor_of(world.lead)
    moved = await service.change_status(lead, world.case_a.id, CaseStatus.IN_PROGRESS, "de")
    assert moved.status is CaseStatus.IN_PROGRESS
    assigned = await service.assign(lead, world.case_a.id, world.clerk.id, "de")
    assert assigned.assignee_id == world.clerk.id
    with pytest.raises(service.AssigneeNotInOffice):
        await service.assign(lead, world.case_a.id, world.stranger.id, "de")
    assert (await service.assign(lead, world.case_a.id, None, "de")).assignee_id is None


async def test_requested_documents_are_still_needed_until_received(
    world: World, actor_of: ActorOf, signer: TokenSigner, clock: FrozenClock, settings: Settings
) -> None:
    clerk = await actor_of(world.clerk)
    photo = await service.request_document(clerk, world.case_a.id, "Biometric photo")
    await service.request_document(clerk, world.case_a.id, "Birth certificate")
    received = await service.mark_received(clerk, world.case_a.id, photo.id)
    assert received.state == "received"
    again = await service.mark_received(clerk, world.case_a.id, photo.id)
    assert again.received_at == received.received_at
    view = await citizen.overview(
        world.token_a, signer=signer, clock=clock, catalog=_catalog(settings)
    )
    assert view.still_needed == ["Birth certificate"]
    assert view.to_bring == ["Foto"]
    with pytest.raises(service.DocumentNotFound):
        await service.mark_received(await actor_of(world.lead), world.case_a.id, photo.id + 99)


async def test_an_upload_is_stored_encrypted_and_comes_back_whole(
    world: World, actor_of: ActorOf, settings: Settings
) -> None:
    clerk = await actor_of(world.clerk)
    stored = await service.upload(clerk, world.case_a.id, PDF, "../../etc/Pass Scan.pdf")
    assert (stored.media_type, stored.filename, stored.size) == (
        "application/pdf",
        "Pass Scan.pdf",
        len(PDF),
    )
    row = await UploadRow.select().where(UploadRow.id == stored.id).first()
    on_disk = _read(vault.path_of(uploads.directory(settings), row["storage_key"]))
    assert PDF not in on_disk and b"secret citizen content" not in on_disk
    found, body = await service.download(clerk, world.case_a.id, stored.id)
    assert (found.sha256, body) == (stored.sha256, PDF)


async def test_a_tampered_upload_is_refused(
    world: World, actor_of: ActorOf, settings: Settings
) -> None:
    clerk = await actor_of(world.clerk)
    stored = await service.upload(clerk, world.case_a.id, PNG, "photo.png")
    row = await UploadRow.select().where(UploadRow.id == stored.id).first()
    path: Path = vault.path_of(uploads.directory(settings), row["storage_key"])
    _flip_last_bit(path)
    with pytest.raises(vault.UploadUnreadable):
        await service.download(clerk, world.case_a.id, stored.id)


def test_the_upload_key_is_not_the_secret_key(settings: Settings) -> None:
    key = vault.upload_key(settings.secret_key)
    assert len(key) == 32 and key != settings.secret_key[:32]
    sealed = vault.encrypt(b"x", key=key, storage_key="ab")
    with pytest.raises(vault.UploadUnreadable):
        vault.decrypt(sealed, key=key, storage_key="cd")  # another file's name


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"GIF89a" + b"\0" * 10, uploads.UnsupportedUpload),
        (b"MZ\x90\x00 an executable", uploads.UnsupportedUpload),
        (b"", uploads.EmptyUpload),
        (b"%PDF-" + b"\0" * uploads.MAX_BYTES, uploads.UploadTooLarge),
    ],
)
async def test_bad_uploads_change_nothing(
    world: World, actor_of: ActorOf, settings: Settings, data: bytes, error: type[Exception]
) -> None:
    before = (
        set(uploads.directory(settings).glob("*"))
        if uploads.directory(settings).exists()
        else set()
    )
    with pytest.raises(error):
        await service.upload(await actor_of(world.clerk), world.case_a.id, data, "x.pdf")
    after = (
        set(uploads.directory(settings).glob("*"))
        if uploads.directory(settings).exists()
        else set()
    )
    assert after == before
    assert await UploadRow.count() == 0
    assert [e.kind for e in await cases.timeline(world.case_a.id)] == [EventKind.CREATED]


async def test_an_upload_to_a_foreign_case_changes_nothing(world: World, actor_of: ActorOf) -> None:
    with pytest.raises(cases.CaseNotFound):
        await service.upload(await actor_of(world.stranger), world.case_a.id, PDF, "x.pdf")
    assert await UploadRow.count() == 0


def _catalog(settings: Settings | None) -> Catalog:
    found = settings or Settings.from_env()
    return Catalogs.load(ROOT / "locales", found.languages, found.default_language)["de"]


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _flip_last_bit(path: Path) -> None:
    sealed = bytearray(path.read_bytes())
    sealed[-1] ^= 1
    path.write_bytes(bytes(sealed))


def _files(directory: Path) -> set[Path]:
    return set(directory.glob("*")) if directory.exists() else set()
