"""The `mail.send` job: hand one stored mail to the city's SMTP relay, or to the outbox.

Delivery is at least once. The job is claimed by one worker at a time, the handler skips a
mail that is no longer queued, and "sent" is a conditional UPDATE — so a mail goes out
once, unless the process dies after the relay accepted it and before the row says so.
Then the job's lease runs out, another worker sends it again, with the same bytes and
the same Message-ID, which mail clients show as one message. Nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid, parseaddr
from pathlib import Path
from typing import Any

import aiosmtplib

from app.core.clock import Clock
from app.jobs.worker import GiveUp, Handler
from app.notify import message, service
from app.notify.rendering import catalogs
from app.notify.schemas import Mail
from app.settings import Settings

log = logging.getLogger("amtsweg.notify")

SMTP_TIMEOUT_S = 30  # far inside the job lease (minutes): a slow relay never races a retry

Transport = Callable[[EmailMessage, Mail], Awaitable[None]]


class Refused(Exception):
    """The relay refused the mail for good (5xx): sending it again cannot help."""


def make_sender(settings: Settings, clock: Clock) -> Handler:
    """The `mail.send` handler for these settings: SMTP when a host is set, else outbox."""
    catalogs()  # read the nine catalogs now, at start-up, not during the first booking
    transport = _smtp(settings) if settings.smtp_host else _outbox(settings.outbox_dir)
    envelope_from = parseaddr(settings.mail_from)[1]
    domain = envelope_from.rpartition("@")[2] or "localhost"

    async def send(payload: dict[str, Any]) -> None:
        mail_id = int(payload["mail_id"])
        mail = await service.get_mail(mail_id)
        if mail is None or mail.state != "queued":
            return  # withdrawn, or sent/failed by an earlier run of this job: nothing to do
        message_id = await service.fix_message_id(mail_id, make_msgid(domain=domain))
        built = message.build(mail, sender=settings.mail_from, message_id=message_id)
        try:
            await transport(built, mail)
        except Refused as exc:
            await service.mark_failed(mail_id, str(exc))
            raise GiveUp(str(exc)) from exc
        await service.mark_sent(mail_id, clock.now())

    return send


def _smtp(settings: Settings) -> Transport:
    envelope_from = parseaddr(settings.mail_from)[1]
    # aiosmtplib would look the name up for every mail, blocking the event loop on DNS.
    local_hostname = socket.getfqdn()

    async def deliver(built: EmailMessage, mail: Mail) -> None:
        """Temporary trouble (4xx, refused connection, timeout) raises: the job backs off."""
        try:
            await aiosmtplib.send(
                built,
                sender=envelope_from,
                recipients=[mail.recipient],
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=settings.smtp_password,
                use_tls=settings.smtp_port == 465,
                start_tls=settings.smtp_starttls,
                timeout=SMTP_TIMEOUT_S,
                local_hostname=local_hostname,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refusal.code for refusal in exc.recipients]
            if all(code >= 500 for code in codes):
                raise Refused(f"recipient refused: {exc.recipients[0].message}") from exc
            raise
        except aiosmtplib.SMTPDataError as exc:
            # The relay rejected this very message (size, content): the same bytes would be
            # rejected again. A 5xx on MAIL FROM or AUTH is our configuration: retried.
            if exc.code >= 500:
                raise Refused(f"message refused: {exc.code} {exc.message}") from exc
            raise

    return deliver


def _outbox(folder: Path) -> Transport:
    async def deliver(built: EmailMessage, mail: Mail) -> None:
        path = await asyncio.to_thread(
            _write_atomically, folder, mail.id, built.as_bytes(policy=SMTP)
        )
        log.info("mail %s (%s, %s) written to %s", mail.id, mail.template, mail.language, path)

    return deliver


def _write_atomically(folder: Path, mail_id: int, data: bytes) -> Path:
    """`<folder>/<id>.eml`, complete or absent: written aside, then renamed into place."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{mail_id}.eml"
    partial = folder / f".{mail_id}.{os.getpid()}.eml.partial"
    partial.write_bytes(data)
    partial.replace(path)
    return path
