"""What the devices domain hands out and accepts: devices, enrolment codes, credentials."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

DeviceName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
DeviceState = Literal["awaiting_enrolment", "code_expired", "enrolled", "revoked"]


class Device(msgspec.Struct, frozen=True):
    """An enrolled kiosk terminal, as the routes that serve kiosks know it."""

    id: int
    office_id: int
    name: str


class KioskOffice(msgspec.Struct, frozen=True):
    """The office a kiosk stands in."""

    id: int
    slug: str
    name: str


class KioskIdentity(msgspec.Struct, frozen=True):
    """Who a kiosk is: its device and its office."""

    device: Device
    office: KioskOffice


class DeviceCredential(msgspec.Struct, frozen=True):
    """The answer to a redeemed enrolment code: the credential, shown this once."""

    credential: str
    device: Device
    office: KioskOffice


class EnrolmentCode(msgspec.Struct, forbid_unknown_fields=True):
    """What the terminal's attendant types: the code shown when the device was created."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class DeviceCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new device of an office."""

    name: DeviceName


class DeviceUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A device's new name."""

    name: DeviceName


class DeviceRecord(msgspec.Struct, frozen=True):
    """A device as administrators and leads see it (times in UTC); no secrets."""

    id: int
    office_id: int
    name: str
    state: DeviceState
    created_at: datetime
    code_expires_at: datetime | None
    enrolled_at: datetime | None
    last_seen_at: datetime | None
    revoked_at: datetime | None


class DeviceCreated(msgspec.Struct, frozen=True):
    """A new device and its enrolment code, shown this once (e.g. `7KQ4-M2XD`)."""

    device: DeviceRecord
    code: str
    code_expires_at: datetime
