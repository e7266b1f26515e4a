"""iCalendar files for appointments: one to add or update it, one to remove it.

Times carry TZID=Europe/Berlin with a VTIMEZONE built from the tz database for the
appointment's years (so a change of the EU's summer-time rules arrives with tzdata), and
two display alarms, a day and two hours before. The UID stays the same for the life of
an appointment and SEQUENCE grows with each change, so calendars update the one entry
instead of adding a second.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

from icalendar import Alarm, Calendar, Event, Timezone

from app.core.clock import BERLIN
from app.core.translation import _
from app.notify.rendering import catalogs

PRODID = "-//Amtsweg//Buergeramt//EN"
ALARMS = (timedelta(days=1), timedelta(hours=2))
REMINDER = _("Reminder: {summary}")


def appointment_ics(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    description: str,
    url: str,
    lang: str,
    *,
    sequence: int = 0,
    stamp: datetime | None = None,
) -> str:
    """A calendar entry with alarms (METHOD:PUBLISH); raise `sequence` on every change."""
    event = _event(uid, start, end, summary, location, lang, sequence, stamp)
    event.add("description", description, parameters={"LANGUAGE": lang})
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    reminder = catalogs()[lang].gettext(REMINDER, summary=summary)
    for before in ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -before)
        alarm.add("description", reminder, parameters={"LANGUAGE": lang})
        event.add_component(alarm)
    return _calendar("PUBLISH", event, start, end)


def cancellation_ics(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    lang: str,
    *,
    sequence: int,
    stamp: datetime | None = None,
) -> str:
    """Removes the entry `uid` (METHOD:CANCEL); `sequence` must exceed the last one sent."""
    event = _event(uid, start, end, summary, location, lang, sequence, stamp)
    event.add("status", "CANCELLED")
    return _calendar("CANCEL", event, start, end)


def _event(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    lang: str,
    sequence: int,
    stamp: datetime | None,
) -> Event:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("appointment times must be timezone-aware")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", start.astimezone(BERLIN))
    event.add("dtend", end.astimezone(BERLIN))
    event.add("summary", summary, parameters={"LANGUAGE": lang})
    event.add("location", location, parameters={"LANGUAGE": lang})
    return event


def _calendar(method: str, event: Event, start: datetime, end: datetime) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(_berlin(start.astimezone(BERLIN).year, end.astimezone(BERLIN).year))
    calendar.add_component(event)
    return str(calendar.to_ical().decode())


@cache
def _berlin(first_year: int, last_year: int) -> Timezone:
    """Europe/Berlin's offsets and transitions from the start of `first_year` on."""
    return Timezone.from_tzid(
        "Europe/Berlin", first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
