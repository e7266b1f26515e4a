"""Live events: Litestar Channels with a sequence number per channel, so clients catch up.

Every event is a JSON object. The backend stamps it with `seq`, the next number of its
channel, and keeps the last `HISTORY` events of each channel. A client that reconnects
says which epoch and `seq` it saw last and is sent exactly what it missed
(`catch_up`), then live events. The stamp is given where the backend orders
events — in the one process of the memory backend, in one Lua script in Redis — so the
order of the numbers is the order of delivery on every process, and a gap in them means
a lost event, which the stream fills from the history (`app.live.service`).

An epoch names one life of a channel's counter: a memory backend's process, a set of
Redis keys until they expire. A client of another epoch cannot compare numbers and
starts afresh from the history.

With `APP_REDIS_URL`, Redis Pub/Sub carries the live events (pushed to every process),
and a capped list per channel holds its history. Litestar's stream backend keeps a
history too, but it polls XREAD every millisecond on every process even when idle,
replays a stream from its start to a process's first subscriber, and hands out no
number a client could send back; and the memory backend drops a channel's history when
its last subscriber leaves — just when a lone display reconnects. Hence these two
backends. Channel names are `<domain>:<kind>:<id>`, e.g. `queue:office:3`.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections import defaultdict, deque
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.channels.plugin import ChannelsException
from redis.asyncio import BlockingConnectionPool, Redis

from app.settings import Settings

HISTORY = 100  # events kept per channel: a display shows ten calls, a screen is back in minutes
HISTORY_TTL_S = 2 * 24 * 3600  # an office idle for two days starts a new epoch
MAX_BACKLOG = 256  # per subscriber; beyond it the oldest go, and the gap is refilled
CHANNEL_NAME = re.compile(r"[a-z]+:[a-z]+:[A-Za-z0-9_-]{1,64}")

log = logging.getLogger("amtsweg.live")

# KEYS: meta hash, history list and Pub/Sub name of each channel in turn.
# ARGV: the event, history length, TTL in seconds, a fresh epoch for a channel without one.
_PUBLISH = """
local data, keep, ttl, fresh = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local object = #data >= 2 and data:sub(1, 1) == '{' and data:sub(-1) == '}'
for i = 1, #KEYS, 3 do
  local meta, history, name, event = KEYS[i], KEYS[i + 1], KEYS[i + 2], data
  if object then
    if redis.call('HSETNX', meta, 'epoch', fresh) == 1 then redis.call('DEL', history) end
    local seq = redis.call('HINCRBY', meta, 'seq', 1)
    local tail = '"epoch":"' .. redis.call('HGET', meta, 'epoch') .. '","seq":' .. seq .. '}'
    if data == '{}' then event = '{' .. tail else event = data:sub(1, -2) .. ',' .. tail end
    redis.call('RPUSH', history, event)
    redis.call('LTRIM', history, -keep, -1)
    redis.call('EXPIRE', history, ttl)
    redis.call('EXPIRE', meta, ttl)
  end
  redis.call('PUBLISH', name, event)
end
"""
# KEYS: meta hash, history list. ARGV: a fresh epoch, TTL in seconds.
_HISTORY = """
if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1]) == 1 then redis.call('DEL', KEYS[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return {redis.call('HGET', KEYS[1], 'epoch'), redis.call('LRANGE', KEYS[2], 0, -1)}
"""


class Numbered(msgspec.Struct):
    """Where an event stands in its channel; (``, 0) for an event without a number."""

    epoch: str = ""
    seq: int = 0


def stamp(data: bytes, epoch: str, seq: int) -> bytes | None:
    """`data` with its epoch and number as last members, or None if it is no JSON object.

    Last, so that a publisher's own `seq` (there should be none) cannot shadow them."""
    if len(data) < 2 or data[:1] != b"{" or data[-1:] != b"}":
        return None
    tail = b'"epoch":"%s","seq":%d}' % (epoch.encode(), seq)
    return b"{" + tail if data == b"{}" else data[:-1] + b"," + tail


def numbered(data: bytes) -> Numbered:
    """The event's epoch and sequence number."""
    try:
        return msgspec.json.decode(data, type=Numbered)
    except msgspec.DecodeError:
        return Numbered()


@dataclass(frozen=True, slots=True)
class Replay:
    """What a (re)connecting client is sent before live events."""

    epoch: str
    events: list[bytes]
    seq: int  # the last number the client holds after these events
    reset: bool  # the client's state is void: rebuild it from `events`


def replay(epoch: str, history: list[bytes], client_epoch: str, after: int) -> Replay:
    """The events of `history` a client that saw `after` of `client_epoch` misses."""
    kept = [(numbered(event).seq, event) for event in history]
    kept = [(seq, event) for seq, event in kept if seq]
    first = kept[0][0] if kept else 1
    last = kept[-1][0] if kept else 0
    # Same life of the counter, nothing newer than we know, nothing fallen out of history.
    if client_epoch == epoch and first - 1 <= after <= last:
        return Replay(epoch, [event for seq, event in kept if seq > after], last, False)
    return Replay(epoch, [event for _, event in kept], last, True)


def check_channels(channels: str | Iterable[str]) -> list[str]:
    """The names, if each is `<domain>:<kind>:<id>`; else ChannelsException."""
    names = [channels] if isinstance(channels, str) else list(channels)
    for name in names:
        if not CHANNEL_NAME.fullmatch(name):
            raise ChannelsException(f"channel names are <domain>:<kind>:<id>, not {name!r}")
    return names


def _publishable(channels: Iterable[str]) -> list[str]:
    # Publishing runs in the plugin's worker task, which an exception would end for good:
    # a malformed name is logged and skipped instead.
    names = list(dict.fromkeys(channels))
    for name in names:
        if not CHANNEL_NAME.fullmatch(name):
            log.error("not published on %r: channel names are <domain>:<kind>:<id>", name)
    return [name for name in names if CHANNEL_NAME.fullmatch(name)]


class MemoryBackend(MemoryChannelsBackend):
    """One process: numbers and history in memory; the epoch is the process's life."""

    def __init__(self, history: int = HISTORY) -> None:
        super().__init__(history=0)
        self.epoch = secrets.token_hex(4)
        self._kept: defaultdict[str, deque[bytes]] = defaultdict(lambda: deque(maxlen=history))
        self._last: dict[str, int] = {}

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        # No await between numbering and queueing: the order of numbers is the order sent.
        for channel in _publishable(channels):
            seq = self._last.get(channel, 0) + 1
            event = stamp(data, self.epoch, seq)
            if event is not None:
                self._last[channel] = seq
                self._kept[channel].append(event)
            await super().publish(event or data, [channel])

    async def subscribe(self, channels: Iterable[str]) -> None:
        await super().subscribe(check_channels(channels))

    async def history(self, channel: str) -> tuple[str, list[bytes]]:
        return self.epoch, list(self._kept.get(channel, ()))

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        kept = (await self.history(channel))[1]
        return kept[-limit:] if limit else kept


class RedisBackend(RedisChannelsPubSubBackend):
    """N processes: Pub/Sub for live events, a capped list and a counter per channel.

    Pub/Sub names ignore Redis database numbers, so the key prefix (which carries the
    database number) prefixes the Pub/Sub names too: two apps on two databases of one
    Redis never hear each other.
    """

    def __init__(
        self, redis: Redis, key_prefix: str, history: int = HISTORY, ttl: int = HISTORY_TTL_S
    ) -> None:
        super().__init__(redis=redis, key_prefix=key_prefix)
        self._keep, self._ttl = history, ttl
        self._publish_numbered = redis.register_script(_PUBLISH)
        self._read_history = redis.register_script(_HISTORY)

    def _name(self, channel: str) -> str:
        return f"{self._key_prefix}:{channel}"

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        keys = []
        for channel in _publishable(channels):
            name = self._name(channel)
            keys += [f"{name}:meta", f"{name}:history", name]
        await self._publish_numbered(
            keys=keys, args=[data, self._keep, self._ttl, secrets.token_hex(4)]
        )

    async def subscribe(self, channels: Iterable[str]) -> None:
        await super().subscribe([self._name(channel) for channel in check_channels(channels)])

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        await super().unsubscribe([self._name(channel) for channel in channels])

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        cut = len(self._key_prefix) + 1
        async for name, data in super().stream_events():
            yield name[cut:], data

    async def history(self, channel: str) -> tuple[str, list[bytes]]:
        name = self._name(channel)
        epoch, events = await self._read_history(
            keys=[f"{name}:meta", f"{name}:history"], args=[secrets.token_hex(4), self._ttl]
        )
        return epoch.decode(), list(events)

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        kept = (await self.history(channel))[1]
        return kept[-limit:] if limit else kept

    async def on_shutdown(self) -> None:
        await super().on_shutdown()
        await self._redis.aclose()


def _backend(channels: ChannelsPlugin) -> MemoryBackend | RedisBackend:
    # Litestar offers the backend no other way; the plugin stays a plain ChannelsPlugin so
    # that `app.plugins.get(ChannelsPlugin)` and the `channels` dependency find it.
    backend = channels._backend
    if not isinstance(backend, MemoryBackend | RedisBackend):
        raise TypeError("the channels plugin was not built by app.core.live.channels_plugin")
    return backend


async def catch_up(channels: ChannelsPlugin, channel: str, epoch: str, after: int) -> Replay:
    """What a client that saw event `after` of `epoch` on `channel` has missed."""
    current, history = await _backend(channels).history(check_channels(channel)[0])
    return replay(current, history, epoch, after)


def channels_plugin(settings: Settings) -> ChannelsPlugin:
    """Memory by default; Redis, shared by N processes, when `APP_REDIS_URL` is set.

    Handlers and services receive it as the `channels` dependency."""
    backend: MemoryBackend | RedisBackend
    if settings.redis_url:
        # The Pub/Sub listener holds one connection for good; publishes and catch-ups
        # share the rest, waiting for a free one rather than opening them without bound.
        pool = BlockingConnectionPool.from_url(settings.redis_url, max_connections=32, timeout=5)
        prefix = f"amtsweg:live:{pool.connection_kwargs.get('db', 0)}"
        backend = RedisBackend(Redis.from_pool(pool), key_prefix=prefix)
    else:
        backend = MemoryBackend()
    return ChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=MAX_BACKLOG,
        subscriber_backlog_strategy="dropleft",
    )
