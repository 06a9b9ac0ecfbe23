"""Python `websockets` peer: minimal asyncio broadcast server (benchmark peer, not part
of Roundtable). Usage: .venv/bin/python py-websockets.py PORT"""
import asyncio
import os
import signal
import sys

from websockets.asyncio.server import broadcast, serve

clients = set()


async def handler(ws):
    clients.add(ws)
    try:
        async for message in ws:
            if isinstance(message, str):
                # broadcast() writes the frame to each recipient's transport in turn.
                broadcast(clients - {ws}, message)
    finally:
        clients.discard(ws)


async def main(port):
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, os._exit, 0)
    # No compression and no keepalive pings, like the other peers; a backlog that takes
    # a connection storm (asyncio's default is 100).
    async with serve(
        handler, "127.0.0.1", port, compression=None, ping_interval=None, backlog=4096
    ):
        print(f"ready {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: py-websockets.py PORT")
    asyncio.run(main(int(sys.argv[1])))
