"""/whatsapp/webhook: Meta's verification handshake and signed message deliveries.

A delivery is answered 200 as soon as its signature and shape check out and it is stored in
the intake (bot/intake.py: a Redis stream); the flows run after the response, since Meta
retries slow webhooks, and the delivery is dropped from the intake once they ran. A delivery a
stopped replica held is taken over by a live one. Each message counts as handled only when
its turn is saved (the dispatcher's record of its wamid), so a redelivery is never dropped
while the first delivery may still fail. When the intake is down or full the answer is 503
and Meta delivers again later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, FastAPI, Query, Request, Response
from fastapi.responses import PlainTextResponse

from bot.channels.whatsapp.channel import CHANNEL, PayloadError, WhatsAppChannel
from bot.dispatcher import UNAVAILABLE
from bot.intake import Entry, IntakeFull
from bot.runtime import Runtime

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Takes over the deliveries that stopped replicas held, when WhatsApp is configured."""
    runtime: Runtime = app.state.runtime
    channel = runtime.senders.get(CHANNEL)
    if isinstance(channel, WhatsAppChannel):
        runtime.intake.consume(CHANNEL, lambda entry: _take_over(runtime, channel, entry))
    yield


async def _take_over(runtime: Runtime, channel: WhatsAppChannel, entry: Entry) -> None:
    await channel.process(channel.read(json.loads(entry.body)), runtime.dispatcher)


router = APIRouter(prefix="/whatsapp", lifespan=lifespan)

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
        items = channel.read(payload)
    except PayloadError as exc:
        log.warning("whatsapp delivery refused: %s", exc)
        return PlainTextResponse("bad request", status_code=400)
    if not items:
        # Statuses only, or another business number's: nothing to keep.
        return PlainTextResponse("ok")
    try:
        entry = await runtime.intake.accept(CHANNEL, body.decode())
    except IntakeFull:
        log.warning("whatsapp delivery deferred: the intake is full (INTAKE_MAX_LENGTH)")
        return PlainTextResponse("unavailable", status_code=503)
    except UNAVAILABLE as exc:
        log.warning("whatsapp delivery deferred: %s", type(exc).__name__, exc_info=exc)
        return PlainTextResponse("unavailable", status_code=503)

    async def handle(_entry: Entry) -> None:
        await channel.process(items, runtime.dispatcher)

    # After the response (Meta retries slow webhooks); dropped from the intake once handled.
    background.add_task(runtime.intake.handle, entry, handle)
    return PlainTextResponse("ok")
