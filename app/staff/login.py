"""The two login steps, password then TOTP code, with the account lock-out.

Every attempt first reserves itself with a conditional UPDATE (`failed_logins < 5` and not
locked): concurrent guesses cannot check more than five passwords or codes before the
lock, and there is no read-then-write window. A right password hands its reservation
back; the reservation that fails as the fifth locks the account for fifteen minutes.
A full login clears the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.audit import service as audit
from app.core.clock import BERLIN
from app.staff import passwords, service, totp
from app.staff.errors import AccountLocked, InvalidCredentials, InvalidTotp, TotpReplayed
from app.staff.tables import StaffMember

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
TIME_ZONE = "Europe/Berlin"

_RESERVE = (
    "UPDATE staff_member SET failed_logins = failed_logins + 1 "
    "WHERE id = {} AND failed_logins < {} AND (locked_until IS NULL OR locked_until <= {}) "
    "RETURNING id"
)
_REFUND = (
    "UPDATE staff_member SET failed_logins = failed_logins - 1 WHERE id = {} AND failed_logins > 0"
)
_LOCK = (
    "UPDATE staff_member SET locked_until = {}, failed_logins = 0, updated_at = {} "
    "WHERE id = {} AND failed_logins >= {} RETURNING locked_until"
)
# The step is accepted once: a code whose step is not newer than the last one is a replay.
_ACCEPT_STEP = (
    "UPDATE staff_member SET last_totp_step = {}, failed_logins = 0, locked_until = NULL, "
    "totp_enrolled_at = COALESCE(totp_enrolled_at, {}), updated_at = {} "
    "WHERE id = {} AND last_totp_step < {} AND active RETURNING id"
)


@dataclass(frozen=True, slots=True)
class PasswordChecked:
    staff_id: int
    username: str
    enrolled: bool


def _locked(until: datetime) -> AccountLocked:
    return AccountLocked(until=until.astimezone(BERLIN).strftime("%H:%M"), zone=TIME_ZONE)


async def _reserve(row: dict[str, Any], now: datetime) -> None:
    """Count this attempt up front, or raise AccountLocked."""
    if await StaffMember.raw(_RESERVE, row["id"], MAX_FAILURES, now):
        return
    until = row["locked_until"]
    # No lock yet, but five attempts in flight: the lock is about to be set.
    raise _locked(until if until and until > now else now + LOCK_DURATION)


async def _failed(staff_id: int, now: datetime) -> AccountLocked | None:
    """The reserved attempt failed; the fifth one locks the account (returned, to raise)."""
    until = now + LOCK_DURATION
    rows = await StaffMember.raw(_LOCK, until, now, staff_id, MAX_FAILURES)
    return _locked(until) if rows else None


async def check_password(
    username: str, password: str, *, now: datetime, ip: str | None
) -> PasswordChecked:
    """The first step: raises InvalidCredentials (also for unknown users) or AccountLocked."""
    row = await service.account(username)
    if row is None:
        await passwords.verify_nobody(password)
        await audit.record(
            None, "staff.login_failed", office_id=None, now=now, detail={"step": "password"}, ip=ip
        )
        raise InvalidCredentials()
    await _reserve(row, now)
    if not await passwords.verify(row["password_hash"], password):
        await audit.record(
            row["id"],
            "staff.login_failed",
            office_id=None,
            now=now,
            detail={"step": "password"},
            ip=ip,
        )
        raise await _failed(row["id"], now) or InvalidCredentials()
    await StaffMember.raw(_REFUND, row["id"])
    if passwords.needs_rehash(row["password_hash"]):
        await _rehash(row["id"], password, now)
    return PasswordChecked(row["id"], row["username"], row["totp_enrolled_at"] is not None)


async def _rehash(staff_id: int, password: str, now: datetime) -> None:
    new_hash = await passwords.hash_password(password)
    await StaffMember.update(
        {StaffMember.password_hash: new_hash, StaffMember.updated_at: now}
    ).where(StaffMember.id == staff_id)


async def check_code(
    staff_id: int, code: str, *, secret_key: bytes, now: datetime, ip: str | None
) -> None:
    """The second step (also the enrolment's confirmation): a current, unused code.

    Raises InvalidTotp, TotpReplayed or AccountLocked; on success the account is enrolled
    and its failure count cleared.
    """
    row = await service.account_by_id(staff_id)
    if row is None or row["totp_secret"] is None:
        raise InvalidCredentials()
    await _reserve(row, now)
    secret = totp.decrypt(row["totp_secret"], staff_id=staff_id, secret_key=secret_key)
    step = totp.matching_step(secret, code, now)
    if step is None:
        await audit.record(
            staff_id,
            "staff.login_failed",
            office_id=None,
            now=now,
            detail={"step": "totp"},
            ip=ip,
        )
        raise await _failed(staff_id, now) or InvalidTotp(field="code")
    if not await StaffMember.raw(_ACCEPT_STEP, step, now, now, staff_id, step):
        await StaffMember.raw(_REFUND, staff_id)
        raise TotpReplayed(field="code")
    detail = {} if row["totp_enrolled_at"] else {"second_factor": "enrolled"}
    await audit.record(staff_id, "staff.login", office_id=None, now=now, detail=detail, ip=ip)


async def enrolment_secret(staff_id: int, *, secret_key: bytes, now: datetime) -> str | None:
    """The secret to show for enrolment, or None once the account has enrolled."""
    return await service.issue_totp_secret(staff_id, secret_key=secret_key, now=now)


async def logged_out(staff_id: int, *, now: datetime, ip: str | None) -> None:
    await audit.record(staff_id, "staff.logout", office_id=None, now=now, ip=ip)
