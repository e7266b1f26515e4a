"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts.

For any test that sends mail. In a conftest: `from smtp import smtp_server  # noqa: F401`
(the tests folder is on sys.path). Then point the app at it:

    app = create_app(smtp_server.settings(settings), clock=clock, engine=engine)
    await app.state.worker.run_until_idle()
    mail = smtp_server.messages[-1]         # an email.message.EmailMessage

The server runs in aiosmtpd's own thread; a message is stored before the server answers
250, so it is there as soon as the sender's call returns — no waiting needed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.settings import Settings


@dataclass(frozen=True)
class Received:
    """One message as the server got it: the envelope and the exact bytes."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class Inbox:
    """The aiosmtpd handler: accepts and stores, or refuses the addresses in `refuse`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self.refuse: dict[str, int] = {}  # address → SMTP code to answer RCPT TO with

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    async def handle_RCPT(  # noqa: N802 — aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        code = self.refuse.get(address)
        if code is not None:
            return f"{code} {'5.1.1 No such mailbox' if code >= 500 else '4.2.0 Try again later'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        data = envelope.original_content or envelope.content
        with self._lock:
            self._received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), data))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`; can be stopped and started again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self, base: Settings) -> Settings:
        """`base`, sending through this server (plain SMTP: the test server has no TLS)."""
        return replace(
            base,
            smtp_host="127.0.0.1",
            smtp_port=self.port,
            smtp_starttls=False,
            smtp_username=None,
            smtp_password=None,
        )

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    @property
    def messages(self) -> list[EmailMessage]:
        return [received.message for received in self.inbox.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server, stopped after the test."""
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server() -> Iterator[SmtpServer]:
    """A server on a free port that is not listening yet: `start()` it when the test wants."""
    server = SmtpServer(free_port())
    yield server
    server.stop()
