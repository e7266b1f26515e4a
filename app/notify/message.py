"""A stored mail as an RFC 5322 message — the same bytes on every attempt.

Python's email package picks random MIME boundaries; here they are derived from the mail's
id instead, and every part is quoted-printable. A boundary starting with "=_" cannot occur
in quoted-printable text ("=" is always followed by two hex digits or a line break there),
so the fixed boundaries are safe.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from app.notify.schemas import Mail

_METHOD = re.compile(r"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


def build(mail: Mail, *, sender: str, message_id: str) -> EmailMessage:
    """The message for `mail`: text, HTML alternative, and the calendar file if any."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    # When it was meant to go out: a retry an hour later still says the same.
    message["Date"] = format_datetime(mail.due_at)
    message["Message-ID"] = message_id
    # RFC 3834: no vacation replies or auto-forward loops to a noreply address.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(mail.text_body, subtype="plain", charset="utf-8", cte="quoted-printable")
    if mail.html_body:
        message.add_alternative(
            mail.html_body, subtype="html", charset="utf-8", cte="quoted-printable"
        )
    if mail.ics:
        found = _METHOD.search(mail.ics)
        message.add_attachment(
            mail.ics,
            subtype="calendar",
            charset="utf-8",
            cte="quoted-printable",
            filename="appointment.ics",
            params={"method": found.group(1) if found else "PUBLISH"},
        )
    # Set last: making the message multipart moves every Content-* header into its parts.
    message["Content-Language"] = mail.language
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_amtsweg_{mail.id}_{number}")
    return message
