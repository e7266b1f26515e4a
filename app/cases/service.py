"""The case spine: opening cases, moving their status, the timeline, and capability tokens.

Other domains (booking, kiosk, queue, video, payments) call these functions; they never
touch the case tables. Every write that others may race against is atomic by
construction: a counter bumped by one conditional UPDATE, status changes guarded by
`WHERE status IN (…)`, and each change written together with its timeline event in one
transaction. Functions that write take the app's clock, so tests can hold time still.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from piccolo.engine.base import Engine

from app.cases.schemas import (
    ALLOWED_PREDECESSORS,
    FINAL_STATUSES,
    STATUS_EVENTS,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    EventKind,
)
from app.cases.tables import Case as CaseRow
from app.cases.tables import CaseCounter, CaseToken
from app.cases.tables import CaseEvent as CaseEventRow
from app.catalogue import service as catalogue
from app.catalogue.schemas import Service
from app.core.clock import BERLIN, Clock
from app.core.database import write_transaction
from app.core.errors import Conflict, InvalidInput, InvalidToken, NotFound
from app.core.tokens import TokenKind, TokenSigner
from app.core.translation import _
from app.settings import Settings

# Revoking looks at the signature only: a token that has expired may still be withdrawn.
_ANY_TIME = datetime.min.replace(tzinfo=UTC)


class CaseNotFound(NotFound):
    code = "case_not_found"
    message = _("This case does not exist.")


class CaseStatusConflict(Conflict):
    code = "case_status_conflict"
    message = _("The case cannot move to this status from its current status.")


class LanguageNotOffered(InvalidInput):
    code = "language_not_offered"
    message = _("This language is not offered.")


async def open_case(
    service: int | str,
    *,
    language: str,
    channel: Channel,
    settings: Settings,
    clock: Clock,
    office_id: int | None = None,
    actor: str | None = None,
) -> Case:
    """Open a case for a service on offer (by id or slug), with its `created` event.

    Raises ServiceNotFound, OfficeNotFound or LanguageNotOffered. Inside a caller's
    transaction (booking a slot for a new case) it joins that transaction.
    """
    if language not in settings.languages:
        raise LanguageNotOffered(field="language")
    offered = await _service_on_offer(service, language)
    if office_id is not None:
        await catalogue.get_office_by_id(office_id, language)
    now = _now(clock)
    async with write_transaction(engine()):
        reference = await _next_reference(settings.city_code, now)
        rows = await CaseRow.insert(
            CaseRow(
                reference=reference,
                service_id=offered.id,
                office_id=office_id,
                status=CaseStatus.OPEN.value,
                language=language,
                opened_via=channel.value,
                opened_at=now,
                updated_at=now,
            )
        ).returning(*CaseRow.all_columns())
        case = _case(rows[0])
        await _insert_event(case.id, EventKind.CREATED, channel, actor, {}, True, now)
    return case


async def get_case(case_id: int) -> Case:
    row = await CaseRow.select().where(CaseRow.id == case_id).first()
    if row is None:
        raise CaseNotFound()
    return _case(row)


async def get_case_by_reference(reference: str) -> Case:
    """The case a citizen or clerk quotes, e.g. "HD-2026-04711"; raises CaseNotFound."""
    row = await CaseRow.select().where(CaseRow.reference == reference.strip().upper()).first()
    if row is None:
        raise CaseNotFound()
    return _case(row)


async def change_status(
    case_id: int,
    status: CaseStatus,
    *,
    channel: Channel,
    clock: Clock,
    actor: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> Case:
    """Move a case to `status` and write the matching timeline event, or neither.

    The UPDATE only matches while the case is in an allowed predecessor status, so two
    clerks completing and cancelling at once cannot both win. Raises CaseStatusConflict
    for a move the rules forbid (or that someone else made first) and CaseNotFound.
    """
    predecessors = ALLOWED_PREDECESSORS.get(status)
    if not predecessors:
        raise CaseStatusConflict(field="status")
    now = _now(clock)
    values: dict[Any, Any] = {CaseRow.status: status.value, CaseRow.updated_at: now}
    if status in FINAL_STATUSES:
        values[CaseRow.closed_at] = now
    async with write_transaction(engine()):
        rows = (
            await CaseRow.update(values)
            .where(CaseRow.id == case_id)
            .where(CaseRow.status.is_in([previous.value for previous in predecessors]))
            .returning(*CaseRow.all_columns())
        )
        if not rows:
            if not await CaseRow.exists().where(CaseRow.id == case_id):
                raise CaseNotFound()
            raise CaseStatusConflict(field="status")
        details = {**(data or {}), "status": status.value}
        await _insert_event(case_id, STATUS_EVENTS[status], channel, actor, details, True, now)
    return _case(rows[0])


async def append_event(
    case_id: int,
    kind: EventKind,
    *,
    channel: Channel,
    clock: Clock,
    actor: str | None = None,
    data: Mapping[str, Any] | None = None,
    citizen_visible: bool = False,
) -> CaseEvent:
    """Add one event to a case's timeline; there is no way to change or remove one.

    Touching `updated_at` first both records the activity and, as an UPDATE that must
    match, tells a missing case (CaseNotFound) from a present one without a race.
    """
    now = _now(clock)
    async with write_transaction(engine()):
        touched = (
            await CaseRow.update({CaseRow.updated_at: now})
            .where(CaseRow.id == case_id)
            .returning(CaseRow.id)
        )
        if not touched:
            raise CaseNotFound()
        return await _insert_event(
            case_id, kind, channel, actor, dict(data or {}), citizen_visible, now
        )


async def timeline(case_id: int, *, citizen_only: bool = False) -> list[CaseEvent]:
    """A case's events, oldest first; `citizen_only` leaves out what only staff see."""
    query = CaseEventRow.select().where(CaseEventRow.case_id == case_id)
    if citizen_only:
        query = query.where(CaseEventRow.citizen_visible == True)  # noqa: E712 — builds SQL
    rows = await query.order_by(CaseEventRow.at, CaseEventRow.id).output(load_json=True)
    return [msgspec.convert(row, CaseEvent) for row in rows]


async def issue_token(
    case_id: int,
    kind: TokenKind,
    signer: TokenSigner,
    expires_at: datetime | None = None,
    *,
    clock: Clock,
) -> str:
    """Mint a signed token that opens the case, and remember its nonce."""
    if not await CaseRow.exists().where(CaseRow.id == case_id):
        raise CaseNotFound()
    token, claims = signer.mint(kind, expires_at=expires_at)
    await CaseToken.insert(
        CaseToken(
            token_id=claims.id,
            case_id=case_id,
            kind=kind.value,
            created_at=_now(clock),
            expires_at=claims.expires_at,
        )
    )
    return token


async def resolve_token(
    token: str, signer: TokenSigner, *, clock: Clock, kind: TokenKind = TokenKind.CASE
) -> Case:
    """The case a token opens. Signature, kind and expiry are checked before the database
    is asked; a well-signed token we never issued or have revoked is InvalidToken too, so
    that forged, unknown and withdrawn tokens all look alike (404)."""
    claims = signer.verifier.verify(token, kind=kind, now=clock.now())
    row = (
        await CaseToken.select(CaseToken.case_id)
        .where(CaseToken.token_id == claims.id)
        .where(CaseToken.kind == claims.kind.value)
        .where(CaseToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        raise InvalidToken()
    return await get_case(row["case_id"])


async def revoke_token(token: str, signer: TokenSigner, *, clock: Clock) -> bool:
    """Withdraw one token; False if it was withdrawn already. Raises InvalidToken."""
    claims = signer.verifier.verify(token, now=_ANY_TIME)
    revoked = (
        await CaseToken.update({CaseToken.revoked_at: _now(clock)})
        .where(CaseToken.token_id == claims.id)
        .where(CaseToken.revoked_at.is_null())
        .returning(CaseToken.id)
    )
    if revoked:
        return True
    if not await CaseToken.exists().where(CaseToken.token_id == claims.id):
        raise InvalidToken()
    return False


async def revoke_case_tokens(case_id: int, *, clock: Clock) -> int:
    """Withdraw every live token of a case (e.g. before its data is deleted); how many."""
    revoked = (
        await CaseToken.update({CaseToken.revoked_at: _now(clock)})
        .where(CaseToken.case_id == case_id)
        .where(CaseToken.revoked_at.is_null())
        .returning(CaseToken.id)
    )
    return len(revoked)


async def list_cases(
    *,
    office_id: int,
    also_case_ids: Sequence[int] = (),
    status: CaseStatus | None = None,
    service_id: int | None = None,
    channel: Channel | None = None,
    opened_from: datetime | None = None,
    opened_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Case], int]:
    """One page of the cases of an office, newest first, and how many match in all.

    A case belongs to the office it names, or, while it names none, to the office of its
    appointment: the caller passes those case ids (`also_case_ids`), as only booking
    knows them.
    """
    belongs: Any = CaseRow.office_id == office_id
    if also_case_ids:
        belongs = belongs | (CaseRow.office_id.is_null() & CaseRow.id.is_in(list(also_case_ids)))
    filters: list[Any] = [belongs]
    if status is not None:
        filters.append(CaseRow.status == status.value)
    if service_id is not None:
        filters.append(CaseRow.service_id == service_id)
    if channel is not None:
        filters.append(CaseRow.opened_via == channel.value)
    if opened_from is not None:
        filters.append(CaseRow.opened_at >= opened_from)
    if opened_before is not None:
        filters.append(CaseRow.opened_at < opened_before)
    query = CaseRow.select().where(*filters)
    total = await CaseRow.count().where(*filters)
    rows = (
        await query.order_by(CaseRow.opened_at, ascending=False)
        .order_by(CaseRow.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return [_case(row) for row in rows], int(total)


async def closed_cases(closed_before: datetime) -> list[tuple[int, int, datetime]]:
    """(case id, service id, closed at) of every case completed or cancelled before
    `closed_before`: what the deletion schedule weighs against each service's period."""
    rows = await CaseRow.select(CaseRow.id, CaseRow.service_id, CaseRow.closed_at).where(
        CaseRow.closed_at.is_not_null() & (CaseRow.closed_at < closed_before)
    )
    return [(int(r["id"]), int(r["service_id"]), r["closed_at"]) for r in rows]


async def delete_cases(case_ids: Sequence[int]) -> int:
    """Delete cases with their timeline and tokens (and, by cascade, their appointments);
    only closed ones, so a case reopened in the meantime stays. How many were deleted."""
    if not case_ids:
        return 0
    rows = await (
        CaseRow.delete()
        .where(CaseRow.id.is_in(list(case_ids)) & CaseRow.closed_at.is_not_null())
        .returning(CaseRow.id)
    )
    return len(rows)


def case_url(settings: Settings, token: str) -> str:
    """The link behind a case's QR code; it carries the token and nothing personal."""
    return f"{settings.base_url}/c/{token}"


async def _service_on_offer(service: int | str, language: str) -> Service:
    """A service that takes new cases, by slug or by id. An id is turned into a slug
    first, because only the slug lookup leaves out services no longer on offer."""
    if isinstance(service, int):
        service = (await catalogue.get_service_by_id(service, language)).slug
    return await catalogue.get_service(service, language)


async def _next_reference(city_code: str, now: datetime) -> str:
    """The next reference of the Berlin year, e.g. "HD-2026-04711"; never handed out twice.

    The counter row is created if missing (a conflict means it exists), then bumped by one
    UPDATE that returns the new value: the row lock (Postgres) or the write lock (SQLite)
    makes concurrent openers take turns. Inside the case's transaction, a number is used
    up only if the case is saved.
    """
    year = now.astimezone(BERLIN).year
    city_code = city_code.upper()  # references are upper case, so clerks may type either
    await CaseCounter.insert(
        CaseCounter(city_code=city_code, year=year, last_number=0)
    ).on_conflict(target=(CaseCounter.city_code, CaseCounter.year), action="DO NOTHING")
    rows = (
        await CaseCounter.update({CaseCounter.last_number: CaseCounter.last_number + 1})
        .where(CaseCounter.city_code == city_code)
        .where(CaseCounter.year == year)
        .returning(CaseCounter.last_number)
    )
    return f"{city_code}-{year}-{rows[0]['last_number']:05d}"


async def _insert_event(
    case_id: int,
    kind: EventKind,
    channel: Channel,
    actor: str | None,
    data: dict[str, Any],
    citizen_visible: bool,
    at: datetime,
) -> CaseEvent:
    row = CaseEventRow(
        case_id=case_id,
        at=at,
        kind=kind.value,
        channel=channel.value,
        actor=actor,
        data=data,
        citizen_visible=citizen_visible,
    )
    inserted = await CaseEventRow.insert(row).returning(CaseEventRow.id)
    return CaseEvent(
        id=inserted[0]["id"],
        case_id=case_id,
        at=at,
        kind=kind,
        channel=channel,
        actor=actor,
        data=data,
        citizen_visible=citizen_visible,
    )


def _case(row: Mapping[str, Any]) -> Case:
    return msgspec.convert(row, Case)


def _now(clock: Clock) -> datetime:
    return clock.now().astimezone(UTC)


def engine() -> Engine[Any]:
    """The database the case tables are bound to, for transactions that span domains."""
    engine: Engine[Any] = CaseRow._meta.db
    return engine
