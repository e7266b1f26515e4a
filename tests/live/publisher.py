"""The app plus one route that publishes an event on an office's channel, as the queue's
actions do: for tests and benchmarks that start app processes, never for production.

    granian --interface asgi --factory tests.live.publisher:app_from_env …
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, post
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.live.service import office_channel
from app.main import create_app

PATH = "/test/offices/{office_id:int}/events"


@post(PATH, status_code=204)
async def publish(
    office_id: FromPath[int],
    data: JSONBody[dict[str, Any]],
    channels: NamedDependency[ChannelsPlugin],
) -> None:
    await channels.wait_published(data, office_channel(office_id))


def app_from_env() -> Litestar:
    app = create_app()
    app.register(publish)
    return app
