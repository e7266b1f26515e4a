"""The deletion schedules: what each deletes, and the job rows that run them on time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.audit import service as audit
from app.booking import privacy as bookings
from app.cases import service as cases
from app.catalogue import service as catalogue
from app.core.clock import Clock
from app.core.database import write_transaction
from app.jobs import service as jobs
from app.jobs.worker import Handler
from app.notify import privacy as mails
from app.retention.rules import RetentionRules
from app.settings import Settings
from app.workspace import uploads

KIND = "retention.run"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# How often each schedule runs; holds lapse in minutes, the rest is counted in days.
EVERY: dict[str, timedelta] = {
    "lapsed_holds": timedelta(minutes=15),
    "past_appointments": timedelta(hours=1),
    "closed_cases": timedelta(hours=1),
    "ip_addresses": timedelta(hours=1),
    "mail_recipients": timedelta(hours=1),
}


async def purge_lapsed_holds(rules: RetentionRules, now: datetime) -> int:
    return await bookings.purge_lapsed_holds(now - rules.lapsed_holds)


async def erase_past_appointments(rules: RetentionRules, now: datetime) -> int:
    return await bookings.erase_past_contacts(now - rules.past_appointments)


async def delete_closed_cases(rules: RetentionRules, now: datetime, settings: Settings) -> int:
    """Delete closed cases whose service's period has passed, with all that hangs on them."""
    shortest = min([rules.closed_cases, *rules.closed_cases_by_service.values()])
    slugs: dict[int, str] = {}
    due: list[int] = []
    for case_id, service_id, closed_at in await cases.closed_cases(now - shortest):
        if service_id not in slugs:
            slugs[service_id] = (await catalogue.get_service_by_id(service_id, "de")).slug
        period = rules.closed_cases_by_service.get(slugs[service_id], rules.closed_cases)
        if closed_at < now - period:
            due.append(case_id)
    if not due:
        return 0
    async with write_transaction(cases.engine()):
        await uploads.delete_of_cases(due, settings=settings)
        await mails.delete_of_cases(due)
        return await cases.delete_cases(due)


async def forget_addresses(rules: RetentionRules, now: datetime) -> int:
    return await audit.forget_addresses(now - rules.ip_addresses)


async def forget_recipients(rules: RetentionRules, now: datetime) -> int:
    return await mails.forget_recipients(now - rules.mail_recipients)


async def run(name: str, rules: RetentionRules, settings: Settings, now: datetime) -> int:
    """Run one schedule now and log a summary (counts only) to the audit log."""
    if name == "lapsed_holds":
        count = await purge_lapsed_holds(rules, now)
    elif name == "past_appointments":
        count = await erase_past_appointments(rules, now)
    elif name == "closed_cases":
        count = await delete_closed_cases(rules, now, settings)
    elif name == "ip_addresses":
        count = await forget_addresses(rules, now)
    elif name == "mail_recipients":
        count = await forget_recipients(rules, now)
    else:
        raise ValueError(f"unknown retention schedule {name!r}")
    await audit.record(None, f"retention.{name}", office_id=None, now=now, detail={"count": count})
    return count


def next_run(now: datetime, every: timedelta) -> datetime:
    """The next multiple of `every` after `now`: the same instant in every process."""
    periods = (now.astimezone(UTC) - _EPOCH) // every
    return _EPOCH + every * (periods + 1)


async def schedule(now: datetime) -> None:
    """Book each schedule's next run (once, however many processes start)."""
    for name, every in EVERY.items():
        await _book(name, next_run(now, every), now)


def handlers(rules: RetentionRules, settings: Settings, clock: Clock) -> dict[str, Handler]:
    """What `app.main` registers with the worker."""

    async def handle(payload: dict[str, Any]) -> None:
        name = str(payload["schedule"])
        now = clock.now()
        await run(name, rules, settings, now)
        # Missed runs are not caught up one by one: the next run covers them.
        await _book(name, next_run(now, EVERY[name]), now)

    return {KIND: handle}


async def _book(name: str, due: datetime, now: datetime) -> None:
    await jobs.enqueue(
        KIND,
        {"schedule": name},
        due_at=due,
        now=now,
        dedupe_key=f"{KIND}:{name}:{due.isoformat()}",
    )
