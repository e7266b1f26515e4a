"""The load process of `booking_rush`: N citizens over aiohttp, then the ceiling.

Run as `python rush_load.py CONFIG.json RESULT.json` by `booking_rush`, never by hand. It
is a process of its own so that the server's cores are not shared with the clients' event
loop more than the machine forces, and so that the client (aiohttp on uvloop, one
connection per citizen) is not what limits the numbers.

Each citizen, released at once by a barrier: fetches the day's slots, picks one at
random, fetches and solves an ALTCHA challenge, holds (X-Altcha header), and on 409 looks
again and tries another (at most MAX_HOLDS holds); with a hold it confirms in the app.
One attempt = one citizen's whole journey, whatever its outcome.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.antibot import HEADER, solve

MAX_HOLDS = 5
REQUEST_TIMEOUT_S = 60


class Citizen:
    """One client: its own address (X-Forwarded-For) and what happened to it."""

    def __init__(self, number: int, config: dict[str, Any]) -> None:
        self.config = config
        # 10.x.y.z: the trusted proxy (loopback) forwards for this many distinct citizens.
        self.headers = {
            "X-Forwarded-For": f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        }
        self.statuses: Counter[str] = Counter()
        self.outcome = "unfinished"
        self.code: str | None = None
        self.latency_s: float | None = None
        self.error: str | None = None

    async def _call(
        self, session: aiohttp.ClientSession, method: str, path: str, **kw: Any
    ) -> tuple[int, Any]:
        async with session.request(
            method,
            self.config["base"] + path,
            headers={**self.headers, **kw.pop("headers", {})},
            **kw,
        ) as response:
            body = await response.json(content_type=None)
            self.statuses[f"{method} {path.split('?')[0].split('/')[2]} {response.status}"] += 1
            return response.status, body

    async def _free_slots(self, session: aiohttp.ClientSession) -> list[str]:
        c = self.config
        status, body = await self._call(
            session,
            "GET",
            f"/api/availability?service={c['service']}&office={c['office']}&from={c['day']}&to={c['day']}",
        )
        if status != 200:
            raise RuntimeError(f"availability answered {status}")
        return [
            slot["starts_at"]
            for day in body["days"]
            for slot in day["slots"]
            if slot["capacity"] > 0
        ]

    async def book(self, session: aiohttp.ClientSession, start: asyncio.Event) -> None:
        await start.wait()
        began = time.perf_counter()
        try:
            await self._journey(session)
        except Exception as error:  # recorded, counted, and reported: never silently lost
            self.outcome, self.error = "error", f"{type(error).__name__}: {error}"
        self.latency_s = time.perf_counter() - began

    async def _journey(self, session: aiohttp.ClientSession) -> None:
        c = self.config
        for _ in range(MAX_HOLDS):
            slots = await self._free_slots(session)
            if not slots:
                self.outcome = "sold_out"
                return
            status, challenge = await self._call(session, "GET", "/api/altcha/challenge")
            if status != 200:
                raise RuntimeError(f"challenge answered {status}")
            body = {
                "service": c["service"],
                "office": c["office"],
                "starts_at": random.choice(slots),
            }
            status, held = await self._call(
                session, "POST", "/api/holds", json=body, headers={HEADER: solve(challenge)}
            )
            if status == 409:
                continue
            if status != 201:
                self.outcome = f"hold_{status}"
                return
            status, confirmed = await self._call(
                session, "POST", f"/api/appointments/{held['token']}/confirm"
            )
            if 200 <= status < 300:
                self.outcome, self.code = "booked", confirmed["appointment"]["code"]
            else:
                self.outcome = f"confirm_{status}"
            return
        self.outcome = "gave_up"


async def _ceiling_worker(
    session: aiohttp.ClientSession,
    url: str,
    count: int,
    start: asyncio.Event,
    statuses: Counter[int],
) -> None:
    await start.wait()
    for _ in range(count):
        async with session.get(url) as response:
            await response.read()
            statuses[response.status] += 1


async def _release(tasks: list[asyncio.Task[None]], start: asyncio.Event, limit_s: float) -> float:
    await asyncio.sleep(0.5)  # every task is parked on the barrier
    began = time.perf_counter()
    start.set()
    _done, pending = await asyncio.wait(tasks, timeout=limit_s)
    for task in pending:
        task.cancel()
    return time.perf_counter() - began


async def main(config: dict[str, Any]) -> dict[str, Any]:
    clients = config["clients"]
    connector = aiohttp.TCPConnector(limit=config["connections"], limit_per_host=0)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        citizens = [Citizen(n, config) for n in range(clients)]
        start = asyncio.Event()
        tasks = [asyncio.create_task(c.book(session, start)) for c in citizens]
        rush_s = await _release(tasks, start, config["timeout_s"])
        per_client = max(1, config["ceiling_requests"] // clients)
        statuses: Counter[int] = Counter()
        start = asyncio.Event()
        url = config["base"] + config["ceiling_path"]
        tasks = [
            asyncio.create_task(_ceiling_worker(session, url, per_client, start, statuses))
            for _ in range(clients)
        ]
        ceiling_s = await _release(tasks, start, config["timeout_s"])
    totals: Counter[str] = Counter()
    for citizen in citizens:
        totals.update(citizen.statuses)
    return {
        "rush_s": rush_s,
        "outcomes": Counter(c.outcome for c in citizens),
        "latencies_s": [c.latency_s for c in citizens if c.latency_s is not None],
        "booked_latencies_s": [
            c.latency_s for c in citizens if c.outcome == "booked" and c.latency_s is not None
        ],
        "confirmed_codes": [c.code for c in citizens if c.code],
        "statuses": totals,
        "errors": Counter(c.error for c in citizens if c.error).most_common(5),
        "ceiling_s": ceiling_s,
        "ceiling_requests": sum(statuses.values()),
        "ceiling_statuses": {str(k): v for k, v in statuses.items()},
    }


if __name__ == "__main__":
    settings = json.loads(Path(sys.argv[1]).read_text())
    result = uvloop.run(main(settings))
    Path(sys.argv[2]).write_text(json.dumps(result))
