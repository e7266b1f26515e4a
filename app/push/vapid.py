"""The app server's identity towards push services (VAPID, RFC 8292).

The key is a P-256 key pair from the settings; the browser gets its public half as
`applicationServerKey` and the push service checks every message's JWT against it.
"""

from __future__ import annotations

import base64
import time
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, derive_private_key
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pywebpush import Vapid

from app.settings import Settings

# RFC 8292 allows at most 24 h; half of it leaves room for clocks that disagree.
JWT_LIFETIME_S = 12 * 3600


@cache
def vapid(private_key: bytes) -> Vapid:
    """The signer for a raw private key; built once per key."""
    return Vapid(derive_private_key(int.from_bytes(private_key, "big"), SECP256R1()))


def public_key(settings: Settings) -> str:
    """The public key as the browser wants it: the uncompressed point, base64url."""
    point = vapid(settings.vapid_private_key).public_key.public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).decode().rstrip("=")


def claims(settings: Settings, endpoint: str) -> dict[str, Any]:
    """Fresh claims for one message (pywebpush writes into the dict it is given).

    `exp` follows the wall clock, not the app's clock: it is checked by the push
    service's clock, which knows nothing of a test's frozen time.
    """
    parts = urlsplit(endpoint)
    return {
        "sub": settings.vapid_subject,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + JWT_LIFETIME_S,
    }
