"""What the staff domain hands out and accepts: the signed-in person, login steps, accounts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Annotated, Literal

import msgspec

Role = Literal["clerk", "lead"]
ROLES: tuple[Role, ...] = ("clerk", "lead")
ADMIN = "admin"  # what `role_in` says for an administrator without a membership
LoginNext = Literal["totp", "enrol"]


class OfficeRole(msgspec.Struct, frozen=True):
    """One office a staff member works in, and as what."""

    office_id: int
    office_name: str
    role: Role


class Staff(msgspec.Struct, frozen=True):
    """A signed-in staff member with their offices: what guards check and `/me` shows."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    offices: list[OfficeRole]

    def role_in(self, office_id: int) -> str | None:
        """'clerk' or 'lead' for a member, 'admin' for an administrator, else None."""
        for office in self.offices:
            if office.office_id == office_id:
                return office.role
        return ADMIN if self.is_admin else None

    def may(self, office_id: int, roles: Collection[str]) -> bool:
        """Whether this person may act in `office_id` with one of `roles`; admins always."""
        return self.is_admin or self.role_in(office_id) in roles


class SessionState(msgspec.Struct, frozen=True):
    """Whether this browser is signed in; `expired` once, right after a session ended."""

    state: Literal["signed_in", "expired", "none"]
    staff: Staff | None = None


class Colleague(msgspec.Struct, frozen=True):
    """Someone who works in an office, as colleagues see them."""

    staff_id: int
    display_name: str
    role: Role


class Credentials(msgspec.Struct, forbid_unknown_fields=True):
    """The first login step."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class TotpCode(msgspec.Struct, forbid_unknown_fields=True):
    """The second login step: the six digits an authenticator app shows."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


class Enrolment(msgspec.Struct, frozen=True):
    """A second factor to set up: scan the QR code (or type the secret), then send a code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class LoginStep(msgspec.Struct, frozen=True):
    """The answer to a correct password: which second step comes next."""

    next: LoginNext
    enrolment: Enrolment | None = None


class StaffMemberCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new account; the second factor is set up at its first login."""

    username: str
    display_name: str
    password: str
    is_admin: bool = False


class RoleGrant(msgspec.Struct, forbid_unknown_fields=True):
    """The role to give someone in an office."""

    role: Role


class StaffMember(msgspec.Struct, frozen=True):
    """An account as administrators see it; no secrets."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    active: bool
    enrolled: bool


class StaffAccount(msgspec.Struct, frozen=True):
    """An account as the administration lists it: offices and roles, whether it is locked
    (until when, UTC) and when its holder last logged in (UTC, to the half minute)."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    active: bool
    enrolled: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    offices: list[OfficeRole]
