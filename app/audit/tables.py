"""The audit log: one row per access to personal data, chained by hashes, and its head.

No foreign keys on purpose: the log must outlive the staff accounts, offices and cases it
names, and a cascading delete would break the chain.
"""

from __future__ import annotations

from piccolo.columns import JSON, BigInt, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_entry"):
    """One thing a staff member did with personal data (or a login), never changed."""

    id: Serial  # added by Piccolo; declared for the type checker

    seq = BigInt(unique=True, help_text="Position in the chain: 1, 2, 3 … without gaps.")
    at = Timestamptz(help_text="When it happened (UTC).")
    staff_id = Integer(
        null=True, default=None, help_text="Who (staff member id); empty for an unknown user."
    )
    office_id = Integer(
        null=True, default=None, help_text="From which office they acted; empty for logins."
    )
    case_id = Integer(null=True, default=None, index=True, help_text="Which case, if any.")
    action = Varchar(length=64, help_text="What, e.g. 'case.read' or 'staff.login'.")
    detail = JSON(
        default="{}",
        help_text="Which kind of data was touched, e.g. {'fields': ['name']}; never the values.",
    )
    ip = Varchar(
        length=45,
        null=True,
        default=None,
        help_text="Client address; not covered by the hash, so the deletion schedule can "
        "blank it after 7 days without breaking the chain.",
    )
    prev_hash = Varchar(length=64, help_text="Hash of the entry before (64 zeros for the first).")
    hash = Varchar(length=64, help_text="SHA-256 over this entry's canonical form and prev_hash.")


class AuditHead(Table, tablename="audit_head"):
    """The chain's end, one row (id 1): the last sequence number and its hash.

    Appending advances it with an UPDATE in the same transaction as the insert; that row
    lock orders concurrent appends. It also shows when entries were cut off at the end.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    seq = BigInt(default=0, help_text="Sequence number of the last entry; 0 when empty.")
    hash = Varchar(length=64, help_text="Hash of the last entry; 64 zeros when empty.")
