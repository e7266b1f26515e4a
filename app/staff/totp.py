"""The second factor: TOTP secrets (RFC 6238, 30 s, 6 digits), kept encrypted at rest.

A secret is encrypted with AES-GCM under a key derived from the app's secret key, and the
staff member's id is bound in as associated data, so a secret copied into another row
does not decrypt. A stolen database alone therefore yields no working second factor.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from datetime import datetime

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pyotp.utils import strings_equal

# One step before and after the current one: a phone clock 30 s off still logs in.
VALID_WINDOW = 1
DIGITS = 6
_NONCE_BYTES = 12
_KEY_INFO = b"amtsweg:staff-totp-secret:v1"
_DEMO_INFO = b"amtsweg:demo-staff:v1"


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps expect."""
    return pyotp.random_base32(length=32)


def _key(secret_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(secret_key)


def _aad(staff_id: int) -> bytes:
    return f"staff:{staff_id}".encode()


def encrypt(secret: str, *, staff_id: int, secret_key: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(secret_key)).encrypt(nonce, secret.encode(), _aad(staff_id))
    return base64.b64encode(nonce + sealed).decode()


class UnreadableSecret(RuntimeError):
    """The stored secret does not decrypt: another secret key, or a tampered row."""


def decrypt(stored: str, *, staff_id: int, secret_key: bytes) -> str:
    try:
        raw = base64.b64decode(stored, validate=True)
        plain = AESGCM(_key(secret_key)).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _aad(staff_id)
        )
    except (InvalidTag, ValueError, binascii.Error):
        raise UnreadableSecret(f"TOTP secret of staff member {staff_id}") from None
    return plain.decode()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is (within one step of now), or None.

    The caller accepts each step once: remembering the step, not the code, also rejects
    an older code after a newer one was used.
    """
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if strings_equal(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, moment: datetime) -> str:
    """The code an authenticator app shows at `moment` (for the CLI's check and tests)."""
    return pyotp.TOTP(secret, digits=DIGITS).at(moment)


def provisioning_uri(secret: str, *, username: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret, digits=DIGITS).provisioning_uri(name=username, issuer_name=issuer)


def demo_secret(secret_key: bytes, username: str) -> str:
    """A demo account's TOTP secret, the same on every start with the same secret key."""
    digest = hmac.new(secret_key, _DEMO_INFO + b":totp:" + username.encode(), hashlib.sha256)
    return base64.b32encode(digest.digest()[:20]).decode()


def demo_password(secret_key: bytes, username: str) -> str:
    """A demo account's password, derived like its secret so a printout stays true."""
    digest = hmac.new(secret_key, _DEMO_INFO + b":password:" + username.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:12]).decode()
