"""Kiosk devices: one-time enrolment codes, credentials stored only hashed, revocation."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.core.clock import FrozenClock
from app.devices import service
from app.devices.errors import DeviceNotFound, InvalidEnrolmentCode
from app.devices.schemas import DeviceCreated
from app.devices.service import Actor
from app.devices.tables import Device as DeviceRow
from app.settings import Settings
from tests.staff.conftest import MakeAccount


@pytest.fixture
async def actor(make_account: MakeAccount, clock: FrozenClock) -> Actor:
    admin = await make_account("admin", is_admin=True, enrolled=False)
    return Actor(admin.id, clock.now(), "192.0.2.1")


async def _create(
    office: int, actor: Actor, settings: Settings, name: str = "Eingang"
) -> DeviceCreated:
    return await service.create_device(office, name, actor, secret_key=settings.secret_key)


async def test_a_new_device_gets_a_typable_code_that_enrols_it_exactly_once(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings, name="  Eingang   links ")
    assert created.device.name == "Eingang links"
    assert created.device.state == "awaiting_enrolment"
    assert created.code_expires_at == clock.now() + timedelta(minutes=15)
    code = created.code
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(service.ALPHABET)

    # Typed in lower case, without the hyphen, with O for 0 and I or L for 1.
    typed = code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    enrolled = await service.redeem(typed, secret_key=settings.secret_key, now=clock.now(), ip=None)
    assert (enrolled.device.id, enrolled.device.office_id) == (created.device.id, office_a)
    assert enrolled.office.name == "Bürgeramt Altstadt"
    assert len(enrolled.credential) >= 43  # 256 bits, URL-safe base64
    with pytest.raises(InvalidEnrolmentCode):
        await service.redeem(code, secret_key=settings.secret_key, now=clock.now(), ip=None)
    [listed] = await service.list_devices(office_a, clock.now())
    assert listed.state == "enrolled" and listed.enrolled_at == clock.now()


async def test_the_code_and_the_credential_are_stored_only_hashed(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)
    enrolled = await service.redeem(
        created.code, secret_key=settings.secret_key, now=clock.now(), ip=None
    )
    row = await DeviceRow.select().first()
    assert row is not None
    stored = " ".join(str(value) for value in row.values())
    for secret in (created.code, created.code.replace("-", ""), enrolled.credential):
        assert secret not in stored
    assert row["credential_hash"] and row["code_hash"] is None


async def test_an_expired_code_enrols_nothing(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(InvalidEnrolmentCode):
        await service.redeem(created.code, secret_key=settings.secret_key, now=clock.now(), ip=None)
    [listed] = await service.list_devices(office_a, clock.now())
    assert listed.state == "code_expired"


async def test_hundreds_of_redemptions_of_one_code_at_once_yield_exactly_one_credential(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)

    async def redeem() -> str | None:
        try:
            answer = await service.redeem(
                created.code, secret_key=settings.secret_key, now=clock.now(), ip=None
            )
        except InvalidEnrolmentCode:
            return None
        return answer.credential

    results = await asyncio.gather(*(redeem() for _ in range(300)))
    credentials = [credential for credential in results if credential is not None]
    assert len(credentials) == 1
    device = await service.authenticate(credentials[0], clock.now())
    assert device is not None and device.id == created.device.id


async def test_a_credential_works_until_its_device_is_revoked(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)
    enrolled = await service.redeem(
        created.code, secret_key=settings.secret_key, now=clock.now(), ip=None
    )
    assert await service.authenticate("made-up", clock.now()) is None
    clock.advance(timedelta(minutes=5))
    device = await service.authenticate(enrolled.credential, clock.now())
    assert device == enrolled.device
    [listed] = await service.list_devices(office_a, clock.now())
    assert listed.last_seen_at == clock.now()

    await service.revoke(office_a, created.device.id, actor)
    await service.revoke(office_a, created.device.id, actor)  # twice changes nothing
    assert await service.authenticate(enrolled.credential, clock.now()) is None
    [listed] = await service.list_devices(office_a, clock.now())
    assert listed.state == "revoked"


async def test_last_seen_is_written_at_most_once_a_minute(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)
    enrolled = await service.redeem(
        created.code, secret_key=settings.secret_key, now=clock.now(), ip=None
    )
    enrolled_at = clock.now()
    clock.advance(timedelta(seconds=59))
    assert await service.authenticate(enrolled.credential, clock.now()) is not None
    [listed] = await service.list_devices(office_a, clock.now())
    assert listed.last_seen_at == enrolled_at


async def test_a_revoked_code_no_longer_enrols(
    office_a: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)
    await service.revoke(office_a, created.device.id, actor)
    with pytest.raises(InvalidEnrolmentCode):
        await service.redeem(created.code, secret_key=settings.secret_key, now=clock.now(), ip=None)


async def test_a_device_is_found_only_in_its_own_office(
    office_a: int, office_b: int, actor: Actor, settings: Settings, clock: FrozenClock
) -> None:
    created = await _create(office_a, actor, settings)
    with pytest.raises(DeviceNotFound):
        await service.rename(office_b, created.device.id, "Neu", actor)
    with pytest.raises(DeviceNotFound):
        await service.revoke(office_b, created.device.id, actor)
    assert await service.list_devices(office_b, clock.now()) == []
    renamed = await service.rename(office_a, created.device.id, "Neu", actor)
    assert renamed.name == "Neu"
