"""Enqueue, claim, finish: the life of a background job, atomic on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from app.jobs.tables import Job

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


async def enqueue(
    kind: str,
    payload: Mapping[str, Any],
    *,
    due_at: datetime,
    now: datetime,
    dedupe_key: str | None = None,
    max_attempts: int = 8,
) -> int | None:
    """Add a job; with a `dedupe_key` already present nothing is added and None returned."""
    rows = await Job.raw(
        "INSERT INTO job (kind, payload, due_at, state, attempts, max_attempts, dedupe_key, "
        "created_at) VALUES ({}, {}, {}, 'pending', 0, {}, {}, {}) "
        "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        kind,
        json.dumps(dict(payload)),
        due_at,
        max_attempts,
        dedupe_key,
        now,
    )
    return int(rows[0]["id"]) if rows else None


_CLAIMABLE = "((state = 'pending' AND due_at <= {}) OR (state = 'running' AND lease_until < {}))"


async def claim(worker: str, now: datetime, *, lease: timedelta, limit: int = 1) -> list[Claimed]:
    """Take up to `limit` due jobs for `worker`.

    The condition is repeated in the outer UPDATE: a row another worker took between the
    sub-select and the update no longer matches, so it is never handed out twice. On
    PostgreSQL, SKIP LOCKED lets concurrent workers take different rows instead of waiting.
    """
    skip_locked = " FOR UPDATE SKIP LOCKED" if isinstance(Job._meta.db, PostgresEngine) else ""
    # Only the constant fragments above are formatted in; every value is a bound parameter.
    sql = (
        "UPDATE job SET state = 'running', worker = {}, lease_until = {}, "
        "attempts = attempts + 1 "
        f"WHERE id IN (SELECT id FROM job WHERE {_CLAIMABLE} ORDER BY due_at, id LIMIT {{}}"
        f"{skip_locked}) AND {_CLAIMABLE} "
        "RETURNING id, kind, payload, attempts, max_attempts, due_at"
    )
    rows = await Job.raw(
        sql,
        worker,
        now + lease,
        now,
        now,
        limit,
        now,
        now,
    )
    # RETURNING keeps no order; hand the jobs out oldest first, as they were chosen.
    rows.sort(key=lambda row: (str(row["due_at"]), int(row["id"])))
    return [
        Claimed(
            id=int(row["id"]),
            kind=str(row["kind"]),
            payload=_json(row["payload"]),
            attempts=int(row["attempts"]),
            max_attempts=int(row["max_attempts"]),
        )
        for row in rows
    ]


async def complete(job_id: int, worker: str, now: datetime) -> bool:
    """Mark done — only if this worker still holds the job."""
    rows = await (
        Job.update({Job.state: "done", Job.finished_at: now, Job.lease_until: None})
        .where((Job.id == job_id) & (Job.worker == worker) & (Job.state == "running"))
        .returning(Job.id)
    )
    return bool(rows)


async def fail(
    job: Claimed,
    worker: str,
    now: datetime,
    error: str,
    *,
    retry_in: timedelta | None = None,
    give_up: bool = False,
) -> str:
    """Put the job back with a backoff, or bury it after its last attempt. Returns the state."""
    dead = give_up or job.attempts >= job.max_attempts
    state = "dead" if dead else "pending"
    delay = retry_in if retry_in is not None else backoff(job.attempts)
    await Job.update(
        {
            Job.state: state,
            Job.due_at: now + delay,
            Job.lease_until: None,
            Job.last_error: error[:2000],
            Job.finished_at: now if dead else None,
        }
    ).where((Job.id == job.id) & (Job.worker == worker) & (Job.state == "running"))
    return state


def backoff(attempts: int) -> timedelta:
    delay: timedelta = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, BACKOFF_CAP)


async def cancel(dedupe_key: str) -> bool:
    """Withdraw a pending job (e.g. the reminder of a cancelled appointment)."""
    rows = await (
        Job.delete()
        .where((Job.dedupe_key == dedupe_key) & (Job.state == "pending"))
        .returning(Job.id)
    )
    return bool(rows)


async def count(state: str) -> int:
    return int(await Job.count().where(Job.state == state))


def _json(value: Any) -> dict[str, Any]:
    loaded = json.loads(value) if isinstance(value, str | bytes) else value
    return dict(loaded or {})
