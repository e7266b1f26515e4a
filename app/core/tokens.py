"""Capability tokens: 128 random bits, signed with Ed25519, safe to print as a QR code.

A token says what it opens (its kind), carries 16 random bytes that the database knows,
and optionally an expiry. The signature lets a kiosk that holds only the public key tell
a real token from a forged one while offline; it cannot mint new ones. The token holds no
personal data. Layout before base64url: version, kind, nonce[16], expires (u32, 0 = never),
then the 64-byte signature over all of it.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core.errors import ExpiredToken, InvalidToken

VERSION = 1
NONCE_BYTES = 16
_HEADER = struct.Struct(">BB16sI")
_SIGNATURE_BYTES = 64


class TokenKind(StrEnum):
    CASE = "c"
    APPOINTMENT = "a"
    TICKET = "t"
    DISPLAY = "d"


@dataclass(frozen=True, slots=True)
class Claims:
    kind: TokenKind
    nonce: bytes
    expires_at: datetime | None

    @property
    def id(self) -> str:
        """What the database stores to find the token's case: the nonce, in hex."""
        return self.nonce.hex()


class TokenSigner:
    def __init__(self, private_key: bytes) -> None:
        self._private = Ed25519PrivateKey.from_private_bytes(private_key[:32])
        self.verifier = TokenVerifier(self._private.public_key())

    def mint(self, kind: TokenKind, *, expires_at: datetime | None = None) -> tuple[str, Claims]:
        if expires_at is not None and expires_at.tzinfo is None:
            raise ValueError("expires_at must be timezone-aware")  # naive = server-local time
        nonce = secrets.token_bytes(NONCE_BYTES)
        expires = int(expires_at.timestamp()) if expires_at else 0
        payload = _HEADER.pack(VERSION, ord(kind.value), nonce, expires)
        token = _encode(payload + self._private.sign(payload))
        return token, Claims(kind, nonce, _from_unix(expires))


class TokenVerifier:
    def __init__(self, public_key: Ed25519PublicKey) -> None:
        self._public = public_key

    @property
    def public_key_b64(self) -> str:
        """The key a kiosk is given to check tokens offline."""
        return _encode(self._public.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def verify(
        self, token: str, *, kind: TokenKind | None = None, now: datetime | None = None
    ) -> Claims:
        raw = _decode(token)
        if len(raw) != _HEADER.size + _SIGNATURE_BYTES:
            raise InvalidToken()
        payload, signature = raw[: _HEADER.size], raw[_HEADER.size :]
        try:
            self._public.verify(signature, payload)
        except InvalidSignature:
            raise InvalidToken() from None
        version, kind_byte, nonce, expires = _HEADER.unpack(payload)
        try:
            token_kind = TokenKind(chr(kind_byte))
        except ValueError:
            raise InvalidToken() from None
        if version != VERSION or (kind is not None and token_kind is not kind):
            raise InvalidToken()
        claims = Claims(token_kind, nonce, _from_unix(expires))
        if claims.expires_at and claims.expires_at <= (now or datetime.now(UTC)):
            raise ExpiredToken()
        return claims


def _from_unix(seconds: int) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> bytes:
    if not token or len(token) > 200 or not token.isascii():
        raise InvalidToken()
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise InvalidToken() from None
    # The decoder skips foreign characters, takes "+/" for "-_" and ignores the spare bits
    # of the last character: only the one canonical spelling of a token is that token.
    if _encode(raw) != token:
        raise InvalidToken()
    return raw
