"""App processes with a publish route (tests/live/publisher.py), alone or sharing one Redis,
WebSocket displays connected to them, and the workspace's small world for staff routes.

The Redis tests use a database of their own and an office id no other run picks, so runs
side by side never hear each other's events.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from piccolo.engine.base import Engine
from websockets.asyncio.client import ClientConnection, connect

from app.live.service import display_key
from app.settings import ROOT, Settings
from tests.browser.conftest import Server
from tests.workspace.conftest import (  # noqa: F401 — fixtures
    actor_of,
    client_for,
    log_in,
    make_account,
    office_a,
    office_b,
    world,
)

REDIS_URL = "redis://127.0.0.1:6379/14"
RECEIVE_TIMEOUT_S = 10


class LiveServer(Server):
    """The app plus its test-only publish route, in a granian process of its own."""

    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        super().__init__(port=port)
        self.env = env
        self.ws = f"ws://127.0.0.1:{self.port}"

    async def start(self) -> None:
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT), "APP_PORT": str(self.port)}
        with self.log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                str(ROOT / ".venv" / "bin" / "granian"),
                "--interface", "asgi", "--factory", "tests.live.publisher:app_from_env",
                "--host", "127.0.0.1", "--port", str(self.port), "--loop", "uvloop",
                "--workers-kill-timeout", "5",
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        await self._wait_ready()

    async def publish(self, office_id: int, event: dict[str, Any]) -> None:
        async with httpx.AsyncClient(base_url=self.url) as client:
            response = await client.post(f"/test/offices/{office_id}/events", json=event)
            assert response.status_code == 204, response.text


StartServer = Callable[..., Awaitable[LiveServer]]


@pytest.fixture
async def start_live(engine: Engine) -> AsyncIterator[StartServer]:
    """Start app processes: `await start_live(redis=True, port=…)`; all stopped after."""
    started: list[LiveServer] = []

    async def start(*, redis: bool = False, port: int | None = None) -> LiveServer:
        env = {"APP_REDIS_URL": REDIS_URL if redis else ""}
        started.append(LiveServer(env, port))
        await started[-1].start()
        return started[-1]

    yield start
    for server in started:
        await server.stop()


@pytest.fixture
def office_id() -> int:
    """An office id of this test's own (no row needed: the key names the office)."""
    return random.randrange(10**6, 10**9)


class Display:
    """A display's WebSocket: what it was sent, and where it stands for a reconnect."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.epoch, self.seq = "", 0

    async def next(self) -> dict[str, Any]:
        """The next message other than a heartbeat."""
        while True:
            async with asyncio.timeout(RECEIVE_TIMEOUT_S):
                message: dict[str, Any] = json.loads(await self.socket.recv())
            if message.get("type") == "ping":
                continue
            if "seq" in message:
                self.epoch, self.seq = message["epoch"], message["seq"]
            return message

    async def until_sync(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The caught-up events, and the sync message that ends them."""
        caught: list[dict[str, Any]] = []
        while (message := await self.next()).get("type") != "sync":
            caught.append(message)
        return caught, message


OpenDisplay = Callable[..., Awaitable[Display]]


@pytest.fixture
async def open_display(settings: Settings) -> AsyncIterator[OpenDisplay]:
    """Connect displays: `await open_display(server, office_id, epoch=…, after=…)`."""
    opened: list[Display] = []

    async def open_(
        server: LiveServer, office_id: int, *, epoch: str = "", after: int = 0, key: str = ""
    ) -> Display:
        key = key or display_key(settings, office_id)
        url = f"{server.ws}/ws/display/{office_id}?key={key}&epoch={epoch}&after={after}"
        opened.append(Display(await connect(url)))
        return opened[-1]

    yield open_
    for display in opened:
        await display.socket.close()
