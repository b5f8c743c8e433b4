"""POST /telegram/webhook: Telegram updates for `gratibot serve` (any number of replicas).

The request is checked (secret token header, constant-time compare), parsed, stored in the
intake (bot/intake.py: a Redis stream, before the answer), handed to the update feed and
answered at once; the update is handled in the background, so a slow or failing handler never
makes Telegram retry, and it is dropped from the intake once handled. A button press is
answered once the channel knows its answerCallbackQuery (a few milliseconds, at most a
second), carried in the webhook's answer (bot/channels/telegram/webhook_reply.py). Updates
that a stopped replica held are taken over through the same feed. When the update cannot be
stored (Redis down, the stream full) the answer is 503 and Telegram delivers it again. At
start-up the webhook and the command menu are registered with Telegram, through the
runtime's one Bot. The route is a plain ASGI app served ahead of FastAPI's middleware stack
(TelegramWebhook, bot/web/fast_path.py); the router carries the start-up only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect
from starlette.types import Message, Receive, Scope, Send
from telegram import Update
from telegram.error import TelegramError

from bot.channels.telegram.bot import ALLOWED_UPDATES, BotApi, set_commands, webhook_secret
from bot.channels.telegram.updates import UpdateFeed
from bot.config import Settings
from bot.dispatcher import UNAVAILABLE
from bot.intake import Entry, Intake, IntakeFull
from bot.runtime import Runtime
from bot.store.audit import client_address
from bot.web.fast_path import send_json
from bot.web.limits import WEBHOOK_MAX_BODY, BodyTooLarge, read_body

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
PATH = "/telegram/webhook"
OK = {"ok": True}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Reaches Telegram (after the app's runtime exists) and registers the hook.

    If Telegram cannot be reached at start, the rest of the app still serves (health, dashboard,
    WhatsApp); the webhook answers 503, so Telegram redelivers, and start-up is retried with
    backoff in the background.
    """
    runtime: Runtime = app.state.runtime
    app.state.telegram = None
    channel = runtime.telegram
    if channel is None:
        yield
        return
    feed = UpdateFeed(channel)
    retrying: asyncio.Task[None] | None = None
    if not await _start(app, feed, runtime.settings):
        retrying = asyncio.create_task(_start_with_backoff(app, feed, runtime.settings))
    try:
        yield
    finally:
        app.state.telegram = None
        if retrying is not None:
            retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retrying
        await feed.close()


async def _start(app: FastAPI, feed: UpdateFeed, settings: Settings) -> bool:
    """One attempt to reach Telegram and register the webhook."""
    try:
        await feed.channel.bot.initialize()
        await _register(feed.channel.bot, settings)
    except TelegramError as exc:
        log.warning("Telegram is not reachable at start: %s", type(exc).__name__, exc_info=exc)
        return False
    app.state.telegram = feed
    runtime: Runtime = app.state.runtime
    runtime.intake.consume(KIND, lambda entry: _take_over(feed, entry))
    return True


async def _start_with_backoff(app: FastAPI, feed: UpdateFeed, settings: Settings) -> None:
    delay = 2.0
    while True:
        await asyncio.sleep(delay)
        if await _start(app, feed, settings):
            log.info("Telegram reached; webhook ready")
            return
        delay = min(delay * 2, 300.0)


async def _register(bot: BotApi, s: Settings) -> None:
    if not s.telegram_webhook_url:
        log.warning("TELEGRAM_WEBHOOK_URL is not set: the webhook is not registered")
        return
    secret = webhook_secret(s)
    if secret is None:
        log.error("TELEGRAM_WEBHOOK_SECRET is not set: every webhook call will be refused")
        return
    await bot.set_webhook(
        s.telegram_webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
    )
    await set_commands(bot)
    log.info("Telegram webhook registered")


router = APIRouter(lifespan=lifespan)

KIND = "telegram"


async def _handled(task: asyncio.Task[None]) -> None:
    # A failure is logged by the feed; the update counts as handled either way. A task
    # cancelled at shutdown leaves the update stored for another replica.
    with contextlib.suppress(Exception):
        await task


def _handle(intake: Intake, feed: UpdateFeed, entry: Entry, update: Update) -> None:
    task = feed.put(update)
    intake.handle_soon(entry, lambda _entry: _handled(task))


async def _take_over(feed: UpdateFeed, entry: Entry) -> None:
    """An update a stopped replica held: through the feed like a fresh one."""
    update = feed.channel.parse(json.loads(entry.body))
    await _handled(feed.put(update))


def _refusal(headers: Headers, settings: Settings) -> tuple[int, dict[str, object]] | None:
    given = headers.get(SECRET_HEADER)
    if given is None:
        return 401, {"ok": False, "error": "missing secret token"}
    expected = webhook_secret(settings)
    if expected is None or not hmac.compare_digest(given.encode(), expected.encode()):
        return 403, {"ok": False, "error": "wrong secret token"}
    return None


class TelegramWebhook:
    """POST /telegram/webhook as a plain ASGI app, served ahead of FastAPI's stack.

    The route needs none of FastAPI's per-request machinery (dependencies, validation, the
    exception middlewares: about a tenth of a worker's CPU per update, bench/webhook.py), so
    bot/web/fast_path.py hands it the request directly. What the stack did for it is done
    here: the body limit (413 without reading past WEBHOOK_MAX_BODY), the audit's client
    address, and a 500 with the error logged when something fails.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await send_json(send, 405, {"detail": "Method Not Allowed"}, allow=b"POST")
            return
        client = scope.get("client")
        token = client_address.set(str(client[0]) if client else None)
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.answer(scope, receive, tracked)
        except ClientDisconnect:
            return
        except Exception:
            log.exception("Telegram webhook failed")
            if not started:
                await send_json(send, 500, {"detail": "Internal Server Error"})
        finally:
            client_address.reset(token)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Checks the secret, queues the update and answers at once."""
        state = self.app.state
        settings: Settings = state.settings
        headers = Headers(scope=scope)
        refusal = _refusal(headers, settings)
        if refusal is not None:
            await send_json(send, *refusal)
            return
        feed: UpdateFeed | None = state.telegram
        if feed is None:
            await send_json(send, 503, {"ok": False, "error": "Telegram is not configured"})
            return
        try:
            raw = await read_body(headers, receive, WEBHOOK_MAX_BODY)
        except BodyTooLarge as exc:
            await send_json(send, 413, {"detail": exc.detail})
            return
        try:
            body = raw.decode()
            update = feed.channel.parse(json.loads(body))
        except Exception as exc:
            # Retrying a body we cannot read would not help: accept it and say so in the log.
            log.warning("unreadable Telegram update: %s", type(exc).__name__, exc_info=exc)
            await send_json(send, 200, OK)
            return
        intake: Intake = state.runtime.intake
        try:
            entry = await intake.accept(KIND, body)
        except IntakeFull:
            log.warning("Telegram update refused: the intake is full (INTAKE_MAX_LENGTH)")
            await send_json(send, 503, {"ok": False, "error": "busy"})
            return
        except UNAVAILABLE as exc:
            log.warning("Telegram update refused: %s", type(exc).__name__)
            await send_json(send, 503, {"ok": False, "error": "unavailable"})
            return
        if update.callback_query is None:
            _handle(intake, feed, entry, update)
            await send_json(send, 200, OK)
            return
        replies = feed.channel.replies
        waiting = replies.expect(update.update_id)
        _handle(intake, feed, entry, update)
        method = await replies.wait(update.update_id, waiting)
        await send_json(send, 200, method if method is not None else OK)
