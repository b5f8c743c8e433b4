"""A stub Graph API on loopback, Meta-style webhook payloads, and a WhatsApp user driver.

The stub serves POST /{phone}/messages, POST /{phone}/media, GET /{media id} and the media
bytes, records everything it receives, and can be told to refuse sends with a Graph error.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import itertools
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from bot.runtime import Runtime

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
PHONE_ID = "109876543210001"
WA_ID = "6281200000001"
TOKEN = "test-wa-token"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
API_VERSION = "v21.0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fixture(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return doc


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    """The X-Hub-Signature-256 header Meta sends: HMAC-SHA256 of the raw body, hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def the_message(payload: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    return message


@dataclass
class Media:
    data: bytes
    mime_type: str
    declared_size: int | None = None


@dataclass
class GraphStub:
    """What the bot sent, and media to serve."""

    port: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, Media] = field(default_factory=dict)
    media_fetches: int = 0
    # Graph error codes to answer the next sends with (one per send).
    refuse_next: list[int] = field(default_factory=list)
    bad_auth: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{API_VERSION}"

    def to(self, wa_id: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m.get("to") == wa_id]

    def app(self) -> FastAPI:
        app = FastAPI()

        def authorised(request: Request) -> bool:
            ok = request.headers.get("authorization") == f"Bearer {TOKEN}"
            if not ok:
                self.bad_auth += 1
            return ok

        def error(code: int, status: int = 400) -> JSONResponse:
            body = {"error": {"message": "refused", "type": "OAuthException", "code": code}}
            return JSONResponse(body, status_code=status)

        @app.post(f"/{API_VERSION}/{{phone_id}}/messages")
        async def messages(phone_id: str, request: Request) -> Response:
            if not authorised(request) or phone_id != PHONE_ID:
                return error(190, 401)
            if self.refuse_next:
                return error(self.refuse_next.pop(0))
            body = await request.json()
            self.sent.append(body)
            wamid = f"wamid.OUT{next(self._ids)}"
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                    "messages": [{"id": wamid}],
                }
            )

        @app.post(f"/{API_VERSION}/{{phone_id}}/media")
        async def upload(phone_id: str, request: Request) -> Response:
            if not authorised(request):
                return error(190, 401)
            async with request.form() as form:
                upload = form["file"]
                assert not isinstance(upload, str)
                data = await upload.read()
                media_type = form.get("type")
            media_id = f"up{next(self._ids)}"
            self.uploads.append({"id": media_id, "size": len(data), "type": media_type})
            return JSONResponse({"id": media_id})

        @app.get(f"/{API_VERSION}/{{media_id}}")
        async def media_url(media_id: str, request: Request) -> Response:
            if not authorised(request):
                return error(190, 401)
            item = self.media.get(media_id)
            if item is None:
                return error(100, 404)
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "url": f"http://127.0.0.1:{self.port}/lookaside/{media_id}",
                    "mime_type": item.mime_type,
                    "sha256": hashlib.sha256(item.data).hexdigest(),
                    "file_size": item.declared_size
                    if item.declared_size is not None
                    else len(item.data),
                    "id": media_id,
                }
            )

        @app.get("/lookaside/{media_id}")
        async def media_bytes(media_id: str, request: Request) -> Response:
            if not authorised(request):
                return Response(status_code=401)
            self.media_fetches += 1
            item = self.media[media_id]
            return Response(item.data, media_type=item.mime_type)

        return app


@asynccontextmanager
async def run_graph_stub() -> AsyncIterator[GraphStub]:
    """Starts the stub with uvicorn on a free loopback port, in this event loop."""
    stub = GraphStub(port=free_port())
    config = uvicorn.Config(
        stub.app(),
        host="127.0.0.1",
        port=stub.port,
        log_level="warning",
        lifespan="off",
        ws="none",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 10
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError("graph stub did not start")
        await asyncio.sleep(0.01)
    try:
        yield stub
    finally:
        server.should_exit = True
        await task


@dataclass
class WhatsAppApp:
    """The app under test, its runtime, and a client that reaches it in-process."""

    app: FastAPI
    runtime: Runtime
    client: httpx.AsyncClient


@dataclass
class WhatsAppUser:
    """Talks to the real app's webhook the way Meta delivers a user's messages."""

    client: httpx.AsyncClient
    stub: GraphStub
    wa_id: str = WA_ID
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    mark: int = 0

    def payload(self, name: str, **message_fields: Any) -> dict[str, Any]:
        """A fixture with a fresh wamid, this user's number and the current time."""
        payload = copy.deepcopy(fixture(name))
        value = payload["entry"][0]["changes"][0]["value"]
        value["contacts"][0]["wa_id"] = self.wa_id
        message = value["messages"][0]
        message["from"] = self.wa_id
        message["id"] = f"wamid.TEST{self.wa_id}x{next(self._seq)}x{time.monotonic_ns()}"
        message["timestamp"] = str(int(time.time()))
        message.update(message_fields)
        return payload

    async def deliver(self, payload: dict[str, Any]) -> httpx.Response:
        """Posts a payload signed like Meta; returns the webhook's response."""
        self.mark = len(self.stub.sent)
        body = json.dumps(payload).encode()
        return await self.client.post(
            "/whatsapp/webhook",
            content=body,
            headers={"content-type": "application/json", "x-hub-signature-256": sign(body)},
        )

    async def type(self, text: str) -> list[dict[str, Any]]:
        payload = self.payload("text", text={"body": text})
        assert (await self.deliver(payload)).status_code == 200
        return self.new

    async def press(self, choice_id: str) -> list[dict[str, Any]]:
        """Presses a reply button or picks a list row the bot offered last."""
        last = self.last_interactive
        assert last is not None, "no buttons or list offered"
        options = dict(offered(last))
        is_button = last["interactive"]["type"] == "button"
        reply_type = "button_reply" if is_button else "list_reply"
        assert choice_id in options, f"{choice_id!r} not offered: {list(options)}"
        payload = self.payload("button_reply")
        the_message(payload)["interactive"] = {
            "type": reply_type,
            reply_type: {"id": choice_id, "title": options[choice_id]},
        }
        assert (await self.deliver(payload)).status_code == 200
        return self.new

    @property
    def new(self) -> list[dict[str, Any]]:
        """The messages the bot sent to this user since the last delivery."""
        return [m for m in self.stub.sent[self.mark :] if m.get("to") == self.wa_id]

    @property
    def last_interactive(self) -> dict[str, Any] | None:
        for message in reversed(self.new):
            if message["type"] == "interactive":
                return message
        return None

    @property
    def text(self) -> str:
        """Every text the bot sent since the last delivery, joined."""
        return "\n".join(body_text(m) for m in self.new)


def body_text(message: dict[str, Any]) -> str:
    if message["type"] == "text":
        return str(message["text"]["body"])
    if message["type"] == "interactive":
        return str(message["interactive"]["body"]["text"])
    return ""


def offered(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of the buttons or list rows of an interactive message."""
    interactive = message["interactive"]
    if interactive["type"] == "button":
        return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
    rows = interactive["action"]["sections"][0]["rows"]
    return [(r["id"], r["title"]) for r in rows]
