"""Mail tests: a real SMTP server on loopback, a full appointment context, a sender."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

# The SMTP fixture is shared by every domain's tests (tests/smtp.py); with
# --import-mode=importlib the tests folder is not on sys.path by itself.
sys.path.append(str(Path(__file__).resolve().parents[1]))
from smtp import SmtpServer, smtp_server, stopped_smtp_server  # noqa: F401 — fixtures

from app.core.clock import FrozenClock
from app.jobs.worker import Handler, Worker
from app.notify.sender import make_sender
from app.notify.service import MAIL_SEND
from app.settings import Settings

# 09:30 UTC on a November Monday is 10:30 in Berlin (CET, UTC+1).
START = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
END = datetime(2026, 11, 30, 9, 45, tzinfo=UTC)


@pytest.fixture
def context(settings: Settings) -> dict[str, Any]:
    """Everything any mail template may use, links absolute as a caller must give them."""
    base = settings.base_url
    return {
        "service": "Personalausweis beantragen",
        "office": "Bürgeramt Altstadt",
        "address": "Marktplatz 10, 69117 Heidelberg",
        "start": START,
        "end": END,
        "previous_start": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        "deadline": datetime(2026, 11, 23, 9, 15, tzinfo=UTC),
        "reference": "HD-2026-00042",
        "confirm_url": f"{base}/de/booking/confirm?token=c0nf1rm",
        "manage_url": f"{base}/de/booking/manage?token=m4n4ge",
        "cancel_url": f"{base}/de/booking/cancel?token=c4nc3l",
        "book_url": f"{base}/de/booking",
        "accept_url": f"{base}/de/waitlist/accept?token=4cc3pt",
        "leave_url": f"{base}/de/waitlist/leave?token=l34v3",
    }


@pytest.fixture
def smtp_sender(smtp_server: SmtpServer, settings: Settings, clock: FrozenClock) -> Handler:  # noqa: F811
    return make_sender(smtp_server.settings(settings), clock)


@pytest.fixture
def worker(smtp_sender: Handler, clock: FrozenClock) -> Worker:
    return Worker({MAIL_SEND: smtp_sender}, clock, name="w1")
