"""Shared fixtures: one database per test session (SQLite file or PostgreSQL `test`),
migrated once, emptied before every test; an app and an HTTP client bound to it.

`scripts/test` runs the whole suite twice: with APP_DATABASE_URL unset (SQLite) and with
it pointing at PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

_DATA = Path(tempfile.mkdtemp(prefix="amtsweg-test-"))
os.environ["APP_DATA_DIR"] = str(_DATA)
os.environ.setdefault("APP_DATABASE_URL", f"sqlite:///{_DATA / 'test.sqlite3'}")
os.environ["PICCOLO_CONF"] = "app.piccolo_conf"
os.environ["APP_WORKER"] = "0"  # tests run jobs explicitly, with their own clock
os.environ["APP_ALTCHA_MAX_NUMBER"] = "0"  # a proof of work costs one hash in tests
# Concurrency tests fire hundreds of requests from one client; the limits have tests of
# their own (tests/core/test_ratelimit.py, tests/test_app_limits.py) that switch them on.
for _group in ("BOOKING", "LOGIN", "WRITE", "READ"):
    os.environ[f"APP_RATE_LIMIT_{_group}"] = "off"

from litestar import Litestar  # noqa: E402
from piccolo.apps.migrations.commands.forwards import run_forwards  # noqa: E402
from piccolo.engine.base import Engine  # noqa: E402
from piccolo.engine.postgres import PostgresEngine  # noqa: E402

from app.catalogue import demo  # noqa: E402
from app.core import antibot, database  # noqa: E402
from app.core.antibot import HEADER as POW_HEADER  # noqa: E402
from app.core.clock import FrozenClock  # noqa: E402
from app.core.tokens import TokenSigner  # noqa: E402
from app.main import TABLES, create_app  # noqa: E402
from app.settings import Settings  # noqa: E402

DB_KIND = "postgresql" if os.environ["APP_DATABASE_URL"].startswith("postgres") else "sqlite"


def pytest_report_header() -> str:
    return f"amtsweg database: {DB_KIND} ({os.environ['APP_DATABASE_URL']})"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    engine = database.engine_for(settings.database_url)
    if isinstance(engine, PostgresEngine):
        # A fresh schema every run: migrations are tested from zero, as on a new machine.
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    result = await run_forwards("all")
    assert result.success, result.message
    database.bind(TABLES, engine)
    await database.start(engine)
    yield engine
    await database.stop(engine)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every async test starts from empty tables; sync tests cannot touch the database,
    and browser tests manage the data of their own server."""
    for item in items:
        # pytest-asyncio (auto mode) marks every coroutine test with `asyncio`.
        if item.get_closest_marker("asyncio") and "browser" not in item.keywords:
            # The fixture closure is already computed here; fixturenames is what pytest
            # fills before the test runs, so the fixture goes in first.
            item.fixturenames.insert(0, "empty_database")  # type: ignore[attr-defined]


@pytest.fixture
async def empty_database(engine: Engine) -> None:
    await _empty(engine)
    _demo_loaded.clear()


# Set while the database holds exactly the demo city (plus what browser tests added);
# any test that empties the tables clears it.
_demo_loaded: set[str] = set()


@pytest.fixture
async def demo_database(engine: Engine, settings: Settings) -> None:
    """The demo city, for tests that drive the real server (browser tests).

    Other tests leave their own rows behind (tables are emptied before a test, not
    after), so the demo is loaded onto empty tables whenever anything else ran between.
    """
    if "demo" in _demo_loaded:
        return
    await _empty(engine)
    assert await demo.load(settings)
    _demo_loaded.add("demo")


async def _empty(engine: Engine) -> None:
    names = [table._meta.tablename for table in TABLES]
    if isinstance(engine, PostgresEngine) and names:
        await engine.run_ddl(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
    elif not isinstance(engine, PostgresEngine):
        for name in reversed(names):  # dependents first: foreign keys may restrict
            await engine.run_ddl(f"DELETE FROM {name}")  # noqa: S608 — names are our tables


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def signer(settings: Settings) -> TokenSigner:
    return TokenSigner(settings.token_signing_key)


@pytest.fixture
def app(settings: Settings, engine: Engine, clock: FrozenClock) -> Litestar:
    return create_app(settings, clock=clock, engine=engine)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the test's own event loop.

    Litestar's AsyncTestClient runs the app through a portal in another thread, where the
    session's asyncpg pool cannot be used; httpx's ASGI transport stays on this loop.
    Every POST carries a solved proof of work, as the citizen's browser would send.
    """

    async def attach_proof(request: httpx.Request) -> None:
        if request.method == "POST" and POW_HEADER not in request.headers:
            request.headers[POW_HEADER] = solved_proof(app)

    async with (
        running(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver.local",
            event_hooks={"request": [attach_proof]},
        ) as client,
    ):
        yield client


def solved_proof(app: Litestar) -> str:
    """What a citizen's browser sends after its proof of work (difficulty 0 in tests).
    Tests about the proof itself set the X-Altcha header themselves."""
    settings: Settings = app.state.settings
    now = app.state.clock.now()
    return antibot.solve(antibot.issue(settings.secret_key, settings.altcha_max_number, now))


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[None]:
    """Run the app's lifespan in a task of its own: it must start and stop in one task."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def lifespan() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(lifespan())
    await asyncio.wait(
        [task, asyncio.ensure_future(started.wait())], return_when=asyncio.FIRST_COMPLETED
    )
    if task.done():
        task.result()  # start-up failed: raise its error here
    try:
        yield
    finally:
        stop.set()
        await task
