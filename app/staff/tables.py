"""The staff tables: accounts with their second factor, and who works in which office.

A membership references its office by foreign key into the catalogue, the one
table-to-table import allowed across domains (see pyproject.toml's import contracts).
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from app.catalogue.tables import Office


class StaffMember(Table, tablename="staff_member"):
    """One person who works for the city and logs in to the clerk workspace."""

    id: Serial  # added by Piccolo; declared for the type checker

    username = Varchar(
        length=64, unique=True, help_text="Login name, lower case, e.g. 'a.schmidt'."
    )
    display_name = Varchar(length=120, help_text="Name shown to colleagues, e.g. 'Anna Schmidt'.")
    password_hash = Varchar(
        length=255, secret=True, help_text="argon2id hash in PHC format; never the password."
    )
    totp_secret = Text(
        null=True,
        default=None,
        secret=True,
        help_text="The TOTP secret, AES-GCM encrypted with a key derived from the app's "
        "secret key; empty until one is issued.",
    )
    totp_enrolled_at = Timestamptz(
        null=True,
        default=None,
        help_text="When the first code was confirmed (UTC); until then login means enrolment.",
    )
    last_totp_step = Integer(
        default=0,
        help_text="Time step (30 s) of the last accepted code; a code is accepted once.",
    )
    failed_logins = Integer(
        default=0, help_text="Wrong passwords and codes since the last login or lock-out."
    )
    locked_until = Timestamptz(
        null=True, default=None, help_text="No login before this moment (UTC), after failures."
    )
    active = Boolean(default=True, help_text="False once the person has left: no login.")
    sessions_valid_after = Timestamptz(
        null=True,
        default=None,
        help_text="Sessions signed in at or before this moment (UTC) are over: set when the "
        "account is deactivated or its second factor reset.",
    )
    is_admin = Boolean(default=False, help_text="Administrators see and manage every office.")
    created_at = Timestamptz(help_text="When the account was created (UTC).")
    updated_at = Timestamptz(help_text="Last change to the account (UTC).")


class Membership(Table, tablename="staff_membership"):
    """One staff member's role in one office; (staff, office) is unique.

    The uniqueness is an index created in the migration, because Piccolo's composite
    constraints do not work on SQLite.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    staff = ForeignKey(
        StaffMember,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Who works there.",
    )
    office = ForeignKey(
        Office,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Where they work.",
    )
    role = Varchar(length=16, help_text="'clerk' (serves citizens) or 'lead' (also manages).")
    created_at = Timestamptz(help_text="When the role was granted (UTC).")
