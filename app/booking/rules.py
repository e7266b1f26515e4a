"""The booking rules a city sets: time unit, buffer, window, notice, hold and offer times.

Read once from `APP_BOOKING_*` environment variables when the app is built (defaults in
brackets); tests build their own. Changing the unit on a live system needs care: the
unit grid is what the desk-unit locks line up on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any


class RulesError(ValueError):
    """A booking rule is malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class BookingRules:
    unit_minutes: int = 15  # APP_BOOKING_UNIT_MINUTES: capacity is counted in these
    buffer_minutes: int = 0  # APP_BOOKING_BUFFER_MINUTES: a desk's pause after each visit
    hold_minutes: int = 10  # APP_BOOKING_HOLD_MINUTES: a hold lapses unconfirmed after
    min_notice_minutes: int = 120  # APP_BOOKING_MIN_NOTICE_MINUTES: earliest start from now
    max_days: int = 28  # APP_BOOKING_MAX_DAYS: latest day, counted from today (Berlin)
    max_range_days: int = 31  # APP_BOOKING_MAX_RANGE_DAYS: longest availability query
    offer_minutes: int = 120  # APP_BOOKING_OFFER_MINUTES: to accept a waitlist offer
    release_delay_min_minutes: int = 5  # APP_BOOKING_RELEASE_DELAY_MIN_MINUTES
    release_delay_max_minutes: int = 30  # APP_BOOKING_RELEASE_DELAY_MAX_MINUTES
    reminder_hours: tuple[int, ...] = (48, 2)  # APP_BOOKING_REMINDER_HOURS, e.g. "48,2"

    def __post_init__(self) -> None:
        if self.unit_minutes <= 0 or 60 % self.unit_minutes:
            # Units must tile every hour, so the grid is the same in UTC and Berlin time.
            raise RulesError("APP_BOOKING_UNIT_MINUTES must divide 60")
        if not 0 <= self.release_delay_min_minutes <= self.release_delay_max_minutes:
            raise RulesError("the release delay needs 0 <= minimum <= maximum")
        if min(self.buffer_minutes, self.min_notice_minutes) < 0 or self.hold_minutes <= 0:
            raise RulesError("booking times must not be negative")
        if self.max_days < 0 or self.max_range_days <= 0 or self.offer_minutes <= 0:
            raise RulesError("booking windows must be positive")

    @property
    def unit(self) -> timedelta:
        return timedelta(minutes=self.unit_minutes)

    @property
    def hold(self) -> timedelta:
        return timedelta(minutes=self.hold_minutes)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.min_notice_minutes)

    @property
    def offer(self) -> timedelta:
        return timedelta(minutes=self.offer_minutes)

    def units_for(self, duration_minutes: int) -> int:
        """How many consecutive units an appointment of that length occupies, buffer included."""
        total = duration_minutes + self.buffer_minutes
        return max(1, -(-total // self.unit_minutes))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BookingRules:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name in (
            "unit_minutes",
            "buffer_minutes",
            "hold_minutes",
            "min_notice_minutes",
            "max_days",
            "max_range_days",
            "offer_minutes",
            "release_delay_min_minutes",
            "release_delay_max_minutes",
        ):
            variable = f"APP_BOOKING_{name.upper()}"
            if variable in env:
                try:
                    values[name] = int(env[variable])
                except ValueError:
                    raise RulesError(f"{variable} must be a whole number") from None
        reminders = env.get("APP_BOOKING_REMINDER_HOURS")
        if reminders is None:
            return cls(**values)
        try:
            hours = tuple(int(part) for part in reminders.split(",") if part.strip())
        except ValueError:
            raise RulesError("APP_BOOKING_REMINDER_HOURS must be whole hours, e.g. 48,2") from None
        return cls(**values, reminder_hours=hours)
