"""Renders channel-neutral replies as Telegram messages: text chunks and inline keyboards.

Messages go out as plain text (no parse mode), so nothing a flow or a user wrote can break
Markdown or HTML parsing and no escaping is needed. Button callback data is the Choice id when
it fits Telegram's 64 bytes; a longer id is replaced by a stable short token whose id is kept in
the session store, so every replica can resolve it.
"""

from __future__ import annotations

import hashlib
import json
import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile

from bot.messages import Attachment, Choice, Reply
from bot.sessions import SessionStore

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
CHOICE_PREFIX = "~"
CHOICE_SCOPE = "tg-choice"
KEYBOARD_SCOPE = "tg-keyboards"


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _fitting_prefix(text: str, limit: int) -> int:
    """The number of characters of text that fit in limit UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Splits text into chunks Telegram accepts, at a paragraph, line or word where possible."""
    chunks: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        window = rest[: _fitting_prefix(rest, limit)]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > 0:
                break
        if cut <= 0:
            cut = len(window)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def choice_token(choice_id: str) -> str:
    """A stable short stand-in for a choice id too long for callback data."""
    return CHOICE_PREFIX + hashlib.sha256(choice_id.encode()).hexdigest()[:40]


async def callback_data(choice_id: str, store: SessionStore | None, ttl_seconds: int) -> str:
    """The callback data for a button, keeping a token's choice id in the store."""
    if len(choice_id.encode()) <= MAX_CALLBACK_BYTES and not choice_id.startswith(CHOICE_PREFIX):
        return choice_id
    if store is None:
        raise ValueError("a choice id longer than 64 bytes needs the session store")
    token = choice_token(choice_id)
    await store.put_value(CHOICE_SCOPE, token, choice_id, ttl_seconds)
    return token


async def resolve_callback(data: str, store: SessionStore) -> str:
    """The choice id behind a button's callback data (an expired token stays as it is)."""
    if not data.startswith(CHOICE_PREFIX):
        return data
    return await store.get_value(CHOICE_SCOPE, data) or data


async def keyboard(
    choices: tuple[Choice, ...], store: SessionStore | None, ttl_seconds: int
) -> InlineKeyboardMarkup:
    """One button per row: labels are often short sentences on a phone screen."""
    rows = [
        [InlineKeyboardButton(c.label, callback_data=await callback_data(c.id, store, ttl_seconds))]
        for c in choices
    ]
    return InlineKeyboardMarkup(rows)


async def send_reply(
    bot: Bot, chat_id: int, reply: Reply, store: SessionStore | None, ttl_seconds: int
) -> int | None:
    """Sends one reply; returns the id of the message carrying its buttons, if any."""
    markup = await keyboard(reply.choices, store, ttl_seconds) if reply.choices else None
    chunks = split_text(reply.text) if reply.text else []
    keyboard_message: int | None = None
    for number, chunk in enumerate(chunks, start=1):
        last = number == len(chunks)
        sent = await bot.send_message(chat_id, chunk, reply_markup=markup if last else None)
        if last and markup is not None:
            keyboard_message = sent.message_id
    for attachment in reply.attachments:
        await _send_attachment(bot, chat_id, attachment)
    if markup is not None and keyboard_message is None:
        # Buttons without text: Telegram needs some text to carry them.
        sent = await bot.send_message(chat_id, "Silakan pilih:", reply_markup=markup)
        keyboard_message = sent.message_id
    return keyboard_message


async def _send_attachment(bot: Bot, chat_id: int, attachment: Attachment) -> None:
    if attachment.download is None:
        log.warning("reply attachment without content skipped")
        return
    data = InputFile(await attachment.download(), filename=attachment.name)
    if attachment.kind == "photo":
        await bot.send_photo(chat_id, data)
    else:
        await bot.send_document(chat_id, data)


async def live_keyboards(store: SessionStore, chat_id: int) -> list[int]:
    """Ids of the messages in this chat whose buttons are still pressable."""
    return _message_ids(await store.get_value(KEYBOARD_SCOPE, str(chat_id)))


async def swap_keyboards(
    store: SessionStore, chat_id: int, message_ids: list[int], ttl_seconds: int
) -> list[int]:
    """Records the chat's live keyboards and returns the ones recorded before, in one call."""
    raw = await store.swap_value(KEYBOARD_SCOPE, str(chat_id), json.dumps(message_ids), ttl_seconds)
    return _message_ids(raw)


def _message_ids(raw: str | None) -> list[int]:
    if not raw:
        return []
    try:
        return [int(i) for i in json.loads(raw)]
    except (ValueError, TypeError):
        return []


async def remember_keyboards(
    store: SessionStore, chat_id: int, message_ids: list[int], ttl_seconds: int
) -> None:
    await store.put_value(KEYBOARD_SCOPE, str(chat_id), json.dumps(message_ids), ttl_seconds)
