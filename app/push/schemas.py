"""What the push API accepts and hands out. The subscription is the browser's own
`PushSubscription.toJSON()`, so the PWA posts it unchanged."""

from __future__ import annotations

from typing import Annotated

import msgspec

Token = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Key = Annotated[str, msgspec.Meta(max_length=200)]
Endpoint = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
Language = Annotated[str, msgspec.Meta(min_length=2, max_length=8)]


class PublicKey(msgspec.Struct, frozen=True, kw_only=True):
    """The VAPID public key, for `pushManager.subscribe({applicationServerKey})`."""

    public_key: str


class SubscriptionKeys(msgspec.Struct, frozen=True, kw_only=True):
    p256dh: Key
    auth: Key


class SubscriptionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A browser's push subscription; `expirationTime` in ms since the epoch, or null."""

    endpoint: Endpoint
    keys: SubscriptionKeys
    expiration_time: float | None = msgspec.field(default=None, name="expirationTime")


class SubscriptionCreate(msgspec.Struct, frozen=True, kw_only=True):
    """Subscribe to the notices of the case a token opens (case, appointment or ticket)."""

    token: Token
    subscription: SubscriptionInfo
    language: Language | None = None


class Subscribed(msgspec.Struct, frozen=True, kw_only=True):
    subscribed: bool


class Unsubscribe(msgspec.Struct, frozen=True, kw_only=True):
    """Without a token the subscription is dropped; with one only that case is unlinked."""

    endpoint: Endpoint
    token: Token | None = None


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    """What the service worker shows: text in the asked language, and the page to open."""

    title: str
    body: str
    url: str
    tag: str
    lang: str
