"""The Telegram channel: turns python-telegram-bot Updates into Incoming and replies back.

Both modes feed the same `TelegramChannel.handle_update`: long polling (`gratibot telegram`)
and the webhook of `gratibot serve`. Each update_id is handled once across all replicas (a key
in the session store), private chats go to the dispatcher, the UPPG's group goes to the UPPG
chat, and every other group is ignored.

What a user sees, for one Bot API call per typed answer and two per press:
- a typed answer gets its replies as new messages; the buttons of earlier questions stay on
  screen but are stale (their tag is no longer the session's), and pressing one only shows
  "Tombol ini sudah tidak berlaku." above the chat;
- a press is answered (answerCallbackQuery) while the pressed message is edited to show the
  choice ("✅ Ya") followed by the next question and its buttons; through the webhook, the
  answer rides in the webhook's own response (webhook_reply.py), so a press costs one call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot.channels.telegram import render
from bot.channels.telegram.bot import BotApi
from bot.channels.telegram.sender import Pressed, TelegramSender
from bot.channels.telegram.webhook_reply import WebhookReplies
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.messages import Attachment, Incoming, Reply
from bot.sessions import SessionStore
from handlers import texts
from handlers.ports import AttachmentRejected

log = logging.getLogger(__name__)

CHANNEL = "telegram"
DEDUPE_SCOPE = "tg-update"
# The dispatcher's own notices: on a press they show above the chat, leaving the question as is.
NOTICES = frozenset({texts.BUSY, texts.FLOOD, texts.GANGGUAN, texts.ERROR, texts.STALE_BUTTON})


def too_large_text(limit_bytes: int) -> str:
    megabytes = limit_bytes / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.1f}"
    return (
        f"Maaf, berkas itu terlalu besar (batas {shown} MB).\n"
        "Silakan kirim foto atau berkas yang lebih kecil."
    )


class TelegramChannel:
    """Connects the process's Bot to the dispatcher (private chats) and the UPPG chat."""

    def __init__(
        self,
        bot: BotApi,
        *,
        settings: Settings,
        store: SessionStore,
        dispatcher: Dispatcher,
        sender: TelegramSender,
        uppg: Callable[[Update], Awaitable[None]] | None = None,
    ) -> None:
        """uppg handles the updates of the UPPG's own chat (officers' buttons and replies)."""
        self.bot = bot
        self.settings = settings
        self.store = store
        self.dispatcher = dispatcher
        self.sender = sender
        self.uppg = uppg
        # Filled by the webhook for the updates it waits on; empty under long polling.
        self.replies = WebhookReplies()

    def parse(self, body: object) -> Update:
        """An Update from the Bot API's JSON (webhook bodies and tests)."""
        update = Update.de_json(body, self.bot)  # type: ignore[arg-type]
        assert update is not None
        return update

    async def handle_update(self, update: Update) -> None:
        """Handles one update once: routes by chat, converts and dispatches."""
        try:
            await self._route(update)
        finally:
            # Whatever happened, the webhook waiting on this update answers now.
            self.replies.release(update.update_id)

    async def _route(self, update: Update) -> None:
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
            await self._on_callback(update.callback_query, dedupe, update.update_id)
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

        tag = render.new_tag()

        async def send(_incoming: Incoming, replies: list[Reply]) -> None:
            await self._send_turn(message.chat.id, replies, tag)

        await self.dispatcher.dispatch(incoming, send, dedupe=dedupe, keyboard=tag)

    async def _on_callback(
        self, query: CallbackQuery, dedupe: tuple[str, str], update_id: int
    ) -> None:
        message = query.message if isinstance(query.message, Message) else None
        data, tag = render.parse_callback(query.data or "")
        choice = await render.resolve_callback(data, self.store)
        chat_id = message.chat.id if message is not None else query.from_user.id
        incoming = Incoming(
            channel=CHANNEL,
            user_id=str(query.from_user.id),
            chat_id=str(chat_id),
            choice=choice,
            message_id=str(message.message_id) if message is not None else None,
            keyboard=tag,
        )
        label = render.pressed_label(message.reply_markup, query.data or "") if message else None
        pressed = None
        if message is not None and message.text and label is not None:
            pressed = Pressed(message.message_id, message.text, label)
        answered = False
        turn = render.new_tag()

        async def send(_incoming: Incoming, replies: list[Reply]) -> None:
            nonlocal answered
            answered = True
            notices = [r.text for r in replies if r.text in NOTICES and not r.choices]
            if notices and len(notices) == len(replies):
                # Stale button or a passing problem: the question stays as it is.
                alert = notices[-1] != texts.STALE_BUTTON
                await self._answer(query, update_id, notices[-1], alert=alert)
                return
            if pressed is None or tag is None:
                # A button under a notification (or a message we cannot edit): mark it
                # answered and send the replies below, where the user looks.
                await asyncio.gather(self._answer(query, update_id), self._retire(message, label))
                await self._send_turn(chat_id, replies, turn)
                return
            answer = asyncio.create_task(self._answer(query, update_id))
            try:
                await self._send_turn(chat_id, replies, turn, pressed=pressed)
            finally:
                await answer

        try:
            await self.dispatcher.dispatch(incoming, send, dedupe=dedupe, keyboard=turn)
        finally:
            if not answered:
                # A duplicate or a dropped flood message: still stop the button's spinner.
                await self._answer(query, update_id)

    async def _answer(
        self, query: CallbackQuery, update_id: int, text: str | None = None, *, alert: bool = False
    ) -> None:
        """answerCallbackQuery: in the webhook's answer when it waits for one, else a call."""
        method: dict[str, object] = {"method": "answerCallbackQuery", "callback_query_id": query.id}
        if text:
            method["text"] = text
        if alert:
            method["show_alert"] = True
        if self.replies.offer(update_id, method):
            return
        try:
            await query.answer(text, show_alert=alert)
        except TelegramError as exc:
            log.info("answerCallbackQuery failed: %s", type(exc).__name__)

    async def _retire(self, message: Message | None, label: str | None) -> None:
        """Shows which button of a notification was pressed, and removes its buttons."""
        if message is None:
            return
        try:
            if message.text and label:
                text = render.answered(message.text, label)
                if render.utf16_len(text) <= render.MAX_TEXT:
                    await message.edit_text(text, reply_markup=None)
                    return
            await message.edit_reply_markup(reply_markup=None)
        except TelegramError as exc:
            log.info("could not retire buttons: %s", type(exc).__name__)

    async def _send_turn(
        self, chat_id: int, replies: list[Reply], tag: str, *, pressed: Pressed | None = None
    ) -> None:
        """Sends a turn's replies, their buttons under the turn's tag (the session's live one).

        The session is already saved: a failure is logged, and the user can ask again.
        """
        try:
            await self.sender.send(chat_id, replies, tag=tag, pressed=pressed)
        except (TelegramError, ValueError, OSError) as exc:
            log.warning("telegram send failed: %s", type(exc).__name__, exc_info=exc)

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
