"""Uploaded files at rest: AES-256-GCM under a key derived from the app's secret key.

The key is HKDF-SHA256(secret_key, info="amtsweg:uploads:v1"), so it is never the key of
anything else (sessions, CSRF, TOTP secrets). Each file is `b"AW1" | nonce (12 bytes) |
ciphertext+tag`, named by a random storage key that is also the additional data: a file
copied over another one fails authentication instead of being served under a wrong name.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.errors import DomainError
from app.core.translation import _

_MAGIC = b"AW1"
_INFO = b"amtsweg:uploads:v1"


class UploadUnreadable(DomainError):
    """The stored bytes fail authentication: tampered with, truncated or another key."""

    status = 500
    code = "upload_unreadable"
    message = _("This file is damaged and cannot be shown.")


def upload_key(secret_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key)


def new_storage_key() -> str:
    return secrets.token_hex(16)


def path_of(directory: Path, storage_key: str) -> Path:
    if not storage_key.isalnum():
        raise ValueError("storage keys are hex")
    return directory / f"{storage_key}.bin"


def encrypt(plaintext: bytes, *, key: bytes, storage_key: str) -> bytes:
    nonce = secrets.token_bytes(12)
    return _MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, storage_key.encode())


def decrypt(stored: bytes, *, key: bytes, storage_key: str) -> bytes:
    if not stored.startswith(_MAGIC) or len(stored) < len(_MAGIC) + 12 + 16:
        raise UploadUnreadable()
    nonce, body = stored[3:15], stored[15:]
    try:
        return AESGCM(key).decrypt(nonce, body, storage_key.encode())
    except InvalidTag:
        raise UploadUnreadable() from None


def write(directory: Path, storage_key: str, data: bytes) -> None:
    """Write atomically (temporary file, then rename), readable by the app's user only."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = path_of(directory, storage_key)
    tmp = target.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    tmp.replace(target)


def read(directory: Path, storage_key: str) -> bytes:
    try:
        return path_of(directory, storage_key).read_bytes()
    except FileNotFoundError:
        raise UploadUnreadable() from None


def remove(directory: Path, storage_key: str) -> None:
    path_of(directory, storage_key).unlink(missing_ok=True)
