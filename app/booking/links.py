"""The absolute links a booking hands out, in mails, QR codes and API answers.

The pages behind them belong to the citizen app (`pwa/`): each opens with the token
from its path and calls the API; a page that changes something (confirm, cancel) asks
for a click first, so that a mail scanner following links changes nothing.
"""

from __future__ import annotations

from app.settings import Settings


def manage_url(settings: Settings, lang: str, token: str) -> str:
    """The booking's own page: show, download to calendar, reschedule, cancel."""
    return f"{settings.base_url}/{lang}/appointments/{token}"


def cancel_url(settings: Settings, lang: str, token: str) -> str:
    """One-click cancel from a mail: the page asks once, then posts the cancel."""
    return f"{settings.base_url}/{lang}/appointments/{token}/cancel"


def confirm_url(settings: Settings, lang: str, confirm_token: str) -> str:
    """Confirm a held appointment (double opt-in) or accept an offered one."""
    return f"{settings.base_url}/{lang}/confirm/{confirm_token}"


def waitlist_url(settings: Settings, lang: str, token: str) -> str:
    """A place on the waitlist (or a lottery request): its state, and leaving it."""
    return f"{settings.base_url}/{lang}/waitlist/{token}"


def book_url(settings: Settings, lang: str, service_slug: str) -> str:
    return f"{settings.base_url}/{lang}/book/{service_slug}"


def ics_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/api/appointments/{token}/ics"


def qr_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/api/appointments/{token}/qr.svg"
