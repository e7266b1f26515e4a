"""The kiosk devices: one row per terminal, from its enrolment code to its revocation.

A device references its office by foreign key into the catalogue, a table-to-table import
allowed across domains (see pyproject.toml's import contracts).
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from app.catalogue.tables import Office


class Device(Table, tablename="kiosk_device"):
    """One kiosk terminal of one office: created with a one-time enrolment code, then
    holding its own credential until an administrator or the office's lead revokes it."""

    id: Serial  # added by Piccolo; declared for the type checker

    office = ForeignKey(
        Office,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="The office whose floor the terminal stands on.",
    )
    name = Varchar(length=80, help_text="What staff call it, e.g. 'Entrance, left'.")
    code_hash = Varchar(
        length=64,
        null=True,
        default=None,
        unique=True,
        secret=True,
        help_text="HMAC-SHA256 (hex, keyed from the app's secret key) of the enrolment "
        "code; empty once redeemed. Never the code.",
    )
    code_expires_at = Timestamptz(
        null=True, default=None, help_text="The enrolment code works until then (UTC)."
    )
    credential_hash = Varchar(
        length=64,
        null=True,
        default=None,
        unique=True,
        secret=True,
        help_text="SHA-256 (hex) of the device credential; empty until enrolled. Never "
        "the credential.",
    )
    enrolled_at = Timestamptz(
        null=True, default=None, help_text="When the terminal redeemed its code (UTC)."
    )
    last_seen_at = Timestamptz(
        null=True,
        default=None,
        help_text="The terminal's latest authenticated request (UTC), to the minute.",
    )
    revoked_at = Timestamptz(
        null=True,
        default=None,
        help_text="From then on (UTC) neither its code nor its credential works.",
    )
    created_at = Timestamptz(help_text="When the device was created (UTC).")
