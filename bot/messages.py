"""Channel-neutral message types: what arrives from a user and what the bot sends back.

Every channel (Telegram, WhatsApp, the console) turns its own updates into `Incoming` and renders
`Reply` in its own way, so the flows in handlers/ never see a channel.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

AttachmentKind = Literal["photo", "document"]


@dataclass(frozen=True)
class Choice:
    """A button: a stable id the flow understands and the label the user sees."""

    id: str
    label: str


@dataclass(frozen=True)
class Attachment:
    """A file the user sent, or one the bot sends.

    `ref` says where the bytes are: a channel's file id before download, or an attachment-store
    key after. `download` is set by the channel for incoming files; it fetches the bytes on
    demand, so a photo sent outside a form is never downloaded.
    """

    kind: AttachmentKind
    name: str
    ref: str = ""
    mime_type: str | None = None
    size: int | None = None
    download: Callable[[], Awaitable[bytes]] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a user, in any channel."""

    channel: str
    user_id: str
    chat_id: str
    text: str | None = None
    choice: str | None = None
    attachments: tuple[Attachment, ...] = ()
    message_id: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # For a press: the tag of the keyboard it came from, when the channel tags its keyboards
    # (Telegram). The dispatcher refuses a press whose tag is not the session's live one.
    keyboard: str | None = None

    @property
    def conversation_key(self) -> str:
        return f"{self.channel}:{self.user_id}"

    @property
    def command(self) -> str | None:
        """The command word of a "/start@gratibot args" style text, lower-cased, or None."""
        if not self.text or not self.text.startswith("/"):
            return None
        word = self.text.split(maxsplit=1)[0][1:]
        return word.split("@", 1)[0].lower() or None


@dataclass(frozen=True)
class Reply:
    """One message the bot sends: text, optional buttons, optional files."""

    text: str
    choices: tuple[Choice, ...] = ()
    attachments: tuple[Attachment, ...] = ()


# The largest row id the database holds (a 32-bit INTEGER primary key).
MAX_ROW_ID = 2**31 - 1


def small_number(text: str, maximum: int) -> int | None:
    """The whole number typed as ASCII digits, when it is between 0 and maximum; else None.

    The length is checked before converting: int() refuses more than 4,300 digits (and is
    slow well before that), and str.isdigit() also accepts "²" and other digits int() cannot
    read. A typed list number, a button's id and a row id all go through here.
    """
    digits = text.strip()
    if not digits or len(digits) > len(str(maximum)):
        return None
    if not (digits.isascii() and digits.isdigit()):
        return None
    number = int(digits)
    return number if number <= maximum else None


def choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    """Builds a tuple of choices from (id, label) pairs."""
    return tuple(Choice(id=i, label=label) for i, label in pairs)


async def dump_replies(replies: list[Reply]) -> str:
    """A turn's replies as JSON, files included, so another process can send them again.

    Kept with the saved turn until the replies went out (bot/sessions.py): an outgoing file
    (a receipt) is read now, while its bytes are at hand.
    """
    turn = []
    for reply in replies:
        files = []
        for attachment in reply.attachments:
            data = await attachment.download() if attachment.download is not None else None
            files.append(
                {
                    "kind": attachment.kind,
                    "name": attachment.name,
                    "mime_type": attachment.mime_type,
                    "data": base64.b64encode(data).decode() if data is not None else None,
                }
            )
        choices = [[c.id, c.label] for c in reply.choices]
        turn.append({"text": reply.text, "choices": choices, "attachments": files})
    return json.dumps(turn, ensure_ascii=False, separators=(",", ":"))


def load_replies(raw: str) -> list[Reply]:
    """The replies of dump_replies, their files readable again."""
    replies = []
    for item in json.loads(raw):
        files = []
        for f in item["attachments"]:
            data = base64.b64decode(f["data"]) if f["data"] is not None else None
            files.append(
                Attachment(
                    kind=f["kind"],
                    name=f["name"],
                    mime_type=f["mime_type"],
                    size=len(data) if data is not None else None,
                    download=_holding(data) if data is not None else None,
                )
            )
        replies.append(
            Reply(
                text=item["text"],
                choices=tuple(Choice(id=i, label=label) for i, label in item["choices"]),
                attachments=tuple(files),
            )
        )
    return replies


def _holding(data: bytes) -> Callable[[], Awaitable[bytes]]:
    async def download() -> bytes:
        return data

    return download
