"""Staff accounts and their roles per office: create, grant, look up who is signed in.

Other domains reach staff through `app.staff.guards` (for routes) or this module.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from app.audit import service as audit
from app.catalogue import service as catalogue
from app.core.database import write_transaction
from app.staff import accounts, passwords, totp
from app.staff.accounts import Change
from app.staff.errors import InvalidUsername, StaffMemberNotFound, UsernameTaken
from app.staff.schemas import Colleague, Role, Staff, StaffMember, StaffMemberCreate
from app.staff.schemas import OfficeRole as OfficeRoleOut
from app.staff.tables import Membership
from app.staff.tables import StaffMember as MemberRow

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")


def normalize_username(username: str) -> str:
    """User names are matched case-insensitively: stored and compared in lower case."""
    return username.strip().lower()


async def create_staff(
    data: StaffMemberCreate, *, now: datetime, by: Change | None = None
) -> StaffMember:
    """A new account (raises UsernameTaken, InvalidUsername, WeakPassword); audited when
    an administrator (`by`) creates it. It has no second factor yet: its first login
    enrols one (`login.enrolment_secret`)."""
    username = normalize_username(data.username)
    if not _USERNAME.fullmatch(username):
        raise InvalidUsername(field="username")
    display_name = data.display_name.strip()[:120] or username
    password_hash = await passwords.hash_password(data.password)  # outside the lock: slow
    async with write_transaction(MemberRow._meta.db):
        rows = await (
            MemberRow.insert(
                MemberRow(
                    username=username,
                    display_name=display_name,
                    password_hash=password_hash,
                    is_admin=data.is_admin,
                    created_at=now,
                    updated_at=now,
                )
            )
            .on_conflict(target=MemberRow.username, action="DO NOTHING")
            .returning(MemberRow.id)
        )
        if not rows:
            raise UsernameTaken(field="username")
        if by is not None:
            detail = {"staff_id": int(rows[0]["id"]), "admin": data.is_admin}
            await _audit(by, "staff.created", None, detail)
    return StaffMember(
        id=int(rows[0]["id"]),
        username=username,
        display_name=display_name,
        is_admin=data.is_admin,
        active=True,
        enrolled=False,
    )


async def grant_role(
    staff_id: int, office_id: int, role: Role, *, now: datetime, by: Change | None = None
) -> None:
    """Make `staff_id` a clerk or lead of `office_id`; a second grant changes the role.

    Raises StaffMemberNotFound or OfficeNotFound for an id that does not exist.
    """
    async with write_transaction(Membership._meta.db):
        if not await MemberRow.exists().where(MemberRow.id == staff_id):
            raise StaffMemberNotFound()
        await catalogue.get_office_by_id(office_id, "de")  # raises OfficeNotFound
        await Membership.insert(
            Membership(staff=staff_id, office=office_id, role=role, created_at=now)
        ).on_conflict(
            target=(Membership.staff, Membership.office),
            action="DO UPDATE",
            values=[Membership.role],
        )
        if by is not None:
            await _audit(by, "staff.role_granted", office_id, {"staff_id": staff_id, "role": role})


async def revoke_role(staff_id: int, office_id: int, *, by: Change | None = None) -> bool:
    """Withdraw `staff_id`'s role in `office_id`; False if they had none there."""
    async with write_transaction(Membership._meta.db):
        rows = await (
            Membership.delete()
            .where((Membership.staff == staff_id) & (Membership.office == office_id))
            .returning(Membership.id)
        )
        if rows and by is not None:
            await _audit(by, "staff.role_revoked", office_id, {"staff_id": staff_id})
    return bool(rows)


async def set_active(staff_id: int, active: bool, *, now: datetime) -> bool:
    """Deactivate someone who left (their sessions end at once), or take them back;
    False if there is no such account. Raises LastAdmin for the last active admin."""
    try:
        await accounts.set_active(staff_id, active, Change(None, now, None))
    except StaffMemberNotFound:
        return False
    return True


async def _audit(by: Change, action: str, office_id: int | None, detail: dict[str, Any]) -> None:
    await audit.record(
        by.staff_id, action, office_id=office_id, now=by.now, detail=detail, ip=by.ip
    )


async def signed_in_staff(staff_id: int, *, since: datetime | None = None) -> Staff | None:
    """The active, enrolled account `staff_id` with its offices, or None; None also for a
    session signed in `since` a moment at or before the account ended its sessions."""
    row = await (
        MemberRow.select(
            MemberRow.id,
            MemberRow.username,
            MemberRow.display_name,
            MemberRow.is_admin,
            MemberRow.sessions_valid_after,
        )
        .where(
            (MemberRow.id == staff_id)
            & (MemberRow.active == True)  # noqa: E712 — Piccolo builds SQL from ==
            & MemberRow.totp_enrolled_at.is_not_null()
        )
        .first()
    )
    if row is None:
        return None
    ended = row["sessions_valid_after"]
    if since is not None and ended is not None and since <= ended:
        return None
    return Staff(
        id=int(row["id"]),
        username=row["username"],
        display_name=row["display_name"],
        is_admin=bool(row["is_admin"]),
        offices=await _offices_of(staff_id),
    )


async def _offices_of(staff_id: int) -> list[OfficeRoleOut]:
    rows = await (
        Membership.select(
            Membership.office.as_alias("office_id"),
            Membership.office.name.as_alias("office_name"),
            Membership.role,
        )
        .where(Membership.staff == staff_id)
        .order_by(Membership.office.name)
    )
    return [OfficeRoleOut(int(r["office_id"]), r["office_name"], r["role"]) for r in rows]


async def colleagues(office_id: int) -> list[Colleague]:
    """The active people working in `office_id`, by name."""
    rows = await (
        Membership.select(
            Membership.staff.as_alias("staff_id"),
            Membership.staff.display_name.as_alias("display_name"),
            Membership.role,
        )
        .where((Membership.office == office_id) & (Membership.staff.active == True))  # noqa: E712
        .order_by(Membership.staff.display_name)
    )
    return [Colleague(int(r["staff_id"]), r["display_name"], r["role"]) for r in rows]


async def account(username: str) -> dict[str, Any] | None:
    """The row of an active account by user name, for the login (secrets included)."""
    row: dict[str, Any] | None = (
        await MemberRow.select(*MemberRow.all_columns())
        .where(
            (MemberRow.username == normalize_username(username)) & (MemberRow.active == True)  # noqa: E712
        )
        .first()
    )
    return row


async def account_by_id(staff_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await MemberRow.select(*MemberRow.all_columns())
        .where((MemberRow.id == staff_id) & (MemberRow.active == True))  # noqa: E712
        .first()
    )
    return row


async def issue_totp_secret(staff_id: int, *, secret_key: bytes, now: datetime) -> str | None:
    """The secret to enrol with: issued once, and shown again until the first code arrives.

    The conditional UPDATE keeps two logins at once from issuing two different secrets;
    None if the account has already enrolled (its secret is never shown again).
    """
    fresh = totp.encrypt(totp.new_secret(), staff_id=staff_id, secret_key=secret_key)
    await MemberRow.update({MemberRow.totp_secret: fresh, MemberRow.updated_at: now}).where(
        (MemberRow.id == staff_id) & MemberRow.totp_secret.is_null()
    )
    row = await (
        MemberRow.select(MemberRow.totp_secret)
        .where((MemberRow.id == staff_id) & MemberRow.totp_enrolled_at.is_null())
        .first()
    )
    if row is None or row["totp_secret"] is None:
        return None
    return totp.decrypt(row["totp_secret"], staff_id=staff_id, secret_key=secret_key)


async def set_enrolled_secret(
    staff_id: int, secret: str, *, secret_key: bytes, now: datetime
) -> None:
    """Store a known, already enrolled secret (the demo accounts, whose secret is printed)."""
    stored = totp.encrypt(secret, staff_id=staff_id, secret_key=secret_key)
    await MemberRow.update(
        {MemberRow.totp_secret: stored, MemberRow.totp_enrolled_at: now, MemberRow.updated_at: now}
    ).where(MemberRow.id == staff_id)
