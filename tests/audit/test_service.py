"""The audit log: a hash chain that concurrent appends keep whole and tampering breaks."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from piccolo.engine.base import Engine

from app.audit import service
from app.audit.tables import AuditEntry, AuditHead
from app.core.clock import FrozenClock


async def _append(clock: FrozenClock, count: int) -> None:
    for number in range(count):
        clock.advance(timedelta(seconds=1))
        await service.record(
            7,
            "case.read",
            office_id=3,
            case_id=100 + number,
            detail={"fields": ["name", "address"]},
            ip="192.0.2.10",
            now=clock.now(),
        )


async def test_each_entry_links_to_the_one_before_and_the_chain_verifies(
    clock: FrozenClock,
) -> None:
    await _append(clock, 3)
    rows = await AuditEntry.select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.hash).order_by(
        AuditEntry.seq
    )
    assert [row["seq"] for row in rows] == [1, 2, 3]
    assert rows[0]["prev_hash"] == service.GENESIS
    assert [row["prev_hash"] for row in rows[1:]] == [row["hash"] for row in rows[:2]]
    result = await service.verify()
    assert (result.ok, result.checked, result.first_broken_seq) == (True, 3, None)
    assert result.head_hash == rows[-1]["hash"]


async def test_an_empty_log_verifies(clock: FrozenClock) -> None:
    result = await service.verify()
    assert (result.ok, result.checked, result.head_hash) == (True, 0, service.GENESIS)


async def test_two_hundred_concurrent_appends_make_one_chain_without_gaps(
    clock: FrozenClock,
) -> None:
    await asyncio.gather(
        *(
            service.record(n % 5, "case.read", office_id=1, case_id=n, now=clock.now())
            for n in range(200)
        )
    )
    seqs = await AuditEntry.select(AuditEntry.seq).order_by(AuditEntry.seq).output(as_list=True)
    assert seqs == list(range(1, 201))
    cases = await AuditEntry.select(AuditEntry.case_id).output(as_list=True)
    assert sorted(cases) == list(range(200))
    result = await service.verify()
    assert (result.ok, result.checked) == (True, 200)


async def test_an_edited_entry_is_named_by_the_verifier(clock: FrozenClock) -> None:
    await _append(clock, 5)
    await AuditEntry.raw("UPDATE audit_entry SET detail = {} WHERE seq = 3", '{"fields": ["name"]}')
    result = await service.verify()
    assert (result.ok, result.checked, result.first_broken_seq) == (False, 2, 3)
    assert result.reason == "entry 3 was changed"


async def test_an_entry_whose_hash_was_recomputed_breaks_the_next_link(
    clock: FrozenClock,
) -> None:
    await _append(clock, 4)
    row = await AuditEntry.select().where(AuditEntry.seq == 2).first().output(load_json=True)
    assert row is not None
    forged = service.entry_hash(
        seq=2,
        at=row["at"],
        staff_id=99,
        office_id=row["office_id"],
        case_id=row["case_id"],
        action=row["action"],
        detail=row["detail"],
        prev_hash=row["prev_hash"],
    )
    await AuditEntry.update({AuditEntry.staff_id: 99, AuditEntry.hash: forged}).where(
        AuditEntry.seq == 2
    )
    result = await service.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.reason == "entry 3 does not follow entry 2"


async def test_a_deleted_entry_is_named_by_the_verifier(clock: FrozenClock) -> None:
    await _append(clock, 5)
    await AuditEntry.delete().where(AuditEntry.seq == 4)
    result = await service.verify()
    assert (result.ok, result.checked, result.first_broken_seq) == (False, 3, 4)
    assert result.reason == "entry 4 is missing"


async def test_a_deleted_first_entry_is_named_by_the_verifier(clock: FrozenClock) -> None:
    await _append(clock, 2)
    await AuditEntry.delete().where(AuditEntry.seq == 1)
    result = await service.verify()
    assert (result.ok, result.first_broken_seq) == (False, 1)


async def test_entries_cut_off_at_the_end_are_noticed_through_the_head(
    clock: FrozenClock,
) -> None:
    await _append(clock, 5)
    await AuditEntry.delete().where(AuditEntry.seq >= 4)
    result = await service.verify()
    assert (result.ok, result.checked, result.first_broken_seq) == (False, 3, 4)
    assert result.reason == "the head says 5 entries, the chain ends at 3"


async def test_blanking_old_addresses_keeps_the_chain_whole(clock: FrozenClock) -> None:
    await _append(clock, 3)
    clock.advance(timedelta(days=7))
    await _append(clock, 1)
    assert await service.forget_addresses(clock.now() - timedelta(days=7)) == 3
    addresses = await AuditEntry.select(AuditEntry.ip).order_by(AuditEntry.seq).output(as_list=True)
    assert addresses == [None, None, None, "192.0.2.10"]
    assert (await service.verify()).ok


async def test_an_entry_written_in_a_rolled_back_transaction_leaves_no_trace(
    clock: FrozenClock, engine: Engine
) -> None:
    await _append(clock, 1)
    with pytest.raises(RuntimeError):
        async with engine.transaction():
            await service.record(1, "case.note_added", office_id=1, now=clock.now())
            raise RuntimeError("the caller's work failed")
    head = await AuditHead.select(AuditHead.seq).first()
    assert head == {"seq": 1}
    await _append(clock, 1)
    result = await service.verify()
    assert (result.ok, result.checked) == (True, 2)


async def test_the_entries_of_a_case_are_listed_newest_first_without_addresses(
    clock: FrozenClock,
) -> None:
    await _append(clock, 3)
    await service.record(8, "case.note_added", office_id=3, case_id=101, now=clock.now())
    listed = await service.entries(case_id=101)
    assert [(entry.seq, entry.action, entry.staff_id) for entry in listed] == [
        (4, "case.note_added", 8),
        (2, "case.read", 7),
    ]
    assert listed[1].detail == {"fields": ["name", "address"]}
