"""Double opt-in end to end: the mails reach a real SMTP server on loopback, and the test
follows the confirm and cancel links found in them, as the citizen's pages would."""

from __future__ import annotations

import re
import sys
from email.message import EmailMessage
from pathlib import Path

import httpx
from icalendar import Calendar

from app.booking import jobs as booking_jobs
from app.booking.context import BookingContext
from app.core.clock import FrozenClock
from app.jobs.worker import Worker
from app.main import JOB_HANDLERS
from app.notify.sender import make_sender
from app.notify.service import MAIL_SEND
from app.settings import Settings

from .conftest import TUESDAY, City, berlin

sys.path.append(str(Path(__file__).resolve().parents[1]))
from smtp import SmtpServer, smtp_server  # noqa: F401 — the fixture


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _link(message: EmailMessage, page: str) -> str:
    """The token of the first link in the mail to a `page` of the citizen app."""
    found = re.search(rf"/de/{page}/([A-Za-z0-9_-]+)", _text(message))
    assert found, f"no {page} link in: {_text(message)}"
    return found.group(1)


async def test_the_citizen_confirms_and_cancels_with_the_links_from_the_mails(
    city: City,
    client: httpx.AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
    settings: Settings,
    clock: FrozenClock,
    ctx: BookingContext,
) -> None:
    sender = make_sender(smtp_server.settings(settings), clock)
    worker = Worker({**JOB_HANDLERS, MAIL_SEND: sender, **booking_jobs.handlers(ctx)}, clock)
    body = {
        "service": "anmeldung",
        "office": "altstadt",
        "starts_at": berlin(TUESDAY, "09:00").isoformat(),
        "email": "ada@example.org",
        "language": "de",
    }
    assert (await client.post("/api/holds", json=body)).status_code == 201
    await worker.run_until_idle()
    [request] = smtp_server.messages
    assert request["To"] == "ada@example.org"

    confirmed = await client.post(f"/api/confirm/{_link(request, 'confirm')}")
    assert confirmed.status_code == 200 and confirmed.json()["appointment"]["state"] == "confirmed"
    await worker.run_until_idle()
    booked = smtp_server.messages[1]
    calendars = [
        part.get_content()
        for part in booked.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert calendars and Calendar.from_ical(calendars[0]).walk("VALARM")

    token = _link(booked, "appointments")
    assert (await client.post(f"/api/appointments/{token}/cancel")).json()["state"] == "cancelled"
    await worker.run_until_idle()
    assert len(smtp_server.messages) == 3
    removal = [
        part.get_content()
        for part in smtp_server.messages[2].iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert removal and Calendar.from_ical(removal[0])["METHOD"] == "CANCEL"
