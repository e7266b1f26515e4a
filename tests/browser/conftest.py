"""The real server under Debian's Chromium: a granian process on the test session's
database, a browser for the session, and a fresh context per test that records every
request and console error.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from piccolo.engine.base import Engine
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    async_playwright,
)

from app.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ServerFactory = Callable[..., Awaitable["Server"]]
ContextFactory = Callable[..., Awaitable[tuple[BrowserContext, "Watch"]]]
READY_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
PAGE_TIMEOUT_MS = 15_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """One granian process serving the app from `root` on a loopback port."""

    def __init__(self, root: Path = ROOT, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ["APP_DATA_DIR"]) / f"granian-{self.port}.log"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(self.root), "APP_PORT": str(self.port)}
        with self.log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                str(ROOT / ".venv" / "bin" / "granian"),
                "--interface",
                "asgi",
                "--factory",
                "app.main:app_from_env",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--loop",
                "uvloop",
                "--workers-kill-timeout",
                "5",
                cwd=self.root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                assert self._process and self._process.returncode is None, self.log.read_text()
                try:
                    if (await client.get(f"{self.url}/ready")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)  # polling a starting process, bounded by the deadline
        raise TimeoutError(f"server not ready in {READY_TIMEOUT_S}s:\n{self.log.read_text()}")

    async def stop(self) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        self._process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self._process.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            self._process.kill()
            await asyncio.wait_for(self._process.wait(), STOP_TIMEOUT_S)


@dataclass
class Watch:
    """Every request a context made (pages and service workers) and every console error."""

    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def follow(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        return page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} @ {message.location}")

    def foreign(self) -> list[str]:
        own = (f"{self.base}/", "data:", "blob:")
        return [url for url in self.requests if not url.startswith(own)]


@pytest.fixture(scope="session")
async def server(engine: Engine) -> AsyncIterator[Server]:
    """The app as it runs in production, on the session's migrated database."""
    running = Server()
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def start_server(engine: Engine) -> AsyncIterator[ServerFactory]:
    """Servers of a test's own, which it may stop (to be offline) and start again."""
    started: list[Server] = []

    async def start(root: Path = ROOT, port: int | None = None) -> Server:
        started.append(Server(root, port))
        await started[-1].start()
        return started[-1]

    yield start
    for running in started:
        await running.stop()


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    async with async_playwright() as running:
        yield running


@pytest.fixture(scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    chromium = await playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    await chromium.close()


@pytest.fixture
async def profile_context(
    playwright: Playwright, server: Server, tmp_path: Path
) -> AsyncIterator[BrowserContext]:
    """A browser with a profile on disk. Chrome never offers to install an app from an
    off-the-record context, which is what `browser.new_context()` opens."""
    context = await playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=server.url,
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    yield context
    await context.close()


@pytest.fixture(autouse=True)
async def demo_city(demo_database: None) -> None:
    """The pages need the demo city's offices and services (see tests/conftest.py)."""


@pytest.fixture
async def new_context(browser: Browser) -> AsyncIterator[ContextFactory]:
    """Open browser contexts on a server; each records its requests and is closed after."""
    opened: list[BrowserContext] = []

    async def open_context(base: str, **options: Any) -> tuple[BrowserContext, Watch]:
        options.setdefault("service_workers", "allow")
        context = await browser.new_context(base_url=base, **options)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        opened.append(context)
        watch = Watch(base)
        context.on("request", lambda request: watch.requests.append(request.url))
        return context, watch

    yield open_context
    for context in opened:
        await context.close()


# The kiosk start page sends a terminal without a device credential to its enrolment
# (kiosk/device.js); tests of the kiosk's own screens start as an enrolled terminal.
ENROLLED_KIOSK = (
    "localStorage.setItem('amtsweg-kiosk-device', JSON.stringify({credential: 'test-terminal'}))"
)


async def as_enrolled_kiosk(context: BrowserContext) -> None:
    await context.add_init_script(ENROLLED_KIOSK)


@pytest.fixture
async def context(new_context: ContextFactory, server: Server) -> tuple[BrowserContext, Watch]:
    return await new_context(server.url)


@pytest.fixture
def app_copy(tmp_path: Path) -> Path:
    """The app's code and front ends in a temporary checkout sharing node_modules, so a
    test may change an asset without touching the work tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("app", "pwa", "kiosk", "locales"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=ignore)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


@pytest.fixture
def axe_script() -> Path:
    return ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
async def api_services(server: Server) -> Callable[[str], Awaitable[list[dict[str, Any]]]]:
    """The services as the API lists them, to compare the pages with."""

    async def listed(lang: str) -> list[dict[str, Any]]:
        async with httpx.AsyncClient(base_url=server.url) as client:
            response = await client.get("/api/services", params={"lang": lang})
            services: list[dict[str, Any]] = response.json()
            return services

    return listed
