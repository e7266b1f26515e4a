"""What the push tests stand on: the app allowed to post to a push service on loopback,
the stub push service itself, a case with its tokens, and workers that run push jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from piccolo.engine.base import Engine

from app.cases import service as cases
from app.cases.schemas import Case, Channel
from app.core.clock import Clock, FrozenClock
from app.core.tokens import TokenKind, TokenSigner
from app.jobs.worker import Worker
from app.main import create_app
from app.push import sender, service, vapid
from app.push.schemas import SubscriptionCreate
from app.settings import Settings
from tests.booking.conftest import city, ctx, rules  # noqa: F401 — fixtures for the hooks
from tests.cases.conftest import service_id  # noqa: F401 — a service to open cases for

from .stub import PushServiceStub


@pytest.fixture
def push_settings(settings: Settings) -> Settings:
    return replace(settings, push_allow_loopback_http=True)


@pytest.fixture
def app(push_settings: Settings, engine: Engine, clock: FrozenClock) -> Litestar:
    return create_app(push_settings, clock=clock, engine=engine)


@pytest.fixture
async def push_service(settings: Settings) -> AsyncIterator[PushServiceStub]:
    stub = PushServiceStub(vapid.public_key(settings))
    await stub.start()
    yield stub
    await stub.stop()


@dataclass(frozen=True)
class Holder:
    """A case and the tokens that open it."""

    case: Case
    case_token: str
    appointment_token: str


MakeHolder = Callable[[], Awaitable[Holder]]


@pytest.fixture
def make_holder(
    service_id: int,  # noqa: F811 — the fixture imported above
    settings: Settings,
    clock: FrozenClock,
    signer: TokenSigner,
) -> MakeHolder:
    async def make() -> Holder:
        case = await cases.open_case(
            service_id, language="de", channel=Channel.PWA, settings=settings, clock=clock
        )
        return Holder(
            case,
            await cases.issue_token(case.id, TokenKind.CASE, signer, clock=clock),
            await cases.issue_token(case.id, TokenKind.APPOINTMENT, signer, clock=clock),
        )

    return make


@pytest.fixture
async def holder(make_holder: MakeHolder) -> Holder:
    return await make_holder()


def create(token: str, info: dict[str, Any], language: str = "de") -> SubscriptionCreate:
    body = {"token": token, "subscription": info, "language": language}
    return msgspec.convert(body, SubscriptionCreate)


Subscribe = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def subscribe(
    push_service: PushServiceStub, push_settings: Settings, signer: TokenSigner, clock: FrozenClock
) -> Subscribe:
    async def subscribe_(token: str, info: dict[str, Any] | None = None) -> dict[str, Any]:
        info = info or push_service.subscribe()
        await service.subscribe(
            create(token, info), settings=push_settings, signer=signer, clock=clock
        )
        return info

    return subscribe_


def push_worker(settings: Settings, clock: Clock, name: str = "push-test") -> Worker:
    """A worker that runs only the push jobs, on the given clock."""
    return Worker(sender.handlers(settings, clock), clock, name=name)
