"""Sending to the UPPG's Telegram chat: cards with inline buttons, photos and documents.

Telegram's errors are mapped onto DeliveryFailed for the outbox worker: flood limits, timeouts,
server errors and a bot removed from the chat are transient (retried until they pass); a
request Telegram rejects as malformed is permanent. An attachment Telegram will not take as a
photo is retried as a document, and failing that announced as text, so one bad file never
blocks the card.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.backoffice.notify import DeliveryFailed
from bot.config import Settings
from bot.messages import Attachment, Choice, Reply

log = logging.getLogger(__name__)

TEXT_LIMIT = 4000
CAPTION_LIMIT = 1000


def keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    """Inline buttons, two per row (callback data is the choice id)."""
    if not choices:
        return None
    buttons = [InlineKeyboardButton(c.label, callback_data=c.id) for c in choices]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _retry_after(exc: RetryAfter) -> float:
    # Read the stored value: the public attribute warns about its future type.
    stored = getattr(exc, "_retry_after", None)
    return _seconds(stored) if stored is not None else 30.0


@asynccontextmanager
async def delivery_errors() -> AsyncIterator[None]:
    """Turns Telegram's exceptions into DeliveryFailed with the right permanence."""
    try:
        yield
    except RetryAfter as exc:
        raise DeliveryFailed("telegram flood limit", retry_after=_retry_after(exc)) from exc
    except BadRequest as exc:
        # "Chat not found" is a setting to fix, not a bad message: keep the message.
        permanent = "chat not found" not in str(exc).lower()
        raise DeliveryFailed(f"telegram refused: {exc}", permanent=permanent) from exc
    except Forbidden as exc:
        raise DeliveryFailed(f"telegram forbidden: {exc}") from exc
    except TelegramError as exc:
        raise DeliveryFailed(f"telegram error: {type(exc).__name__}") from exc


def uppg_bot(settings: Settings) -> Bot:
    """python-telegram-bot's Bot for the UPPG chat."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
    )


async def close_bot(bot: Bot) -> None:
    """Closes the Bot's HTTP connections, whether or not initialize() was ever called."""
    # Bot.shutdown() returns early for a Bot never initialised, leaving its client open.
    await bot.request.shutdown()
    await bot.shutdown()


class UppgTelegram:
    """The UPPG's Telegram chat, reached through python-telegram-bot's Bot."""

    def __init__(self, bot: Bot, chat_id: str) -> None:
        self.bot = bot
        self.chat_id = chat_id

    async def send(
        self,
        reply: Reply,
        *,
        start: int = 0,
        progress: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        """Sends the text (part 0) then each attachment, from part `start` on.

        After each part, `progress(parts done)` is awaited so a retry resumes after it.
        """
        parts = 1 + len(reply.attachments)
        for index in range(start, parts):
            async with delivery_errors():
                if index == 0:
                    await self.send_text(reply.text, reply.choices)
                else:
                    await self._send_file(reply.attachments[index - 1])
            if progress is not None:
                await progress(index + 1)

    async def send_text(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        if len(text) > TEXT_LIMIT:
            text = text[: TEXT_LIMIT - 1] + "…"
        await self.bot.send_message(self.chat_id, text, reply_markup=keyboard(choices))

    async def _send_file(self, attachment: Attachment) -> None:
        if attachment.download is None:
            await self.bot.send_message(self.chat_id, f"Lampiran {attachment.name}: lihat dasbor.")
            return
        data = await attachment.download()
        caption = attachment.name[:CAPTION_LIMIT]
        if attachment.kind == "photo":
            try:
                await self.bot.send_photo(
                    self.chat_id, InputFile(data, filename=attachment.name), caption=caption
                )
                return
            except BadRequest:
                log.info("telegram refused a photo; sending it as a document")
        try:
            await self.bot.send_document(
                self.chat_id, InputFile(data, filename=attachment.name), caption=caption
            )
        except BadRequest:
            await self.bot.send_message(
                self.chat_id,
                f"Lampiran {attachment.name} tidak dapat dikirim lewat Telegram; lihat dasbor.",
            )
