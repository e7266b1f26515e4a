"""The benchmarks' server: a fresh database, migrated and seeded as in production, and the
app under granian with the flags of `scripts/serve`, always stopped again.

Imported by `booking_rush` and `availability` (both run it from the repository root).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
GRANIAN = ROOT / ".venv" / "bin" / "granian"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "bench_booking"
REDIS_URL = "redis://127.0.0.1:6379/7"  # a database of its own: no other keys are touched
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Database:
    kind: str  # "postgres" or "sqlite"
    url: str
    data_dir: Path


async def _recreate_postgres(name: str) -> None:
    admin = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


@contextmanager
def fresh_database(kind: str) -> Iterator[Database]:
    """A new, empty database and a data folder (secrets, outbox) for one run."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"amtsweg-bench-{kind}-"))
    try:
        if kind == "postgres":
            asyncio.run(_recreate_postgres(PG_BENCH_DB))
            admin = urlparse(PG_ADMIN_URL)
            url = f"postgresql://{admin.netloc}/{PG_BENCH_DB}"
        else:
            url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        yield Database(kind, url, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def app_env(db: Database, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every app process of a run (CLI steps and the server alike)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    env.update(
        PICCOLO_CONF="app.piccolo_conf",
        APP_DATABASE_URL=db.url,
        APP_DATA_DIR=str(db.data_dir),
        PYTHONPATH=str(ROOT),
    )
    if db.kind == "postgres":
        env["APP_REDIS_URL"] = REDIS_URL
    env.update(extra or {})
    return env


def prepare(db: Database, env: dict[str, str]) -> None:
    """What `scripts/serve` runs before the server: migrations and the demo city."""
    for step in ("migrate", "seed"):
        subprocess.run(
            [str(VENV_PYTHON), "-m", "app", step],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=300,
        )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def running_server(env: dict[str, str], workers: int, log_path: Path) -> Iterator[str]:
    """Granian as `scripts/serve` starts it, on a free loopback port; yields the base URL.

    It runs in a process group of its own, which is killed whatever happens.
    """
    port = free_port()
    env = {**env, "APP_HOST": "127.0.0.1", "APP_PORT": str(port)}
    command = [
        str(GRANIAN), "--interface", "asgi", "--factory", "app.main:app_from_env",
        "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop",
        "--workers", str(workers), "--workers-kill-timeout", "5",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _answers(f"{base}/ready"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not come up; see {log_path}")
                time.sleep(0.2)
            yield base
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_TIMEOUT_S)
    with contextlib.suppress(ProcessLookupError):  # stray children of the group, if any
        os.killpg(process.pid, signal.SIGKILL)
