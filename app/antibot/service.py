"""Issue challenges, accept each solved one once, and purge the spent ones that expired."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.antibot.tables import SpentChallenge
from app.core import antibot
from app.jobs import service as jobs
from app.settings import Settings

PURGE_KIND = "antibot.purge"
PURGE_EVERY = timedelta(hours=1)


def issue_challenge(settings: Settings, now: datetime) -> dict[str, Any]:
    """A fresh signed challenge at the configured difficulty."""
    return antibot.issue(settings.secret_key, settings.altcha_max_number, now)


async def accept(payload: str | None, *, secret_key: bytes, now: datetime) -> None:
    """Let one request through per solved challenge, or raise why not.

    Raises ProofOfWorkMissing, ProofOfWorkInvalid (bad, tampered or expired) or
    ProofOfWorkReused. The insert is the check: of any number of requests carrying the
    same solution, in any number of processes, exactly one inserts the row.
    """
    proof = antibot.check(payload, secret_key, now)
    rows = await SpentChallenge.raw(
        "INSERT INTO antibot_spent_challenge (signature, expires_at, spent_at) "
        "VALUES ({}, {}, {}) ON CONFLICT (signature) DO NOTHING RETURNING signature",
        proof.signature,
        proof.expires_at,
        now,
    )
    if not rows:
        raise antibot.ProofOfWorkReused()


async def purge(before: datetime) -> int:
    """Forget spent challenges that expired before `before`; returns how many."""
    rows = await (
        SpentChallenge.delete()
        .where(SpentChallenge.expires_at < before)
        .returning(SpentChallenge.signature)
    )
    return len(rows)


async def schedule_purge(now: datetime) -> None:
    """Book the purge for the next full hour (once, however many processes start)."""
    await _enqueue_purge(now.replace(minute=0, second=0, microsecond=0) + PURGE_EVERY, now)


async def run_purge(payload: dict[str, Any]) -> None:
    """The purge job: forget what expired before its due time, then book the next run.

    Runs that were missed while no process was up are caught up one after another, and
    the dedupe key merges the chain with the one a starting process books.
    """
    due = datetime.fromisoformat(payload["before"])
    await purge(due)
    await _enqueue_purge(due + PURGE_EVERY, now=due)


async def _enqueue_purge(due: datetime, now: datetime) -> None:
    await jobs.enqueue(
        PURGE_KIND,
        {"before": due.isoformat()},
        due_at=due,
        now=now,
        dedupe_key=f"{PURGE_KIND}:{due.isoformat()}",
    )
