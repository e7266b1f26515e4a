"""Numbered live events: stamping, catch-up, and both backends under the Channels plugin."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
from litestar.channels import ChannelsPlugin
from litestar.channels.plugin import ChannelsException
from litestar.channels.subscriber import Subscriber
from redis.asyncio import Redis

from app.core.live import (
    MemoryBackend,
    RedisBackend,
    catch_up,
    channels_plugin,
    numbered,
    replay,
    stamp,
)
from app.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/13"
CHANNEL = "queue:office:1"


def events(raw: list[bytes]) -> list[dict[str, Any]]:
    return [json.loads(event) for event in raw]


def test_a_stamp_adds_the_epoch_and_number_as_last_members() -> None:
    stamped = stamp(b'{"type":"called","ticket":"A-017"}', "e1", 7)
    assert stamped == b'{"type":"called","ticket":"A-017","epoch":"e1","seq":7}'
    assert stamp(b"{}", "e1", 1) == b'{"epoch":"e1","seq":1}'
    assert stamp(b'"text"', "e1", 1) is None
    assert numbered(stamped).seq == 7
    assert numbered(b"not json").seq == 0


def test_a_client_of_the_same_epoch_gets_only_what_it_missed() -> None:
    history = [stamp(b'{"n":%d}' % n, "e", n) or b"" for n in range(5, 11)]
    same = replay("e", history, "e", 7)
    assert ([event["n"] for event in events(same.events)], same.seq, same.reset) == (
        [8, 9, 10],
        10,
        False,
    )
    assert replay("e", history, "e", 10).events == []
    assert replay("e", history, "e", 4).events == history[0:]  # 5 is the next: no gap
    assert not replay("e", history, "e", 4).reset


def test_a_client_from_another_epoch_or_beyond_the_history_starts_afresh() -> None:
    history = [stamp(b'{"n":%d}' % n, "e", n) or b"" for n in range(5, 11)]
    for epoch, after in (("other", 7), ("", 0), ("e", 3), ("e", 11)):
        fresh = replay("e", history, epoch, after)
        assert (fresh.events, fresh.seq, fresh.reset) == (history, 10, True)


@pytest.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[tuple[ChannelsPlugin, ...]]:
    """Two processes' plugins on one broker: for memory, the one process's own twice;
    for Redis, two plugins with a client each, under a key prefix of this test's own."""
    prefix = f"test-live-{uuid.uuid4().hex}"
    async with AsyncExitStack() as stack:
        if request.param == "memory":
            channels = ChannelsPlugin(backend=MemoryBackend(), arbitrary_channels_allowed=True)
            yield (await stack.enter_async_context(channels),) * 2
        else:
            started = [
                await stack.enter_async_context(
                    ChannelsPlugin(
                        backend=RedisBackend(Redis.from_url(REDIS_URL), prefix),
                        arbitrary_channels_allowed=True,
                    )
                )
                for _ in range(2)
            ]
            yield tuple(started)
    redis = Redis.from_url(REDIS_URL)
    keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def test_a_publish_reaches_a_subscriber_numbered_and_is_kept_for_catch_up(
    pair: tuple[ChannelsPlugin, ...],
) -> None:
    publisher, channels = pair
    async with channels.start_subscription(CHANNEL) as subscriber:
        for n in range(3):
            await publisher.wait_published({"type": "called", "ticket": f"A-{n}"}, CHANNEL)
        received = await take(subscriber, 3)
        assert [event["seq"] for event in events(received)] == [1, 2, 3]
        missed = await catch_up(channels, CHANNEL, numbered(received[0]).epoch, 1)
        assert (missed.events, missed.seq, missed.reset) == (received[1:], 3, False)


async def test_hundreds_of_concurrent_publishes_are_numbered_once_each_in_delivery_order(
    pair: tuple[ChannelsPlugin, ...],
) -> None:
    one, two = pair
    async with two.start_subscription(CHANNEL) as subscriber:
        await asyncio.gather(
            *((one if n % 2 else two).wait_published({"n": n}, CHANNEL) for n in range(300))
        )
        received = events(await take(subscriber, 300))
        assert [event["seq"] for event in received] == list(range(1, 301))
        assert sorted(event["n"] for event in received) == list(range(300))
        kept = await catch_up(one, CHANNEL, received[0]["epoch"], 0)
        assert [json.loads(event)["seq"] for event in kept.events] == list(range(201, 301))
        assert kept.reset  # 1..100 fell out of the history of 100


async def test_the_history_outlives_the_last_subscriber(pair: tuple[ChannelsPlugin, ...]) -> None:
    channels = pair[0]
    async with channels.start_subscription(CHANNEL):
        await channels.wait_published({"type": "called"}, CHANNEL)
    await channels.wait_published({"type": "recalled"}, CHANNEL)
    kept = await catch_up(channels, CHANNEL, "", 0)
    assert [event["type"] for event in events(kept.events)] == ["called", "recalled"]


async def test_malformed_channel_names_are_refused(pair: tuple[ChannelsPlugin, ...]) -> None:
    channels = pair[0]
    with pytest.raises(ChannelsException):
        await catch_up(channels, "queue office 1", "", 0)
    with pytest.raises(ChannelsException):
        await channels._backend.subscribe(["*"])
    await channels.wait_published({"type": "called"}, "nope")  # logged, not sent
    assert (await catch_up(channels, CHANNEL, "", 0)).events == []


async def take(subscriber: Subscriber, count: int) -> list[bytes]:
    received: list[bytes] = []
    async with asyncio.timeout(10):
        async for event in subscriber.iter_events():
            received.append(event)
            if len(received) == count:
                break
    return received


def test_the_plugin_uses_redis_only_when_a_url_is_set(settings: Settings) -> None:
    memory = channels_plugin(settings.__class__(**{**_fields(settings), "redis_url": None}))
    redis = channels_plugin(settings.__class__(**{**_fields(settings), "redis_url": REDIS_URL}))
    assert isinstance(memory._backend, MemoryBackend)
    assert isinstance(redis._backend, RedisBackend)
    assert redis._backend._key_prefix == "amtsweg:live:13"


def _fields(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}
