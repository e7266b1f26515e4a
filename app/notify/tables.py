"""The mail table: every message to a citizen, rendered, from queued to sent."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class Mail(Table, tablename="notify_mail"):
    """One e-mail to one recipient, stored as rendered so that a retry sends the same bytes.

    The row holds the recipient's address until a deletion schedule erases it; the job that
    sends it carries only the row's id.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    recipient = Varchar(length=320, help_text="The address it goes to (RFC 5321 maximum).")
    language = Varchar(length=8, help_text="Language it is written in, e.g. 'uk'.")
    template = Varchar(length=40, help_text="What it says, e.g. 'booking.confirmed'.")
    subject = Text(help_text="Rendered subject line.")
    text_body = Text(help_text="Rendered plain-text part.")
    html_body = Text(null=True, default=None, help_text="Rendered HTML part, if any.")
    ics = Text(null=True, default=None, help_text="iCalendar attachment (text/calendar), if any.")
    state = Varchar(
        length=8,
        default="queued",
        index=True,
        help_text="queued → sent; 'failed' when the recipient's server refused it for good.",
    )
    dedupe_key = Varchar(
        length=200,
        null=True,
        default=None,
        index=True,
        help_text="The job's dedupe key, e.g. 'reminder-48h:17:2026-11-30T09:30'; "
        "withdrawing it deletes this row.",
    )
    case_id = Integer(
        null=True,
        default=None,
        index=True,
        help_text="The case it is about (cases_case.id), so its deletion finds the mail.",
    )
    due_at = Timestamptz(help_text="Not sent before this moment; also its Date header (UTC).")
    created_at = Timestamptz(help_text="When it was queued (UTC).")
    sent_at = Timestamptz(
        null=True, default=None, help_text="When the relay or the outbox took it (UTC)."
    )
    message_id = Varchar(
        length=255,
        null=True,
        default=None,
        help_text="Message-ID header, fixed before the first attempt so retries repeat it.",
    )
    error = Text(null=True, default=None, help_text="Why it failed, when it did.")
