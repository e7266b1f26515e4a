"""Per-client rate limits for groups of routes, in one process or shared by N through Redis.

Which group a request counts against: its route's `opt={"rate_limit": "booking"}` (or
`"off"`), else `read` for GET/HEAD under `/api/` and `write` for other methods there.
Pages, static files and WebSockets are not limited here.

Who the client is: the connection's peer address; when the peer is a reverse proxy listed
in `APP_TRUSTED_PROXIES`, the right-most address of `X-Forwarded-For` that is not itself a
trusted proxy. Anyone can send that header, so it is believed only from those proxies.
IPv6 clients count per /64, because one host usually holds a whole /64.

Windows are fixed (N per minute, counted from the full minute): one atomic INCR + EXPIRE
per request in Redis (so N processes share one count), one dict update in memory. A client
can burst 2N across a window's edge; that is acceptable for keeping bots from hammering,
and the count never needs a read-then-write.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Receive, Scope, Send
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from app.core.clock import Clock
from app.core.problems import problem
from app.core.translation import _
from app.settings import Settings, SettingsError

log = logging.getLogger("amtsweg.ratelimit")

OPT_KEY = "rate_limit"
OFF = "off"
DEFAULT_LIMITS: Mapping[str, str] = {
    "booking": "10/minute",
    "login": "10/minute",
    "write": "60/minute",
    "read": "120/minute",
}
MESSAGE = _("Too many requests. Please wait a moment and try again.")
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_READS = frozenset({"GET", "HEAD", "OPTIONS"})

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `count` requests per window of `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """`"10/minute"` → Rate(10, 60); `"off"` → None (no limit). Raises ValueError."""
        if text.strip().lower() == OFF:
            return None
        count, _slash, unit = text.strip().lower().partition("/")
        if unit not in _UNITS or not count.isdigit() or int(count) < 1:
            raise ValueError(f"{text!r} is not like '10/minute' (second, minute, hour, day)")
        return cls(int(count), _UNITS[unit])


class Counter(Protocol):
    async def hit(self, key: str, ttl: int, now: float) -> int:
        """Count one more request under `key`; returns the count so far."""

    async def close(self) -> None: ...


class MemoryCounter:
    """Counts of one process. Nothing awaits between read and write, so no lock is needed."""

    MAX_KEYS = 10_000  # above this, windows that are over are dropped

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}

    async def hit(self, key: str, ttl: int, now: float) -> int:
        if len(self._counts) > self.MAX_KEYS:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        count = self._counts.get(key, (0, 0.0))[0] + 1
        self._counts[key] = (count, now + ttl)
        return count

    async def close(self) -> None:
        self._counts.clear()


class RedisCounter:
    """Counts shared by every process that uses the same Redis.

    If Redis cannot be reached, requests are let through (and that is logged once):
    a rate limiter must not be what takes the booking down.
    """

    def __init__(self, url: str) -> None:
        # A bounded pool: under a rush, an unbounded one opened connections until Redis
        # refused them; waiting up to a second for a free one is cheaper than that.
        pool = BlockingConnectionPool.from_url(
            url, max_connections=50, timeout=1, socket_timeout=1, socket_connect_timeout=1
        )
        self._redis: Redis = Redis.from_pool(pool)  # closing the client closes the pool
        self._down = False

    async def hit(self, key: str, ttl: int, now: float) -> int:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, ttl)
                count, _expiry_set = await pipe.execute()
        except (RedisError, OSError):
            if not self._down:
                log.warning("rate limits are off: Redis is unreachable", exc_info=True)
            self._down = True
            return 0
        if self._down:
            log.warning("rate limits are on again: Redis is back")
            self._down = False
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()


def networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Parse `APP_TRUSTED_PROXIES` (addresses or CIDRs)."""
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise SettingsError(f"APP_TRUSTED_PROXIES: {error}") from None


def limits_from(configured: Iterable[tuple[str, str]]) -> dict[str, Rate | None]:
    """The default limits with `APP_RATE_LIMIT_<GROUP>` values laid over them."""
    merged = {**DEFAULT_LIMITS, **dict(configured)}
    limits: dict[str, Rate | None] = {}
    for group, text in merged.items():
        try:
            limits[group] = Rate.parse(text)
        except ValueError as error:
            raise SettingsError(f"APP_RATE_LIMIT_{group.upper()}: {error}") from None
    return limits


class RateLimits:
    """The limits of one app; `middleware` goes into `Litestar(middleware=[...])`."""

    def __init__(
        self,
        limits: Mapping[str, Rate | None],
        counter: Counter,
        clock: Clock,
        *,
        trusted_proxies: Iterable[Network] = (),
        namespace: str = "amtsweg:ratelimit",
    ) -> None:
        self.limits = dict(limits)
        self.counter = counter
        self.clock = clock
        self.trusted_proxies = tuple(trusted_proxies)
        self.namespace = namespace

    @classmethod
    def from_settings(
        cls, settings: Settings, clock: Clock, *, namespace: str = "amtsweg:ratelimit"
    ) -> RateLimits:
        """Memory counts on one process; Redis counts when `APP_REDIS_URL` is set."""
        counter: Counter = (
            RedisCounter(settings.redis_url) if settings.redis_url else MemoryCounter()
        )
        return cls(
            limits_from(settings.rate_limits),
            counter,
            clock,
            trusted_proxies=networks(settings.trusted_proxies),
            namespace=namespace,
        )

    async def close(self) -> None:
        await self.counter.close()

    def middleware(self, app: ASGIApp) -> ASGIApp:
        async def limited(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            group = self.group_of(scope)
            if group is None or (rate := self._rate(group)) is None:
                await app(scope, receive, send)
                return
            now = self.clock.now().timestamp()
            window = int(now // rate.seconds)
            key = f"{self.namespace}:{group}:{self.client_of(scope)}:{rate.seconds}:{window}"
            if await self.counter.hit(key, rate.seconds, now) <= rate.count:
                await app(scope, receive, send)
                return
            retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
            request: Request[Any, Any, Any] = Request(scope, receive)
            response = problem(request, 429, "too_many_requests", MESSAGE)
            response.headers["Retry-After"] = str(retry_after)
            await response.to_asgi_response(app=None, request=request)(scope, receive, send)

        return limited

    def group_of(self, scope: HTTPScope) -> str | None:
        """The route's opted group, else read/write for the API, else None (unlimited)."""
        handler = scope.get("route_handler")
        opted = handler.opt.get(OPT_KEY) if handler is not None else None
        if opted is not None:
            return str(opted)
        if not scope["path"].startswith("/api/"):
            return None
        return "read" if scope["method"] in _READS else "write"

    def client_of(self, scope: HTTPScope) -> str:
        """Who is counted: the peer, or the forwarded client behind a trusted proxy."""
        client = scope.get("client")
        peer = _address(client[0] if client else None)
        if peer is None:
            return "unknown"
        if self._trusted(peer):
            forwarded = [
                value.decode("latin-1")
                for name, value in scope["headers"]
                if name.lower() == b"x-forwarded-for"
            ]
            hops = [hop.strip() for hop in ",".join(forwarded).split(",") if hop.strip()]
            for hop in reversed(hops):
                address = _address(hop)
                if address is None:
                    break  # garbage in the chain: count the last hop we could read
                peer = address
                if not self._trusted(address):
                    break
        return _bucket(peer)

    def _rate(self, group: str) -> Rate | None:
        if group == OFF:
            return None
        if group not in self.limits:
            raise ValueError(f"route opts into unknown rate-limit group {group!r}")
        return self.limits[group]

    def _trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in self.trusted_proxies)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _bucket(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
