"""Signed capability tokens: what a kiosk can check offline with the public key alone."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.core.errors import ExpiredToken, InvalidToken
from app.core.tokens import TokenKind, TokenSigner, TokenVerifier

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture
def signer() -> TokenSigner:
    return TokenSigner(secrets.token_bytes(32))


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def _spell(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_minted_token_verifies_to_the_same_kind_nonce_and_expiry(signer: TokenSigner) -> None:
    expires = NOW + timedelta(days=30)
    token, minted = signer.mint(TokenKind.APPOINTMENT, expires_at=expires)
    claims = signer.verifier.verify(token, kind=TokenKind.APPOINTMENT, now=NOW)
    assert claims == minted
    assert claims.kind is TokenKind.APPOINTMENT
    assert claims.expires_at == expires


def test_a_token_carries_at_least_128_random_bits(signer: TokenSigner) -> None:
    nonces = {signer.mint(TokenKind.CASE)[1].nonce for _ in range(200)}
    assert len(nonces) == 200
    assert all(len(nonce) * 8 >= 128 for nonce in nonces)
    _token, claims = signer.mint(TokenKind.CASE)
    assert bytes.fromhex(claims.id) == claims.nonce


def test_a_token_is_url_safe_and_short_enough_for_a_small_qr_code(signer: TokenSigner) -> None:
    token, _claims = signer.mint(TokenKind.CASE, expires_at=NOW)
    assert set(token) <= set(ALPHABET)
    assert len(token) <= 120


@pytest.mark.parametrize("position", [0, 1, 5, 21, 40, 85])
def test_flipping_any_byte_makes_the_token_invalid(signer: TokenSigner, position: int) -> None:
    token, _claims = signer.mint(TokenKind.CASE)
    raw = bytearray(_raw(token))
    raw[position] ^= 0x01
    with pytest.raises(InvalidToken):
        signer.verifier.verify(_spell(bytes(raw)))


def test_every_other_spelling_of_the_same_bytes_is_rejected(signer: TokenSigner) -> None:
    token, _claims = signer.mint(TokenKind.CASE)
    last = ALPHABET.index(token[-1])
    spare_bits = [token[:-1] + ALPHABET[last ^ bit] for bit in (1, 2, 3)]
    standard_alphabet = token.replace("-", "+").replace("_", "/")
    padded = token + "="
    for spelling in [*spare_bits, standard_alphabet, padded, token[:9] + "." + token[9:]]:
        if spelling == token:
            continue  # a token without "-" or "_" has no standard-alphabet twin
        with pytest.raises(InvalidToken):
            signer.verifier.verify(spelling)


def test_a_token_signed_with_another_key_is_invalid(signer: TokenSigner) -> None:
    forger = TokenSigner(secrets.token_bytes(32))
    token, _claims = forger.mint(TokenKind.CASE)
    with pytest.raises(InvalidToken):
        signer.verifier.verify(token)


def test_a_token_of_another_kind_is_invalid(signer: TokenSigner) -> None:
    token, _claims = signer.mint(TokenKind.TICKET)
    with pytest.raises(InvalidToken):
        signer.verifier.verify(token, kind=TokenKind.CASE)


def test_a_token_is_expired_from_its_expiry_second_on(signer: TokenSigner) -> None:
    expires = NOW + timedelta(hours=1)
    token, _claims = signer.mint(TokenKind.CASE, expires_at=expires)
    assert signer.verifier.verify(token, now=expires - timedelta(seconds=1))
    with pytest.raises(ExpiredToken):
        signer.verifier.verify(token, now=expires)


def test_a_token_without_expiry_never_expires(signer: TokenSigner) -> None:
    token, claims = signer.mint(TokenKind.CASE)
    assert claims.expires_at is None
    assert signer.verifier.verify(token, now=datetime(2100, 1, 1, tzinfo=UTC)) == claims


@pytest.mark.parametrize(
    "garbage", ["", "x", "a" * 115, "ä" * 115, "A" * 500, "!!!!", "AAAA====", "%00"]
)
def test_garbage_is_an_invalid_token_not_a_crash(signer: TokenSigner, garbage: str) -> None:
    with pytest.raises(InvalidToken):
        signer.verifier.verify(garbage)


def test_a_kiosk_with_only_the_public_key_verifies_but_cannot_mint(signer: TokenSigner) -> None:
    token, claims = signer.mint(TokenKind.APPOINTMENT)
    public = Ed25519PublicKey.from_public_bytes(_raw(signer.verifier.public_key_b64))
    kiosk = TokenVerifier(public)
    assert kiosk.verify(token, kind=TokenKind.APPOINTMENT) == claims
    assert not hasattr(kiosk, "mint")


def test_an_expiry_without_a_timezone_is_refused_when_minting(signer: TokenSigner) -> None:
    with pytest.raises(ValueError, match="timezone"):
        signer.mint(TokenKind.CASE, expires_at=datetime(2026, 12, 1, 9, 0))
