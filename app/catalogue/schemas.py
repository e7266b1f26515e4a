"""What the catalogue hands out: services and offices, each in one language.

Text that exists in several languages in the database arrives here already chosen for
the reader (falling back to German); times of day are local Berlin time.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

import msgspec

OfficeKind = Literal["district", "virtual"]
DeskChannel = Literal["in_person", "video"]


class ServiceChannels(msgspec.Struct):
    """How the service can be done: here in person, here by video, or online elsewhere."""

    in_person: bool
    video: bool
    online_url: str | None
    online_note: str | None


class Service(msgspec.Struct):
    """A service in the reader's language, with its fee formatted for that language."""

    id: int
    slug: str
    leika: str | None
    ticket_letter: str
    name: str
    description: str
    duration_minutes: int
    fee_cents: int
    fee: str
    documents: list[str]
    channels: ServiceChannels
    in_person_reason: str | None


class Period(msgspec.Struct):
    """From `opens` to `closes`, local Berlin time."""

    opens: time
    closes: time


class OpeningDay(msgspec.Struct):
    """An office's periods on one weekday (0 = Monday), with the weekday's localized name."""

    weekday: int
    weekday_name: str
    periods: list[Period]


class Closure(msgspec.Struct):
    """Days an office stays closed, both inclusive, and why."""

    starts_on: date
    ends_on: date
    reason: str


class Office(msgspec.Struct):
    """An office in the reader's language; `hours_today` is empty when it is closed today."""

    id: int
    slug: str
    kind: OfficeKind
    name: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    languages: list[str]
    accessibility: str
    hours_today: list[Period]


class OfficeDetail(Office):
    """An office with its desks, weekly hours, coming closures and the services it offers."""

    desks: int
    video_desks: int
    opening_hours: list[OpeningDay]
    closures: list[Closure]
    services: list[str]
