"""The deletion schedules on a frozen clock: each deletes exactly what is due, and only
that; the schedules are job rows that book their next run once, however many start."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from app.audit import service as audit
from app.audit.tables import AuditEntry
from app.booking.tables import Appointment
from app.cases import service as cases
from app.cases.schemas import CaseStatus, Channel
from app.cases.tables import Case as CaseRow
from app.core.clock import FrozenClock
from app.jobs.tables import Job
from app.jobs.worker import Worker
from app.notify.tables import Mail
from app.retention import service as retention
from app.retention.rules import RetentionRules
from app.settings import Settings
from app.workspace import service as workspace
from app.workspace import uploads
from app.workspace.service import Actor
from app.workspace.tables import Upload
from tests.staff.conftest import Account
from tests.workspace.conftest import World
from tests.workspace.test_service import PDF, appointment_at

RULES = RetentionRules()
DAY = timedelta(days=1)


async def _close(case_id: int, clock: FrozenClock) -> None:
    await cases.change_status(case_id, CaseStatus.CANCELLED, channel=Channel.CLERK, clock=clock)


async def test_lapsed_holds_are_purged_after_their_grace_and_nothing_else(
    world: World, clock: FrozenClock
) -> None:
    old = await appointment_at(
        world.office_a,
        world.case_a.id,
        world,
        clock,
        state="expired",
        code="OLD001",
        updated_at=clock.now() - timedelta(hours=2),
    )
    fresh = await appointment_at(
        world.office_a,
        world.case_a.id,
        world,
        clock,
        state="expired",
        code="NEW001",
        updated_at=clock.now() - timedelta(minutes=10),
    )
    held = await appointment_at(
        world.office_a,
        world.case_a.id,
        world,
        clock,
        state="held",
        code="HLD001",
        updated_at=clock.now() - timedelta(hours=5),
    )
    assert await retention.run("lapsed_holds", RULES, _settings(), clock.now()) == 1
    left = {row["id"] for row in await Appointment.select(Appointment.id)}
    assert left == {fresh, held} and old not in left


async def test_past_appointments_lose_their_contact_but_keep_their_statistics(
    world: World, clock: FrozenClock
) -> None:
    past = await appointment_at(
        world.office_a,
        world.case_a.id,
        world,
        clock,
        code="PAST01",
        contact_key="k" * 64,
        starts_at=clock.now() - 31 * DAY,
        ends_at=clock.now() - 31 * DAY + timedelta(minutes=15),
    )
    recent = await appointment_at(
        world.office_a,
        world.case_a.id,
        world,
        clock,
        code="RCNT01",
        starts_at=clock.now() - 29 * DAY,
        ends_at=clock.now() - 29 * DAY + timedelta(minutes=15),
    )
    assert await retention.run("past_appointments", RULES, _settings(), clock.now()) == 1
    rows = {row["id"]: row for row in await Appointment.select()}
    assert (rows[past]["email"], rows[past]["contact_key"]) == (None, None)
    assert (rows[past]["office"], rows[past]["service"], rows[past]["state"]) == (
        world.office_a,
        world.service_id,
        "confirmed",
    )
    assert rows[recent]["email"] == "ada@example.org"


async def test_closed_cases_are_deleted_after_their_services_period(
    world: World,
    clock: FrozenClock,
    actor_of: Callable[[Account], Awaitable[Actor]],
    settings: Settings,
) -> None:
    stored = await workspace.upload(await actor_of(world.clerk), world.case_a.id, PDF, "a.pdf")
    key = (await Upload.select(Upload.storage_key).first())["storage_key"]
    await _close(world.case_a.id, clock)
    clock.advance(100 * DAY)
    await _close(world.case_b.id, clock)
    clock.advance(300 * DAY)  # case A closed 400 days ago, case B 300
    assert await retention.run("closed_cases", RULES, settings, clock.now()) == 1
    assert [row["id"] for row in await CaseRow.select(CaseRow.id)] == [world.case_b.id]
    assert await Upload.count() == 0 and stored.id
    assert not (uploads.directory(settings) / f"{key}.bin").exists()
    shorter = RetentionRules(closed_cases_by_service={"personalausweis": 200 * DAY})
    assert await retention.run("closed_cases", shorter, settings, clock.now()) == 1


async def test_client_addresses_in_the_audit_log_are_blanked_after_seven_days(
    clock: FrozenClock,
) -> None:
    await audit.record(1, "case.read", office_id=1, now=clock.now() - 8 * DAY, ip="192.0.2.1")
    await audit.record(1, "case.read", office_id=1, now=clock.now() - 6 * DAY, ip="192.0.2.2")
    assert await retention.run("ip_addresses", RULES, _settings(), clock.now()) == 1
    ips = [row["ip"] for row in await AuditEntry.select(AuditEntry.ip).order_by(AuditEntry.seq)]
    assert ips[:2] == [None, "192.0.2.2"]
    assert (await audit.verify()).ok


async def test_sent_mails_forget_their_recipient(world: World, clock: FrozenClock) -> None:
    await Mail.insert(
        Mail(
            recipient="old@example.org",
            language="de",
            template="t",
            subject="s",
            text_body="b",
            state="sent",
            due_at=clock.now() - 40 * DAY,
            created_at=clock.now() - 40 * DAY,
        ),
        Mail(
            recipient="new@example.org",
            language="de",
            template="t",
            subject="s",
            text_body="b",
            state="sent",
            due_at=clock.now() - DAY,
            created_at=clock.now() - DAY,
        ),
        Mail(
            recipient="queued@example.org",
            language="de",
            template="t",
            subject="s",
            text_body="b",
            state="queued",
            due_at=clock.now() - 40 * DAY,
            created_at=clock.now() - 40 * DAY,
        ),
    )
    assert await retention.run("mail_recipients", RULES, _settings(), clock.now()) == 1
    left = sorted(row["recipient"] for row in await Mail.select(Mail.recipient))
    assert left == ["", "new@example.org", "queued@example.org"]


async def test_each_run_writes_a_summary_without_personal_data(clock: FrozenClock) -> None:
    await retention.run("ip_addresses", RULES, _settings(), clock.now())
    entry = (await audit.entries())[0]
    assert (entry.action, entry.staff_id, entry.case_id, entry.detail) == (
        "retention.ip_addresses",
        None,
        None,
        {"count": 0},
    )


async def test_many_processes_book_one_schedule_which_books_its_next_run(
    clock: FrozenClock, settings: Settings
) -> None:
    for _ in range(3):  # three processes start
        await retention.schedule(clock.now())
    assert await Job.count().where(Job.kind == retention.KIND) == len(retention.EVERY)
    worker = Worker(retention.handlers(RULES, settings, clock), clock)
    clock.advance(timedelta(hours=1))
    await worker.run_until_idle()
    pending = await Job.select(Job.due_at).where(
        (Job.kind == retention.KIND) & (Job.state == "pending")
    )
    assert len(pending) == len(retention.EVERY)
    assert all(row["due_at"] > clock.now() for row in pending)


def _settings() -> Settings:
    return Settings.from_env()
