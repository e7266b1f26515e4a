"""What each kind of notice says, how urgent it is, and how its text is rendered.

Texts are English msgids marked with `_()` and translated when the service worker fetches
the notice, into the language it asks for. `{date}`, `{time}`, `{zone}` come from the
notice's `start` parameter, `{deadline}` from `deadline`, `{desk}` from `desk`. Several
titles and bodies are the reminder mails' own sentences, so they share translations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time

from app.core.clock import BERLIN
from app.core.translation import Catalog, _

REMINDER = "reminder"
MOVED = "moved"
CANCELLED = "cancelled"
OFFER = "offer"
NEXT = "next"
CALLED = "called"
CLERK_READY = "clerk_ready"

TIME_ZONE = "Europe/Berlin"
MOMENT = _("{date}, {time} ({zone})")


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of notice: RFC 8030 urgency, title and body (msgids)."""

    urgency: str
    title: str
    body: str


KINDS: dict[str, Kind] = {
    REMINDER: Kind(
        "normal", _("Reminder: your appointment on {date}"), _("Your appointment: {moment}")
    ),
    MOVED: Kind(
        "normal",
        _("Appointment moved"),
        _("Your appointment has been moved to {date}, {time} ({zone})."),
    ),
    CANCELLED: Kind(
        "normal",
        _("Appointment cancelled"),
        _("Your appointment has been cancelled. The time is now free for others."),
    ),
    OFFER: Kind(
        "high",
        _("An appointment is free for you"),
        _("Accept it by {deadline}. After that, it is offered to the next person."),
    ),
    NEXT: Kind("high", _("You are next"), _("Please come to the waiting area now.")),
    CALLED: Kind("high", _("It is your turn"), _("Please come to {desk}.")),
    CLERK_READY: Kind("high", _("The clerk is ready"), _("Please join the video call now.")),
}

# Parameters that hold a moment (ISO 8601, UTC) and are shown as Berlin wall-clock time.
MOMENTS = ("start", "deadline")


def render(kind: str, params: Mapping[str, Any], catalog: Catalog) -> tuple[str, str]:
    """The notice's title and body in the catalog's language."""
    spec = KINDS[kind]
    values = _values(params, catalog)
    return catalog.gettext(spec.title, **values), catalog.gettext(spec.body, **values)


def _values(params: Mapping[str, Any], catalog: Catalog) -> dict[str, str]:
    lang = catalog.language.code
    values = {key: str(value) for key, value in params.items() if key not in MOMENTS}
    for key in MOMENTS:
        if params.get(key):
            values[key] = _moment(datetime.fromisoformat(params[key]), lang, catalog)
    if params.get("start"):
        start = datetime.fromisoformat(params["start"]).astimezone(BERLIN)
        values["date"] = format_date(start, "full", locale=lang)
        values["time"] = format_time(start, "short", locale=lang)
        values["zone"] = TIME_ZONE
        values["moment"] = values["start"]
    return values


def _moment(value: datetime, lang: str, catalog: Catalog) -> str:
    """e.g. "Montag, 30. November 2026, 10:30 (Europe/Berlin)"."""
    berlin = value.astimezone(BERLIN)
    return catalog.gettext(
        MOMENT,
        date=format_date(berlin, "full", locale=lang),
        time=format_time(berlin, "short", locale=lang),
        zone=TIME_ZONE,
    )
