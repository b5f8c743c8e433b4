"""Puts each HTTP request's client address where audit entries find it (bot/store/audit.py).

The address is the connection's, or the proxy's X-Forwarded-For when uvicorn trusts the proxy
(`serve` runs with proxy headers; FORWARDED_ALLOW_IPS says which proxies, docker-compose sets it
for nginx).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from bot.store.audit import client_address


class ClientAddress:
    """Pure ASGI middleware: the contextvar holds the address for the request's whole life."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        token = client_address.set(str(client[0]) if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            client_address.reset(token)
