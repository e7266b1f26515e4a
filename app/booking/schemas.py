"""What the booking API takes and gives. Instants are UTC (ISO 8601 with offset); days
and `local_*` fields are Berlin wall-clock time, which is what offices and citizens use.

Requests that create something may carry the ALTCHA proof of work as `altcha` (the
widget's hidden field) or in the `X-Altcha` header.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

Channel = Literal["in_person", "video"]
AppointmentState = Literal[
    "held",
    "confirmed",
    "cancelled",
    "expired",
    "offered",
    "withheld",
    "checked_in",
    "completed",
    "no_show",
]
WaitlistState = Literal[
    "requested", "waiting", "offered", "booked", "declined", "expired", "withdrawn"
]
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254)]
Language = Annotated[str, msgspec.Meta(min_length=2, max_length=8)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Altcha = Annotated[str, msgspec.Meta(max_length=4096)]
TIME_ZONE = "Europe/Berlin"


class OfficeSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Where: the office (or the virtual office) with its address."""

    slug: str
    name: str
    kind: str
    street: str
    postcode: str
    city: str


class ServiceSummary(msgspec.Struct, frozen=True, kw_only=True):
    """What: the service in the reader's language, and what to bring."""

    slug: str
    name: str
    duration_minutes: int
    fee: str
    documents: list[str]


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    """A time that can be held now; `capacity` is how many desks are still free then."""

    office: str
    starts_at: datetime
    ends_at: datetime
    local_time: str
    capacity: int


class AvailabilityDay(msgspec.Struct, frozen=True, kw_only=True):
    date: date
    slots: list[Slot]


class Availability(msgspec.Struct, frozen=True, kw_only=True):
    """Free slots of one service on one channel, by Berlin day; days without any are left
    out. `offices` lists the offices that offer it, whether or not they have slots."""

    service: str
    channel: Channel
    duration_minutes: int
    time_zone: str
    first_day: date
    last_day: date
    offices: list[OfficeSummary]
    days: list[AvailabilityDay]


class HoldCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Hold a slot. With `email`, it is confirmed by the link in a mail (double opt-in);
    without, in the app. `case_token` joins the case of that link instead of opening one."""

    service: Slug
    office: Slug
    starts_at: datetime
    channel: Channel = "in_person"
    email: Email | None = None
    language: Language | None = None
    case_token: Token | None = None
    altcha: Altcha | None = None


class Links(msgspec.Struct, frozen=True, kw_only=True):
    """Pages and files of the booking; the QR code carries `manage_url`."""

    manage_url: str
    cancel_url: str
    ics_url: str
    qr_url: str


class Appointment(msgspec.Struct, frozen=True, kw_only=True):
    """A booking as its holder sees it. `confirm_by` says how a held one gets confirmed:
    "email" (the link in the mail) or "app" (POST …/confirm with the token)."""

    code: str
    reference: str | None
    state: AppointmentState
    channel: Channel
    service: ServiceSummary
    office: OfficeSummary
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    local_date: date
    local_start: str
    local_end: str
    hold_expires_at: datetime | None
    confirm_by: Literal["email", "app"] | None
    language: str
    links: Links | None


class Hold(msgspec.Struct, frozen=True, kw_only=True):
    """A held slot: keep `token`, it opens and manages the booking (capability link)."""

    token: str
    appointment: Appointment


class Confirmed(msgspec.Struct, frozen=True, kw_only=True):
    """A confirmed appointment; `token` manages it, when this answer hands one out."""

    token: str | None
    appointment: Appointment


class Reschedule(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Move to another start (and office or channel); the old time is freed only if the new
    one could be taken, in the same transaction."""

    starts_at: datetime
    office: Slug | None = None
    channel: Channel | None = None


class WaitlistCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Ask to be offered the first freed slot: a service, acceptable offices (none = any)
    and Berlin days, both inclusive. Offers go by mail and are served strictly in order."""

    service: Slug
    email: Email
    first_day: date
    last_day: date
    offices: list[Slug] = []
    channel: Channel = "in_person"
    language: Language | None = None
    altcha: Altcha | None = None


class WaitlistStatus(msgspec.Struct, frozen=True, kw_only=True):
    """A place on the waitlist (or a lottery request). `ahead` counts who is served first;
    `offer` is the appointment offered, to accept by its `hold_expires_at`."""

    state: WaitlistState
    service: ServiceSummary
    offices: list[OfficeSummary]
    channel: Channel
    first_day: date
    last_day: date
    ahead: int | None
    release: int | None
    offer: Appointment | None


class WaitlistJoined(msgspec.Struct, frozen=True, kw_only=True):
    """Keep `token`: it shows the place in line and withdraws it."""

    token: str
    entry: WaitlistStatus


class ReleaseCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Give out an office's slots in [slots_from, slots_to) by lottery: requests are taken
    in [requests_open_at, requests_close_at), then drawn. Office leads only."""

    office: Slug
    services: Annotated[list[Slug], msgspec.Meta(min_length=1, max_length=50)]
    slots_from: datetime
    slots_to: datetime
    requests_open_at: datetime
    requests_close_at: datetime
    channel: Channel = "in_person"


class Release(msgspec.Struct, frozen=True, kw_only=True):
    """A lottery release. After the draw, `seed` is published: with the requests' ids it
    reproduces the draw order (`random.Random(seed).shuffle` of the ids, ascending)."""

    id: int
    office: OfficeSummary
    services: list[str]
    channel: Channel
    slots_from: datetime
    slots_to: datetime
    requests_open_at: datetime
    requests_close_at: datetime
    state: Literal["pending", "drawn"]
    seed: str | None
    requests: int
    allocated: int
    drawn_at: datetime | None


class ReleaseRequestCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Take part in a release's draw, once per contact. Preferred days (Berlin, both
    inclusive) narrow which slots may be allocated; without them any day is fine."""

    service: Slug
    email: Email
    first_day: date | None = None
    last_day: date | None = None
    language: Language | None = None
    altcha: Altcha | None = None


class TriageAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """An answer leads to the `next` question or to an `outcome` (by kind)."""

    value: Literal["yes", "no"]
    label: str
    next: str | None
    outcome: str | None


class TriageQuestion(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    text: str
    help: str | None
    answers: list[TriageAnswer]


class TriageOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """Where the citizen goes: "online" (a link out), "video" or "in_person" (bookable
    here on that channel), with the reason when a visit in person is required."""

    kind: Literal["online", "video", "in_person"]
    title: str
    text: str
    url: str | None
    channel: Channel | None


class Triage(msgspec.Struct, frozen=True, kw_only=True):
    """At most two questions. Start at `first_question`; without questions, `outcome`
    names the one way this service is done."""

    service: str
    name: str
    first_question: str | None
    outcome: str | None
    questions: list[TriageQuestion]
    outcomes: list[TriageOutcome]
