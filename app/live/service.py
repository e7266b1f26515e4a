"""The call display's key, and an office's live stream with catch-up after a reconnect.

Protocol of `/ws/display/{office_id}?key=…&epoch=…&after=…` (server to client only):
first the events the client missed (all the kept ones if it is new or from another
epoch), then `{"type": "sync", "epoch": …, "seq": …, "reset": …}`, then live events as
they come, and `{"type": "ping"}` when nothing happened for `HEARTBEAT_S`. Every event
carries `epoch` and `seq`; the client keeps the last and sends them when it reconnects.
A wrong key closes the socket with code 4403: the client should stop trying.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from contextlib import suppress
from typing import Any

from litestar import WebSocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import WebSocketDisconnect

from app.core.live import Replay, catch_up, numbered
from app.live.schemas import DisplayLink
from app.settings import Settings

HEARTBEAT_S = 20.0  # a display that hears nothing for three of these reconnects
CLOSE_INVALID_KEY = 4403
PING = b'{"type":"ping"}'
Socket = WebSocket[Any, Any, Any]


def office_channel(office_id: int) -> str:
    """Where the queue publishes an office's events (as `app/queue/events.py` does)."""
    return f"queue:office:{office_id}"


def display_key(settings: Settings, office_id: int) -> str:
    """128 bits that only this app can compute for `office_id`: the display's signature.

    An HMAC, not a capability token with a database row: a display link needs no state,
    stays valid for as long as the secret key, and names nothing but the office.
    """
    message = f"amtsweg/display/{office_id}".encode()
    digest = hmac.new(settings.secret_key, message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def key_valid(settings: Settings, office_id: int, key: str) -> bool:
    return hmac.compare_digest(display_key(settings, office_id).encode(), key.encode())


def display_link(settings: Settings, office_id: int, lang: str) -> DisplayLink:
    key = display_key(settings, office_id)
    url = f"{settings.base_url}/display/{lang}/?office={office_id}&key={key}"
    return DisplayLink(office_id=office_id, key=key, url=url)


class _Stream:
    """One client's place in a channel: the last event it holds, and what to send next."""

    def __init__(self, socket: Socket, channels: ChannelsPlugin, channel: str) -> None:
        self.socket, self.channels, self.channel = socket, channels, channel
        self.epoch, self.seq = "", 0

    async def send_replay(self, replay: Replay) -> None:
        for event in replay.events:
            await self.socket.send_data(event)
        self.epoch, self.seq = replay.epoch, replay.seq
        sync = f'{{"type":"sync","epoch":"{replay.epoch}","seq":{replay.seq},"reset":'
        await self.socket.send_data(sync + ("true}" if replay.reset else "false}"))

    async def on_event(self, event: bytes) -> None:
        place = numbered(event)
        if not place.seq:
            await self.socket.send_data(event)
        elif place.epoch != self.epoch or place.seq > self.seq + 1:
            # Missed one (a full backlog, a subscription that began late) or the counter
            # started a new life: what the client lacks is in the history, this event too.
            await self.send_replay(
                await catch_up(self.channels, self.channel, self.epoch, self.seq)
            )
        elif place.seq == self.seq + 1:
            self.seq = place.seq
            await self.socket.send_data(event)
        # Anything older was sent with the catch-up already.


async def follow(
    socket: Socket, channels: ChannelsPlugin, channel: str, epoch: str, after: int
) -> None:
    """Send the client what it missed on `channel`, then live events, until it leaves."""
    await socket.accept()
    stream = _Stream(socket, channels, channel)
    with suppress(WebSocketDisconnect):  # the client left: nothing more to do
        async with channels.start_subscription(channel) as subscriber:
            # Subscribed first, history second: an event published in between is in
            # both, and the stream sends it once.
            await stream.send_replay(await catch_up(channels, channel, epoch, after))
            async with subscriber.run_in_background(stream.on_event, join=False):
                while True:
                    try:
                        message = await asyncio.wait_for(socket.receive(), HEARTBEAT_S)
                    except TimeoutError:
                        await socket.send_data(PING)
                        continue
                    if message["type"] == "websocket.disconnect":
                        return


async def serve_display(
    socket: Socket,
    channels: ChannelsPlugin,
    settings: Settings,
    office_id: int,
    *,
    key: str,
    epoch: str,
    after: int,
) -> None:
    """The office's queue events for a display or clerk screen that holds its key."""
    if not key_valid(settings, office_id, key):
        await socket.accept()
        await socket.close(code=CLOSE_INVALID_KEY, reason="invalid_display_key")
        return
    await follow(socket, channels, office_channel(office_id), epoch, after)
