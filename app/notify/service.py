"""Queue mail to citizens, withdraw mail not yet sent, and follow a mail to its end.

Other domains call `queue_mail` and `withdraw`; the `mail.send` job handler
(`app.notify.sender`) calls the rest. A mail row and the job that sends it are written in
one transaction, so either both exist or neither; inside a caller's transaction (e.g.
confirming a booking) they join it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Any

import msgspec
from piccolo.engine.base import Engine

from app.core.database import write_transaction
from app.core.errors import InvalidInput
from app.core.translation import _
from app.jobs import service as jobs
from app.notify.rendering import render
from app.notify.schemas import Mail
from app.notify.tables import Mail as MailRow

MAIL_SEND = "mail.send"


class InvalidEmail(InvalidInput):
    code = "invalid_email"
    message = _("Please enter a valid e-mail address.")


async def queue_mail(
    template: str,
    *,
    to: str,
    lang: str,
    context: Mapping[str, Any],
    now: datetime,
    due_at: datetime | None = None,
    dedupe_key: str | None = None,
    ics: str | None = None,
    case_id: int | None = None,
) -> int | None:
    """Render `template` in `lang`, store it and schedule its sending; returns the mail id.

    With a `dedupe_key` that was queued before (e.g. "reminder-48h:<appointment>:<start>")
    nothing is added and None is returned — so a reminder is queued once. Include the
    appointment's start in a reminder's key: a moved appointment needs new reminders.
    Raises InvalidEmail for an unusable address and MailContextError (a bug) when the
    context lacks what the template needs or a link is not absolute.
    """
    recipient = _recipient(to)
    rendered = render(template, lang, context, has_ics=ics is not None)
    async with write_transaction(engine()):
        rows = await MailRow.insert(
            MailRow(
                recipient=recipient,
                language=rendered.language,
                template=template,
                subject=rendered.subject,
                text_body=rendered.text,
                html_body=rendered.html,
                ics=ics,
                state="queued",
                dedupe_key=dedupe_key,
                case_id=case_id,
                due_at=due_at or now,
                created_at=now,
            )
        ).returning(MailRow.id)
        mail_id = int(rows[0]["id"])
        job = await jobs.enqueue(
            MAIL_SEND, {"mail_id": mail_id}, due_at=due_at or now, now=now, dedupe_key=dedupe_key
        )
        if job is None:
            # The key was queued before. Deleting our row in the same transaction (rather
            # than raising to roll back) also works inside a caller's transaction.
            await MailRow.delete().where(MailRow.id == mail_id)
            return None
    return mail_id


async def withdraw(dedupe_key: str) -> bool:
    """Cancel a mail not yet sent (e.g. the reminders of a cancelled appointment).

    Returns False when there is nothing to withdraw: never queued, already sent, or being
    sent at this very moment (a worker holds it) — then it goes out.
    """
    async with write_transaction(engine()):
        if not await jobs.cancel(dedupe_key):
            return False
        await MailRow.delete().where(
            (MailRow.dedupe_key == dedupe_key) & (MailRow.state == "queued")
        )
    return True


async def get_mail(mail_id: int) -> Mail | None:
    row = await MailRow.select().where(MailRow.id == mail_id).first()
    return None if row is None else msgspec.convert(row, Mail)


async def mails_of_case(case_id: int) -> list[Mail]:
    """Every mail about a case, oldest first."""
    rows = await MailRow.select().where(MailRow.case_id == case_id).order_by(MailRow.id)
    return [msgspec.convert(row, Mail) for row in rows]


async def fix_message_id(mail_id: int, candidate: str) -> str:
    """The mail's Message-ID: `candidate` if it has none yet, else the one it has.

    Fixed before the first attempt, so that a mail sent twice (a crash between the relay's
    250 and marking it sent) carries the same Message-ID and mail clients show it once.
    """
    await MailRow.update({MailRow.message_id: candidate}).where(
        (MailRow.id == mail_id) & MailRow.message_id.is_null()
    )
    row = await MailRow.select(MailRow.message_id).where(MailRow.id == mail_id).first()
    return str(row["message_id"]) if row else candidate


async def mark_sent(mail_id: int, now: datetime) -> bool:
    """Queued → sent; False if it was not queued (sent already, failed or withdrawn)."""
    rows = await (
        MailRow.update({MailRow.state: "sent", MailRow.sent_at: now})
        .where((MailRow.id == mail_id) & (MailRow.state == "queued"))
        .returning(MailRow.id)
    )
    return bool(rows)


async def mark_failed(mail_id: int, error: str) -> bool:
    """Queued → failed, for a recipient the relay refused for good."""
    rows = await (
        MailRow.update({MailRow.state: "failed", MailRow.error: error[:2000]})
        .where((MailRow.id == mail_id) & (MailRow.state == "queued"))
        .returning(MailRow.id)
    )
    return bool(rows)


def engine() -> Engine[Any]:
    """The database the mail table is bound to, for transactions that span domains."""
    db: Engine[Any] = MailRow._meta.db
    return db


def _recipient(to: str) -> str:
    """The address as given, if it is one address and nothing else (no header injection)."""
    address = to.strip()
    if not address or len(address) > 320 or any(char in address for char in "\r\n<>,;"):
        raise InvalidEmail(field="email")
    try:
        parsed = Address(addr_spec=address)
    except (HeaderParseError, ValueError, IndexError):
        raise InvalidEmail(field="email") from None
    if not parsed.username or "." not in parsed.domain:
        raise InvalidEmail(field="email")
    return address
