"""What queue operations need from the app: settings, rules, clock, signer, booking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.booking.context import BookingContext
from app.core.clock import Clock
from app.core.tokens import TokenSigner
from app.queue.rules import QueueRules
from app.settings import Settings


@dataclass(frozen=True, slots=True)
class QueueContext:
    """Built once per app (and per test); every write takes its time from `clock`."""

    settings: Settings
    rules: QueueRules
    clock: Clock
    signer: TokenSigner
    booking: BookingContext

    def now(self) -> datetime:
        return self.clock.now()
