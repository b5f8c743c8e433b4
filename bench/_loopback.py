"""Loopback HTTP pieces for the webhook benchmark: a fast stub Bot API and a keep-alive client.

Both speak just enough HTTP/1.1 (Content-Length bodies, keep-alive) to stay out of the way:
httpx and FastAPI would cost more CPU than the bot under test on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 999_001

# Bot API methods whose answer is a Message; the rest answer `true`.
MESSAGE_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto"}
ME = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Gratibot",
    "username": "gratibot_bench_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, bytes] | None:
    """(path, body) of one request, or None when the client closed the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1]
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return path, body


async def serve_json(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    answer: Callable[[str, bytes], tuple[int, Any]],
) -> None:
    """Answers one keep-alive connection's requests: answer(path, body) -> (status, JSON)."""
    try:
        while (request := await _read_request(reader)) is not None:
            status, document = answer(*request)
            payload = json.dumps(document).encode()
            reason = b"OK" if status == 200 else b"Too Many Requests"
            writer.write(
                b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (status, reason, len(payload))
                + payload
            )
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


def _params(body: bytes) -> dict[str, Any]:
    if body.startswith(b"{"):
        loaded: dict[str, Any] = json.loads(body)
        return loaded
    return dict(parse_qsl(body.decode()))


@dataclass
class BotApiStub:
    """Answers the Bot API like Telegram would; tells `on_send` about each message a chat gets
    (sendMessage, and editMessageText unless `edits_reply` is off) and `on_screen` about what
    each chat shows."""

    on_send: Callable[[int, float], None]
    on_screen: Callable[[str, int, int, dict[str, Any]], None] | None = None
    edits_reply: bool = True
    port: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000))
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        await asyncio.sleep(0.1)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            await serve_json(
                reader, writer, lambda p, b: (200, {"ok": True, "result": self._answer(p, b)})
            )
        finally:
            self._writers.discard(writer)

    def _answer(self, path: str, body: bytes) -> Any:
        method = path.rsplit("/", 1)[-1]
        self.calls[method] = self.calls.get(method, 0) + 1
        if method == "getMe":
            return ME
        if method not in MESSAGE_METHODS:
            return True
        params = _params(body)
        chat_id = int(params.get("chat_id", 0))
        if method == "sendMessage" or (self.edits_reply and method == "editMessageText"):
            self.on_send(chat_id, time.perf_counter())
        message_id = int(params.get("message_id", 0)) or next(self._ids)
        if self.on_screen is not None:
            self.on_screen(method, chat_id, message_id, params)
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Pegawai"},
            "from": ME,
            "text": params.get("text", ""),
        }


class Connection:
    """One keep-alive connection that posts JSON and reads the status."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str]) -> None:
        self.host = host
        self.port = port
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.prefix = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Content-Type: application/json\r\n{extra}Content-Length: "
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.body = b""

    async def post(self, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(self.prefix + str(len(body)).encode() + b"\r\n\r\n" + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        self.body = await self.reader.readexactly(length) if length else b""
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class Pool:
    """Keep-alive connections handed out one request at a time (opened on demand).

    carried: Bot API calls the server put in its answers ({"method": ...}), by method, as
    Telegram would make them for a webhook."""

    def __init__(self, url: str, headers: dict[str, str], limit: int = 512) -> None:
        rest = url.split("://", 1)[1]
        hostport, _, path = rest.partition("/")
        host, _, port = hostport.partition(":")
        self.args = (host, int(port), "/" + path, headers)
        self.idle: list[Connection] = []
        self.slots = asyncio.Semaphore(limit)
        self.carried: dict[str, int] = {}

    def _carry(self, body: bytes) -> None:
        if b'"method"' not in body[:16]:
            return
        method = str(json.loads(body).get("method"))
        self.carried[method] = self.carried.get(method, 0) + 1

    async def post(self, body: bytes) -> int:
        async with self.slots:
            reused = bool(self.idle)
            conn = self.idle.pop() if reused else Connection(*self.args)
            try:
                status = await conn.post(body)
            except (ConnectionError, asyncio.IncompleteReadError):
                conn.close()
                if not reused:
                    raise
                # The server closed an idle keep-alive connection: once more on a new one.
                conn = Connection(*self.args)
                status = await conn.post(body)
            self.idle.append(conn)
            self._carry(conn.body)
            return status

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


class RoundRobin(Pool):
    """Spreads requests over several servers in turn, like nginx in front of replicas."""

    def __init__(self, pools: list[Pool]) -> None:
        self.pools = pools
        self.turn = itertools.cycle(pools)

    async def post(self, body: bytes) -> int:
        return await next(self.turn).post(body)

    def close(self) -> None:
        for pool in self.pools:
            pool.close()
