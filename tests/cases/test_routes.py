"""The citizen's case over HTTP: open it, follow it by its link, show it as a QR code."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image

from app.cases import service
from app.cases.schemas import CaseStatus, Channel, EventKind
from app.cases.tables import Case as CaseRow
from app.core.clock import FrozenClock
from app.core.qrcodes import qr_svg
from app.core.tokens import TokenKind, TokenSigner
from app.settings import Settings


async def _opened(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/cases", json=body)
    assert response.status_code == 201, response.text
    opened: dict[str, Any] = response.json()
    return opened


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["title"]
    return problem


async def test_a_citizen_opens_a_case_by_slug_and_gets_its_reference_and_link(
    client: httpx.AsyncClient,
    service_id: int,
    settings: Settings,
    signer: TokenSigner,
    clock: FrozenClock,
) -> None:
    response = await client.post(
        "/api/cases", json={"service": "personalausweis", "language": "en"}
    )
    assert response.status_code == 201
    assert response.headers["cache-control"] == "no-store"
    opened = response.json()
    assert opened["reference"] == f"{settings.city_code}-2026-00001"
    assert opened["url"] == f"{settings.base_url}/c/{opened['token']}"
    case = await service.resolve_token(opened["token"], signer, clock=clock)
    assert (case.reference, case.service_id, case.language) == (
        opened["reference"],
        service_id,
        "en",
    )
    assert case.opened_via is Channel.PWA


async def test_a_case_can_be_opened_by_service_id_in_the_readers_language(
    client: httpx.AsyncClient, service_id: int, signer: TokenSigner, clock: FrozenClock
) -> None:
    response = await client.post(
        "/api/cases", json={"service": service_id}, headers={"Accept-Language": "uk,en;q=0.5"}
    )
    assert response.status_code == 201
    case = await service.resolve_token(response.json()["token"], signer, clock=clock)
    assert case.language == "uk"


@pytest.mark.parametrize("unknown", ["no-such-service", 999_999])
async def test_an_unknown_service_is_a_clear_not_found(
    client: httpx.AsyncClient, service_id: int, unknown: str | int
) -> None:
    response = await client.post("/api/cases", json={"service": unknown})
    _assert_problem(response, 404, "service_not_found")


async def test_a_service_no_longer_on_offer_takes_no_new_cases(
    client: httpx.AsyncClient, retired_service_id: int
) -> None:
    response = await client.post("/api/cases", json={"service": retired_service_id})
    _assert_problem(response, 404, "service_not_found")


async def test_a_language_that_is_not_offered_is_named_as_the_wrong_field(
    client: httpx.AsyncClient, service_id: int
) -> None:
    response = await client.post("/api/cases", json={"service": service_id, "language": "xx"})
    problem = _assert_problem(response, 422, "language_not_offered")
    assert [error["field"] for error in problem["errors"]] == ["language"]


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"service": null}',
        b'{"service": 0}',
        b'{"service": ""}',
        b'{"service": "Slug With Spaces"}',
        b'{"service": ["personalausweis"]}',
        b'{"service": "personalausweis", "name": "Erika Mustermann"}',
        b'{"service": "personalausweis", "language": 7}',
        b'{"service": "personalausweis"',
        b"not json",
    ],
)
async def test_a_malformed_body_is_a_clear_problem_and_opens_nothing(
    client: httpx.AsyncClient, service_id: int, body: bytes
) -> None:
    response = await client.post(
        "/api/cases", content=body, headers={"Content-Type": "application/json"}
    )
    _assert_problem(response, 400, "invalid_input")
    assert await CaseRow.count() == 0


async def test_the_citizen_sees_their_case_in_their_language_without_staff_events(
    client: httpx.AsyncClient, service_id: int, clock: FrozenClock
) -> None:
    opened = await _opened(client, {"service": "personalausweis", "language": "de"})
    case = await service.get_case_by_reference(opened["reference"])
    clock.advance(timedelta(minutes=3))
    await service.append_event(
        case.id, EventKind.CHECKED_IN, channel=Channel.KIOSK, clock=clock, citizen_visible=True
    )
    await service.append_event(
        case.id, EventKind.DOCUMENT_CAPTURED, channel=Channel.CLERK, clock=clock
    )
    await service.change_status(case.id, CaseStatus.IN_PROGRESS, channel=Channel.CLERK, clock=clock)

    response = await client.get(f"/api/cases/{opened['token']}", params={"lang": "en"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    view = response.json()
    assert view["reference"] == opened["reference"]
    assert view["service_name"] == "Apply for an ID card"
    assert (view["status"], view["status_label"]) == ("in_progress", "In progress")
    assert [(e["kind"], e["channel"]) for e in view["timeline"]] == [
        ("created", "pwa"),
        ("checked_in", "kiosk"),
        ("processing", "clerk"),
    ]
    assert view["timeline"][1]["label"] == "Checked in at the kiosk"
    assert view["timeline"][1]["at"].startswith("2026-11-23T09:03:00")
    assert "actor" not in view["timeline"][0] and "data" not in view["timeline"][0]

    german = (await client.get(f"/api/cases/{opened['token']}", params={"lang": "de"})).json()
    assert german["service_name"] == "Personalausweis beantragen"


async def test_a_tampered_token_is_a_not_found_problem(
    client: httpx.AsyncClient, service_id: int
) -> None:
    token = (await _opened(client, {"service": service_id}))["token"]
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    for path in (f"/api/cases/{tampered}", f"/api/cases/{tampered}/qr.svg"):
        _assert_problem(await client.get(path), 404, "invalid_token")


@pytest.mark.parametrize("garbage", ["x", "%C3%A4", "a" * 300, "AAAA"])
async def test_garbage_in_place_of_a_token_is_a_not_found_problem(
    client: httpx.AsyncClient, garbage: str
) -> None:
    _assert_problem(await client.get(f"/api/cases/{garbage}"), 404, "invalid_token")


async def test_an_expired_token_says_so(
    client: httpx.AsyncClient,
    service_id: int,
    settings: Settings,
    signer: TokenSigner,
    clock: FrozenClock,
) -> None:
    case = await service.open_case(
        service_id, language="de", channel=Channel.CLERK, settings=settings, clock=clock
    )
    expires = clock.now() + timedelta(hours=1)
    token = await service.issue_token(case.id, TokenKind.CASE, signer, expires, clock=clock)
    assert (await client.get(f"/api/cases/{token}")).status_code == 200
    clock.advance(timedelta(hours=1))
    _assert_problem(await client.get(f"/api/cases/{token}"), 410, "expired_token")
    _assert_problem(await client.get(f"/api/cases/{token}/qr.png"), 410, "expired_token")


async def test_a_token_of_another_kind_does_not_open_the_case_page(
    client: httpx.AsyncClient, service_id: int, signer: TokenSigner, clock: FrozenClock
) -> None:
    opened = await _opened(client, {"service": service_id})
    case = await service.get_case_by_reference(opened["reference"])
    ticket = await service.issue_token(case.id, TokenKind.TICKET, signer, clock=clock)
    _assert_problem(await client.get(f"/api/cases/{ticket}"), 404, "invalid_token")


async def test_a_revoked_token_no_longer_opens_the_case(
    client: httpx.AsyncClient, service_id: int, signer: TokenSigner, clock: FrozenClock
) -> None:
    token = (await _opened(client, {"service": service_id}))["token"]
    await service.revoke_token(token, signer, clock=clock)
    _assert_problem(await client.get(f"/api/cases/{token}"), 404, "invalid_token")


async def test_a_well_signed_token_we_never_issued_looks_like_any_invalid_one(
    client: httpx.AsyncClient, signer: TokenSigner
) -> None:
    token, _claims = signer.mint(TokenKind.CASE)
    forger = TokenSigner(bytes(32))
    forged, _claims = forger.mint(TokenKind.CASE)
    unknown = _assert_problem(await client.get(f"/api/cases/{token}"), 404, "invalid_token")
    fake = _assert_problem(await client.get(f"/api/cases/{forged}"), 404, "invalid_token")
    assert {**unknown, "instance": None} == {**fake, "instance": None}


@pytest.mark.parametrize(("suffix", "media_type"), [("png", "image/png"), ("svg", "image/svg+xml")])
async def test_the_qr_code_of_a_case_opens_its_link(
    client: httpx.AsyncClient, service_id: int, suffix: str, media_type: str
) -> None:
    opened = await _opened(client, {"service": service_id})
    response = await client.get(f"/api/cases/{opened['token']}/qr.{suffix}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["cache-control"] == "no-store"
    if suffix == "png":
        results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
        assert [result.text for result in results] == [opened["url"]]
    else:
        # tests/core/test_qrcodes.py decodes qr_svg's output; here it must be that output.
        assert response.text == qr_svg(opened["url"])
