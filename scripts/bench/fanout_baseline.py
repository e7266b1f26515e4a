"""usage: fanout_baseline.py PORT

The baseline of `display_fanout`: a bare broadcast server written with the `websockets`
library alone. Every connection to `/` is a display (it is sent `{"type":"sync"}` on
connect, as the app sends after its catch-up); a message received on `/publish` goes to
every display with `websockets.broadcast`. Prints `ready` when it listens.
"""

from __future__ import annotations

import asyncio
import sys

import uvloop
from websockets.asyncio.server import ServerConnection, broadcast, serve

SYNC = '{"type":"sync","epoch":"","seq":0,"reset":true}'


async def main(port: int) -> None:
    displays: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        if connection.request is not None and connection.request.path == "/publish":
            async for message in connection:
                broadcast(displays, message)
            return
        displays.add(connection)
        try:
            await connection.send(SYNC)
            await connection.wait_closed()
        finally:
            displays.discard(connection)

    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=None):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1])))
