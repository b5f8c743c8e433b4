"""The one python-telegram-bot `Bot` of a process, built from Settings.

Every Telegram call of a process goes through this Bot: the webhook's and the poller's replies,
notifications from the outbox worker, and the UPPG chat. Requests go to TELEGRAM_API_BASE_URL
(the official server, a self-hosted Bot API server or an emulator) over one small keep-alive
connection pool (bot/channels/telegram/request.py), are retried with stamina on network errors
and 5xx answers, and pass through
the bot-wide rate limiter (bot/channels/telegram/limiter.py), which also honours 429
retry_after.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, Update
from telegram.ext import ExtBot

from bot.channels.telegram.limiter import Priority, RateLimiter
from bot.channels.telegram.request import make_request
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
# Keep-alive connections to the Bot API: a few busy ones beat many idle ones (httpcore's pool
# bookkeeping grows with the square of the open connections, encode/httpcore#1035), and a
# reply waits for a free one only under a load Telegram's 30 messages/s would refuse anyway.
POOL_SIZE = 8

BotApi = ExtBot[Priority]


def file_base_url(api_base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (".../bot" -> ".../file/bot")."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


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
        request=make_request(settings.telegram_http_client, pool_size=POOL_SIZE),
        get_updates_request=make_request(
            settings.telegram_http_client, read_timeout=POLL_TIMEOUT + 10, pool_size=1
        ),
        rate_limiter=limiter,
    )


async def call(
    bot: BotApi, endpoint: str, data: dict[str, object], priority: Priority | None = None
) -> None:
    """A message call whose answer nobody reads (a reply sent or edited in).

    The same request as bot.send_message or bot.edit_message_text: defaults, the rate limiter
    (`priority`), retries, and Telegram's errors raised as TelegramError. Only the answer is
    left unread: python-telegram-bot builds a Message from it, object by object, which cost
    about 3% of a worker's CPU per update (bench/webhook.py, py-spy) for nothing.
    """
    # Private to python-telegram-bot (pinned 22.x): its public calls all read the answer.
    await bot._post(endpoint, ExtBot._merge_api_rl_kwargs(data, priority))


async def set_commands(bot: Bot) -> None:
    """Publishes the Indonesian command menu."""
    await bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def close_bot(bot: Bot) -> None:
    """Closes the Bot's HTTP connections, whether or not initialize() was ever called."""
    # Bot.shutdown() returns early for a Bot never initialised, leaving its client open.
    await bot.request.shutdown()
    await bot.shutdown()
