"""`scripts/audit-verify` against the test database: silent success, or the broken link."""

from __future__ import annotations

import asyncio

from app.audit import service
from app.audit.tables import AuditEntry
from app.core.clock import FrozenClock
from app.settings import ROOT


async def _audit_verify() -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        str(ROOT / "scripts" / "audit-verify"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_the_script_reports_an_intact_log_with_its_head(clock: FrozenClock) -> None:
    for case_id in (1, 2, 3):
        recorded = await service.record(
            4, "case.read", office_id=2, case_id=case_id, now=clock.now()
        )
    code, out, _err = await _audit_verify()
    assert code == 0
    assert out.strip() == f"audit log intact: 3 entries, head {recorded.hash}"


async def test_the_script_fails_naming_the_first_broken_link(clock: FrozenClock) -> None:
    for case_id in (1, 2, 3):
        await service.record(4, "case.read", office_id=2, case_id=case_id, now=clock.now())
    await AuditEntry.update({AuditEntry.action: "case.updated"}).where(AuditEntry.seq == 2)
    code, out, err = await _audit_verify()
    assert (code, out) == (1, "")
    assert "audit log BROKEN at entry 2: entry 2 was changed" in err
