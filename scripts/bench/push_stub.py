"""The push-service stub of `tests/push/stub.py` as a process of its own, for `push`.

    python push_stub.py <vapid public key> <subscriptions> <decrypt every k-th> <out.json>

It creates the subscriptions (a P-256 key pair and an auth secret each, as a browser
would), writes them to <out.json>, prints "ready <origin>" and serves until stdin closes.
Every message's VAPID JWT is verified (signature, our key, `aud`, `exp` ≤ 24 h, `sub`);
every k-th body is decrypted (RFC 8291) and must be `{"n": "<notice id>"}` — decrypting
all of them would make the stub, not the sender, the thing measured. GET /stats gives the
counts.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import http_ece
import uvloop
from aiohttp import web
from cryptography.exceptions import InvalidSignature

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.push.stub import PushServiceStub


class SampledStub(PushServiceStub):
    """Verifies every JWT, decrypts every k-th body, keeps counts instead of messages."""

    every: int = 1
    counts: dict[str, int]

    async def start(self) -> None:
        self.counts = {"accepted": 0, "rejected": 0, "decrypted": 0, "unknown": 0}
        app = web.Application()
        app.router.add_post("/push/{id}", self._handle)
        app.router.add_get("/stats", self._stats)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.origin = f"http://127.0.0.1:{port}"

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({**self.counts, "why": self.rejected[:5]})

    async def _handle(self, request: web.Request) -> web.Response:
        browser = self.browsers.get(request.match_info["id"])
        if browser is None:
            self.counts["unknown"] += 1
            return web.Response(status=404)
        body = await request.read()
        try:
            self._check_vapid(request.headers.get("Authorization", ""))
            if request.headers.get("Content-Encoding") != "aes128gcm":
                raise ValueError("body is not aes128gcm")
            if not request.headers.get("TTL", "").isdigit():
                raise ValueError("no TTL")
            if self.counts["accepted"] % self.every == 0:
                plaintext = http_ece.decrypt(
                    body, private_key=browser.private_key, auth_secret=browser.auth,
                    version="aes128gcm",
                )  # fmt: skip
                if set(json.loads(plaintext)) != {"n"}:
                    raise ValueError(f"payload holds more than the notice id: {plaintext!r}")
                self.counts["decrypted"] += 1
        except (ValueError, KeyError, InvalidSignature) as exc:
            self.counts["rejected"] += 1
            self.rejected.append(repr(exc))
            return web.Response(status=400)
        self.counts["accepted"] += 1
        return web.Response(status=201)


async def main(key: str, subscriptions: int, every: int, out: Path) -> None:
    stub = SampledStub(key)
    stub.every = max(every, 1)
    await stub.start()
    infos: list[dict[str, Any]] = [stub.subscribe() for _ in range(subscriptions)]
    await asyncio.to_thread(out.write_text, json.dumps(infos))
    print(f"ready {stub.origin}", flush=True)
    await asyncio.to_thread(sys.stdin.read)  # until the benchmark closes our stdin
    await stub.stop()


if __name__ == "__main__":
    uvloop.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])))
