"""A push service on loopback that plays Google's, Mozilla's or Apple's part.

It hands out subscriptions as a browser would (a P-256 key pair and an auth secret per
subscription), and for every message it checks what a real push service checks: the
VAPID JWT (ES256 over the key in `Authorization: vapid t=…, k=…`, that key being ours,
`aud` = this origin, `exp` at most 24 h ahead, a `sub` contact). It decrypts the body as
the browser would (RFC 8291, aes128gcm) and records the headers. Tests can tell it what to
answer next for a subscription: 404, 410, 429 with Retry-After, 500.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class Received:
    """One message the stub accepted."""

    subscription: str
    headers: Mapping[str, str]  # names in lower case
    claims: Mapping[str, Any]
    plaintext: bytes

    @property
    def ttl(self) -> int:
        return int(self.headers["ttl"])

    @property
    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.plaintext)
        return loaded


@dataclass
class Browser:
    """What a browser keeps of its subscription: the private key and the auth secret."""

    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    info: dict[str, Any]


@dataclass
class PushServiceStub:
    vapid_public_key: str  # the app's key (base64url), the only one accepted
    browsers: dict[str, Browser] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    attempts: list[tuple[str, int]] = field(default_factory=list)  # (subscription, answer)
    rejected: list[str] = field(default_factory=list)  # why a message failed the checks
    scripted: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    origin: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/push/{id}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.origin = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def subscribe(self) -> dict[str, Any]:
        """A fresh subscription, as `PushSubscription.toJSON()` gives it."""
        key = ec.generate_private_key(ec.SECP256R1())
        auth = secrets.token_bytes(16)
        browser_id = secrets.token_urlsafe(12)
        point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        info = {
            "endpoint": f"{self.origin}/push/{browser_id}",
            "expirationTime": None,
            "keys": {"p256dh": b64encode(point), "auth": b64encode(auth)},
        }
        self.browsers[browser_id] = Browser(browser_id, key, auth, info)
        return info

    def answer(self, info: Mapping[str, Any], status: int, **headers: str) -> None:
        """Answer the next message to this subscription with `status` (then 201 again)."""
        browser_id = str(info["endpoint"]).rsplit("/", 1)[1]
        self.scripted.setdefault(browser_id, []).append((status, headers))

    def to(self, info: Mapping[str, Any]) -> list[Received]:
        browser_id = str(info["endpoint"]).rsplit("/", 1)[1]
        return [message for message in self.received if message.subscription == browser_id]

    async def _handle(self, request: web.Request) -> web.Response:
        browser_id = request.match_info["id"]
        browser = self.browsers.get(browser_id)
        if browser is None:
            return web.Response(status=404)
        body = await request.read()
        try:
            claims = self._check_vapid(request.headers.get("Authorization", ""))
            if request.headers.get("Content-Encoding") != "aes128gcm":
                raise ValueError("body is not aes128gcm")
            plaintext = http_ece.decrypt(
                body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
            )
        except (ValueError, KeyError, InvalidSignature) as exc:
            self.rejected.append(repr(exc))
            return web.Response(status=400)
        queue = self.scripted.get(browser_id) or []
        status, headers = queue.pop(0) if queue else (201, {})
        self.attempts.append((browser_id, status))
        if status == 201:
            headers_seen = {name.lower(): value for name, value in request.headers.items()}
            self.received.append(Received(browser_id, headers_seen, claims, plaintext))
        return web.Response(status=status, headers=headers)

    def _check_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, rest = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError("vapid: no vapid authorization")
        parts = dict(part.strip().split("=", 1) for part in rest.split(","))
        token, key = parts["t"], parts["k"]
        if key != self.vapid_public_key:
            raise ValueError("vapid: not the application server's key")
        signed, _, signature = token.rpartition(".")
        header = json.loads(b64decode(signed.split(".")[0]))
        if header.get("alg") != "ES256":
            raise ValueError("vapid: alg is not ES256")
        raw = b64decode(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(key))
        public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
        claims: dict[str, Any] = json.loads(b64decode(signed.split(".")[1]))
        now = time.time()
        if claims.get("aud") != self.origin:
            raise ValueError(f"vapid: aud {claims.get('aud')!r} is not {self.origin}")
        if not now < int(claims["exp"]) <= now + 24 * 3600:
            raise ValueError("vapid: exp is not within the next 24 h")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            raise ValueError("vapid: sub is no contact")
        return claims
