from piccolo.columns import JSON, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class Job(Table):
    """One piece of background work: what to do, when, and how far it got."""

    id: Serial

    kind = Varchar(length=64, help_text="Which handler runs it, e.g. 'mail.send'.")
    payload = JSON(default="{}", help_text="The handler's arguments; ids, never personal data.")
    due_at = Timestamptz(index=True, help_text="Not run before this moment (UTC).")
    state = Varchar(
        length=16,
        default="pending",
        index=True,
        help_text="pending → running → done; failed attempts go back to pending; 'dead' "
        "after max_attempts.",
    )
    attempts = Integer(default=0, help_text="How often a worker has claimed it.")
    max_attempts = Integer(default=8, help_text="After this many failures it is 'dead'.")
    worker = Varchar(length=64, null=True, default=None, help_text="Who holds the lease.")
    lease_until = Timestamptz(
        null=True, default=None, help_text="A running job whose lease ran out is claimed again."
    )
    dedupe_key = Varchar(
        length=200,
        null=True,
        default=None,
        unique=True,
        help_text="Enqueueing the same key twice creates one job (e.g. 'reminder-48h:A17').",
    )
    last_error = Text(null=True, default=None, help_text="Why the last attempt failed.")
    created_at = Timestamptz(help_text="When it was enqueued.")
    finished_at = Timestamptz(null=True, default=None, help_text="When it was done or gave up.")
