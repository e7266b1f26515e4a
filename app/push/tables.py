"""Tables of the push domain: subscriptions, their cases, and the notices sent to them."""

from __future__ import annotations

from piccolo.columns import JSON, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from app.cases.tables import Case


class PushSubscription(Table, tablename="push_subscription"):
    """One browser's push subscription (PushSubscription.toJSON()): where to post, and
    the keys a message is encrypted to."""

    id: Serial

    endpoint = Varchar(
        length=2048, unique=True, help_text="The push service URL to post to; a capability."
    )
    p256dh = Varchar(length=100, help_text="The browser's P-256 public key, base64url.")
    auth = Varchar(length=40, help_text="The browser's 16-byte auth secret, base64url.")
    language = Varchar(length=8, help_text="The language the citizen subscribed in.")
    created_at = Timestamptz(help_text="When it was first stored (UTC).")
    last_used_at = Timestamptz(
        index=True, help_text="Last subscribe call or delivery; idle ones are removed."
    )
    expires_at = Timestamptz(
        null=True, default=None, help_text="The browser's expirationTime, if it gave one."
    )


class PushLink(Table, tablename="push_link"):
    """One case a subscription receives notices for; unique per pair."""

    id: Serial

    subscription = ForeignKey(
        PushSubscription,
        null=False,
        on_delete=OnDelete.cascade,
        help_text="The subscription.",
    )
    case_id = ForeignKey(
        Case, null=False, on_delete=OnDelete.cascade, index=True, help_text="The case."
    )
    created_at = Timestamptz(help_text="When the case was linked (UTC).")


class PushNotice(Table, tablename="push_notice"):
    """One thing to tell the holders of a case, e.g. a reminder. The push message carries
    only `notice_id`; the text is fetched with the case's token and rendered then."""

    id: Serial

    notice_id = Varchar(
        length=32, unique=True, help_text="Opaque random id (128 bit), the push payload."
    )
    case_id = ForeignKey(
        Case, null=False, on_delete=OnDelete.cascade, index=True, help_text="The case."
    )
    kind = Varchar(length=32, help_text="What it says, e.g. 'reminder' (app.push.kinds).")
    params = JSON(default="{}", help_text="Values for the text, e.g. the start; no names.")
    language = Varchar(length=8, help_text="The case's language when it was created.")
    topic = Varchar(
        length=32, null=True, default=None, help_text="RFC 8030 Topic: a newer one replaces it."
    )
    urgency = Varchar(length=8, help_text="RFC 8030 Urgency: very-low, low, normal or high.")
    dedupe_key = Varchar(
        length=200,
        null=True,
        default=None,
        unique=True,
        help_text="Key of a notice that may be withdrawn, e.g. a reminder.",
    )
    created_at = Timestamptz(help_text="When it was created (UTC).")
    due_at = Timestamptz(help_text="When it is sent (UTC).")
    expires_at = Timestamptz(
        index=True, help_text="After this it is outdated: never delivered, never shown."
    )
