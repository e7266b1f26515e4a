"""What booking operations need from the app: settings, rules, the clock, the token signer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.booking.lookups import Lookups
from app.booking.rules import BookingRules
from app.core.clock import Clock
from app.core.tokens import TokenSigner
from app.settings import Settings


@dataclass(frozen=True, slots=True)
class BookingContext:
    """Built once per app (and per test); every write takes its time from `clock`."""

    settings: Settings
    rules: BookingRules
    clock: Clock
    signer: TokenSigner
    lookups: Lookups = field(default_factory=Lookups, compare=False)

    def now(self) -> datetime:
        return self.clock.now()
