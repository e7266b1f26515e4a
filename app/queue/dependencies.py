"""What the queue's handlers ask for: the queue context and the live-event channels."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.channels import ChannelsPlugin
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from app.queue.context import QueueContext
from app.queue.rules import QueueRules

_RULES = "queue_rules"


def _queue(state: State) -> QueueContext:
    # The rules are read from the environment once per app, on first use; tests may put
    # their own into `state.queue_rules` before.
    rules = state.get(_RULES)
    if not isinstance(rules, QueueRules):
        rules = QueueRules.from_env()
        state[_RULES] = rules
    return QueueContext(state.settings, rules, state.clock, state.signer, state.booking)


def _channels(request: Request[Any, Any, Any]) -> ChannelsPlugin | None:
    """Litestar Channels, once `app.main` registers the plugin; None until then."""
    try:
        return request.app.plugins.get(ChannelsPlugin)
    except KeyError:
        return None


QUEUE_DEPENDENCIES = {
    "queue": Provide(_queue, sync_to_thread=False),
    "channels": Provide(_channels, sync_to_thread=False),
}
QueueDep = NamedDependency[QueueContext]
ChannelsDep = NamedDependency[ChannelsPlugin | None]
