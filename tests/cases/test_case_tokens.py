"""Capability tokens of cases: issued, resolved, refused and revoked, on both databases."""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from app.cases import service
from app.cases.schemas import Case
from app.cases.service import CaseNotFound
from app.cases.tables import CaseToken
from app.core.clock import FrozenClock
from app.core.errors import ExpiredToken, InvalidToken
from app.core.tokens import TokenKind, TokenSigner
from app.settings import Settings

OpenCase = Callable[..., Awaitable[Case]]


async def test_a_token_resolves_to_its_case_and_stores_only_its_nonce(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case = await open_case(service_id)
    other = await open_case(service_id)
    token = await service.issue_token(case.id, TokenKind.CASE, signer, clock=clock)
    await service.issue_token(other.id, TokenKind.CASE, signer, clock=clock)
    assert await service.resolve_token(token, signer, clock=clock) == case
    [row] = await CaseToken.select().where(CaseToken.case_id == case.id)
    assert re.fullmatch(r"[0-9a-f]{32}", row["token_id"])  # 128 bits
    assert row["token_id"] != token and row["kind"] == "c"
    assert row["created_at"] == clock.now() and row["revoked_at"] is None


async def test_a_tampered_token_is_invalid(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case = await open_case(service_id)
    token = await service.issue_token(case.id, TokenKind.CASE, signer, clock=clock)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[10] ^= 0x80  # a bit of the nonce: it would point at another token
    tampered = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(InvalidToken):
        await service.resolve_token(tampered, signer, clock=clock)


async def test_a_token_of_another_kind_does_not_open_the_case(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case = await open_case(service_id)
    token = await service.issue_token(case.id, TokenKind.APPOINTMENT, signer, clock=clock)
    with pytest.raises(InvalidToken):
        await service.resolve_token(token, signer, clock=clock)
    assert (
        await service.resolve_token(token, signer, clock=clock, kind=TokenKind.APPOINTMENT) == case
    )


async def test_a_token_expires_at_its_expiry(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case = await open_case(service_id)
    expires = clock.now() + timedelta(days=1)
    token = await service.issue_token(case.id, TokenKind.CASE, signer, expires, clock=clock)
    [row] = await CaseToken.select(CaseToken.expires_at)
    assert row["expires_at"] == expires
    clock.advance(timedelta(days=1))
    with pytest.raises(ExpiredToken):
        await service.resolve_token(token, signer, clock=clock)


async def test_a_well_signed_token_that_was_never_issued_is_invalid(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    await open_case(service_id)
    token, _claims = signer.mint(TokenKind.CASE)
    with pytest.raises(InvalidToken):
        await service.resolve_token(token, signer, clock=clock)


async def test_a_revoked_token_is_invalid_and_revoking_twice_is_harmless(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case = await open_case(service_id)
    token = await service.issue_token(case.id, TokenKind.CASE, signer, clock=clock)
    kept = await service.issue_token(case.id, TokenKind.CASE, signer, clock=clock)
    assert await service.revoke_token(token, signer, clock=clock) is True
    assert await service.revoke_token(token, signer, clock=clock) is False
    with pytest.raises(InvalidToken):
        await service.resolve_token(token, signer, clock=clock)
    assert await service.resolve_token(kept, signer, clock=clock) == case


async def test_revoking_a_token_that_was_never_issued_is_invalid(
    clock: FrozenClock, signer: TokenSigner
) -> None:
    token, _claims = signer.mint(TokenKind.CASE)
    with pytest.raises(InvalidToken):
        await service.revoke_token(token, signer, clock=clock)


async def test_an_expired_token_can_still_be_revoked(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case = await open_case(service_id)
    expires = clock.now() + timedelta(hours=1)
    token = await service.issue_token(case.id, TokenKind.CASE, signer, expires, clock=clock)
    clock.advance(timedelta(hours=2))
    assert await service.revoke_token(token, signer, clock=clock) is True


async def test_revoking_all_tokens_of_a_case_leaves_other_cases_alone(
    open_case: OpenCase,
    service_id: int,
    clock: FrozenClock,
    signer: TokenSigner,
) -> None:
    case, other = await open_case(service_id), await open_case(service_id)
    tokens = [await service.issue_token(case.id, kind, signer, clock=clock) for kind in TokenKind]
    other_token = await service.issue_token(other.id, TokenKind.CASE, signer, clock=clock)
    assert await service.revoke_case_tokens(case.id, clock=clock) == len(tokens)
    assert await service.revoke_case_tokens(case.id, clock=clock) == 0
    for token, kind in zip(tokens, TokenKind, strict=True):
        with pytest.raises(InvalidToken):
            await service.resolve_token(token, signer, clock=clock, kind=kind)
    assert await service.resolve_token(other_token, signer, clock=clock) == other


async def test_no_token_is_issued_for_a_case_that_does_not_exist(
    clock: FrozenClock, signer: TokenSigner
) -> None:
    with pytest.raises(CaseNotFound):
        await service.issue_token(12345, TokenKind.CASE, signer, clock=clock)
    assert await CaseToken.count() == 0


async def test_the_case_url_carries_the_token_and_nothing_else(settings: Settings) -> None:
    assert service.case_url(settings, "abc_-123") == f"{settings.base_url}/c/abc_-123"
