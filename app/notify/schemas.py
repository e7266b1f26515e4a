"""Mails as the rest of the app sees them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

MailState = Literal["queued", "sent", "failed"]


class RenderedMail(msgspec.Struct, frozen=True):
    """A mail written out in one language, before it is stored."""

    language: str
    subject: str
    text: str
    html: str


class Mail(msgspec.Struct, frozen=True):
    """One stored mail, as rendered, and how far it got."""

    id: int
    recipient: str
    language: str
    template: str
    subject: str
    text_body: str
    html_body: str | None
    ics: str | None
    state: MailState
    dedupe_key: str | None
    case_id: int | None
    due_at: datetime
    created_at: datetime
    sent_at: datetime | None
    message_id: str | None
    error: str | None
