"""The push API as the PWA's service worker uses it."""

from __future__ import annotations

import asyncio
import base64
from datetime import timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey

from app.core.clock import FrozenClock
from app.core.translation import Catalogs
from app.push import kinds, service
from app.push.tables import PushLink, PushSubscription
from app.settings import ROOT, Settings

from .conftest import Holder, MakeHolder, Subscribe
from .stub import PushServiceStub, b64encode

HOUR = timedelta(hours=1)


def _body(token: str, info: dict[str, Any], language: str = "de") -> dict[str, Any]:
    return {"token": token, "subscription": info, "language": language}


async def test_the_key_is_the_uncompressed_p256_point_the_push_service_checks(
    client: httpx.AsyncClient, push_service: PushServiceStub
) -> None:
    response = await client.get("/api/push/key")
    assert response.status_code == 200
    key = response.json()["public_key"]
    point = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(point) == 65 and point[0] == 4 and "=" not in key
    EllipticCurvePublicKey.from_encoded_point(SECP256R1(), point)
    assert key == push_service.vapid_public_key


async def test_subscribing_answers_201_and_again_links_another_case(
    client: httpx.AsyncClient, make_holder: MakeHolder, push_service: PushServiceStub
) -> None:
    first, second = await make_holder(), await make_holder()
    info = push_service.subscribe()
    for token in (first.appointment_token, first.case_token, second.case_token):
        response = await client.post("/api/push/subscriptions", json=_body(token, info))
        assert (response.status_code, response.json()) == (201, {"subscribed": True})
    assert await PushSubscription.count() == 1 and await PushLink.count() == 2


async def test_bad_subscriptions_get_a_stable_code_and_store_nothing(
    client: httpx.AsyncClient, holder: Holder, push_service: PushServiceStub
) -> None:
    info = push_service.subscribe()
    token = holder.case_token
    http = info | {"endpoint": "http://push.example.com/1"}
    short_auth = info | {"keys": info["keys"] | {"auth": "x"}}
    off_curve = info | {"keys": info["keys"] | {"p256dh": b64encode(b"\x04" + bytes(64))}}
    cases = [
        (_body(token, http), 422, "push_endpoint_not_https"),
        (_body(token, short_auth), 422, "invalid_push_keys"),
        (_body(token, off_curve), 422, "invalid_push_keys"),
        (_body(token, info, language="xx"), 422, "language_not_offered"),
        (_body("A" * 100, info), 404, "invalid_token"),
    ]  # fmt: skip
    for body, status, code in cases:
        response = await client.post("/api/push/subscriptions", json=body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert await PushSubscription.count() == 0 and await PushLink.count() == 0


async def test_hundreds_of_concurrent_subscribes_store_each_endpoint_and_link_once(
    client: httpx.AsyncClient, holder: Holder, push_service: PushServiceStub
) -> None:
    infos = [push_service.subscribe() for _ in range(20)]
    bodies = [
        _body(token, info)
        for info in infos
        for token in (holder.case_token, holder.appointment_token)
    ] * 5
    responses = await asyncio.gather(
        *(client.post("/api/push/subscriptions", json=b) for b in bodies)
    )
    assert {response.status_code for response in responses} == {201} and len(responses) == 200
    assert await PushSubscription.count() == 20 and await PushLink.count() == 20


async def test_unsubscribing_with_a_token_unlinks_that_case_and_without_drops_it_all(
    client: httpx.AsyncClient, make_holder: MakeHolder, subscribe: Subscribe
) -> None:
    first, second = await make_holder(), await make_holder()
    info = await subscribe(first.case_token)
    await subscribe(second.case_token, info)
    response = await client.post(
        "/api/push/unsubscribe",
        json={"endpoint": info["endpoint"], "token": first.appointment_token},
    )
    assert response.status_code == 204
    assert [row["case_id"] for row in await PushLink.select(PushLink.case_id)] == [second.case.id]
    response = await client.post(
        "/api/push/unsubscribe", json={"endpoint": info["endpoint"], "token": None}
    )
    assert response.status_code == 204
    assert await PushSubscription.count() == 0 and await PushLink.count() == 0
    again = await client.post("/api/push/unsubscribe", json={"endpoint": info["endpoint"]})
    assert again.status_code == 204


async def test_a_notice_is_shown_in_the_asked_language_with_the_page_to_open(
    client: httpx.AsyncClient, holder: Holder, push_settings: Settings, clock: FrozenClock
) -> None:
    start = clock.now() + 50 * HOUR
    notice_id = await service.notify_case(
        holder.case.id, kinds.REMINDER, settings=push_settings, now=clock.now(),
        expires_at=start, topic="appointment:5", params={"start": start.isoformat()},
        due_at=clock.now(),
    )  # fmt: skip
    assert notice_id is None  # nobody subscribed yet: an immediate notice is not kept
    notice_id = await service.notify_case(
        holder.case.id, kinds.REMINDER, settings=push_settings, now=clock.now(),
        expires_at=start, topic="appointment:5", params={"start": start.isoformat()},
        due_at=clock.now() + timedelta(seconds=1),
    )  # fmt: skip
    clock.advance(timedelta(seconds=1))
    catalogs = Catalogs.load(ROOT / "locales", push_settings.languages, "de")
    shown = {}
    for lang, token in (
        ("de", holder.appointment_token),
        ("ar", holder.case_token),
        ("tr", holder.case_token),
    ):
        response = await client.get(
            f"/api/push/notices/{notice_id}?lang={lang}", headers={"X-Amtsweg-Token": token}
        )
        assert response.status_code == 200, response.text
        shown[lang] = notice = response.json()
        assert notice["lang"] == lang
        assert notice["tag"] == service.topic_header(push_settings, "appointment:5")
        title = catalogs[lang].gettext("Reminder: your appointment on {date}", date="§")
        before, _, after = title.partition("§")
        assert notice["title"].startswith(before) and notice["title"].endswith(after)
        assert response.headers["cache-control"] == "no-store"
    assert shown["de"]["url"] == f"/de/appointments/{holder.appointment_token}"
    assert shown["ar"]["url"] == f"/ar/case/{holder.case_token}"
    assert "Mittwoch, 25. November 2026" in shown["de"]["title"]
    assert len({notice["title"] for notice in shown.values()}) == 3


async def test_a_notice_is_hidden_from_other_cases_and_once_outdated(
    client: httpx.AsyncClient,
    holder: Holder,
    make_holder: MakeHolder,
    subscribe: Subscribe,
    push_settings: Settings,
    clock: FrozenClock,
) -> None:
    other = await make_holder()
    await subscribe(holder.case_token)
    notice_id = await service.notify_case(
        holder.case.id, kinds.CALLED, settings=push_settings, now=clock.now(),
        expires_at=clock.now() + HOUR, params={"desk": "Schalter 3"},
    )  # fmt: skip
    url = f"/api/push/notices/{notice_id}"
    ok = await client.get(url, headers={"X-Amtsweg-Token": holder.case_token})
    assert ok.status_code == 200
    assert ok.json()["body"] == "Bitte kommen Sie zu Schalter 3."  # German by default
    for token, path in ((other.case_token, url), (holder.case_token, "/api/push/notices/nope")):
        response = await client.get(path, headers={"X-Amtsweg-Token": token})
        assert (response.status_code, response.json()["code"]) == (404, "notice_not_found")
    forged = await client.get(url, headers={"X-Amtsweg-Token": "A" * 100})
    assert (forged.status_code, forged.json()["code"]) == (404, "invalid_token")
    clock.advance(HOUR)
    late = await client.get(url, headers={"X-Amtsweg-Token": holder.case_token})
    assert (late.status_code, late.json()["code"]) == (404, "notice_not_found")
