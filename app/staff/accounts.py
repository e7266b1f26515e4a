"""What administrators do to staff accounts: list them, make and unmake administrators,
deactivate and reactivate, unlock, reset the second factor. Every change is audited in
the same transaction as the change itself.

The last active administrator cannot be deactivated or demoted, or nobody could administer
the city any more. Two administrators deactivating each other at once must not both
succeed, so every change of who is an active administrator runs one at a time: SQLite's
IMMEDIATE transaction holds the database's write lock, and on PostgreSQL a transaction-
scoped advisory lock does the same for these changes only. Inside it, a conditional
UPDATE checks for another active administrator and makes the change in one statement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from app.audit import service as audit
from app.core.database import write_transaction
from app.staff.errors import LastAdmin, StaffMemberNotFound
from app.staff.schemas import OfficeRole, StaffAccount
from app.staff.tables import Membership, StaffMember

# Any fixed number: the key of the advisory lock that serialises admin changes (Postgres).
_ADMIN_LOCK_KEY = 7_318_406_211
_TOTP_STEP_SECONDS = 30  # pyotp's default interval, which app.staff.totp keeps
# Both only while someone else stays an active administrator (or the target is none).
_DEACTIVATE = (
    "UPDATE staff_member SET active = FALSE, sessions_valid_after = {}, updated_at = {} "
    "WHERE id = {} AND (NOT is_admin OR NOT active OR EXISTS (SELECT 1 FROM staff_member "
    "AS other WHERE other.is_admin AND other.active AND other.id <> {})) RETURNING id"
)
_DEMOTE = (
    "UPDATE staff_member SET is_admin = FALSE, updated_at = {} "
    "WHERE id = {} AND (NOT is_admin OR NOT active OR EXISTS (SELECT 1 FROM staff_member "
    "AS other WHERE other.is_admin AND other.active AND other.id <> {})) RETURNING id"
)


@dataclass(frozen=True, slots=True)
class Change:
    """Who changes an account (None: the system, e.g. the CLI), when, and from where:
    what the audit log records."""

    staff_id: int | None
    now: datetime
    ip: str | None


async def list_accounts(now: datetime) -> list[StaffAccount]:
    """Every account with its offices and roles, lock state and last login, by name."""
    members = await StaffMember.select(
        StaffMember.id,
        StaffMember.username,
        StaffMember.display_name,
        StaffMember.is_admin,
        StaffMember.active,
        StaffMember.totp_enrolled_at,
        StaffMember.locked_until,
        StaffMember.last_totp_step,
    ).order_by(StaffMember.display_name)
    roles = await Membership.select(
        Membership.staff,
        Membership.office.as_alias("office_id"),
        Membership.office.name.as_alias("office_name"),
        Membership.role,
    ).order_by(Membership.office.name)
    offices: dict[int, list[OfficeRole]] = defaultdict(list)
    for row in roles:
        offices[int(row["staff"])].append(
            OfficeRole(int(row["office_id"]), row["office_name"], row["role"])
        )
    return [_account(row, offices[int(row["id"])], now) for row in members]


def _account(row: dict[str, Any], offices: list[OfficeRole], now: datetime) -> StaffAccount:
    locked_until = row["locked_until"]
    step = int(row["last_totp_step"])
    return StaffAccount(
        id=int(row["id"]),
        username=row["username"],
        display_name=row["display_name"],
        is_admin=bool(row["is_admin"]),
        active=bool(row["active"]),
        enrolled=row["totp_enrolled_at"] is not None,
        locked_until=locked_until if locked_until and locked_until > now else None,
        # Every login ends with a TOTP code accepted once; its time step is the login's
        # time to the half minute, so no column of its own is needed.
        last_login_at=datetime.fromtimestamp(step * _TOTP_STEP_SECONDS, UTC) if step else None,
        offices=offices,
    )


async def set_active(staff_id: int, active: bool, change: Change) -> None:
    """Deactivate someone who left (their sessions end at once), or take them back.

    Raises StaffMemberNotFound, or LastAdmin for the last active administrator.
    """
    async with write_transaction(_engine()):
        if active:
            rows = await (
                StaffMember.update({StaffMember.active: True, StaffMember.updated_at: change.now})
                .where(StaffMember.id == staff_id)
                .returning(StaffMember.id)
            )
        else:
            await _one_admin_change_at_a_time()
            rows = await StaffMember.raw(_DEACTIVATE, change.now, change.now, staff_id, staff_id)
        action = "staff.reactivated" if active else "staff.deactivated"
        await _settle(rows, staff_id, action, change)


async def set_admin(staff_id: int, is_admin: bool, change: Change) -> None:
    """Make someone an administrator, or no longer one (not the last active one)."""
    async with write_transaction(_engine()):
        if is_admin:
            rows = await (
                StaffMember.update({StaffMember.is_admin: True, StaffMember.updated_at: change.now})
                .where(StaffMember.id == staff_id)
                .returning(StaffMember.id)
            )
        else:
            await _one_admin_change_at_a_time()
            rows = await StaffMember.raw(_DEMOTE, change.now, staff_id, staff_id)
        action = "staff.admin_granted" if is_admin else "staff.admin_revoked"
        await _settle(rows, staff_id, action, change)


async def unlock(staff_id: int, change: Change) -> None:
    """Lift a lock-out after failed logins, and forget the failures."""
    async with write_transaction(_engine()):
        rows = await (
            StaffMember.update(
                {
                    StaffMember.locked_until: None,
                    StaffMember.failed_logins: 0,
                    StaffMember.updated_at: change.now,
                }
            )
            .where(StaffMember.id == staff_id)
            .returning(StaffMember.id)
        )
        await _settle(rows, staff_id, "staff.unlocked", change)


async def reset_second_factor(staff_id: int, change: Change) -> None:
    """Forget the account's TOTP secret (a lost phone): its sessions end, and its next
    login enrols a new authenticator app, as a new account's first login does."""
    async with write_transaction(_engine()):
        rows = await (
            StaffMember.update(
                {
                    StaffMember.totp_secret: None,
                    StaffMember.totp_enrolled_at: None,
                    StaffMember.sessions_valid_after: change.now,
                    StaffMember.updated_at: change.now,
                }
            )
            .where(StaffMember.id == staff_id)
            .returning(StaffMember.id)
        )
        await _settle(rows, staff_id, "staff.second_factor_reset", change)


async def _settle(rows: list[Any], staff_id: int, action: str, change: Change) -> None:
    """Audit a change that happened; explain one that did not (and roll back)."""
    if not rows:
        exists = await StaffMember.exists().where(StaffMember.id == staff_id)
        raise LastAdmin() if exists else StaffMemberNotFound()
    await audit.record(
        change.staff_id,
        action,
        office_id=None,
        now=change.now,
        detail={"staff_id": staff_id},
        ip=change.ip,
    )


async def _one_admin_change_at_a_time() -> None:
    engine = _engine()
    if isinstance(engine, PostgresEngine):
        await StaffMember.raw("SELECT pg_advisory_xact_lock({})", _ADMIN_LOCK_KEY)


def _engine() -> Any:
    return StaffMember._meta.db
