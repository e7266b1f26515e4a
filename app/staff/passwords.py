"""Passwords: argon2id hashes, computed in a worker thread.

One hash or check costs about 87 ms of CPU; on the event loop that would stall every other
request, so both run in a thread. A login for an unknown user checks against a dummy hash,
so that it takes as long as one with a wrong password and does not reveal who exists.
"""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.core.errors import InvalidInput
from app.core.translation import _

MIN_LENGTH = 12
MAX_LENGTH = 256  # longer input only makes hashing slower for an attacker's benefit

_HASHER = PasswordHasher()


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = _("The password must be between 12 and 256 characters long.")


def check_strength(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise WeakPassword(field="password")


async def hash_password(password: str) -> str:
    """The argon2id hash of a password of acceptable length (raises WeakPassword)."""
    check_strength(password)
    return await asyncio.to_thread(_HASHER.hash, password)


async def verify(password_hash: str, password: str) -> bool:
    """True if `password` matches; never raises for a wrong password or a broken hash."""
    if len(password) > MAX_LENGTH:
        password = password[:MAX_LENGTH]  # still hashed, so a too-long guess costs the same
    return await asyncio.to_thread(_verify, password_hash, password)


async def verify_nobody(password: str) -> None:
    """Spend the time a real check would take, for a user who does not exist."""
    await verify(await asyncio.to_thread(_dummy_hash), password)


def needs_rehash(password_hash: str) -> bool:
    """The hash was made with weaker parameters than the current ones."""
    return _HASHER.check_needs_rehash(password_hash)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _HASHER.hash("no such user: a password nobody has")
