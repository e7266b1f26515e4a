"""The deletion schedules' figures, read from `APP_RETENTION_*` once (see the package)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta


class RetentionError(ValueError):
    """A retention setting is malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class RetentionRules:
    lapsed_holds: timedelta = timedelta(minutes=60)
    past_appointments: timedelta = timedelta(days=30)
    closed_cases: timedelta = timedelta(days=365)
    closed_cases_by_service: Mapping[str, timedelta] = field(default_factory=dict)
    ip_addresses: timedelta = timedelta(days=7)
    mail_recipients: timedelta = timedelta(days=30)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RetentionRules:
        env = os.environ if env is None else env
        return cls(
            lapsed_holds=timedelta(minutes=_number(env, "APP_RETENTION_HOLD_MINUTES", 60)),
            past_appointments=timedelta(days=_number(env, "APP_RETENTION_APPOINTMENT_DAYS", 30)),
            closed_cases=timedelta(days=_number(env, "APP_RETENTION_CLOSED_CASE_DAYS", 365)),
            closed_cases_by_service=_by_service(
                env.get("APP_RETENTION_CLOSED_CASE_DAYS_BY_SERVICE", "")
            ),
            ip_addresses=timedelta(days=_number(env, "APP_RETENTION_IP_DAYS", 7)),
            mail_recipients=timedelta(days=_number(env, "APP_RETENTION_MAIL_DAYS", 30)),
        )


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name, default))
    except ValueError:
        raise RetentionError(f"{name} must be a number") from None
    if value <= 0:
        raise RetentionError(f"{name} must be greater than 0")
    return value


def _by_service(raw: str) -> dict[str, timedelta]:
    """`slug=days,slug=days` → {slug: period}."""
    found: dict[str, timedelta] = {}
    for part in filter(None, (piece.strip() for piece in raw.split(","))):
        slug, _sep, days = part.partition("=")
        try:
            value = float(days)
        except ValueError:
            value = -1
        if not slug.strip() or value <= 0:
            raise RetentionError(
                "APP_RETENTION_CLOSED_CASE_DAYS_BY_SERVICE must read slug=days,slug=days"
            )
        found[slug.strip()] = timedelta(days=value)
    return found
