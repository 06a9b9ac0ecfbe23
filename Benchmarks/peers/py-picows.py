"""Python `picows` peer: minimal broadcast server (benchmark peer, not part of
Roundtable). Usage: .venv/bin/python py-picows.py PORT"""
import asyncio
import os
import signal
import sys

from picows import WSListener, WSMsgType, ws_create_server

clients = set()


class Peer(WSListener):
    def __init__(self):
        self.parts = None  # fragments of a text message in progress

    def on_ws_connected(self, transport):
        clients.add(transport)

    def on_ws_disconnected(self, transport):
        clients.discard(transport)

    def on_ws_frame(self, transport, frame):
        kind = frame.msg_type
        if kind == WSMsgType.TEXT or (kind == WSMsgType.CONTINUATION and self.parts is not None):
            payload = frame.get_payload_as_bytes()
            if not frame.fin:
                self.parts = (self.parts or []) + [payload]
                return
            if self.parts is not None:
                payload, self.parts = b"".join(self.parts + [payload]), None
            for other in clients:
                if other is not transport:
                    other.send(WSMsgType.TEXT, payload)
        elif kind == WSMsgType.CLOSE:
            transport.send_close(frame.get_close_code())
            transport.disconnect()


async def main(port):
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, os._exit, 0)
    server = await ws_create_server(lambda request: Peer(), "127.0.0.1", port, backlog=4096)
    print(f"ready {port}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: py-picows.py PORT")
    asyncio.run(main(int(sys.argv[1])))
