from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.notify.ics import appointment_ics, cancellation_ics

BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _appointment(start, end, **extra):
    return appointment_ics(
        "appointment-17@amtsweg.example",
        start,
        end,
        "Personalausweis beantragen",
        "Bürgeramt Altstadt, Marktplatz 10, 69117 Heidelberg",
        "Bitte bringen Sie Ihr altes Ausweisdokument mit.",
        "http://127.0.0.1:8000/de/booking/manage?token=abc",
        "de",
        stamp=STAMP,
        **extra,
    )


def _only_event(text):
    calendar = Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_an_appointment_parses_with_berlin_time_and_two_display_alarms():
    start = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    calendar, event = _only_event(_appointment(start, start + timedelta(minutes=15)))
    assert str(calendar["method"]) == "PUBLISH"
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("dtstart") == datetime(2026, 11, 30, 10, 30, tzinfo=BERLIN)
    assert event.decoded("dtend") == datetime(2026, 11, 30, 10, 45, tzinfo=BERLIN)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    alarms = event.walk("VALARM")
    assert sorted(alarm.decoded("trigger") for alarm in alarms) == [
        -timedelta(days=1),
        -timedelta(hours=2),
    ]
    assert {str(alarm["action"]) for alarm in alarms} == {"DISPLAY"}
    assert all("Personalausweis beantragen" in str(alarm["description"]) for alarm in alarms)
    assert str(event["uid"]) == "appointment-17@amtsweg.example"
    assert event["summary"].params["LANGUAGE"] == "de"
    assert str(event["url"]).startswith("http://127.0.0.1:8000/")


@pytest.mark.parametrize(
    ("start", "offset"),
    [
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), timedelta(hours=1)),
        (datetime(2026, 7, 15, 8, 0, tzinfo=UTC), timedelta(hours=2)),
        # The summer-time switch inside the same calendar file's window.
        (datetime(2026, 3, 30, 8, 0, tzinfo=UTC), timedelta(hours=2)),
    ],
)
def test_the_vtimezone_gives_the_offset_the_tz_database_gives(start, offset):
    calendar, _event = _only_event(_appointment(start, start + timedelta(minutes=30)))
    (vtimezone,) = calendar.walk("VTIMEZONE")
    local = start.astimezone(BERLIN).replace(tzinfo=None)
    assert vtimezone.to_tz().utcoffset(local) == offset


def test_a_change_keeps_the_uid_and_raises_the_sequence():
    start = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    _cal, first = _only_event(_appointment(start, start + timedelta(minutes=15)))
    moved = start + timedelta(days=1)
    _cal, second = _only_event(_appointment(moved, moved + timedelta(minutes=15), sequence=1))
    assert first["uid"] == second["uid"]
    assert (first["sequence"], second["sequence"]) == (0, 1)


def test_a_cancellation_cancels_the_same_event():
    start = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    calendar, event = _only_event(
        cancellation_ics(
            "appointment-17@amtsweg.example",
            start,
            start + timedelta(minutes=15),
            "Personalausweis beantragen",
            "Bürgeramt Altstadt",
            "de",
            sequence=2,
            stamp=STAMP,
        )
    )
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 2
    assert str(event["uid"]) == "appointment-17@amtsweg.example"
    assert not event.walk("VALARM")


def test_the_same_appointment_gives_the_same_file():
    start = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    end = start + timedelta(minutes=15)
    assert _appointment(start, end) == _appointment(start, end)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        _appointment(datetime(2026, 11, 30, 10, 30), datetime(2026, 11, 30, 10, 45))
