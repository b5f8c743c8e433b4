"""A tiny Telegram Bot API on loopback (FastAPI + uvicorn) for the UPPG chat tests.

It records every call (method and parameters), answers like the Bot API, and can be told to
fail: `down` answers 500 to the sending methods, `fail_codes` answers the listed codes to the
next calls of a method (429 with retry_after, 400 for a malformed request).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.channels.telegram.bot import BotApi, close_bot
from bot.channels.telegram.limiter import Limits, MemoryBuckets, RateLimiter
from tests.conftest import free_port

TOKEN = "123456:TEST"
BOT_ID = 123456
SENDING = {"sendMessage", "sendPhoto", "sendDocument"}
ADMIN_FLAGS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    code: int = 200


@dataclass
class BotApiStub:
    calls: list[Call] = field(default_factory=list)
    members: dict[int, str] = field(default_factory=dict)
    down: bool = False
    fail_codes: dict[str, list[int]] = field(default_factory=dict)
    port: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))
    _bots: list[BotApi] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def bot(self) -> BotApi:
        """A Bot like the runtime's, talking to this stub, unpaced (shut down with the stub)."""
        limiter = RateLimiter(MemoryBuckets(), Limits(bot_rate=0))
        bot = BotApi(TOKEN, base_url=self.base_url, rate_limiter=limiter)
        self._bots.append(bot)
        return bot

    def sent(self, *methods: str) -> list[Call]:
        """Calls of these methods (default: the sending ones) that the stub accepted."""
        wanted = set(methods or SENDING)
        return [c for c in self.calls if c.method in wanted and c.code == 200]

    def tried(self, method: str) -> list[Call]:
        """Every call of a method, refused ones included."""
        return [c for c in self.calls if c.method == method]

    def texts(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.sent("sendMessage")]

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": int(params.get("chat_id", 0)), "type": "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "gratibot"},
            "text": params.get("text", ""),
        }

    def answer(self, method: str, params: dict[str, Any]) -> JSONResponse:
        codes = self.fail_codes.get(method) or []
        code = codes.pop(0) if codes else (500 if self.down and method in SENDING else 200)
        if code == 429:
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            }
            return JSONResponse(body, status_code=429)
        if code != 200:
            description = "Bad Request: message is malformed" if code == 400 else "Server Error"
            body = {"ok": False, "error_code": code, "description": description}
            return JSONResponse(body, status_code=code)
        result: Any = True
        if method == "getMe":
            result = {"id": BOT_ID, "is_bot": True, "first_name": "gratibot", "username": "g_bot"}
        elif method in SENDING or method == "editMessageReplyMarkup":
            result = self._message(params)
        elif method == "getChatMember":
            user_id = int(params["user_id"])
            status = self.members.get(user_id, "left")
            result = {
                "status": status,
                "user": {"id": user_id, "is_bot": False, "first_name": "X"},
            }
            if status == "administrator":
                result |= {flag: False for flag in ADMIN_FLAGS}
            if status == "creator":
                result["is_anonymous"] = False
        return JSONResponse({"ok": True, "result": result})

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def api(token: str, method: str, request: Request) -> JSONResponse:
            params: dict[str, Any] = {}
            files: dict[str, bytes] = {}
            if request.headers.get("content-type", "").startswith("application/json"):
                # As the Bot API server reads a JSON body: every field becomes a string
                # argument, objects and arrays JSON-encoded (as a form would carry them).
                body: dict[str, Any] = await request.json()
                params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
            else:
                async with request.form() as form:
                    for key, value in form.multi_items():
                        if isinstance(value, str):
                            params[key] = value
                        else:
                            files[key] = await value.read()
            response = self.answer(method, params)
            if method != "getMe":
                self.calls.append(Call(method, params, files, response.status_code))
            return response

        return app


@asynccontextmanager
async def running_stub() -> AsyncIterator[BotApiStub]:
    """Serves a stub on a free loopback port for the duration of the block."""
    stub = BotApiStub(port=free_port())
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
    while not server.started:  # noqa: ASYNC110 (uvicorn exposes only a flag)
        await asyncio.sleep(0.01)
    try:
        yield stub
    finally:
        for bot in stub._bots:
            await close_bot(bot)
        server.should_exit = True
        await task
