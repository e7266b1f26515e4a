"""Append to the hash-chained audit log, and check the chain.

Each entry's hash is SHA-256 over its canonical form (seq, time, who, office, case,
action, detail) and the previous entry's hash, so changing or removing any entry breaks
every link after it; the head row (last seq and hash) also shows entries cut off at the
end. The client address is kept outside the hash: the deletion schedule blanks it after
seven days, and that must not look like tampering.

Someone who can rewrite the whole table and the head can recompute a consistent chain;
publishing the head hash now and then (`python -m app audit-verify` prints it) is what
makes such a rewrite detectable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.audit.schemas import AuditEntry, AuditRecorded, VerifyResult
from app.audit.tables import AuditEntry as EntryRow
from app.audit.tables import AuditHead
from app.core.database import write_transaction

GENESIS = "0" * 64
HEAD_ID = 1
_BATCH = 1000

_ADVANCE = "UPDATE audit_head SET seq = seq + 1 WHERE id = {} RETURNING seq, hash"
_CREATE_HEAD = (
    "INSERT INTO audit_head (id, seq, hash) VALUES ({}, 0, {}) ON CONFLICT (id) DO NOTHING"
)


def canonical(
    *,
    seq: int,
    at: datetime,
    staff_id: int | None,
    office_id: int | None,
    case_id: int | None,
    action: str,
    detail: Any,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash is taken over: a JSON array, keys sorted, no spaces."""
    moment = at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = [seq, moment, staff_id, office_id, case_id, action, detail, prev_hash]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def entry_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


async def record(
    staff_id: int | None,
    action: str,
    *,
    office_id: int | None,
    now: datetime,
    case_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    ip: str | None = None,
) -> AuditRecorded:
    """Append one entry: who (`staff_id`) did `action` from `office_id` on `case_id`.

    `detail` names the kind of data touched (e.g. {"fields": ["address"]}), never values.
    Called inside a caller's transaction, the entry commits or rolls back with its work.

    The UPDATE that advances the head is the lock: it takes the head row's lock until the
    transaction ends (on SQLite the IMMEDIATE transaction already holds the write lock), so
    concurrent appends get consecutive numbers and each sees its predecessor's hash.
    """
    detail = dict(detail or {})
    at = now.astimezone(UTC)
    engine = EntryRow._meta.db
    async with write_transaction(engine):
        rows = await AuditHead.raw(_ADVANCE, HEAD_ID)
        if not rows:
            await AuditHead.raw(_CREATE_HEAD, HEAD_ID, GENESIS)
            rows = await AuditHead.raw(_ADVANCE, HEAD_ID)
        seq, prev_hash = int(rows[0]["seq"]), str(rows[0]["hash"])
        digest = entry_hash(
            seq=seq,
            at=at,
            staff_id=staff_id,
            office_id=office_id,
            case_id=case_id,
            action=action,
            detail=detail,
            prev_hash=prev_hash,
        )
        await EntryRow.insert(
            EntryRow(
                seq=seq,
                at=at,
                staff_id=staff_id,
                office_id=office_id,
                case_id=case_id,
                action=action,
                detail=detail,
                ip=ip,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        await AuditHead.update({AuditHead.hash: digest}).where(AuditHead.id == HEAD_ID)
    return AuditRecorded(seq=seq, hash=digest)


async def verify() -> VerifyResult:
    """Walk the chain from the first entry; name the first broken link and why.

    An edited entry no longer matches its hash; a deleted one leaves a gap in `seq`; a
    cut-off end leaves the head pointing past the last entry.
    """
    expected, prev_hash, checked = 1, GENESIS, 0
    while True:
        rows = await (
            EntryRow.select()
            .where(EntryRow.seq >= expected)
            .order_by(EntryRow.seq)
            .limit(_BATCH)
            .output(load_json=True)
        )
        for row in rows:
            seq = int(row["seq"])
            if seq != expected:
                return VerifyResult(False, checked, expected, f"entry {expected} is missing")
            if row["prev_hash"] != prev_hash:
                return VerifyResult(
                    False, checked, seq, f"entry {seq} does not follow entry {seq - 1}"
                )
            if row["hash"] != _recompute(row):
                return VerifyResult(False, checked, seq, f"entry {seq} was changed")
            prev_hash, expected, checked = row["hash"], seq + 1, checked + 1
        if len(rows) < _BATCH:
            break
    head = await AuditHead.select().where(AuditHead.id == HEAD_ID).first()
    head_seq, head_hash = (int(head["seq"]), str(head["hash"])) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev_hash:
        return VerifyResult(
            False,
            checked,
            min(head_seq, checked) + 1,
            f"the head says {head_seq} entries, the chain ends at {checked}",
        )
    return VerifyResult(True, checked, None, None, head_hash=head_hash)


def _recompute(row: Mapping[str, Any]) -> str:
    detail = row["detail"]
    if isinstance(detail, str | bytes):
        detail = json.loads(detail)
    return entry_hash(
        seq=int(row["seq"]),
        at=row["at"],
        staff_id=row["staff_id"],
        office_id=row["office_id"],
        case_id=row["case_id"],
        action=row["action"],
        detail=detail,
        prev_hash=row["prev_hash"],
    )


async def entries(*, case_id: int | None = None, limit: int = 100) -> list[AuditEntry]:
    """The latest entries (of one case), newest first: who looked at what, and when."""
    query = EntryRow.select().order_by(EntryRow.seq, ascending=False).limit(limit)
    if case_id is not None:
        query = query.where(EntryRow.case_id == case_id)
    rows = await query.output(load_json=True)
    return [
        AuditEntry(
            seq=int(row["seq"]),
            at=row["at"],
            staff_id=row["staff_id"],
            office_id=row["office_id"],
            case_id=row["case_id"],
            action=row["action"],
            detail=row["detail"] if isinstance(row["detail"], dict) else {},
        )
        for row in rows
    ]


async def forget_addresses(before: datetime) -> int:
    """Blank the client address of entries older than `before` (the 7-day schedule)."""
    rows = await (
        EntryRow.update({EntryRow.ip: None})
        .where((EntryRow.at < before) & EntryRow.ip.is_not_null())
        .returning(EntryRow.id)
    )
    return len(rows)
