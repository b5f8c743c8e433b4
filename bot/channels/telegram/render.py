"""How every Telegram message is laid out: text chunks, inline keyboards, callback data.

One policy for the private chats and the UPPG group alike. Messages go out as plain text (no
parse mode), so nothing a flow or a user wrote can break Markdown or HTML parsing and no
escaping is needed. Texts are split at 4,096 UTF-16 units (Telegram's count), at a paragraph,
line or word where possible. The replies of one turn are joined into as few messages as fit:
each message costs a Bot API call against Telegram's limit of about 30 a second per bot, and
one message with the confirmation and the next question reads better on a phone than two.

Button callback data is the Choice id when it fits Telegram's 64 bytes; a longer id is replaced
by a stable short token whose id is kept in the session store, so every replica can resolve it.
The keyboards of a conversation turn also carry the turn's tag ("<id>|<tag>"): the dispatcher
keeps the live tag in the session, so a press on an older keyboard is recognised as stale
without a call to retire the old buttons.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Attachment, Choice, Reply
from bot.sessions import SessionStore

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64
CHOICE_PREFIX = "~"
CHOICE_SCOPE = "tg-choice"
TAG_SEPARATOR = "|"
TAG_PATTERN = re.compile(r"[A-Za-z0-9_-]{4}")
# Telegram needs some text to carry buttons.
CHOOSE = "Silakan pilih:"
PRESSED = "✅"


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


def shorten(text: str, limit: int) -> str:
    """Text cut to `limit` UTF-16 units with an ellipsis (captions and toasts)."""
    if utf16_len(text) <= limit:
        return text
    return text[: _fitting_prefix(text, limit - 1)] + "…"


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: text with its buttons, or one file."""

    text: str
    choices: tuple[Choice, ...] = ()
    attachment: Attachment | None = None


def joined(first: str, second: str) -> str:
    return f"{first}\n\n{second}" if first and second else first or second


def plan(replies: list[Reply], limit: int = MAX_TEXT) -> list[Outgoing]:
    """The messages that carry these replies, in order, as few as fit.

    A text joins the message before it when that one has no buttons and the two fit in one
    message; buttons stay under the text they belong to; files go one per message.
    """
    out: list[Outgoing] = []
    for reply in replies:
        chunks = split_text(reply.text, limit) if reply.text else []
        if not chunks and reply.choices:
            chunks = [""]
        for number, chunk in enumerate(chunks, start=1):
            choices = reply.choices if number == len(chunks) else ()
            before = out[-1] if out else None
            if (
                before is not None
                and before.attachment is None
                and not before.choices
                and utf16_len(joined(before.text, chunk)) <= limit
            ):
                out[-1] = Outgoing(joined(before.text, chunk), choices)
            else:
                out.append(Outgoing(chunk or CHOOSE, choices))
        out.extend(Outgoing("", attachment=attachment) for attachment in reply.attachments)
    return out


def new_tag() -> str:
    """A fresh keyboard tag for one conversation turn (4 URL-safe characters)."""
    return secrets.token_urlsafe(3)


def choice_token(choice_id: str) -> str:
    """A stable short stand-in for a choice id too long for callback data."""
    return CHOICE_PREFIX + hashlib.sha256(choice_id.encode()).hexdigest()[:40]


async def callback_data(
    choice_id: str, store: SessionStore | None, ttl_seconds: int, tag: str | None = None
) -> str:
    """The callback data for a button, keeping a token's choice id in the store."""
    suffix = f"{TAG_SEPARATOR}{tag}" if tag else ""
    room = MAX_CALLBACK_BYTES - len(suffix)
    plain = TAG_SEPARATOR not in choice_id and not choice_id.startswith(CHOICE_PREFIX)
    if len(choice_id.encode()) <= room and plain:
        return choice_id + suffix
    if store is None:
        raise ValueError("a choice id longer than 64 bytes needs the session store")
    token = choice_token(choice_id)
    await store.put_value(CHOICE_SCOPE, token, choice_id, ttl_seconds)
    return token + suffix


def parse_callback(data: str) -> tuple[str, str | None]:
    """(the callback data without its tag, the keyboard tag or None for an untagged button)."""
    rest, separator, tag = data.rpartition(TAG_SEPARATOR)
    if separator and rest and TAG_PATTERN.fullmatch(tag):
        return rest, tag
    return data, None


async def resolve_callback(data: str, store: SessionStore) -> str:
    """The choice id behind a button's callback data (an expired token stays as it is)."""
    if not data.startswith(CHOICE_PREFIX):
        return data
    return await store.get_value(CHOICE_SCOPE, data) or data


async def keyboard(
    choices: tuple[Choice, ...],
    store: SessionStore | None,
    ttl_seconds: int,
    *,
    tag: str | None = None,
    columns: int = 1,
) -> InlineKeyboardMarkup:
    """Inline buttons, `columns` per row: one in a private chat, where labels are often short
    sentences on a phone screen; two on the UPPG's cards."""
    buttons = [
        InlineKeyboardButton(
            c.label, callback_data=await callback_data(c.id, store, ttl_seconds, tag)
        )
        for c in choices
    ]
    return InlineKeyboardMarkup([buttons[i : i + columns] for i in range(0, len(buttons), columns)])


def only_pressed_button(body: dict[str, Any]) -> dict[str, Any]:
    """A press's update JSON with the pressed message's keyboard cut to the pressed button.

    Telegram sends the whole keyboard with every press, and python-telegram-bot builds an
    object for each button: for a six-button question that is most of the cost of reading the
    update (about 0.65 of 0.8 ms). The channel reads one thing from it, the pressed button's
    label (`pressed_label`), so only that button is kept. Anything else is returned as is.
    """
    query = body.get("callback_query")
    message = query.get("message") if isinstance(query, dict) else None
    markup = message.get("reply_markup") if isinstance(message, dict) else None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return body
    assert isinstance(query, dict) and isinstance(message, dict) and isinstance(markup, dict)
    data = query.get("data")
    pressed = [
        button
        for row in rows
        if isinstance(row, list)
        for button in row
        if isinstance(button, dict) and button.get("callback_data") == data
    ]
    kept = {**markup, "inline_keyboard": [pressed[:1]] if pressed else []}
    return {**body, "callback_query": {**query, "message": {**message, "reply_markup": kept}}}


def pressed_label(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """The label of the button with this callback data, if the markup still has it."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def answered(question: str, label: str) -> str:
    """A question as it reads once answered by a button."""
    return f"{question}\n\n{PRESSED} {label}"
