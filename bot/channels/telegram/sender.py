"""Sending to Telegram: one policy for conversation replies, notifications and the UPPG chat.

Replies are laid out by render.plan (joined, split, buttons under their text), sent through the
process's one Bot (rate limited bot-wide), and a button press is answered in place: the pressed
message is edited to show the choice followed by the first reply, with its buttons, so a press
costs answerCallbackQuery plus one edit. Telegram's errors are mapped onto DeliveryFailed for
the outbox worker in one place (delivery_errors).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.channels.telegram import render
from bot.channels.telegram.bot import BotApi, call
from bot.channels.telegram.limiter import BULK, INTERACTIVE, Priority, retry_after_seconds
from bot.messages import Attachment, Reply
from bot.sessions import SessionStore

log = logging.getLogger(__name__)


@asynccontextmanager
async def delivery_errors(*, to_group: bool = False) -> AsyncIterator[None]:
    """Turns Telegram's exceptions into DeliveryFailed with the right permanence.

    Flood limits, timeouts and server errors pass. A user who blocked the bot or whose chat is
    gone will not come back for this message (permanent); the UPPG group missing or the bot
    removed from it is a setting to fix, so the card waits (transient), as for a wrong token.
    """
    try:
        yield
    except RetryAfter as exc:
        seconds = retry_after_seconds(exc)
        raise DeliveryFailed("telegram flood limit", retry_after=seconds) from exc
    except InvalidToken as exc:
        raise DeliveryFailed("telegram refused the bot token") from exc
    except Forbidden as exc:
        raise DeliveryFailed(f"telegram forbidden: {exc}", permanent=not to_group) from exc
    except BadRequest as exc:
        permanent = not (to_group and "chat not found" in str(exc).lower())
        raise DeliveryFailed(f"telegram refused: {exc}", permanent=permanent) from exc
    except TelegramError as exc:
        raise DeliveryFailed(f"telegram error: {type(exc).__name__}") from exc
    except ValueError as exc:
        # A chat id that is no number: nothing will ever deliver it.
        raise DeliveryFailed(str(exc), permanent=True) from exc


@dataclass(frozen=True)
class Pressed:
    """The message whose button was pressed: its id, its text and the chosen label."""

    message_id: int
    text: str
    label: str


def chat_ref(chat_id: int | str) -> int | str:
    """Numeric chat ids as int, "@channel" names as they are; anything else is refused."""
    if isinstance(chat_id, int) or str(chat_id).startswith("@"):
        return chat_id
    return int(str(chat_id).strip())


class TelegramSender:
    """Sends replies to chats through the process's Bot (also the runtime's ChannelSender)."""

    def __init__(self, bot: BotApi, store: SessionStore | None, ttl_seconds: int) -> None:
        self.bot = bot
        self.store = store
        self.ttl = ttl_seconds

    async def send(
        self,
        chat_id: int | str,
        replies: list[Reply],
        *,
        tag: str | None = None,
        priority: Priority = INTERACTIVE,
        pressed: Pressed | None = None,
        columns: int = 1,
        start: int = 0,
        progress: Callable[[int], Awaitable[None]] | None = None,
        file_note: str = "Lampiran {name} tidak dapat dikirim lewat Telegram.",
    ) -> None:
        """Sends the replies, their buttons tagged with `tag` (a conversation turn's).

        pressed: answer in place, editing that message (see `_answer_in_place`).
        start, progress: resume after the first `start` messages, awaiting progress(done)
        after each, so a retried UPPG card sends nothing twice.
        """
        messages = render.plan(replies)
        if pressed is not None:
            messages = await self._answer_in_place(chat_id, pressed, messages, tag, columns)
        for index in range(start, len(messages)):
            message = messages[index]
            if message.attachment is not None:
                await self._send_file(chat_id, message.attachment, priority, file_note)
            else:
                markup = await self._markup(message, tag, columns)
                data: dict[str, object] = {"chat_id": chat_id, "text": message.text}
                if markup is not None:
                    data["reply_markup"] = markup
                await call(self.bot, "sendMessage", data, priority)
            if progress is not None:
                await progress(index + 1)

    async def _markup(
        self, message: render.Outgoing, tag: str | None, columns: int
    ) -> InlineKeyboardMarkup | None:
        if not message.choices:
            return None
        return await render.keyboard(
            message.choices, self.store, self.ttl, tag=tag, columns=columns
        )

    async def _answer_in_place(
        self,
        chat_id: int | str,
        pressed: Pressed,
        messages: list[render.Outgoing],
        tag: str | None,
        columns: int,
    ) -> list[render.Outgoing]:
        """Edits the pressed message into "question, ✅ choice" followed by the first reply.

        Returns the messages still to send. When the first one is a file, or the whole would
        not fit one message, the edit only marks the choice and everything is sent as usual.
        """
        question = render.answered(pressed.text, pressed.label)
        first = messages[0] if messages else None
        text, markup, rest = question, None, messages
        if first is not None and first.attachment is None:
            together = render.joined(question, first.text)
            if render.utf16_len(together) <= render.MAX_TEXT:
                text, rest = together, messages[1:]
                markup = await self._markup(first, tag, columns)
        data: dict[str, object] = {
            "chat_id": chat_id,
            "message_id": pressed.message_id,
            "text": text,
        }
        if markup is not None:
            data["reply_markup"] = markup
        try:
            await call(self.bot, "editMessageText", data)
        except BadRequest as exc:
            # Deleted, too old, or already edited by a second press: answer with new messages.
            log.info("could not edit the pressed message: %s", type(exc).__name__)
            return messages
        return rest

    async def _send_file(
        self, chat_id: int | str, attachment: Attachment, priority: Priority, note: str
    ) -> None:
        """A photo (or, when Telegram will not take it as one, a document), else a note."""
        if attachment.download is None:
            log.warning("reply attachment without content: sending a note instead")
            await self.bot.send_message(
                chat_id, note.format(name=attachment.name), rate_limit_args=priority
            )
            return
        data = await attachment.download()
        caption = render.shorten(attachment.name, render.MAX_CAPTION)
        # A photo Telegram will not take as one goes as a document, and failing that, a note.
        tries: list[Callable[..., Awaitable[object]]] = [self.bot.send_document]
        if attachment.kind == "photo":
            tries.insert(0, self.bot.send_photo)
        for send in tries:
            try:
                await send(
                    chat_id,
                    InputFile(data, filename=attachment.name),
                    caption=caption,
                    rate_limit_args=priority,
                )
                return
            except BadRequest:
                log.info("telegram refused the file as %s", send.__name__)
        await self.bot.send_message(
            chat_id, note.format(name=attachment.name), rate_limit_args=priority
        )

    async def notify(self, chat_id: str, notification: Notification) -> None:
        """Delivers a notification to a user (a bulk send) or raises DeliveryFailed."""
        async with delivery_errors():
            await self.send(chat_ref(chat_id), [notification.reply], priority=BULK)
