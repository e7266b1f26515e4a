"""Contact e-mail addresses: checked, normalized, and keyed without keeping them readable.

The contact key (HMAC-SHA256 of the normalized address with the app's secret) is what the
"one active booking per contact and service" rule compares, so the rule holds without a
plain address in an index and keeps holding after the address itself has been erased.
Normalizing drops case and a "+tag" in the local part, so one mailbox is one contact.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from app.booking.errors import InvalidEmail

MAX_LENGTH = 254
_ADDRESS = re.compile(r"[^@\s<>,;\"()\[\]\\]+@[^@\s<>,;\"()\[\]\\]+\.[^@\s<>,;\"()\[\]\\]+")
# Letters and digits that cannot be mistaken for one another when read aloud or typed
# at a kiosk: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6


def checked_email(raw: str) -> str:
    """The address as typed, trimmed; raises InvalidEmail for anything that is not one."""
    address = raw.strip()
    if len(address) > MAX_LENGTH or not _ADDRESS.fullmatch(address):
        raise InvalidEmail(field="email")
    return address


def contact_key(address: str, secret_key: bytes) -> str:
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    return hmac.new(secret_key, f"{local}@{domain}".encode(), hashlib.sha256).hexdigest()


def booking_code() -> str:
    """A fresh booking code, e.g. "K7TRXA": 22^6 ≈ 113 million possibilities."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
