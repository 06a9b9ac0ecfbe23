"""A deliberately low-level WebSocket client (RFC 6455) for fuzzing: it can send what a correct
library never would (invalid UTF-8, reserved opcodes and bits, unmasked or oversized frames,
fragments out of order), and it reports exactly what the server sends back, close codes included.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from urllib.parse import urlparse

TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


class Closed(Exception):
    """The server closed the connection: `code` from its close frame, or None when the TCP
    connection ended without one."""

    def __init__(self, code: int | None, reason: str = ""):
        super().__init__(f"closed with {code} {reason!r}")
        self.code = code
        self.reason = reason


class RawWebSocket:
    def __init__(self, base: str, token: str | None = None, timeout: float = 5.0, headers: dict | None = None):
        url = urlparse(base)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET /ws HTTP/1.1", f"Host: {url.hostname}:{url.port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("no upgrade answer")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ", 2)[1])
        if self.status != 101:
            raise ConnectionError(f"upgrade refused with {self.status}")

    # -- sending -------------------------------------------------------------------------
    def frame(self, opcode: int, payload: bytes, fin: bool = True, mask: bool = True, rsv: int = 0,
              declared_length: int | None = None) -> bytes:
        length = len(payload) if declared_length is None else declared_length
        first = (0x80 if fin else 0) | ((rsv & 0x7) << 4) | (opcode & 0xF)
        mask_bit = 0x80 if mask else 0
        if length < 126:
            header = struct.pack("!BB", first, mask_bit | length)
        elif length < 1 << 16:
            header = struct.pack("!BBH", first, mask_bit | 126, length)
        else:
            header = struct.pack("!BBQ", first, mask_bit | 127, length)
        if not mask:
            return header + payload
        key = os.urandom(4)
        masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        return header + key + masked

    def send_frame(self, opcode: int, payload: bytes, **options) -> None:
        self.sock.sendall(self.frame(opcode, payload, **options))

    def send_json(self, message: dict) -> None:
        self.send_frame(TEXT, json.dumps(message).encode())

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    # -- receiving -----------------------------------------------------------------------
    def _read(self, count: int, deadline: float) -> bytes:
        while len(self.buffer) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no frame from the server in time")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise Closed(None, "connection ended")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def recv_frame(self, timeout: float = 5.0) -> tuple[int, bytes]:
        deadline = time.monotonic() + timeout
        first, second = self._read(2, deadline)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2, deadline))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8, deadline))[0]
        payload = self._read(length, deadline)
        return first & 0xF, payload

    def recv(self, timeout: float = 5.0) -> dict:
        """The next JSON message; answers pings; raises `Closed` on a close frame."""
        deadline = time.monotonic() + timeout
        while True:
            opcode, payload = self.recv_frame(max(0.01, deadline - time.monotonic()))
            if opcode == PING:
                self.send_frame(PONG, payload)
            elif opcode == CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                raise Closed(code, payload[2:].decode(errors="replace"))
            elif opcode == TEXT:
                return json.loads(payload)

    def recv_type(self, kind: str, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            message = self.recv(max(0.01, deadline - time.monotonic()))
            if message.get("type") == kind:
                return message

    def close_code(self, timeout: float = 5.0) -> int | None:
        """Reads until the server closes; returns its close code (None: TCP ended without one)."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                self.recv(max(0.01, deadline - time.monotonic()))
        except Closed as closed:
            return closed.code

    def close(self) -> None:
        try:
            self.send_frame(CLOSE, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()
