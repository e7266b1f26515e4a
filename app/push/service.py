"""What the push domain does, for routes and for other domains.

Other domains call `notify_case` (tell a case's subscribers something, now or at a due
time) and `withdraw` (take back a notice not yet sent, e.g. the reminder of a moved
appointment). The notice is a row; a `push.notice` job fans it out at its due time to one
`push.deliver` job per subscription of the case (`app.push.sender`). Either both the
notice and its job are written or neither, inside the caller's transaction if it has one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from piccolo.engine.base import Engine

from app.cases import service as cases
from app.cases.schemas import Case
from app.core.clock import Clock
from app.core.database import write_transaction
from app.core.errors import InvalidToken
from app.core.tokens import TokenKind, TokenSigner
from app.core.translation import Catalog
from app.jobs import service as jobs
from app.push import delivery, kinds, vapid
from app.push.errors import NoticeNotFound
from app.push.schemas import Notice, PublicKey, Subscribed, SubscriptionCreate, Unsubscribe
from app.push.subscriptions import check_endpoint, check_keys, expiry
from app.push.tables import PushLink, PushNotice, PushSubscription
from app.settings import Settings

SUBSCRIBABLE = (TokenKind.CASE, TokenKind.APPOINTMENT, TokenKind.TICKET)
# The page a notice opens, by the kind of token the service worker fetched it with.
PAGES = {
    TokenKind.APPOINTMENT: "/{lang}/appointments/{token}",
    TokenKind.TICKET: "/{lang}/tickets/{token}",
}
CASE_PAGE = "/{lang}/case/{token}"


def public_key(settings: Settings) -> PublicKey:
    return PublicKey(public_key=vapid.public_key(settings))


async def subscribe(
    data: SubscriptionCreate, *, settings: Settings, signer: TokenSigner, clock: Clock
) -> Subscribed:
    """Store the subscription (or refresh its keys and language) and link it to the case
    the token opens. Everything is checked first, so a bad request stores nothing.

    Raises InvalidPushEndpoint, InsecurePushEndpoint, InvalidPushKeys (422),
    LanguageNotOffered (422), InvalidToken (404) and ExpiredToken (410).
    """
    info = data.subscription
    endpoint = check_endpoint(info.endpoint, allow_loopback_http=settings.push_allow_loopback_http)
    p256dh, auth = check_keys(info)
    expires_at = expiry(info)
    language = data.language or settings.default_language
    if language not in settings.languages:
        raise cases.LanguageNotOffered(field="language")
    case, _kind = await resolve(data.token, signer, clock)
    now = clock.now()
    async with write_transaction(engine()):
        # One statement per row, both atomic on either engine: a second subscribe of the
        # same endpoint updates it, a second link of the same case is nothing new.
        rows = await PushSubscription.raw(
            "INSERT INTO push_subscription "
            "(endpoint, p256dh, auth, language, created_at, last_used_at, expires_at) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}) ON CONFLICT (endpoint) DO UPDATE SET "
            "p256dh = excluded.p256dh, auth = excluded.auth, language = excluded.language, "
            "last_used_at = excluded.last_used_at, expires_at = excluded.expires_at "
            "RETURNING id",
            endpoint,
            p256dh,
            auth,
            language,
            now,
            now,
            expires_at,
        )
        await PushLink.raw(
            "INSERT INTO push_link (subscription, case_id, created_at) VALUES ({}, {}, {}) "
            "ON CONFLICT (subscription, case_id) DO NOTHING",
            int(rows[0]["id"]),
            case.id,
            now,
        )
    await delivery.schedule_sweep(now)
    return Subscribed(subscribed=True)


async def unsubscribe(data: Unsubscribe, *, signer: TokenSigner, clock: Clock) -> None:
    """Unlink the token's case from the subscription, or without a token drop the
    subscription with all its links. Unknown endpoints are fine: it is gone already."""
    if data.token is None:
        await PushSubscription.delete().where(PushSubscription.endpoint == data.endpoint)
        return
    case, _kind = await resolve(data.token, signer, clock)
    subscription = PushSubscription.select(PushSubscription.id).where(
        PushSubscription.endpoint == data.endpoint
    )
    await PushLink.delete().where(
        (PushLink.case_id == case.id) & PushLink.subscription.is_in(subscription)
    )


async def notice(
    notice_id: str, token: str, *, signer: TokenSigner, clock: Clock, catalog: Catalog
) -> Notice:
    """A notice's text in the catalog's language, for a holder of a token of its case.

    Unknown, not yet due, outdated and other cases' notices are all NoticeNotFound (404).
    """
    case, kind = await resolve(token, signer, clock)
    now = clock.now()
    row = (
        await PushNotice.select(
            PushNotice.notice_id, PushNotice.kind, PushNotice.params, PushNotice.topic
        )
        .where(
            (PushNotice.notice_id == notice_id)
            & (PushNotice.case_id == case.id)
            & (PushNotice.due_at <= now)
            & (PushNotice.expires_at > now)
        )
        .first()
    )
    if row is None:
        raise NoticeNotFound()
    params = json.loads(row["params"]) if isinstance(row["params"], str) else row["params"]
    title, body = kinds.render(row["kind"], params or {}, catalog)
    lang = catalog.language.code
    return Notice(
        title=title,
        body=body,
        url=PAGES.get(kind, CASE_PAGE).format(lang=lang, token=token),
        tag=row["topic"] or row["notice_id"],
        lang=lang,
    )


async def notify_case(
    case_id: int,
    kind: str,
    *,
    settings: Settings,
    now: datetime,
    expires_at: datetime,
    due_at: datetime | None = None,
    topic: str | None = None,
    params: Mapping[str, Any] | None = None,
    language: str | None = None,
    key: str | None = None,
) -> str | None:
    """Tell everyone subscribed to the case: a notice of `kind` (see `app.push.kinds`),
    sent at `due_at` (default now) and never delivered or shown after `expires_at`.

    `topic` names what the notice is about (e.g. "appointment:17"): a newer notice with
    the same topic replaces an older one still waiting at the push service. It is sent as
    an HMAC under the secret key, so the push service learns nothing from it. `params`
    fill the text (ISO 8601 moments for `start`/`deadline`, `desk`); never a name. With a
    `key`, `withdraw(key)` takes the notice back, and a second call with it adds nothing.
    Returns the notice id, or None when nothing was queued: a key queued before, an
    outdated notice, or an immediate one for a case nobody subscribed to.
    """
    spec = kinds.KINDS[kind]
    due = due_at or now
    if expires_at <= due:
        return None
    if due <= now and not await PushLink.exists().where(PushLink.case_id == case_id):
        return None  # nobody to tell now; a notice due later waits for subscribers
    notice_id = secrets.token_urlsafe(16)  # 128 bits
    async with write_transaction(engine()):
        rows = await (
            PushNotice.insert(
                PushNotice(
                    notice_id=notice_id,
                    case_id=case_id,
                    kind=kind,
                    params=json.dumps(dict(params or {})),
                    language=language or settings.default_language,
                    topic=topic_header(settings, topic) if topic else None,
                    urgency=spec.urgency,
                    dedupe_key=key,
                    created_at=now,
                    due_at=due,
                    expires_at=expires_at,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(PushNotice.id)
        )
        if not rows:
            return None
        queued = await jobs.enqueue(
            delivery.FAN_OUT,
            {"notice": int(rows[0]["id"])},
            due_at=due,
            now=now,
            dedupe_key=f"{delivery.FAN_OUT}:{key}" if key else None,
        )
        if queued is None:
            # The key's job exists from before; deleting (not raising) keeps a caller's
            # transaction intact.
            await PushNotice.delete().where(PushNotice.id == int(rows[0]["id"]))
            return None
    return notice_id


async def withdraw(key: str) -> bool:
    """Take back the notice queued with `key` (e.g. the reminder of a moved appointment);
    deliveries still pending find it gone. False if there was none."""
    async with write_transaction(engine()):
        await jobs.cancel(f"{delivery.FAN_OUT}:{key}")
        rows = (
            await PushNotice.delete().where(PushNotice.dedupe_key == key).returning(PushNotice.id)
        )
    return bool(rows)


def topic_header(settings: Settings, topic: str) -> str:
    """RFC 8030 Topic: at most 32 characters of the URL-safe base64 alphabet."""
    digest = hmac.new(settings.secret_key, b"push-topic:" + topic.encode(), hashlib.sha256)
    return delivery.b64(digest.digest())[:32]


async def resolve(token: str, signer: TokenSigner, clock: Clock) -> tuple[Case, TokenKind]:
    """The case a case, appointment or ticket token opens, and the token's kind."""
    claims = signer.verifier.verify(token, now=clock.now())
    if claims.kind not in SUBSCRIBABLE:
        raise InvalidToken()
    return await cases.resolve_token(token, signer, clock=clock, kind=claims.kind), claims.kind


def engine() -> Engine[Any]:
    """The database the push tables are bound to, for transactions that span domains."""
    db: Engine[Any] = PushNotice._meta.db
    return db
