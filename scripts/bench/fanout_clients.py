"""usage: fanout_clients.py CONFIG.json RESULT.json

One load process of `display_fanout`: opens `count` display WebSockets over the given
URLs (round robin), waits until each has its `sync`, prints `ready`, then notes for every
call event the milliseconds from `sent` (the publisher's wall clock, same machine) to its
arrival. It ends when every display has every call, or when its stdin closes; then it
writes what each display received.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import uvloop


async def display(
    session: aiohttp.ClientSession, url: str, calls: int, ready: asyncio.Event, out: dict[str, Any]
) -> None:
    latencies: dict[str, float] = {}
    duplicates = 0
    out.update(latencies=latencies, duplicates=0, error=None)
    try:
        async with session.ws_connect(url, heartbeat=None, autoping=True, max_msg_size=0) as ws:
            while json.loads((await ws.receive_str()).strip()).get("type") != "sync":
                pass
            out["synced"] = True
            ready.set()
            while len(latencies) < calls:
                message = await ws.receive()
                now = time.time()
                if message.type != aiohttp.WSMsgType.TEXT:
                    out["error"] = f"closed: {message.type.name}"
                    return
                event = json.loads(message.data)
                if "sent" not in event:
                    continue  # ping, sync
                if event["ticket"] in latencies:
                    duplicates += 1
                    out["duplicates"] = duplicates
                latencies[event["ticket"]] = (now - event["sent"]) * 1000
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        out["error"] = repr(error)
        ready.set()


async def main(config: dict[str, Any]) -> list[dict[str, Any]]:
    urls: list[str] = config["urls"]
    results: list[dict[str, Any]] = [{"synced": False} for _ in range(config["count"])]
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        readies = [asyncio.Event() for _ in results]
        tasks = []
        for n, out in enumerate(results):
            url = urls[n % len(urls)]
            tasks.append(
                asyncio.create_task(display(session, url, config["calls"], readies[n], out))
            )
            if n % 100 == 99:
                await asyncio.sleep(0)  # let the handshakes start in batches
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), 120)
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        stdin_closed = asyncio.create_task(reader.read())
        done = asyncio.gather(*tasks)
        await asyncio.wait([stdin_closed, done], return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        stdin_closed.cancel()
    return results


if __name__ == "__main__":
    received = uvloop.run(main(json.loads(Path(sys.argv[1]).read_text())))
    Path(sys.argv[2]).write_text(json.dumps(received))
