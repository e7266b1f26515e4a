"""Live queue events: every change of a queue goes out through `publish`, after its
transaction has committed, on the channel `queue:office:{office_id}`.

An event is `{"type", "ticket", "desk", "office_id", "at"}`: the number, the desk's label
(or None) and the time, never anything about the person. Delivery is best effort: a
client that missed an event (a reconnect, a broker outage) reloads the queue state, so a
failed publish is logged and the clerk's action still stands.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from app.queue.schemas import EventType

log = logging.getLogger("amtsweg.queue")


class Channels(Protocol):
    """What `publish` needs of Litestar's ChannelsPlugin (tests pass a recorder)."""

    async def wait_published(self, data: Any, channels: str | Iterable[str]) -> None: ...


def channel(office_id: int) -> str:
    return f"queue:office:{office_id}"


def event(
    kind: EventType, number: str, desk: str | None, office_id: int, at: datetime
) -> dict[str, Any]:
    return {
        "type": kind,
        "ticket": number,
        "desk": desk,
        "office_id": office_id,
        "at": at.astimezone(UTC).isoformat(),
    }


async def publish(channels: Channels | None, office_id: int, event: dict[str, Any]) -> None:
    """Send one queue event to everyone following the office; nothing without channels."""
    if channels is None:
        return
    try:
        await channels.wait_published(event, channel(office_id))
    except Exception:  # the change is committed; listeners catch up by reloading
        log.exception("queue event for office %s not published", office_id)
