"""What the audit log hands out: an appended link, the verifier's verdict, an entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class AuditRecorded(msgspec.Struct, frozen=True):
    """The link just appended."""

    seq: int
    hash: str


class VerifyResult(msgspec.Struct, frozen=True):
    """The chain's check: ok, how many entries were sound, and the first broken link."""

    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str | None
    head_hash: str | None = None


class AuditEntry(msgspec.Struct, frozen=True):
    """One entry as an auditor reads it (the client address is left out)."""

    seq: int
    at: datetime
    staff_id: int | None
    office_id: int | None
    case_id: int | None
    action: str
    detail: dict[str, Any]
