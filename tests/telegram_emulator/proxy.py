"""A proxy in front of telegram-test-api that corrects where it deviates from the real Bot API.

The bot under test talks to this proxy (TELEGRAM_API_BASE_URL = http://127.0.0.1:<port>/bot);
the proxy forwards to the emulator and fixes what python-telegram-bot would reject or what the
emulator does not implement:
- getMe lacks is_bot (and the capability flags);
- messages it returns carry `date` in milliseconds and no `from`;
- updates carry its internal `botToken` field; callback queries lack `chat_instance`;
- editMessageText, editMessageReplyMarkup, answerCallbackQuery and setWebhook answer
  `result: null` (the real API answers the edited Message or true), and removing a keyboard
  (editMessageReplyMarkup without reply_markup) is not recorded;
- getUpdates ignores `timeout` (answers at once, so a poller would spin): long polling here;
- setWebhook ignores `secret_token`: webhook calls are relayed with the
  X-Telegram-Bot-Api-Secret-Token header, and always answered 200 to the emulator (it crashes
  on a refused delivery);
- setMyCommands, getMyCommands, getWebhookInfo, getFile and file downloads are missing;
- a Bot API call in a webhook's answer ({"method": ...}) is ignored: the proxy makes it.

It also gives the tests what a real server hides: every bot message with its current text and
keyboard, each send and edit as an event, a replay of the last delivered update (a
redelivery), and a round-robin load balancer in front of several `gratibot serve` replicas.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BOT_USER = {"id": 666, "is_bot": True, "first_name": "gratibot", "username": "TestNameBot"}


@dataclass
class BotState:
    """What the proxy knows about one bot token."""

    webhook_url: str | None = None
    webhook_secret: str | None = None
    allowed_updates: list[str] | None = None
    commands: list[dict[str, str]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    # Every message as sent and as each edit left it (what a user sees arrive or change).
    events: list[dict[str, Any]] = field(default_factory=list)
    answered_callbacks: list[str] = field(default_factory=list)
    # The text shown above the chat for each answered callback ("" for none).
    callback_texts: list[str] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    replay: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    backends: list[str] = field(default_factory=list)
    backend_hits: dict[str, int] = field(default_factory=dict)
    next_backend: int = 0


def _seconds(date: Any) -> int:
    value = int(date or time.time())
    return value // 1000 if value > 10**11 else value


def fix_message(message: dict[str, Any]) -> dict[str, Any]:
    message = dict(message)
    message.pop("botToken", None)
    message["date"] = _seconds(message.get("date"))
    return message


def fix_update(update: dict[str, Any]) -> dict[str, Any]:
    """An update as the real Bot API would send it."""
    update = copy.deepcopy(update)
    if "message" in update:
        update["message"] = fix_message(update["message"])
    query = update.get("callback_query")
    if query is not None:
        query.pop("botToken", None)
        chat = (query.get("message") or {}).get("chat") or query["from"]
        query.setdefault("chat_instance", f"ci{chat['id']}")
        if query.get("message"):
            query["message"] = fix_message(query["message"])
    return update


class EmulatorProxy:
    """The Starlette app and its state; runs in a thread with its own event loop."""

    def __init__(self, emulator_url: str, port: int) -> None:
        self.emulator_url = emulator_url
        self.port = port
        self.bots: dict[str, BotState] = {}
        self._client: httpx.AsyncClient | None = None
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self.bot_api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self.file, methods=["GET"]),
                Route("/_hook/{token}", self.hook, methods=["POST"]),
                Route("/lb/{token}", self.balance, methods=["POST"]),
            ],
            lifespan=self._lifespan,
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        yield
        if self._client is not None:
            await self._client.aclose()

    # Test-side API (called from the test thread; plain dict and list operations).

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base_url(self) -> str:
        return f"{self.url}/bot"

    def bot(self, token: str) -> BotState:
        return self.bots.setdefault(token, BotState())

    def add_file(self, token: str, data: bytes, suffix: str = "jpg") -> tuple[str, str]:
        """Registers a file a user sends; returns (file_id, file_unique_id)."""
        file_id = "F" + uuid.uuid4().hex
        self.bot(token).files[file_id] = (f"files/{file_id}.{suffix}", data)
        return file_id, file_id[:16]

    def replay_last(self, token: str) -> None:
        """Makes the next getUpdates deliver the last update again (a redelivery)."""
        state = self.bot(token)
        state.replay.append(state.delivered[-1])

    def lb_url(self, token: str) -> str:
        return f"{self.url}/lb/{token}"

    # Lifecycle.

    def start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("emulator proxy did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)

    # Bot API.

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=30)
        return self._client

    async def _params(self, request: Request) -> dict[str, Any]:
        if request.headers.get("content-type", "").startswith("application/json"):
            return dict(await request.json())
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}

    async def _forward(self, token: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
        # The emulator reads forms: nested values of a JSON body go as JSON-encoded fields.
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        response = await self.client.post(f"{self.emulator_url}/bot{token}/{method}", data=form)
        if response.status_code != 200:
            return {"ok": False, "error_code": response.status_code, "description": response.text}
        return dict(response.json())

    async def bot_api(self, request: Request) -> Response:
        token = request.path_params["token"]
        method = request.path_params["method"]
        params = await self._params(request)
        state = self.bot(token)
        handler = getattr(self, f"api_{method}", None)
        if handler is not None:
            result = await handler(request, token, state, params)
        else:
            result = await self._forward(token, method, params)
        status = 200 if result.get("ok") else int(result.get("error_code") or 400)
        return JSONResponse(result, status_code=status)

    async def api_getMe(self, _r: Request, token: str, _s: BotState, p: dict[str, Any]) -> Any:
        answer = await self._forward(token, "getMe", p)
        answer["result"] = {
            **answer["result"],
            "is_bot": True,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        return answer

    async def api_getUpdates(
        self, request: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 30)
        while True:
            updates = [fix_update(u) for u in state.replay]
            state.replay.clear()
            answer = await self._forward(token, "getUpdates", {})
            updates += [fix_update(u) for u in answer.get("result") or []]
            if updates or time.monotonic() >= deadline or await request.is_disconnected():
                state.delivered.extend(updates)
                return {"ok": True, "result": updates}
            await asyncio.sleep(0.1)

    async def api_sendMessage(
        self, _r: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        answer = await self._forward(token, "sendMessage", params)
        if not answer.get("ok"):
            return answer
        sent = answer["result"]
        message: dict[str, Any] = {
            "message_id": sent["message_id"],
            "date": _seconds(sent.get("date")),
            "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "User"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        state.messages.append(message)
        state.events.append(copy.deepcopy(message))
        return {"ok": True, "result": message}

    def _find(self, state: BotState, params: dict[str, Any]) -> dict[str, Any] | None:
        for message in state.messages:
            if str(message["chat"]["id"]) == str(params.get("chat_id")) and str(
                message["message_id"]
            ) == str(params.get("message_id")):
                return message
        return None

    async def _edit(
        self, token: str, method: str, state: BotState, params: dict[str, Any]
    ) -> dict[str, Any]:
        answer = await self._forward(token, method, params)
        if not answer.get("ok"):
            return answer
        message = self._find(state, params)
        if message is None:
            return {"ok": False, "error_code": 400, "description": "Bad Request: message not found"}
        previous = message["text"]
        if "text" in params:
            message["text"] = params["text"]
        markup = params.get("reply_markup")
        parsed = json.loads(markup) if isinstance(markup, str) else markup
        if parsed and parsed.get("inline_keyboard"):
            message["reply_markup"] = parsed
        else:
            # Both edits drop the keyboard when none is given, as the real API does.
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        state.events.append({**copy.deepcopy(message), "previous": previous})
        return {"ok": True, "result": message}

    async def api_editMessageText(
        self, _r: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        return await self._edit(token, "editMessageText", state, params)

    async def api_editMessageReplyMarkup(
        self, _r: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        return await self._edit(token, "editMessageReplyMarkup", state, params)

    async def api_answerCallbackQuery(
        self, _r: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        await self._forward(token, "answerCallbackQuery", params)
        state.answered_callbacks.append(str(params.get("callback_query_id")))
        state.callback_texts.append(str(params.get("text") or ""))
        return {"ok": True, "result": True}

    async def api_setWebhook(
        self, _r: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        state.webhook_url = params["url"]
        state.webhook_secret = params.get("secret_token")
        allowed = params.get("allowed_updates")
        state.allowed_updates = json.loads(allowed) if isinstance(allowed, str) else allowed
        await self._forward(token, "setWebhook", {"url": f"{self.url}/_hook/{token}"})
        return {"ok": True, "result": True, "description": "Webhook was set"}

    async def api_deleteWebhook(
        self, _r: Request, token: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        state.webhook_url = None
        state.webhook_secret = None
        await self._forward(token, "deleteWebhook", {})
        return {"ok": True, "result": True, "description": "Webhook was deleted"}

    async def api_getWebhookInfo(
        self, _r: Request, _t: str, state: BotState, _p: dict[str, Any]
    ) -> Any:
        info = {"url": state.webhook_url or "", "has_custom_certificate": False}
        return {"ok": True, "result": {**info, "pending_update_count": 0}}

    async def api_setMyCommands(
        self, _r: Request, _t: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        commands = params["commands"]
        state.commands = json.loads(commands) if isinstance(commands, str) else commands
        return {"ok": True, "result": True}

    async def api_getMyCommands(
        self, _r: Request, _t: str, state: BotState, _p: dict[str, Any]
    ) -> Any:
        return {"ok": True, "result": state.commands}

    async def api_getFile(
        self, _r: Request, _t: str, state: BotState, params: dict[str, Any]
    ) -> Any:
        file_id = str(params.get("file_id"))
        if file_id not in state.files:
            return {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
        path, data = state.files[file_id]
        result = {
            "file_id": file_id,
            "file_unique_id": file_id[:16],
            "file_size": len(data),
            "file_path": path,
        }
        return {"ok": True, "result": result}

    async def file(self, request: Request) -> Response:
        state = self.bot(request.path_params["token"])
        for path, data in state.files.values():
            if path == request.path_params["path"]:
                return Response(data, media_type="application/octet-stream")
        return JSONResponse({"ok": False, "description": "Not Found"}, status_code=404)

    # Webhook delivery.

    async def hook(self, request: Request) -> Response:
        """The emulator's webhook call, relayed to the bot as the real server would send it."""
        token = request.path_params["token"]
        state = self.bot(token)
        update = fix_update(await request.json())
        state.delivered.append(update)
        if state.webhook_url:
            headers = {SECRET_HEADER: state.webhook_secret} if state.webhook_secret else {}
            try:
                answer = await self.client.post(state.webhook_url, json=update, headers=headers)
            except httpx.HTTPError:
                # The real server would retry later; the test sees the missing reply.
                return JSONResponse({"ok": True})
            await self._webhook_method(request, token, state, answer)
        return JSONResponse({"ok": True})

    async def _webhook_method(
        self, request: Request, token: str, state: BotState, answer: httpx.Response
    ) -> None:
        """A Bot API call in the webhook's answer ({"method": ...}), made as Telegram does."""
        try:
            body = answer.json()
        except ValueError:
            return
        if answer.status_code != 200 or not isinstance(body, dict) or "method" not in body:
            return
        params = {k: v for k, v in body.items() if k != "method"}
        handler = getattr(self, f"api_{body['method']}", None)
        if handler is not None:
            await handler(request, token, state, params)
        else:
            await self._forward(token, str(body["method"]), params)

    async def balance(self, request: Request) -> Response:
        """A round-robin load balancer in front of the `gratibot serve` replicas."""
        state = self.bot(request.path_params["token"])
        backend = state.backends[state.next_backend % len(state.backends)]
        state.next_backend += 1
        state.backend_hits[backend] = state.backend_hits.get(backend, 0) + 1
        headers = {k: v for k, v in request.headers.items() if k.lower() == SECRET_HEADER.lower()}
        response = await self.client.post(
            backend,
            content=await request.body(),
            headers={**headers, "content-type": "application/json"},
        )
        return Response(response.content, status_code=response.status_code)
