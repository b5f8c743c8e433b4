"""Telegram notifications outside a conversation turn (the ChannelSender of bot/notify.py)."""

from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.channels.telegram import render
from bot.channels.telegram.bot import build_bot
from bot.config import Settings
from bot.sessions import SessionStore

log = logging.getLogger(__name__)


class TelegramSender:
    """Sends a text with inline buttons to a chat id."""

    def __init__(self, settings: Settings, store: SessionStore | None = None) -> None:
        self.bot = build_bot(settings)
        self.store = store
        self.ttl = settings.session_ttl_seconds
        self._started = False
        self._start_lock = asyncio.Lock()

    async def _start(self) -> None:
        async with self._start_lock:
            if not self._started:
                await self.bot.initialize()
                self._started = True

    async def notify(self, chat_id: str, notification: Notification) -> None:
        """Delivers the notification or raises DeliveryFailed (permanent: do not retry)."""
        try:
            await self._start()
            message_id = await render.send_reply(
                self.bot, int(chat_id), notification.reply, self.store, self.ttl
            )
            if message_id is not None and self.store is not None:
                # Its buttons are retired like a question's once the user answers.
                live = await render.live_keyboards(self.store, int(chat_id))
                await render.remember_keyboards(
                    self.store, int(chat_id), [*live, message_id], self.ttl
                )
        except (Forbidden, InvalidToken) as exc:
            # The user blocked the bot, or the token is wrong: retrying will not help.
            raise DeliveryFailed(type(exc).__name__, permanent=True) from None
        except BadRequest as exc:
            raise DeliveryFailed(type(exc).__name__, permanent=True) from None
        except TelegramError as exc:
            log.warning("Telegram notification failed: %s", type(exc).__name__, exc_info=exc)
            raise DeliveryFailed(type(exc).__name__) from None
        except ValueError as exc:
            raise DeliveryFailed(str(exc), permanent=True) from None

    async def close(self) -> None:
        if self._started:
            await self.bot.shutdown()
            self._started = False


def make_sender(settings: Settings, store: SessionStore | None = None) -> TelegramSender:
    """The runtime's "telegram" sender; store lets long choice ids become short tokens."""
    return TelegramSender(settings, store)
