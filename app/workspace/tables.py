"""The workspace tables: who handles a case, what the citizen still has to bring, and the
files uploaded to a case (their encrypted bytes live under `data_dir/uploads/`).

Each row references its case by foreign key (deleted with the case): a schema dependency,
the table-to-table import allowed across domains. Staff are named by id without a foreign
key, like in the audit log, so a departed colleague's traces stay readable.
"""

from __future__ import annotations

from piccolo.columns import BigInt, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from app.cases.tables import Case


class Assignment(Table, tablename="workspace_assignment"):
    """The clerk currently handling one case; at most one row per case."""

    id: Serial  # added by Piccolo; declared for the type checker

    case_id = ForeignKey(
        Case,
        null=False,
        unique=True,
        on_delete=OnDelete.cascade,
        help_text="The case handled.",
    )
    staff_id = Integer(help_text="Who handles it (staff member id).")
    assigned_by = Integer(help_text="Who assigned it (staff member id).")
    assigned_at = Timestamptz(help_text="When (UTC).")


class DocumentRequest(Table, tablename="workspace_document_request"):
    """One document a clerk asked the citizen for; the citizen sees it as 'still needed'
    until it is marked received."""

    id: Serial  # added by Piccolo; declared for the type checker

    case_id = ForeignKey(
        Case, null=False, on_delete=OnDelete.cascade, index=True, help_text="The case."
    )
    label = Varchar(length=200, help_text="What is needed, as the citizen reads it.")
    state = Varchar(length=16, default="requested", help_text="'requested' or 'received'.")
    requested_by = Integer(help_text="Who asked for it (staff member id).")
    requested_at = Timestamptz(help_text="When it was asked for (UTC).")
    received_at = Timestamptz(null=True, default=None, help_text="When it arrived (UTC).")


class Upload(Table, tablename="workspace_upload"):
    """One file attached to a case (PDF, JPEG or PNG), stored AES-256-GCM encrypted."""

    id: Serial  # added by Piccolo; declared for the type checker

    case_id = ForeignKey(
        Case, null=False, on_delete=OnDelete.cascade, index=True, help_text="The case."
    )
    storage_key = Varchar(
        length=64,
        unique=True,
        help_text="Random name of the encrypted file under data_dir/uploads/; also the "
        "additional data of its encryption, so files cannot be swapped.",
    )
    filename = Varchar(length=200, help_text="The name it was uploaded with, sanitised.")
    media_type = Varchar(length=40, help_text="application/pdf, image/jpeg or image/png (sniffed).")
    size = BigInt(help_text="Bytes of the plaintext.")
    sha256 = Varchar(length=64, help_text="SHA-256 of the plaintext, hex.")
    uploaded_by = Integer(help_text="Who uploaded it (staff member id).")
    uploaded_at = Timestamptz(help_text="When (UTC).")
