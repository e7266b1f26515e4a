"""What the administration reads and writes in the catalogue, with every language's text.

Field limits are msgspec constraints (a breach is a 400 naming the field); rules that
span fields (a period opens before it closes, periods of a day do not overlap, a closure
does not end before it starts, German text is always present) are checked here and
raise errors with stable codes. Times of day are "HH:MM", local Berlin time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Annotated, Literal

import msgspec

from app.core.errors import InvalidInput
from app.core.translation import _
from app.settings import LANGUAGES

Slug = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
]
HhMm = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Line = Annotated[str, msgspec.Meta(max_length=120)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Texts = dict[str, Text]
MAX_CLOSURE_DAYS = 366


class LanguageUnknown(InvalidInput):
    code = "language_unknown"
    message = _("Texts can only be given in the languages this site offers.")


class GermanMissing(InvalidInput):
    code = "german_text_missing"
    message = _("Please give this text in German; other languages fall back to it.")


class InvalidPeriod(InvalidInput):
    code = "invalid_period"
    message = _("A period must close after it opens.")


class OverlappingPeriods(InvalidInput):
    code = "overlapping_periods"
    message = _("Two periods on the same day overlap.")


class InvalidClosureRange(InvalidInput):
    code = "invalid_closure_range"
    message = _("The last closed day cannot be before the first, nor more than a year later.")


class ClosureInPast(InvalidInput):
    code = "closure_in_past"
    message = _("A closure must not end in the past.")


class OfficeFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An office's own fields, as an administrator edits them."""

    slug: Slug
    kind: Literal["district", "virtual"]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    street: Line = ""
    postcode: Annotated[str, msgspec.Meta(pattern=r"^([0-9]{5})?$")] = ""
    city: Annotated[str, msgspec.Meta(max_length=80)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    email: Line = ""
    languages: Annotated[list[str], msgspec.Meta(max_length=40)] = []
    accessibility: Texts = {}


class OfficeSummary(msgspec.Struct, kw_only=True):
    """An office in the administration's list."""

    id: int
    slug: str
    kind: str
    name: str


class DeskFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A desk as a lead edits it: what the call display says, its channel, in service."""

    label: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    channel: Literal["in_person", "video"] = "in_person"
    active: bool = True


class AdminDesk(DeskFields, kw_only=True):
    """A desk with the ids of the services it offers."""

    id: int
    services: list[int]


class HoursPeriod(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One period an office is open on one weekday (0 = Monday … 6 = Sunday)."""

    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]
    opens: HhMm
    closes: HhMm


class ClosureFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Whole days (both inclusive, Berlin dates) the office stays closed, and why."""

    starts_on: date
    ends_on: date
    reason: Texts


class AdminClosure(ClosureFields, kw_only=True):
    id: int
    city_wide: bool


class AdminOffice(OfficeFields, kw_only=True):
    """An office with all its desks, its week and its coming closures."""

    id: int
    desks: list[AdminDesk]
    hours: list[HoursPeriod]
    closures: list[AdminClosure]


class ServiceFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A service with its texts in every language, its fee, duration and triage routing."""

    slug: Slug
    leika: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{14}$")] | None = None
    ticket_letter: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]$")]
    position: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0
    name: Texts
    description: Texts = {}
    documents: dict[str, Annotated[list[Line], msgspec.Meta(max_length=30)]] = {}
    duration_minutes: Annotated[int, msgspec.Meta(ge=5, le=240)]
    fee_cents: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)] = 0
    allows_in_person: bool = True
    allows_video: bool = False
    in_person_reason: Texts | None = None
    online_url: Annotated[str, msgspec.Meta(max_length=300, pattern=r"^https://\S+$")] | None = None
    online_note: Texts | None = None
    active: bool = True


class AdminService(ServiceFields, kw_only=True):
    id: int


def check_texts(texts: dict[str, object] | None, field: str, *, required: bool) -> None:
    """Only offered languages; German present (and not blank) when the text is required."""
    if not texts:
        if required:
            raise GermanMissing(field=field)
        return
    if any(lang not in LANGUAGES for lang in texts):
        raise LanguageUnknown(field=field)
    if not texts.get("de"):
        raise GermanMissing(field=field)


def check_service(data: ServiceFields) -> None:
    check_texts(dict(data.name), "name", required=True)
    check_texts(dict(data.description), "description", required=False)
    check_texts(dict(data.documents), "documents", required=False)
    check_texts(_as_dict(data.in_person_reason), "in_person_reason", required=False)
    check_texts(_as_dict(data.online_note), "online_note", required=False)


def check_hours(periods: Sequence[HoursPeriod]) -> None:
    """Each period opens before it closes; periods of one weekday do not overlap."""
    days: dict[int, list[HoursPeriod]] = defaultdict(list)
    for index, period in enumerate(periods):
        if period.opens >= period.closes:
            raise InvalidPeriod(field=f"hours[{index}]")
        days[period.weekday].append(period)
    for day in days.values():
        day.sort(key=lambda period: period.opens)
        for before, after in pairwise(day):
            if after.opens < before.closes:
                raise OverlappingPeriods(field="hours")


def check_closure(data: ClosureFields, today: date) -> None:
    if data.ends_on < data.starts_on or (data.ends_on - data.starts_on).days >= MAX_CLOSURE_DAYS:
        raise InvalidClosureRange(field="ends_on")
    if data.ends_on < today:
        raise ClosureInPast(field="ends_on")
    check_texts(dict(data.reason), "reason", required=True)


def _as_dict(texts: Texts | None) -> dict[str, object] | None:
    return None if texts is None else dict(texts)
