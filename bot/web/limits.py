"""Request body limits: a body over its path's limit is answered 413 and never read whole.

A declared Content-Length over the limit fails the first read, before any byte is taken; a body
that comes without one (chunked) is counted as it arrives and fails once it passes the limit.
The failure is an HTTPException (413), so the app's own handlers answer it: a page in
Indonesian on the dashboard, a short JSON answer on the webhooks.

The webhooks take what Meta and Telegram send (a few kB; 1 MB is far beyond that); dashboard
forms take one attachment of MAX_ATTACHMENT_BYTES plus the form around it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WEBHOOK_MAX_BODY = 1024 * 1024
# Form fields and multipart framing around a dashboard form's one attachment.
FORM_OVERHEAD = 64 * 1024


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail="request body too large")
        self.limit = limit


class BodyLimit:
    """ASGI middleware: reading a request body over limit_for(path) raises BodyTooLarge."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)


async def read_body(headers: Headers, receive: Receive, limit: int) -> bytes:
    """The whole body of a request served outside BodyLimit, with the same limit: a declared
    length over it fails before any byte is taken, a streamed body once it passes it.
    ClientDisconnect when the client goes away first."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
