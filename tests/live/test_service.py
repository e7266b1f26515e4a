"""The stream's rules without a server: gaps are filled from the history, repeats are
dropped, a new epoch rebuilds the client; the display key belongs to one office."""

from __future__ import annotations

import json
from typing import Any, cast

from litestar.channels import ChannelsPlugin

from app.core.live import MemoryBackend
from app.live.service import Socket, _Stream, display_key, key_valid
from app.settings import Settings

CHANNEL = "queue:office:1"


class Recorder:
    """Stands in for the WebSocket: keeps what the stream sends."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send_data(self, data: str | bytes) -> None:
        self.sent.append(json.loads(data))


async def test_a_gap_in_the_numbers_is_filled_from_the_history_once_in_order() -> None:
    async with ChannelsPlugin(backend=MemoryBackend(), arbitrary_channels_allowed=True) as plugin:
        backend = cast(MemoryBackend, plugin._backend)
        for n in range(1, 6):
            await plugin.wait_published({"ticket": f"A-{n}"}, CHANNEL)
        kept = (await backend.history(CHANNEL))[1]
        socket = Recorder()
        stream = _Stream(cast(Socket, socket), plugin, CHANNEL)
        stream.epoch, stream.seq = backend.epoch, 2
        await stream.on_event(kept[4])  # 3 and 4 were lost on the way
        await stream.on_event(kept[3])  # late, already sent with the catch-up
        await stream.on_event(kept[1])  # a repeat
        tickets = [message.get("ticket", message.get("type")) for message in socket.sent]
        assert tickets == ["A-3", "A-4", "A-5", "sync"]
        assert socket.sent[-1] == {"type": "sync", "epoch": backend.epoch, "seq": 5, "reset": False}


async def test_an_event_of_a_new_epoch_rebuilds_the_client_from_the_history() -> None:
    async with ChannelsPlugin(backend=MemoryBackend(), arbitrary_channels_allowed=True) as plugin:
        backend = cast(MemoryBackend, plugin._backend)
        await plugin.wait_published({"ticket": "A-1"}, CHANNEL)
        socket = Recorder()
        stream = _Stream(cast(Socket, socket), plugin, CHANNEL)
        stream.epoch, stream.seq = "older", 40
        await stream.on_event((await backend.history(CHANNEL))[1][0])
        assert [message.get("ticket") for message in socket.sent] == ["A-1", None]
        assert socket.sent[-1]["reset"] is True


def test_a_display_key_opens_one_office_only(settings: Settings) -> None:
    key = display_key(settings, 7)
    assert len(key) == 22  # 128 bits, base64url
    assert key_valid(settings, 7, key)
    assert not key_valid(settings, 8, key)
    assert not key_valid(settings, 7, key[:-1] + ("A" if key[-1] != "A" else "B"))
