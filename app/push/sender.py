"""The job handlers that deliver push notices (RFC 8030, 8291, 8292).

`push.notice` fans a due notice out; `push.deliver` posts it to one subscription. The
encrypted body is only `{"n": "<notice id>"}`: push services belong to Google, Mozilla and
Apple, and learn no name, office, service or time from us. `TTL` is the time left until
the notice is outdated, so a push service never delivers it late; one outdated at send
time is dropped. Each job is claimed by one worker at a time, so a notice goes out once
to each subscription — unless a process dies between the push service's 201 and the job's
completion, when the job's lease runs out and it is sent again (at least once; nothing
is lost). The service worker shows both with the same tag, so the citizen sees one.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from pywebpush import WebPushException, webpush_async

from app.core.clock import Clock
from app.jobs.worker import GiveUp, Handler, RetryLater
from app.push import delivery, vapid
from app.settings import Settings

log = logging.getLogger("amtsweg.push")

PUSH_TIMEOUT_S = 10.0  # far inside the job lease (minutes)
RETRY_AFTER_DEFAULT_S = 60.0
RETRY_AFTER_MAX_S = 24 * 3600.0
GONE = frozenset({404, 410})
# Push services keep a message four weeks at most (FCM's limit; others are shorter).
MAX_TTL_S = 28 * 24 * 3600


def handlers(settings: Settings, clock: Clock) -> dict[str, Handler]:
    """The push job kinds for these settings."""
    signer = vapid.vapid(settings.vapid_private_key)

    async def fan_out(payload: dict[str, Any]) -> None:
        now = clock.now()
        await delivery.fan_out(int(payload["notice"]), now)
        await delivery.schedule_sweep(now)  # so that outdated notices are swept too

    async def deliver(payload: dict[str, Any]) -> None:
        now = clock.now()
        found = await delivery.get(int(payload["notice"]), int(payload["subscription"]))
        if found is None:
            return  # withdrawn, or the subscription is gone
        ttl = min(int((found.expires_at - now).total_seconds()), MAX_TTL_S)
        if ttl <= 0:
            return  # outdated: never delivered
        headers = {"Urgency": found.urgency}
        if found.topic:
            headers["Topic"] = found.topic
        try:
            await webpush_async(
                {"endpoint": found.endpoint, "keys": {"p256dh": found.p256dh, "auth": found.auth}},
                data=json.dumps({"n": found.notice_id}, separators=(",", ":")),
                vapid_private_key=signer,
                vapid_claims=vapid.claims(settings, found.endpoint),  # a fresh dict per call
                ttl=ttl,
                headers=headers,
                timeout=PUSH_TIMEOUT_S,
            )
        except WebPushException as exc:
            await _refused(exc, found.subscription_id)
            return
        await delivery.delivered(found.subscription_id, now)

    async def sweep(payload: dict[str, Any]) -> None:
        now = clock.now()
        removed = await delivery.sweep(now)
        if removed:
            log.info("push: %d idle or expired subscriptions removed", removed)
        if await delivery.anything_left():
            await delivery.schedule_sweep(now)

    return {delivery.FAN_OUT: fan_out, delivery.DELIVER: deliver, delivery.SWEEP: sweep}


async def _refused(exc: WebPushException, subscription: int) -> None:
    """What a push service's refusal means for the job: 404/410 the subscription is gone
    (done), 429 come back when it says, other 4xx retrying cannot help, 5xx back off."""
    response = exc.response
    status = int(response.status) if response is not None else None
    if status in GONE:
        await delivery.forget(subscription)
        return
    if status == 429:
        raise RetryLater(retry_after(response.headers.get("Retry-After")), "push service: 429")
    if status is None or 400 <= status < 500:
        raise GiveUp(f"push service refused: {status} {exc.message}"[:500])
    raise exc  # 5xx: the worker backs off


def retry_after(value: str | None) -> float:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP-date)."""
    if not value:
        return RETRY_AFTER_DEFAULT_S
    try:
        seconds = float(value.strip()) if value.strip().isdigit() else _until(value)
    except (TypeError, ValueError):
        return RETRY_AFTER_DEFAULT_S
    return min(max(seconds, 1.0), RETRY_AFTER_MAX_S)


def _until(value: str) -> float:
    # An HTTP-date is the push service's wall clock, not the app's (maybe frozen) clock.
    return (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
