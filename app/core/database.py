"""Engine choice and the one way to open a write transaction on both databases.

SQLite is the embedded default (a file, WAL, 30 s busy timeout); PostgreSQL is chosen by
URL. Piccolo binds tables to an engine lazily, so `bind` points every registered table at
the engine that `create_app` built from its settings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

SQLITE_BUSY_TIMEOUT_S = 30


def engine_for(database_url: str) -> Engine[Any]:
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    url = urlparse(database_url)
    return PostgresEngine(
        config={
            "host": url.hostname or "127.0.0.1",
            "port": url.port or 5432,
            "user": unquote(url.username or "postgres"),
            "password": unquote(url.password or ""),
            "database": url.path.lstrip("/") or "postgres",
        },
        log_queries=False,
    )


def _enable_wal(path: Path) -> None:
    """WAL is a property of the file: set once, it holds for every later connection."""
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def bind(tables: Iterable[type[Table]], engine: Engine[Any]) -> None:
    for table in tables:
        table._meta.db = engine


def write_transaction(engine: Engine[Any]) -> Any:
    """A transaction that takes the write lock up front on SQLite.

    A deferred SQLite transaction that reads, then writes, fails with "database is
    locked" when another writer got in between; IMMEDIATE waits for the lock instead.
    """
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


async def start(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20)


async def stop(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
