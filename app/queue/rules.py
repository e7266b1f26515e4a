"""The queue rules a city sets: recalls before "missed", lateness, and the wait estimate.

Read once from `APP_QUEUE_*` environment variables when the app is built (defaults in
brackets); tests build their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta


class RulesError(ValueError):
    """A queue rule is malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class QueueRules:
    recalls_before_missed: int = 2  # APP_QUEUE_RECALLS_BEFORE_MISSED: calls again first
    late_minutes: int = 15  # APP_QUEUE_LATE_MINUTES: an appointment keeps its time until
    wait_sample: int = 20  # APP_QUEUE_WAIT_SAMPLE: finished tickets the median is taken of
    default_service_minutes: int = 10  # APP_QUEUE_DEFAULT_SERVICE_MINUTES: before any
    open_desk_minutes: int = 60  # APP_QUEUE_OPEN_DESK_MINUTES: a desk that called within

    def __post_init__(self) -> None:
        if self.recalls_before_missed < 0 or self.late_minutes < 0:
            raise RulesError("APP_QUEUE_RECALLS_BEFORE_MISSED and _LATE_MINUTES must be >= 0")
        if min(self.wait_sample, self.default_service_minutes, self.open_desk_minutes) <= 0:
            raise RulesError("APP_QUEUE_WAIT_SAMPLE and the minutes must be positive")

    @property
    def late(self) -> timedelta:
        return timedelta(minutes=self.late_minutes)

    @property
    def open_desk_window(self) -> timedelta:
        return timedelta(minutes=self.open_desk_minutes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> QueueRules:
        env = os.environ if env is None else env
        values: dict[str, int] = {}
        for field in fields(cls):
            variable = f"APP_QUEUE_{field.name.upper()}"
            if variable in env:
                try:
                    values[field.name] = int(env[variable])
                except ValueError:
                    raise RulesError(f"{variable} must be a whole number") from None
        return cls(**values)
