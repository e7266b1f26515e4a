"""What the data export and the deletion schedules do with mails: list those of a case,
forget who they went to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.notify.tables import Mail as MailRow

ERASED = ""  # what a forgotten recipient reads as: the column is not nullable


async def forget_recipients(sent_before: datetime) -> int:
    """Blank the recipient of mails sent (or failed) before `sent_before`; how many."""
    rows = await (
        MailRow.update({MailRow.recipient: ERASED})
        .where(
            (MailRow.state != "queued")
            & (MailRow.created_at < sent_before)
            & (MailRow.recipient != ERASED)
        )
        .returning(MailRow.id)
    )
    return len(rows)


async def forget_case(case_id: int) -> int:
    """Blank the recipients of a case's mails and drop those not yet sent; how many."""
    await MailRow.delete().where((MailRow.case_id == case_id) & (MailRow.state == "queued"))
    rows = await (
        MailRow.update({MailRow.recipient: ERASED})
        .where((MailRow.case_id == case_id) & (MailRow.recipient != ERASED))
        .returning(MailRow.id)
    )
    return len(rows)


async def delete_of_cases(case_ids: Sequence[int]) -> int:
    """Delete the mails of deleted cases (they have no foreign key to cascade)."""
    if not case_ids:
        return 0
    rows = await (
        MailRow.delete()
        .where(MailRow.case_id.is_in(list(case_ids)) & (MailRow.state != "queued"))
        .returning(MailRow.id)
    )
    return len(rows)
