"""One worker process that runs push jobs until none is left, on the database and data
folder named by the environment (the test session's), on the real clock.

    python -m tests.push.worker_process <worker name>

It says "ready" once connected and starts when it reads a line, so that the test can
start two at the same moment; then prints how many jobs it ran. Used to prove that two
processes send each notice once.
"""

from __future__ import annotations

import asyncio
import sys

from app.core import database
from app.core.clock import Clock
from app.jobs.worker import Worker
from app.main import TABLES
from app.push import sender
from app.settings import Settings


async def main(name: str) -> None:
    settings = Settings.from_env()
    engine = database.engine_for(settings.database_url)
    database.bind(TABLES, engine)
    await database.start(engine)
    try:
        worker = Worker(sender.handlers(settings, Clock()), Clock(), name=name, batch=5)
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        print(await worker.run_until_idle())
    finally:
        await database.stop(engine)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
