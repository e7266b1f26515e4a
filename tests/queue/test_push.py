"""A call to a desk buzzes the phones subscribed to the ticket's case: a CALLED notice."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import timedelta

import msgspec
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.jobs.tables import Job
from app.push import kinds
from app.push import service as push
from app.push.schemas import SubscriptionCreate
from app.push.tables import PushNotice
from app.queue import calling
from app.queue.context import QueueContext
from app.queue.tables import Ticket
from tests.queue.conftest import Floor, walk_in


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def subscribe(ctx: QueueContext, token: str) -> None:
    """A phone's subscription to the ticket's case; nothing is sent to its endpoint here."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    info = {
        "endpoint": f"https://push.example.org/send/{secrets.token_urlsafe(12)}",
        "expirationTime": None,
        "keys": {"p256dh": b64(point), "auth": b64(secrets.token_bytes(16))},
    }
    body = {"token": token, "subscription": info, "language": "de"}
    await push.subscribe(
        msgspec.convert(body, SubscriptionCreate),
        settings=ctx.settings,
        signer=ctx.signer,
        clock=ctx.clock,
    )


async def test_calling_a_subscribed_ticket_queues_a_called_notice_and_an_unsubscribed_one_none(
    ctx: QueueContext, floor: Floor
) -> None:
    subscribed = await walk_in(ctx, floor.office, floor.id_card)
    await walk_in(ctx, floor.office, floor.id_card)  # nobody subscribed
    await subscribe(ctx, subscribed.token)

    first = await calling.call_next(floor.office, floor.desks[0], ctx, None, actor="clerk:1")
    await calling.finish(floor.office, first.id, ctx, None, actor="clerk:1")
    second = await calling.call_next(floor.office, floor.desks[1], ctx, None, actor="clerk:1")

    assert (first.number, second.number) == ("A-001", "A-002")
    ticket = await Ticket.select(Ticket.case_id).where(Ticket.id == first.id).first()
    assert ticket is not None
    notices = await PushNotice.select()
    assert len(notices) == 1
    notice = notices[0]
    params = json.loads(notice["params"]) if isinstance(notice["params"], str) else notice["params"]
    assert (notice["case_id"], notice["kind"], params) == (
        ticket["case_id"],
        kinds.CALLED,
        {"desk": "Schalter 1"},
    )
    assert notice["expires_at"] == ctx.now() + timedelta(minutes=15)
    assert notice["topic"] == push.topic_header(ctx.settings, f"ticket:{first.id}")
    assert await Job.count().where(Job.kind == "push.notice") == 1
