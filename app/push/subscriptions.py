"""Checking a browser's push subscription before anything is stored.

The endpoint is where our server will post, so it must be an https URL on a public host:
a literal private or loopback address, or `localhost`, would let anyone make the server
call inside its own network. Tests and development may allow plain http on loopback.
The keys must be what RFC 8291 needs: a P-256 point (65 bytes, uncompressed) and a
16-byte auth secret, in base64url.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey

from app.push.errors import InsecurePushEndpoint, InvalidPushEndpoint, InvalidPushKeys
from app.push.schemas import SubscriptionInfo

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
POINT_BYTES = 65
AUTH_BYTES = 16


def check_endpoint(endpoint: str, *, allow_loopback_http: bool) -> str:
    """The endpoint, if our server may post to it; raises InvalidPushEndpoint or
    InsecurePushEndpoint (422) otherwise."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        _port = parts.port  # a malformed port raises here
    except ValueError:
        raise InvalidPushEndpoint(field="subscription.endpoint") from None
    if not host or parts.username or parts.password or parts.fragment:
        raise InvalidPushEndpoint(field="subscription.endpoint")
    if any(char.isspace() or ord(char) < 32 for char in endpoint):
        raise InvalidPushEndpoint(field="subscription.endpoint")
    loopback = _is_loopback(host)
    if parts.scheme == "http" and loopback and allow_loopback_http:
        return endpoint
    if parts.scheme != "https":
        raise InsecurePushEndpoint(field="subscription.endpoint")
    if loopback or not _is_public(host):
        raise InvalidPushEndpoint(field="subscription.endpoint")
    return endpoint


def check_keys(info: SubscriptionInfo) -> tuple[str, str]:
    """(p256dh, auth) in canonical base64url without padding; raises InvalidPushKeys."""
    point = _decode(info.keys.p256dh, "subscription.keys.p256dh")
    auth = _decode(info.keys.auth, "subscription.keys.auth")
    if len(point) != POINT_BYTES or point[0] != 4 or len(auth) != AUTH_BYTES:
        raise InvalidPushKeys(field="subscription.keys")
    try:
        EllipticCurvePublicKey.from_encoded_point(SECP256R1(), point)
    except ValueError:
        raise InvalidPushKeys(field="subscription.keys.p256dh") from None
    return _encode(point), _encode(auth)


def expiry(info: SubscriptionInfo) -> datetime | None:
    """The browser's `expirationTime` (ms since the epoch) as a moment, if it gave one."""
    if info.expiration_time is None:
        return None
    try:
        return datetime.fromtimestamp(info.expiration_time / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidPushEndpoint(field="subscription.expirationTime") from None


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_public(host: str) -> bool:
    """A DNS name, or an IP literal that is globally routable."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return "." in host and not host.endswith((".local", ".internal", ".localhost"))


def _decode(value: str, field: str) -> bytes:
    text = value.rstrip("=")
    if not text or any(char in text for char in "+/ \n\r\t"):
        raise InvalidPushKeys(field=field)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidPushKeys(field=field) from None
    if _encode(raw) != text:
        raise InvalidPushKeys(field=field)  # stray characters the decoder skipped
    return raw


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
