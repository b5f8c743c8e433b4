"""/whatsapp/webhook: Meta's verification handshake and signed message deliveries.

A delivery is answered 200 as soon as its signature checks out and its messages are marked
seen by wamid (a redelivery is dropped); the flows run after the response, since Meta retries
slow webhooks. When the store is down the answer is 503 and Meta delivers again later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.responses import PlainTextResponse

from bot.channels.whatsapp.channel import CHANNEL, PayloadError, WhatsAppChannel
from bot.dispatcher import UNAVAILABLE
from bot.runtime import Runtime

log = logging.getLogger(__name__)

router = APIRouter(prefix="/whatsapp")

# Meta's payloads are a few kB; anything far larger is not from Meta.
MAX_BODY_BYTES = 1024 * 1024
SIGNATURE_PREFIX = "sha256="


def signature_ok(body: bytes, header: str | None, secret: str) -> bool:
    """Checks X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body."""
    if not header or not header.startswith(SIGNATURE_PREFIX) or not secret:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    # Compared as bytes: compare_digest refuses non-ASCII str, and a header may hold anything.
    given = header[len(SIGNATURE_PREFIX) :].strip().lower().encode()
    return hmac.compare_digest(expected, given)


async def _read_limited(request: Request) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


@router.get("/webhook")
async def verify(
    request: Request,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge")] = "",
) -> Response:
    """Meta's subscription handshake: echoes hub.challenge when the verify token matches."""
    runtime: Runtime = request.app.state.runtime
    expected = runtime.settings.whatsapp_verify_token
    if (
        mode == "subscribe"
        and expected is not None
        and expected.get_secret_value()
        and hmac.compare_digest(token.encode(), expected.get_secret_value().encode())
    ):
        return PlainTextResponse(challenge)
    log.warning("whatsapp webhook verification refused")
    return PlainTextResponse("forbidden", status_code=403)


@router.post("/webhook")
async def receive(request: Request, background: BackgroundTasks) -> Response:
    """Takes a signed delivery, answers at once, and processes its messages afterwards."""
    runtime: Runtime = request.app.state.runtime
    secret = runtime.settings.whatsapp_app_secret
    if secret is None or not secret.get_secret_value():
        log.warning("whatsapp delivery refused: WHATSAPP_APP_SECRET is not set")
        return PlainTextResponse("forbidden", status_code=403)
    body = await _read_limited(request)
    if body is None:
        return PlainTextResponse("too large", status_code=413)
    header = request.headers.get("x-hub-signature-256")
    if not signature_ok(body, header, secret.get_secret_value()):
        log.warning("whatsapp delivery refused: bad or missing signature")
        return PlainTextResponse("forbidden", status_code=403)
    channel = runtime.senders.get(CHANNEL)
    if not isinstance(channel, WhatsAppChannel):
        # Not configured on this process: Meta keeps the delivery and retries later.
        log.warning("whatsapp delivery not taken: the channel is not configured")
        return PlainTextResponse("unavailable", status_code=503)
    try:
        payload: Any = json.loads(body)
    except ValueError:
        return PlainTextResponse("bad request", status_code=400)
    if not isinstance(payload, dict):
        return PlainTextResponse("bad request", status_code=400)
    try:
        # Marking the messages seen is quick; the flows run after the response.
        items = await channel.admit(payload)
    except PayloadError as exc:
        log.warning("whatsapp delivery refused: %s", exc)
        return PlainTextResponse("bad request", status_code=400)
    except UNAVAILABLE as exc:
        log.warning("whatsapp delivery deferred: %s", type(exc).__name__, exc_info=exc)
        return PlainTextResponse("unavailable", status_code=503)
    if items:
        background.add_task(channel.process, items, runtime.dispatcher)
    return PlainTextResponse("ok")
