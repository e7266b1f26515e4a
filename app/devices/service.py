"""Kiosk devices: created with a one-time enrolment code, enrolled with a credential of
their own, renamed, revoked; `authenticate` is what the routes serving kiosks rely on.

The enrolment code is short enough to type (8 characters of Crockford's base32, 40 bits,
valid 15 minutes, and redeemable once); it is stored as an HMAC keyed from the app's
secret key, so a copy of the database alone does not let anyone search the code space.
The device credential is 256 random bits: a plain SHA-256 is enough to store it, and lets
`authenticate` find it by an index.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.audit import service as audit
from app.catalogue import service as catalogue
from app.core.database import write_transaction
from app.devices.errors import DeviceNotFound, InvalidDeviceName, InvalidEnrolmentCode
from app.devices.schemas import (
    Device,
    DeviceCreated,
    DeviceCredential,
    DeviceRecord,
    DeviceState,
    KioskIdentity,
    KioskOffice,
)
from app.devices.tables import Device as DeviceRow

CODE_LIFETIME = timedelta(minutes=15)
CODE_LENGTH = 8
# Crockford's base32: no I, L, O or U; what people type for them is read as 1, 1 and 0.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})
_CODE_CONTEXT = b"amtsweg:device-enrolment-code:v1"
# A kiosk asks many times a minute; "last seen" is written at most once a minute.
_SEEN_GRANULARITY = timedelta(minutes=1)
_REDEEM = (
    "UPDATE kiosk_device SET credential_hash = {}, code_hash = NULL, code_expires_at = NULL, "
    "enrolled_at = {}, last_seen_at = {} "
    "WHERE code_hash = {} AND code_expires_at > {} AND revoked_at IS NULL "
    "AND credential_hash IS NULL RETURNING id, office, name"
)


@dataclass(frozen=True, slots=True)
class Actor:
    """The staff member who changes a device, when and from where: for the audit log."""

    staff_id: int
    now: datetime
    ip: str | None


def normalize_code(code: str) -> str:
    """What was typed, as the code was issued: upper case, no hyphen, 0/1 for O/I/L."""
    return code.upper().translate(_READ_AS)


def _code_hash(code: str, secret_key: bytes) -> str:
    key = hmac.new(secret_key, _CODE_CONTEXT, hashlib.sha256).digest()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def _credential_hash(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


async def create_device(
    office_id: int, name: str, actor: Actor, *, secret_key: bytes
) -> DeviceCreated:
    """A new device of `office_id`, with its enrolment code (returned once, never stored)."""
    name = _valid_name(name)
    await catalogue.get_office_by_id(office_id, "de")  # raises OfficeNotFound
    expires = actor.now + CODE_LIFETIME
    async with write_transaction(_engine()):
        # A code that collides with one still stored is drawn again (the index says so).
        rows: list[dict[str, Any]] = []
        while not rows:
            code = _new_code()
            rows = await (
                DeviceRow.insert(
                    DeviceRow(
                        office=office_id,
                        name=name,
                        code_hash=_code_hash(code, secret_key),
                        code_expires_at=expires,
                        created_at=actor.now,
                    )
                )
                .on_conflict(target=DeviceRow.code_hash, action="DO NOTHING")
                .returning(*DeviceRow.all_columns())
            )
        record = _record(rows[0], actor.now)
        await _audit(actor, "device.created", office_id, record.id)
    return DeviceCreated(record, f"{code[:4]}-{code[4:]}", expires)


async def redeem(
    code: str, *, secret_key: bytes, now: datetime, ip: str | None
) -> DeviceCredential:
    """Enrol the terminal that holds `code`: it gets a new credential, shown only here.

    The conditional UPDATE is the lock: it clears the code as it sets the credential, so of
    any number of concurrent redemptions exactly one matches the row. Raises
    InvalidEnrolmentCode for a wrong, expired, used or revoked code.
    """
    credential = secrets.token_urlsafe(32)
    async with write_transaction(_engine()):
        rows = await DeviceRow.raw(
            _REDEEM, _credential_hash(credential), now, now, _code_hash(code, secret_key), now
        )
        if not rows:
            raise InvalidEnrolmentCode(field="code")
        device = Device(int(rows[0]["id"]), int(rows[0]["office"]), rows[0]["name"])
        await audit.record(
            None,
            "device.enrolled",
            office_id=device.office_id,
            now=now,
            detail={"device_id": device.id},
            ip=ip,
        )
    return DeviceCredential(credential, device, await _office(device.office_id))


async def authenticate(credential: str, now: datetime) -> Device | None:
    """The enrolled, unrevoked device holding `credential`, or None; notes it was seen."""
    row = await (
        DeviceRow.select(DeviceRow.id, DeviceRow.office, DeviceRow.name, DeviceRow.last_seen_at)
        .where(
            (DeviceRow.credential_hash == _credential_hash(credential))
            & DeviceRow.revoked_at.is_null()
        )
        .first()
    )
    if row is None:
        return None
    stale = now - _SEEN_GRANULARITY
    if row["last_seen_at"] is None or row["last_seen_at"] < stale:
        await DeviceRow.update({DeviceRow.last_seen_at: now}).where(
            (DeviceRow.id == row["id"])
            & (DeviceRow.last_seen_at.is_null() | (DeviceRow.last_seen_at < stale))
        )
    return Device(int(row["id"]), int(row["office"]), row["name"])


async def identity(device: Device) -> KioskIdentity:
    """The device with its office, as the kiosk shows it."""
    return KioskIdentity(device, await _office(device.office_id))


async def list_devices(office_id: int, now: datetime) -> list[DeviceRecord]:
    """Every device of `office_id`, revoked ones last, by name."""
    rows = await (
        DeviceRow.select(*DeviceRow.all_columns())
        .where(DeviceRow.office == office_id)
        .order_by(DeviceRow.name)
    )
    records = [_record(row, now) for row in rows]
    return sorted(records, key=lambda record: record.state == "revoked")


async def rename(office_id: int, device_id: int, name: str, actor: Actor) -> DeviceRecord:
    """Give a device of `office_id` a new name; raises DeviceNotFound."""
    name = _valid_name(name)
    async with write_transaction(_engine()):
        rows = await (
            DeviceRow.update({DeviceRow.name: name})
            .where((DeviceRow.id == device_id) & (DeviceRow.office == office_id))
            .returning(*DeviceRow.all_columns())
        )
        if not rows:
            raise DeviceNotFound()
        await _audit(actor, "device.renamed", office_id, device_id)
    return _record(rows[0], actor.now)


async def revoke(office_id: int, device_id: int, actor: Actor) -> None:
    """Revoke a device of `office_id`: its code and credential stop working at once.

    Revoking a revoked device changes nothing; raises DeviceNotFound.
    """
    async with write_transaction(_engine()):
        rows = await (
            DeviceRow.update(
                {
                    DeviceRow.revoked_at: actor.now,
                    DeviceRow.code_hash: None,
                    DeviceRow.code_expires_at: None,
                    DeviceRow.credential_hash: None,
                }
            )
            .where(
                (DeviceRow.id == device_id)
                & (DeviceRow.office == office_id)
                & DeviceRow.revoked_at.is_null()
            )
            .returning(DeviceRow.id)
        )
        if rows:
            await _audit(actor, "device.revoked", office_id, device_id)
        elif not await DeviceRow.exists().where(
            (DeviceRow.id == device_id) & (DeviceRow.office == office_id)
        ):
            raise DeviceNotFound()


def _valid_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidDeviceName(field="name")
    return name


def _state(row: dict[str, Any], now: datetime) -> DeviceState:
    if row["revoked_at"] is not None:
        return "revoked"
    if row["enrolled_at"] is not None:
        return "enrolled"
    expires = row["code_expires_at"]
    return "awaiting_enrolment" if expires is not None and expires > now else "code_expired"


def _record(row: dict[str, Any], now: datetime) -> DeviceRecord:
    return DeviceRecord(
        id=int(row["id"]),
        office_id=int(row["office"]),
        name=row["name"],
        state=_state(row, now),
        created_at=row["created_at"],
        code_expires_at=row["code_expires_at"],
        enrolled_at=row["enrolled_at"],
        last_seen_at=row["last_seen_at"],
        revoked_at=row["revoked_at"],
    )


async def _office(office_id: int) -> KioskOffice:
    office = await catalogue.get_office_by_id(office_id, "de")
    return KioskOffice(office.id, office.slug, office.name)


async def _audit(actor: Actor, action: str, office_id: int, device_id: int) -> None:
    await audit.record(
        actor.staff_id,
        action,
        office_id=office_id,
        now=actor.now,
        detail={"device_id": device_id},
        ip=actor.ip,
    )


def _engine() -> Any:
    return DeviceRow._meta.db
