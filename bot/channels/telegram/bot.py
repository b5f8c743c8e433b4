"""The one python-telegram-bot `Bot` of a process, built from Settings.

Every Telegram call of a process goes through this Bot: the webhook's and the poller's replies,
notifications from the outbox worker, and the UPPG chat. Requests go to TELEGRAM_API_BASE_URL
(the official server, a self-hosted Bot API server or an emulator) over one small keep-alive
connection pool, are retried with stamina on network errors and 5xx answers, and pass through
the bot-wide rate limiter (bot/channels/telegram/limiter.py), which also honours 429
retry_after.
"""

from __future__ import annotations

import logging

import stamina
from telegram import Bot, BotCommand, Update
from telegram._utils.types import ODVInput
from telegram.error import BadRequest, NetworkError
from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.channels.telegram.limiter import Priority, RateLimiter
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
    ("batal", "Batalkan proses yang sedang berjalan"),
    ("bantuan", "Panduan penggunaan"),
)

POLL_TIMEOUT = 30
RETRY_ATTEMPTS = 4
# Keep-alive connections to the Bot API. httpcore's pool bookkeeping grows with the square of
# the open connections (encode/httpcore#1035): a few busy connections beat many idle ones, and
# a reply waits for a free one only under a load Telegram's 30 messages/s would refuse anyway
# (bench/webhook.py measured 8 against 64).
POOL_SIZE = 8

BotApi = ExtBot[Priority]


def file_base_url(api_base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (".../bot" -> ".../file/bot")."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


class ServerError(NetworkError):
    """A 5xx answer of the Bot API (retried like a network error)."""

    def __init__(self, code: int, payload: bytes) -> None:
        super().__init__(f"Bot API answered {code}")
        self.code = code
        self.payload = payload


def _retryable(exc: Exception) -> bool:
    # BadRequest is a NetworkError subclass in python-telegram-bot, but retrying cannot help.
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest whose calls stamina retries on network errors and 5xx answers.

    A retried sendMessage may rarely arrive twice when the first attempt reached Telegram but
    its answer was lost; that is preferred to losing a reply. Logs name the method only: the
    URL contains the bot token and the body contains what users wrote.
    """

    def __init__(self, *, attempts: int = RETRY_ATTEMPTS, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
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
        if api_method == "getUpdates":
            # The updater retries getUpdates itself, with its own backoff.
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )  # fmt: skip
        try:
            async for attempt in stamina.retry_context(
                on=_retryable, attempts=self.attempts, wait_initial=0.5, wait_max=8.0
            ):
                with attempt:
                    if attempt.num > 1:
                        log.warning("Telegram %s failed, retry %d", api_method, attempt.num - 1)
                    code, payload = await super().do_request(
                        url, method, request_data, read_timeout, write_timeout,
                        connect_timeout, pool_timeout,
                    )  # fmt: skip
                    if code >= 500:
                        raise ServerError(code, payload)
        except ServerError as exc:
            # Out of attempts: python-telegram-bot turns the answer into its own error.
            return exc.code, exc.payload
        return code, payload


def make_request(*, read_timeout: float = 10.0, pool_size: int = POOL_SIZE) -> RetryingRequest:
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


def build_bot(settings: Settings, limiter: RateLimiter) -> BotApi:
    """The process's Bot (getUpdates, used only by long polling, has its own connection)."""
    token = configured_token(settings)
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return ExtBot(
        token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_base_url(settings.telegram_api_base_url),
        request=make_request(),
        get_updates_request=make_request(read_timeout=POLL_TIMEOUT + 10, pool_size=1),
        rate_limiter=limiter,
    )


async def set_commands(bot: Bot) -> None:
    """Publishes the Indonesian command menu."""
    await bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def close_bot(bot: Bot) -> None:
    """Closes the Bot's HTTP connections, whether or not initialize() was ever called."""
    # Bot.shutdown() returns early for a Bot never initialised, leaving its client open.
    await bot.request.shutdown()
    await bot.shutdown()
