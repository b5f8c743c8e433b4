"""The app, with a few hot routes served ahead of FastAPI's middleware stack.

FastAPI's stack (its error, telemetry and body-limit middlewares, the app's own, routing,
dependency solving and response classes) costs about as much CPU per request as a Telegram
update's whole webhook handling (bench/webhook.py, py-spy). A route that needs none of it is
a plain ASGI app in `App.direct`, keyed by path, and does itself what the stack did for it
(bot/web/webhooks/telegram.py: the body limit, the audit's client address, a 500 on failure).
Every other request, and the lifespan, go through FastAPI as before.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send


class App(FastAPI):
    """FastAPI whose `direct` routes (path -> ASGI app) skip the middleware stack."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.direct: dict[str, ASGIApp] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            route = self.direct.get(scope["path"])
            if route is not None:
                scope["app"] = self
                await route(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


async def send_json(
    send: Send, status: int, payload: object, *, allow: bytes | None = None
) -> None:
    """A JSON answer, encoded as Starlette's JSONResponse encodes it."""
    body = json.dumps(
        payload, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode()
    headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
    if allow is not None:
        headers.append((b"allow", allow))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
