"""Operations from the shell: `python -m app migrate | seed | urls`.

usage: python -m app {migrate,seed,urls}
  migrate  apply every pending Piccolo migration to the configured database
  seed     load the demo city on first run (does nothing if offices exist)
  urls     print where the front ends live
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")

from piccolo.apps.migrations.commands.forwards import run_forwards

from app.catalogue import demo
from app.core import database
from app.main import TABLES
from app.settings import Settings


async def migrate(settings: Settings) -> None:
    result = await run_forwards("all")
    if not result.success:
        raise SystemExit(f"migrations failed: {result.message}")


async def seed(settings: Settings) -> None:
    engine = database.engine_for(settings.database_url)
    database.bind(TABLES, engine)
    await database.start(engine)
    try:
        loaded = await demo.load(settings)
    finally:
        await database.stop(engine)
    print("demo data loaded" if loaded else "demo data already present")


def urls(settings: Settings) -> None:
    base = settings.base_url
    lang = settings.default_language
    print(f"""
  Amtsweg is running.
    citizen app      {base}/{lang}/
    kiosk            {base}/kiosk/{lang}/
    clerk workspace  {base}/clerk/{lang}/
    call display     {base}/display/{lang}/
    API docs         {base}/api/docs
    OpenAPI schema   {base}/api/schema/openapi.json
""")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["migrate", "seed", "urls"])
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "migrate":
        asyncio.run(migrate(settings))
    elif args.command == "seed":
        asyncio.run(seed(settings))
    else:
        urls(settings)


if __name__ == "__main__":
    main(sys.argv[1:])
