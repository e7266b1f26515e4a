"""ALTCHA proof of work: challenge → solve → accepted once; tampered, expired, missing refused."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import altcha
import httpx
import pytest
from litestar import Litestar, post
from litestar.params import JSONBody, URLEncodedBody
from piccolo.engine.base import Engine

from app.antibot import service
from app.antibot.guards import require_proof_of_work
from app.antibot.tables import SpentChallenge
from app.core import antibot
from app.core.clock import FrozenClock
from app.jobs import service as jobs
from app.jobs.worker import Worker
from app.main import create_app
from app.settings import Settings

PROTECTED = "/test/protected"


@pytest.fixture
def app(settings: Settings, engine: Engine, clock: FrozenClock) -> Litestar:
    """The real app plus one route behind the guard, as the booking routes will be."""

    @post(PROTECTED, guards=[require_proof_of_work], status_code=200)
    async def protected(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        return {"received": data}

    @post(f"{PROTECTED}/form", guards=[require_proof_of_work], status_code=200)
    async def protected_form(data: URLEncodedBody[dict[str, str]]) -> dict[str, Any]:
        return {"received": data}

    app = create_app(settings, clock=clock, engine=engine)
    app.register(protected)
    app.register(protected_form)
    return app


async def solved(client: httpx.AsyncClient) -> str:
    response = await client.get("/api/altcha/challenge")
    assert response.status_code == 200
    return antibot.solve(response.json())


def reencoded(payload: str, change: Any) -> str:
    data = json.loads(base64.b64decode(payload))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


async def test_the_challenge_is_fresh_signed_sha256_and_never_cached(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/api/altcha/challenge")
    second = await client.get("/api/altcha/challenge")

    assert first.headers["cache-control"] == "no-store"
    challenge = first.json()
    assert challenge["parameters"]["algorithm"] == "SHA-256"
    assert challenge["parameters"]["cost"] == 1
    assert len(challenge["signature"]) == 64
    assert challenge["parameters"]["nonce"] != second.json()["parameters"]["nonce"]


async def test_a_solved_challenge_is_accepted_once_then_refused_as_reused(
    client: httpx.AsyncClient,
) -> None:
    payload = await solved(client)

    accepted = await client.post(PROTECTED, json={"slot": 7}, headers={"X-Altcha": payload})
    replayed = await client.post(PROTECTED, json={"slot": 7}, headers={"X-Altcha": payload})

    assert accepted.status_code == 200
    assert accepted.json() == {"received": {"slot": 7}}
    assert replayed.status_code == 409
    assert replayed.headers["content-type"] == "application/problem+json"
    assert replayed.json()["code"] == "proof_of_work_reused"


async def test_a_request_without_proof_is_refused_as_missing(client: httpx.AsyncClient) -> None:
    # An empty header: the test client would otherwise attach a solved proof itself.
    headers = {"Accept-Language": "en", antibot.HEADER: ""}
    response = await client.post(PROTECTED, json={"slot": 7}, headers=headers)

    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "proof_of_work_missing"
    assert problem["title"] == antibot.ProofOfWorkMissing.message


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda d: d["solution"].update(counter=d["solution"]["counter"] + 1), id="counter"
        ),
        pytest.param(lambda d: d["solution"].update(derivedKey="00" * 32), id="derived-key"),
        pytest.param(lambda d: d["challenge"]["parameters"].update(keyPrefix="00"), id="easier"),
        pytest.param(lambda d: d["challenge"]["parameters"].update(cost=2), id="cost"),
        pytest.param(
            lambda d: d["challenge"]["parameters"]["data"].update(expires=4_000_000_000),
            id="expiry",
        ),
        pytest.param(lambda d: d["challenge"].update(signature="ab" * 32), id="signature"),
    ],
)
async def test_a_tampered_payload_is_refused_as_invalid(
    client: httpx.AsyncClient, tamper: Any
) -> None:
    payload = reencoded(await solved(client), tamper)

    response = await client.post(PROTECTED, json={}, headers={"X-Altcha": payload})

    assert response.status_code == 400
    assert response.json()["code"] == "proof_of_work_invalid"


@pytest.mark.parametrize(
    "payload",
    [
        "not base64 at all!",
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(b'{"challenge": null, "solution": null, "test": true}').decode(),
        "A" * (antibot.MAX_PAYLOAD_CHARS + 4),
    ],
    ids=["garbage", "json-list", "widget-test-mode", "oversized"],
)
async def test_a_malformed_payload_is_refused_as_invalid(
    client: httpx.AsyncClient, payload: str
) -> None:
    response = await client.post(PROTECTED, json={}, headers={"X-Altcha": payload})

    assert response.status_code == 400
    assert response.json()["code"] == "proof_of_work_invalid"


async def test_a_challenge_solved_after_it_expired_is_refused(
    client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    payload = await solved(client)
    clock.advance(antibot.CHALLENGE_TTL + timedelta(seconds=1))

    response = await client.post(PROTECTED, json={}, headers={"X-Altcha": payload})

    assert response.status_code == 400
    assert response.json()["code"] == "proof_of_work_invalid"


async def test_a_challenge_is_still_good_just_before_it_expires(
    client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    payload = await solved(client)
    clock.advance(antibot.CHALLENGE_TTL - timedelta(seconds=1))

    response = await client.post(PROTECTED, json={}, headers={"X-Altcha": payload})

    assert response.status_code == 200


async def test_the_proof_may_come_in_the_json_body_which_the_handler_still_gets(
    client: httpx.AsyncClient,
) -> None:
    payload = await solved(client)

    response = await client.post(PROTECTED, json={"slot": 3, "altcha": payload})

    assert response.status_code == 200
    assert response.json()["received"]["slot"] == 3


async def test_the_proof_may_come_as_the_widgets_form_field(client: httpx.AsyncClient) -> None:
    payload = await solved(client)

    response = await client.post(f"{PROTECTED}/form", data={"name": "A", "altcha": payload})

    assert response.status_code == 200
    assert response.json()["received"]["name"] == "A"


async def test_a_solution_sent_100_times_at_once_is_accepted_exactly_once(
    client: httpx.AsyncClient,
) -> None:
    payload = await solved(client)

    responses = await asyncio.gather(
        *(client.post(PROTECTED, json={}, headers={"X-Altcha": payload}) for _ in range(100))
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * 99
    assert await SpentChallenge.count() == 1


async def test_accepting_one_solution_100_times_concurrently_lets_exactly_one_through(
    settings: Settings, clock: FrozenClock
) -> None:
    payload = antibot.solve(service.issue_challenge(settings, clock.now()))

    outcomes = await asyncio.gather(
        *(
            service.accept(payload, secret_key=settings.secret_key, now=clock.now())
            for _ in range(100)
        ),
        return_exceptions=True,
    )

    assert outcomes.count(None) == 1
    assert all(isinstance(o, antibot.ProofOfWorkReused) for o in outcomes if o is not None)


async def test_a_challenge_signed_with_another_key_is_refused(
    settings: Settings, clock: FrozenClock
) -> None:
    foreign = antibot.solve(antibot.issue(b"k" * 32, 1000, clock.now()))

    with pytest.raises(antibot.ProofOfWorkInvalid):
        await service.accept(foreign, secret_key=settings.secret_key, now=clock.now())


async def test_the_difficulty_setting_bounds_the_counter_a_client_must_find(
    settings: Settings, clock: FrozenClock
) -> None:
    easiest = dataclasses.replace(settings, altcha_max_number=1)

    payloads = [antibot.solve(service.issue_challenge(easiest, clock.now())) for _ in range(20)]

    counters = {json.loads(base64.b64decode(p))["solution"]["counter"] for p in payloads}
    assert counters <= {0, 1}
    for payload in payloads:
        await service.accept(payload, secret_key=settings.secret_key, now=clock.now())


def test_our_solver_finds_what_altchas_reference_solver_finds(
    settings: Settings, clock: FrozenClock
) -> None:
    challenge = antibot.issue(settings.secret_key, 2000, clock.now())

    ours = json.loads(base64.b64decode(antibot.solve(challenge)))["solution"]
    reference = altcha.solve_challenge(altcha.Challenge.from_dict(challenge))

    assert reference is not None
    assert ours == {"counter": reference.counter, "derivedKey": reference.derived_key}


def test_the_solver_refuses_challenges_it_was_not_written_for(
    settings: Settings, clock: FrozenClock
) -> None:
    challenge = antibot.issue(settings.secret_key, 10, clock.now())
    challenge["parameters"]["algorithm"] = "PBKDF2/SHA-256"

    with pytest.raises(ValueError, match="PBKDF2"):
        antibot.solve(challenge)


async def test_spent_challenges_are_forgotten_once_expired_and_stay_refused(
    settings: Settings, clock: FrozenClock
) -> None:
    payload = antibot.solve(service.issue_challenge(settings, clock.now()))
    await service.accept(payload, secret_key=settings.secret_key, now=clock.now())

    assert await service.purge(clock.now()) == 0
    clock.advance(antibot.CHALLENGE_TTL + timedelta(seconds=1))
    assert await service.purge(clock.now()) == 1

    with pytest.raises(antibot.ProofOfWorkInvalid):
        await service.accept(payload, secret_key=settings.secret_key, now=clock.now())


async def test_the_purge_job_runs_hourly_and_books_its_next_run_once(
    settings: Settings, clock: FrozenClock
) -> None:
    payload = antibot.solve(service.issue_challenge(settings, clock.now()))
    await service.accept(payload, secret_key=settings.secret_key, now=clock.now())
    await service.schedule_purge(clock.now())
    await service.schedule_purge(clock.now())  # a second process starting books nothing new

    clock.advance(timedelta(hours=1))
    ran = await Worker({service.PURGE_KIND: service.run_purge}, clock).run_until_idle()

    assert ran == 1
    assert await SpentChallenge.count() == 0
    assert await jobs.count("done") == 1
    assert await jobs.count("pending") == 1


def test_the_difficulty_is_read_from_the_environment(tmp_path: Path) -> None:
    env = {"APP_DATA_DIR": str(tmp_path), "APP_ALTCHA_MAX_NUMBER": "1"}

    assert Settings.from_env(env).altcha_max_number == 1
    assert Settings.from_env({"APP_DATA_DIR": str(tmp_path)}).altcha_max_number == 20_000
