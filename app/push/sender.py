"""The job handlers that deliver push notices."""

from app.core.clock import Clock
from app.jobs.worker import Handler
from app.settings import Settings


def handlers(settings: Settings, clock: Clock) -> dict[str, Handler]:
    return {}
