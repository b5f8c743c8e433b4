"""The Telegram channel: turns python-telegram-bot Updates into Incoming and replies back.

Both modes feed the same `TelegramChannel.on_update`: long polling (`gratibot telegram`) and
the webhook of `gratibot serve`. Each update_id is handled once across all replicas (a key in
the session store), private chats go to the dispatcher, the UPPG's group goes to the back office,
and every other group is ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.channels.telegram import render
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.messages import Attachment, Incoming, Reply
from bot.sessions import SessionStore
from handlers.ports import AttachmentRejected

log = logging.getLogger(__name__)

CHANNEL = "telegram"
DEDUPE_SCOPE = "tg-update"


def too_large_text(limit_bytes: int) -> str:
    megabytes = limit_bytes / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.1f}"
    return (
        f"Maaf, berkas itu terlalu besar (batas {shown} MB).\n"
        "Silakan kirim foto atau berkas yang lebih kecil."
    )


class TelegramChannel:
    """Connects one bot to the dispatcher."""

    def __init__(
        self,
        bot: Bot,
        *,
        settings: Settings,
        store: SessionStore,
        dispatcher: Dispatcher,
        uppg: Callable[[Update], Awaitable[None]] | None = None,
    ) -> None:
        """uppg handles the updates of the UPPG's own chat (officers' buttons and replies)."""
        self.bot = bot
        self.settings = settings
        self.store = store
        self.dispatcher = dispatcher
        self.uppg = uppg
        self.ttl = settings.session_ttl_seconds

    async def on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """The python-telegram-bot handler callback."""
        await self.handle_update(update)

    async def handle_update(self, update: Update) -> None:
        """Handles one update once: routes by chat, converts and dispatches."""
        chat = update.effective_chat
        if chat is None:
            return
        uppg = self.settings.uppg_telegram_chat_id
        if uppg and str(chat.id) == uppg.strip():
            if await self._first_seen(update.update_id):
                await self._to_uppg(update)
            return
        if chat.type != ChatType.PRIVATE:
            # Employees talk to the bot in private; other groups never get an answer.
            return
        # The dispatcher records the update id in the same Redis round trip as the lock, so a
        # redelivery on any replica has no effect.
        dedupe = (DEDUPE_SCOPE, str(update.update_id))
        if update.callback_query is not None:
            await self._on_callback(update.callback_query, dedupe)
        elif update.message is not None:
            await self._on_message(update.message, dedupe)

    async def _first_seen(self, update_id: int) -> bool:
        """Exactly-once for the UPPG chat's updates, which bypass the dispatcher."""
        try:
            return await self.store.first_seen(
                DEDUPE_SCOPE, str(update_id), self.settings.dedupe_ttl_seconds
            )
        except Exception as exc:
            # Without the store the dispatcher answers "gangguan"; better than silence.
            log.warning("dedupe check failed: %s", type(exc).__name__, exc_info=exc)
            return True

    async def _to_uppg(self, update: Update) -> None:
        handler = self.uppg
        if handler is None:
            return
        try:
            await handler(update)
        except Exception:
            log.exception("UPPG chat handler failed")

    async def _on_message(self, message: Message, dedupe: tuple[str, str]) -> None:
        user = message.from_user
        if user is None or user.is_bot:
            return
        incoming = Incoming(
            channel=CHANNEL,
            user_id=str(user.id),
            chat_id=str(message.chat.id),
            text=message.text or message.caption,
            attachments=self.attachments(message),
            message_id=str(message.message_id),
            at=message.date,
        )
        await self.dispatcher.dispatch(incoming, self._sender(pressed=None), dedupe=dedupe)

    async def _on_callback(self, query: CallbackQuery, dedupe: tuple[str, str]) -> None:
        message = query.message if isinstance(query.message, Message) else None
        try:
            # Stops the button's spinner at once, whatever the flow does next.
            await query.answer()
        except TelegramError as exc:
            log.info("answerCallbackQuery failed: %s", type(exc).__name__)
        if message is not None:
            await self._mark_answered(message, query.data or "")
        choice = await render.resolve_callback(query.data or "", self.store)
        chat_id = message.chat.id if message is not None else query.from_user.id
        incoming = Incoming(
            channel=CHANNEL,
            user_id=str(query.from_user.id),
            chat_id=str(chat_id),
            choice=choice,
            message_id=str(message.message_id) if message is not None else None,
        )
        pressed = message.message_id if message is not None else None
        await self.dispatcher.dispatch(incoming, self._sender(pressed=pressed), dedupe=dedupe)

    async def _mark_answered(self, message: Message, data: str) -> None:
        """Removes the pressed message's buttons and shows which one was chosen."""
        label = None
        if message.reply_markup is not None:
            for row in message.reply_markup.inline_keyboard:
                for button in row:
                    if button.callback_data == data:
                        label = button.text
        try:
            text = f"{message.text}\n\n✅ {label}" if message.text and label else None
            if text is not None and render.utf16_len(text) <= render.MAX_TEXT:
                await message.edit_text(text, reply_markup=None)
            else:
                await message.edit_reply_markup(reply_markup=None)
        except TelegramError as exc:
            # Already edited (a second press) or deleted: the dispatcher still decides.
            log.info("could not retire buttons: %s", type(exc).__name__)

    def _sender(self, *, pressed: int | None) -> Callable[[Incoming, list[Reply]], Awaitable[None]]:
        async def send(incoming: Incoming, replies: list[Reply]) -> None:
            await self.send_replies(int(incoming.chat_id), replies, pressed=pressed)

        return send

    async def send_replies(
        self, chat_id: int, replies: list[Reply], *, pressed: int | None = None
    ) -> None:
        """Sends the replies in order, then retires the buttons of the questions before.

        Retiring after sending lets one Redis call both record the new keyboards and read the
        old ones (3 round trips per update instead of 4; bench/redis_cost.py). The
        conversation's lock is held throughout, so no other update of this chat runs between.
        """
        store = self.store
        live: list[int] = []
        for reply in replies:
            with_buttons = await render.send_reply(self.bot, chat_id, reply, store, self.ttl)
            if with_buttons is not None:
                live.append(with_buttons)
        recorded = await render.swap_keyboards(store, chat_id, live, self.ttl)
        for message_id in recorded:
            if message_id == pressed or message_id in live:
                continue
            try:
                await self.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
            except BadRequest as exc:
                log.info("could not retire buttons: %s", type(exc).__name__)

    def attachments(self, message: Message) -> tuple[Attachment, ...]:
        """The photo or document of a message, fetched only when a flow asks for it."""
        limit = self.settings.max_attachment_bytes
        if message.photo:
            # The largest size that fits the limit; Telegram keeps several.
            fitting = [p for p in message.photo if (p.file_size or 0) <= limit]
            photo = fitting[-1] if fitting else message.photo[-1]
            return (
                Attachment(
                    kind="photo",
                    name=f"foto-{photo.file_unique_id}.jpg",
                    ref=photo.file_id,
                    mime_type="image/jpeg",
                    size=photo.file_size,
                    download=self._downloader(photo.file_id, photo.file_size),
                ),
            )
        document = message.document
        if document is not None:
            return (
                Attachment(
                    kind="document",
                    name=document.file_name or f"berkas-{document.file_unique_id}",
                    ref=document.file_id,
                    mime_type=document.mime_type,
                    size=document.file_size,
                    download=self._downloader(document.file_id, document.file_size),
                ),
            )
        return ()

    def _downloader(self, file_id: str, size: int | None) -> Callable[[], Awaitable[bytes]]:
        """Fetches a file with getFile on demand, refusing anything above the size limit."""
        limit = self.settings.max_attachment_bytes

        async def download() -> bytes:
            if size is not None and size > limit:
                raise AttachmentRejected(too_large_text(limit))
            try:
                telegram_file = await self.bot.get_file(file_id)
            except BadRequest as exc:
                # "file is too big": the Bot API serves files up to 20 MB only.
                log.info("getFile refused: %s", type(exc).__name__)
                raise AttachmentRejected(too_large_text(limit)) from None
            if telegram_file.file_size is not None and telegram_file.file_size > limit:
                raise AttachmentRejected(too_large_text(limit))
            data = bytes(await telegram_file.download_as_bytearray())
            if len(data) > limit:
                raise AttachmentRejected(too_large_text(limit))
            return data

        return download


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """python-telegram-bot's error handler: the error's type only, never the update."""
    error: Any = context.error
    log.error("Telegram update failed: %s", type(error).__name__, exc_info=error)
