"""The loop that runs due jobs inside an app process."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from app.core.clock import Clock
from app.jobs import service

log = logging.getLogger("amtsweg.jobs")

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class RetryLater(Exception):
    """Raised by a handler when the other side asked us to come back later (e.g. 429)."""

    def __init__(self, seconds: float, reason: str = "retry later") -> None:
        super().__init__(reason)
        self.seconds = seconds


class GiveUp(Exception):
    """Raised by a handler when retrying cannot help (e.g. a recipient that is gone)."""


class Worker:
    def __init__(
        self,
        handlers: Mapping[str, Handler],
        clock: Clock,
        *,
        name: str | None = None,
        lease: timedelta = timedelta(minutes=5),
        batch: int = 50,
        concurrency: int = 20,
        poll_interval: float = 1.0,
    ) -> None:
        self.handlers = dict(handlers)
        self.clock = clock
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.lease = lease
        self.batch = batch
        self.poll_interval = poll_interval
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()

    def nudge(self) -> None:
        """Something was enqueued here: look now instead of at the next poll."""
        self._wake.set()

    async def run_once(self) -> int:
        """Claim one batch of due jobs and run them; returns how many were claimed."""
        jobs = await service.claim(self.name, self.clock.now(), lease=self.lease, limit=self.batch)
        await asyncio.gather(*(self._run(job) for job in jobs))
        return len(jobs)

    async def run_until_idle(self, max_rounds: int = 1000) -> int:
        total = 0
        for _round in range(max_rounds):
            claimed = await self.run_once()
            total += claimed
            if not claimed:
                break
        return total

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception:
                log.exception("job worker %s: claiming failed", self.name)
                claimed = 0
            if claimed:
                continue
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(
                waiters, timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in waiters:
                waiter.cancel()

    async def _run(self, job: service.Claimed) -> None:
        async with self._slots:
            handler = self.handlers.get(job.kind)
            try:
                if handler is None:
                    raise GiveUp(f"no handler for {job.kind!r}")
                # A handler must finish well inside its lease, or another worker may take it.
                async with asyncio.timeout(self.lease.total_seconds() * 0.8):
                    await handler(job.payload)
            except RetryLater as exc:
                await service.fail(
                    job,
                    self.name,
                    self.clock.now(),
                    str(exc),
                    retry_in=timedelta(seconds=exc.seconds),
                )
            except GiveUp as exc:
                await service.fail(job, self.name, self.clock.now(), str(exc), give_up=True)
            except Exception as exc:
                log.warning("job %s (%s) failed: %r", job.id, job.kind, exc)
                await service.fail(job, self.name, self.clock.now(), repr(exc))
            else:
                await service.complete(job.id, self.name, self.clock.now())
