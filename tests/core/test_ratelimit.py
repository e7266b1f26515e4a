"""Rate limits per client and route group: 429 with Retry-After, reset, proxies, Redis."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar, get, post
from litestar.datastructures import State
from redis.asyncio import Redis

from app.core.clock import FrozenClock
from app.core.problems import EXCEPTION_HANDLERS
from app.core.ratelimit import (
    DEFAULT_LIMITS,
    MemoryCounter,
    Rate,
    RateLimits,
    RedisCounter,
    limits_from,
    networks,
)
from app.core.security import security_headers
from app.core.translation import Catalogs
from app.settings import ROOT, Settings, SettingsError

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMITS = limits_from([("booking", "3/minute"), ("read", "5/minute"), ("write", "4/minute")])


def tiny_app(limits: RateLimits) -> Litestar:
    """A few routes of each kind behind the same middleware as the real app."""

    @get("/api/things", sync_to_thread=False)
    def things() -> dict[str, bool]:
        return {"ok": True}

    @post("/api/things", sync_to_thread=False)
    def make_thing() -> dict[str, bool]:
        return {"ok": True}

    @post("/api/holds", opt={"rate_limit": "booking"}, sync_to_thread=False)
    def hold() -> dict[str, bool]:
        return {"ok": True}

    @get("/api/health-like", opt={"rate_limit": "off"}, sync_to_thread=False)
    def unlimited() -> dict[str, bool]:
        return {"ok": True}

    @get("/page", sync_to_thread=False)
    def page() -> str:
        return "a page"

    return Litestar(
        route_handlers=[things, make_thing, hold, unlimited, page],
        middleware=[security_headers, limits.middleware],
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"catalogs": Catalogs.load(ROOT / "locales", ("de", "en"), "de")}),
    )


def client_for(app: Litestar, ip: str = "192.0.2.10") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


@pytest.fixture
def limits(clock: FrozenClock) -> RateLimits:
    return RateLimits(LIMITS, MemoryCounter(), clock)


async def statuses(client: httpx.AsyncClient, method: str, path: str, n: int) -> list[int]:
    return [(await client.request(method, path)).status_code for _ in range(n)]


async def test_a_client_over_its_booking_limit_gets_429_problem_with_retry_after(
    limits: RateLimits, clock: FrozenClock
) -> None:
    clock.advance(timedelta(seconds=15))  # 09:00:15: the window ends in 45 s
    async with client_for(tiny_app(limits)) as client:
        assert await statuses(client, "POST", "/api/holds", 3) == [201, 201, 201]
        refused = await client.post("/api/holds", headers={"Accept-Language": "en"})

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "45"
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "too_many_requests"
    assert refused.json()["lang"] == "en"
    assert "content-security-policy" in refused.headers


async def test_the_limit_resets_when_the_window_is_over(
    limits: RateLimits, clock: FrozenClock
) -> None:
    async with client_for(tiny_app(limits)) as client:
        await statuses(client, "POST", "/api/holds", 3)
        clock.advance(timedelta(seconds=59))
        still = await client.post("/api/holds")
        clock.advance(timedelta(seconds=1))
        again = await client.post("/api/holds")

    assert still.status_code == 429
    assert still.headers["retry-after"] == "1"
    assert again.status_code == 201


async def test_groups_count_apart_and_api_reads_and_writes_have_their_own_limits(
    limits: RateLimits,
) -> None:
    async with client_for(tiny_app(limits)) as client:
        bookings = await statuses(client, "POST", "/api/holds", 4)
        writes = await statuses(client, "POST", "/api/things", 5)
        reads = await statuses(client, "GET", "/api/things", 6)

    assert bookings == [201] * 3 + [429]
    assert writes == [201] * 4 + [429]
    assert reads == [200] * 5 + [429]


async def test_pages_and_routes_opted_out_are_not_limited(limits: RateLimits) -> None:
    async with client_for(tiny_app(limits)) as client:
        pages = await statuses(client, "GET", "/page", 20)
        opted_out = await statuses(client, "GET", "/api/health-like", 20)

    assert set(pages) == {200}
    assert set(opted_out) == {200}


async def test_each_client_address_has_its_own_count(limits: RateLimits) -> None:
    app = tiny_app(limits)
    async with client_for(app, "192.0.2.1") as first, client_for(app, "192.0.2.2") as second:
        assert await statuses(first, "POST", "/api/holds", 4) == [201] * 3 + [429]
        assert await statuses(second, "POST", "/api/holds", 3) == [201] * 3


async def test_of_a_burst_exactly_the_limit_gets_through(limits: RateLimits) -> None:
    async with client_for(tiny_app(limits)) as client:
        burst = await asyncio.gather(*(client.post("/api/holds") for _ in range(50)))

    assert sorted(r.status_code for r in burst) == [201] * 3 + [429] * 47


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(
    clock: FrozenClock,
) -> None:
    limits = RateLimits(LIMITS, MemoryCounter(), clock, trusted_proxies=networks(["10.0.0.0/8"]))
    async with client_for(tiny_app(limits), "10.1.2.3") as proxy:
        alice = [
            (await proxy.post("/api/holds", headers={"X-Forwarded-For": "203.0.113.7"})).status_code
            for _ in range(4)
        ]
        bob = [
            (await proxy.post("/api/holds", headers={"X-Forwarded-For": "203.0.113.8"})).status_code
            for _ in range(3)
        ]

    assert alice == [201] * 3 + [429]
    assert bob == [201] * 3


async def test_from_an_untrusted_peer_the_forwarded_header_is_ignored(
    clock: FrozenClock,
) -> None:
    limits = RateLimits(LIMITS, MemoryCounter(), clock, trusted_proxies=networks(["10.0.0.0/8"]))
    async with client_for(tiny_app(limits), "198.51.100.1") as bot:
        spoofed = [
            (
                await bot.post("/api/holds", headers={"X-Forwarded-For": f"203.0.113.{n}"})
            ).status_code
            for n in range(4)
        ]

    assert spoofed == [201] * 3 + [429]


def scope(peer: str | None, forwarded: str | None = None) -> Any:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"type": "http", "client": (peer, 1) if peer else None, "headers": headers}


@pytest.mark.parametrize(
    ("peer", "forwarded", "counted"),
    [
        ("192.0.2.1", None, "192.0.2.1"),
        ("192.0.2.1", "203.0.113.9", "192.0.2.1"),  # not a trusted proxy: header ignored
        ("10.0.0.1", "203.0.113.9", "203.0.113.9"),
        # A client may put anything at the left; the proxies append on the right.
        ("10.0.0.1", "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # two proxies in a row
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),  # only proxies: the first of them
        ("10.0.0.1", "garbage, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.1", "203.0.113.9, garbage", "10.0.0.1"),  # unreadable hop: stop at the proxy
        ("10.0.0.1", None, "10.0.0.1"),
        ("2001:db8:1:2:3:4:5:6", None, "2001:db8:1:2::/64"),  # one host holds the /64
        ("::ffff:192.0.2.7", None, "192.0.2.7"),
        (None, None, "unknown"),
        ("testclient", None, "unknown"),
    ],
)
def test_who_a_request_is_counted_for(
    clock: FrozenClock, peer: str | None, forwarded: str | None, counted: str
) -> None:
    limits = RateLimits(LIMITS, MemoryCounter(), clock, trusted_proxies=networks(["10.0.0.0/8"]))

    assert limits.client_of(scope(peer, forwarded)) == counted


@pytest.fixture
async def namespace() -> AsyncIterator[str]:
    """A key prefix of this test alone; its keys are removed afterwards."""
    prefix = f"amtsweg-test:{uuid.uuid4().hex}"
    yield prefix
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def test_two_app_instances_on_one_redis_share_the_count(
    clock: FrozenClock, namespace: str
) -> None:
    """Two processes behave like two app instances: only the Redis counts join them."""
    one = RateLimits(LIMITS, RedisCounter(REDIS_URL), clock, namespace=namespace)
    two = RateLimits(LIMITS, RedisCounter(REDIS_URL), clock, namespace=namespace)
    try:
        async with client_for(tiny_app(one)) as first, client_for(tiny_app(two)) as second:
            answers = [
                (await client.post("/api/holds")).status_code
                for client in (first, second, first, second)
            ]
            burst = await asyncio.gather(
                *(client.post("/api/things") for client in (first, second) * 20)
            )
    finally:
        await one.close()
        await two.close()

    assert answers == [201, 201, 201, 429]
    assert sorted(r.status_code for r in burst) == [201] * 4 + [429] * 36


async def test_with_redis_unreachable_requests_pass_and_the_outage_is_logged_once(
    clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    limits = RateLimits(LIMITS, RedisCounter("redis://127.0.0.1:1/0"), clock)
    # The app's logging config stops "amtsweg" records at its own handler; listen there.
    logger = logging.getLogger("amtsweg.ratelimit")
    logger.addHandler(caplog.handler)
    try:
        async with client_for(tiny_app(limits)) as client:
            answers = await statuses(client, "POST", "/api/holds", 5)
    finally:
        logger.removeHandler(caplog.handler)
        await limits.close()

    assert answers == [201] * 5
    assert [r.message for r in caplog.records] == ["rate limits are off: Redis is unreachable"]


def test_limits_are_the_defaults_with_the_settings_laid_over() -> None:
    limits = limits_from([("booking", "1000/second"), ("login", "off"), ("kiosk", "30/hour")])

    assert limits["booking"] == Rate(1000, 1)
    assert limits["login"] is None
    assert limits["kiosk"] == Rate(30, 3600)
    assert limits["read"] == Rate.parse(DEFAULT_LIMITS["read"]) == Rate(120, 60)


@pytest.mark.parametrize("value", ["ten/minute", "10/fortnight", "0/minute", "10"])
def test_a_malformed_limit_names_its_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="APP_RATE_LIMIT_BOOKING"):
        limits_from([("booking", value)])


def test_a_malformed_trusted_proxy_names_its_variable() -> None:
    with pytest.raises(SettingsError, match="APP_TRUSTED_PROXIES"):
        networks(["10.0.0.0/8", "proxy.example"])


async def test_settings_choose_redis_when_configured_and_read_limits_and_proxies(
    tmp_path: Path, clock: FrozenClock
) -> None:
    env = {
        "APP_DATA_DIR": str(tmp_path),
        "APP_RATE_LIMIT_BOOKING": "500/second",
        "APP_TRUSTED_PROXIES": "10.0.0.0/8, ::1",
    }
    memory = RateLimits.from_settings(Settings.from_env(env), clock)
    shared = RateLimits.from_settings(Settings.from_env({**env, "APP_REDIS_URL": REDIS_URL}), clock)
    try:
        assert isinstance(memory.counter, MemoryCounter)
        assert isinstance(shared.counter, RedisCounter)
        assert memory.limits["booking"] == Rate(500, 1)
        assert [str(n) for n in memory.trusted_proxies] == ["10.0.0.0/8", "::1/128"]
    finally:
        await memory.close()
        await shared.close()
