"""Builds python-telegram-bot's Bot and Application from Settings.

Requests go to TELEGRAM_API_BASE_URL (the official server, a self-hosted Bot API server or an
emulator), are retried with backoff on network errors and 5xx answers, and are paced by
python-telegram-bot's AIORateLimiter, which also honours 429 retry_after.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Bot, BotCommand, Update
from telegram._utils.types import ODVInput
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, Application, BaseUpdateProcessor, ExtBot
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.config import Settings

log = logging.getLogger(__name__)

# Only what the flows use; everything else Telegram would send is never delivered.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

# The command menu users see next to the text field (setMyCommands).
COMMANDS = (
    ("start", "Mulai dan tampilkan menu utama"),
    ("lapor", "Laporkan gratifikasi"),
    ("status", "Lihat status laporan Anda"),
    ("cek", "Cek apakah pemberian wajib dilaporkan"),
    ("jawab", "Jawab pertanyaan UPPG tentang laporan Anda"),
    ("tanya", "Tanya aturan gratifikasi"),
    ("aduan", "Lapor dugaan suap, boleh tanpa identitas"),
    ("batal", "Batalkan proses yang sedang berjalan"),
    ("bantuan", "Panduan penggunaan"),
)

POLL_TIMEOUT = 30
RETRY_ATTEMPTS = 4
RETRY_BASE_DELAY = 0.5


def file_base_url(api_base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (".../bot" -> ".../file/bot")."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries network errors and 5xx answers with exponential backoff.

    A retried sendMessage may rarely arrive twice when the first attempt reached Telegram but
    its answer was lost; that is preferred to losing a reply. Logs name the method only: the
    URL contains the bot token and the body contains what users wrote.
    """

    def __init__(self, *, attempts: int = RETRY_ATTEMPTS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.attempts = attempts

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                code, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout,
                    write_timeout,
                    connect_timeout,
                    pool_timeout,
                )
            except NetworkError as exc:
                if last or isinstance(exc, BadRequest) or api_method == "getUpdates":
                    # The updater retries getUpdates itself, with its own backoff.
                    raise
                log.warning("Telegram %s failed (%s), retrying", api_method, type(exc).__name__)
            else:
                if code < 500 or last:
                    return code, payload
                log.warning("Telegram %s answered %s, retrying", api_method, code)
            await asyncio.sleep(RETRY_BASE_DELAY * 2 ** (attempt - 1))
        raise AssertionError("unreachable")


def make_request(*, read_timeout: float = 10.0, pool_size: int = 64) -> RetryingRequest:
    return RetryingRequest(
        connection_pool_size=pool_size,
        connect_timeout=5.0,
        read_timeout=read_timeout,
        write_timeout=10.0,
        pool_timeout=5.0,
        media_write_timeout=30.0,
    )


def configured_token(settings: Settings) -> str | None:
    """The bot token, or None when unset or left empty (as in .env.example)."""
    if settings.telegram_bot_token is None:
        return None
    return settings.telegram_bot_token.get_secret_value().strip() or None


def webhook_secret(settings: Settings) -> str | None:
    """The webhook secret, or None when unset or empty (an empty one would match no header)."""
    if settings.telegram_webhook_secret is None:
        return None
    return settings.telegram_webhook_secret.get_secret_value() or None


def _token(settings: Settings) -> str:
    token = configured_token(settings)
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return token


def rate_limiter(settings: Settings) -> AIORateLimiter:
    """Paces calls to Telegram's limits (TELEGRAM_SEND_RATE overall, 20/min per group)."""
    return AIORateLimiter(overall_max_rate=settings.telegram_send_rate, max_retries=3)


def build_bot(settings: Settings) -> ExtBot[int]:
    """A Bot for sending outside the Application (notifications)."""
    return ExtBot(
        _token(settings),
        base_url=settings.telegram_api_base_url,
        base_file_url=file_base_url(settings.telegram_api_base_url),
        request=make_request(),
        rate_limiter=rate_limiter(settings),
    )


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handles updates of different chats concurrently and those of one chat in arrival order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else 0
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def build_application(
    settings: Settings, *, polling: bool
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application that receives updates: from getUpdates (polling) or the webhook queue."""
    builder = (
        Application.builder()
        .token(_token(settings))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .request(make_request())
        .rate_limiter(rate_limiter(settings))
        .concurrent_updates(PerChatUpdateProcessor(64))
    )
    if polling:
        builder = builder.get_updates_request(
            make_request(read_timeout=POLL_TIMEOUT + 10, pool_size=2)
        )
    else:
        builder = builder.updater(None)
    return builder.build()


async def set_commands(bot: Bot) -> None:
    """Publishes the Indonesian command menu."""
    await bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
