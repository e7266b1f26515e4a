"""The one table of the anti-bot domain: solved challenges that were already accepted."""

from __future__ import annotations

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class SpentChallenge(Table, tablename="antibot_spent_challenge"):
    """One solved ALTCHA challenge that a request was accepted with; kept until it expires.

    The primary key is what makes a proof count once across any number of app processes:
    the second insert of the same signature inserts nothing.
    """

    signature = Varchar(
        length=128,
        primary_key=True,
        help_text="The challenge's HMAC signature (hex), which names it.",
    )
    expires_at = Timestamptz(
        index=True, help_text="After this moment (UTC) the challenge is refused anyway."
    )
    spent_at = Timestamptz(help_text="When a request was accepted with it (UTC).")
