"""The case tables: the case itself, its timeline, its tokens and the reference counter.

A case row references its service and office by foreign key into the catalogue: the one
table-to-table import allowed across domains (see pyproject.toml's import contracts).
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from app.catalogue.tables import Office, Service


class Case(Table, tablename="cases_case"):
    """One citizen's matter (Vorgang), from the first contact on any channel to its end."""

    id: Serial  # added by Piccolo; declared for the type checker

    reference = Varchar(
        length=32, unique=True, help_text="Short human reference, e.g. 'HD-2026-04711'."
    )
    service_id = ForeignKey(
        Service,
        null=False,
        # A service that has cases is retired (active = False), never deleted.
        on_delete=OnDelete.restrict,
        index=True,
        help_text="What the citizen wants done.",
    )
    office_id = ForeignKey(
        Office,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        help_text="Office handling the case; empty until one is chosen.",
    )
    status = Varchar(
        length=24,
        default="open",
        help_text="open, in_progress, waiting_for_citizen, completed or cancelled.",
    )
    language = Varchar(length=8, help_text="Language the citizen chose, e.g. 'tr'.")
    opened_via = Varchar(
        length=8, help_text="Channel of the first contact: pwa, kiosk, clerk, video or system."
    )
    opened_at = Timestamptz(help_text="When the case was opened (UTC).")
    updated_at = Timestamptz(help_text="Last status change or timeline event (UTC).")
    closed_at = Timestamptz(
        null=True, default=None, help_text="When it was completed or cancelled (UTC)."
    )


class CaseEvent(Table, tablename="cases_event"):
    """One thing that happened to a case, on one channel; rows are never changed."""

    id: Serial  # added by Piccolo; declared for the type checker

    case_id = ForeignKey(
        Case,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Case the event belongs to.",
    )
    at = Timestamptz(help_text="When it happened (UTC).")
    kind = Varchar(length=40, help_text="What happened, e.g. 'checked_in' (EventKind).")
    channel = Varchar(length=8, help_text="Where: pwa, kiosk, clerk, video or system.")
    actor = Varchar(
        length=64,
        null=True,
        default=None,
        help_text="Who or what, e.g. 'kiosk:K2' or 'clerk:17'; empty for the citizen.",
    )
    data = JSON(default="{}", help_text="Details of the event; never personal data.")
    citizen_visible = Boolean(
        default=False, help_text="Shown in the citizen's own view of the timeline."
    )


class CaseToken(Table, tablename="cases_token"):
    """One capability token handed out for a case (a link, a QR code), until revoked.

    The signed token itself is never stored: only its random nonce, which is what the
    signature vouches for and what a lookup needs.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    token_id = Varchar(length=32, unique=True, help_text="The token's 128-bit nonce, in hex.")
    case_id = ForeignKey(
        Case,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Case the token opens.",
    )
    kind = Varchar(length=1, help_text="TokenKind value: c(ase), a(ppointment), t(icket)…")
    created_at = Timestamptz(help_text="When the token was issued (UTC).")
    expires_at = Timestamptz(
        null=True, default=None, help_text="End of validity (UTC); empty means no expiry."
    )
    revoked_at = Timestamptz(
        null=True, default=None, help_text="When the token was withdrawn (UTC)."
    )


class CaseCounter(Table, tablename="cases_counter"):
    """The last reference number handed out for one city code in one year.

    (city_code, year) is unique through an index created in the migration, because
    Piccolo's composite constraints do not work on SQLite.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    city_code = Varchar(length=8, help_text="City code that prefixes references, e.g. 'HD'.")
    year = Integer(help_text="Calendar year in Europe/Berlin.")
    last_number = Integer(default=0, help_text="Highest number already used in that year.")
