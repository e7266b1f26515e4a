"""ALTCHA proof of work: the challenges we sign, the check of a solved one, and a solver.

A challenge (ALTCHA v2, the protocol of the npm `altcha` widget 3.x and its workers) asks
the browser for a counter such that SHA-256(salt ‖ nonce ‖ counter as uint32) starts with
a key prefix. We pick the counter at random below `APP_ALTCHA_MAX_NUMBER` and sign the
prefix that it yields, so a client does on average half of that many hashes and we do one.

The expiry travels in the signed `data` field and is checked against our clock, not as
ALTCHA's `expiresAt`, which the library compares with the wall clock (a FrozenClock in a
test could then never issue a valid challenge). Nothing here touches the database: that a
proof is accepted only once is the `antibot` domain's business.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import altcha

from app.core.errors import Conflict, DomainError
from app.core.translation import _

HEADER = "X-Altcha"
BODY_FIELD = "altcha"  # the name of the widget's hidden form field
ALGORITHM = "SHA-256"
CHALLENGE_TTL = timedelta(minutes=5)
MAX_COUNTER = 0xFFFF_FFFF  # the counter is sent as an unsigned 32-bit integer
# A real payload is about 600 characters; anything far larger is not worth decoding.
MAX_PAYLOAD_CHARS = 4096
_KEY_CONTEXT = b"amtsweg:altcha-hmac:v1"


class ProofOfWorkMissing(DomainError):
    status = 400
    code = "proof_of_work_missing"
    message = _("The automatic check of your browser is missing. Please try again.")


class ProofOfWorkInvalid(DomainError):
    status = 400
    code = "proof_of_work_invalid"
    message = _("The automatic check of your browser failed or has expired. Please try again.")


class ProofOfWorkReused(Conflict):
    code = "proof_of_work_reused"
    message = _("This check was already used. Please try again.")


@dataclass(frozen=True, slots=True)
class Proof:
    """A checked solution: the challenge's signature names it, until it expires."""

    signature: str
    expires_at: datetime


def hmac_key(secret_key: bytes) -> bytes:
    """The ALTCHA signing key, derived so that it is never the app's secret itself."""
    return hmac.new(secret_key, _KEY_CONTEXT, hashlib.sha256).digest()


def issue(secret_key: bytes, max_number: int, now: datetime) -> dict[str, Any]:
    """A fresh signed challenge as the widget and `pwa/pow.js` expect it (JSON-ready)."""
    expires = int((now + CHALLENGE_TTL).timestamp())
    challenge = altcha.create_challenge(
        ALGORITHM,
        1,
        counter=secrets.randbelow(min(max(max_number, 0), MAX_COUNTER) + 1),
        data={"expires": expires},
        hmac_secret=hmac_key(secret_key),
    )
    issued: dict[str, Any] = challenge.to_dict()
    return issued


def check(payload: str | None, secret_key: bytes, now: datetime) -> Proof:
    """Check a solved challenge (base64 JSON, as the widget sends it) or raise why not."""
    if not payload:
        raise ProofOfWorkMissing()
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise ProofOfWorkInvalid()
    try:
        parsed = altcha.Payload.from_base64(payload)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ProofOfWorkInvalid() from None
    result = altcha.verify_solution(parsed, hmac_key(secret_key))
    if not result.verified or parsed.challenge.signature is None:
        raise ProofOfWorkInvalid()
    # Only now is `data` known to be ours: the signature covers it.
    expires = (parsed.challenge.parameters.data or {}).get("expires")
    if not isinstance(expires, int) or expires <= now.timestamp():
        raise ProofOfWorkInvalid()
    return Proof(parsed.challenge.signature, datetime.fromtimestamp(expires, UTC))


def solve(challenge: Mapping[str, Any]) -> str:
    """Solve a challenge the way the widget's SHA worker does; returns the payload to send.

    For tests and load clients. Only the SHA-256, cost-1 challenges that `issue` makes.
    """
    parameters = challenge["parameters"]
    if parameters["algorithm"] != ALGORITHM or parameters["cost"] != 1:
        raise ValueError(f"cannot solve {parameters['algorithm']} with cost {parameters['cost']}")
    prefix = bytes.fromhex(parameters["keyPrefix"])
    key_length = int(parameters.get("keyLength", 32))
    start = hashlib.sha256(bytes.fromhex(parameters["salt"]) + bytes.fromhex(parameters["nonce"]))
    for counter in range(MAX_COUNTER + 1):
        digest = start.copy()
        digest.update(counter.to_bytes(4, "big"))
        key = digest.digest()[:key_length]
        if key.startswith(prefix):
            solved = {
                "challenge": {"parameters": parameters, "signature": challenge["signature"]},
                "solution": {"counter": counter, "derivedKey": key.hex()},
            }
            return base64.b64encode(json.dumps(solved).encode()).decode()
    raise ValueError("challenge has no solution")
