"""The local terminal channel: `gratibot chat` (interactive) and `gratibot chat --json`."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.messages import Attachment, AttachmentKind, Incoming, Reply, small_number

CHANNEL = "console"


def reply_to_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "choices": [{"id": c.id, "label": c.label} for c in reply.choices],
    }


def _file_attachment(path_text: str) -> Attachment:
    path = Path(path_text).expanduser()
    mime, _ = mimetypes.guess_type(path.name)
    kind: AttachmentKind = "photo" if (mime or "").startswith("image/") else "document"

    async def download() -> bytes:
        return path.read_bytes()

    size = path.stat().st_size if path.is_file() else None
    return Attachment(
        kind=kind, name=path.name, ref=str(path), mime_type=mime, size=size, download=download
    )


def parse_json_line(line: str, user_id: str) -> Incoming:
    """One scripting-mode input line: plain text, or {"text"}, {"choice"}, {"attachment"}."""
    text: str | None = line.rstrip("\n")
    choice = None
    attachments: tuple[Attachment, ...] = ()
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError:
            doc = None
        if isinstance(doc, dict):
            text = doc.get("text")
            choice = doc.get("choice")
            if doc.get("attachment"):
                attachments = (_file_attachment(str(doc["attachment"])),)
    return Incoming(
        channel=CHANNEL,
        user_id=user_id,
        chat_id=user_id,
        text=text,
        choice=choice,
        attachments=attachments,
    )


Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]


async def run_json(dispatch: Dispatch, user_id: str, stdin: TextIO, stdout: TextIO) -> None:
    """One input line per turn; one JSON line out per turn. Input is read in a thread, so
    the UPPG's notices (JsonNoticeSender) are written while the script waits."""
    while line := await asyncio.to_thread(stdin.readline):
        if not line.strip():
            continue
        replies = await dispatch(parse_json_line(line, user_id))
        stdout.write(json.dumps({"replies": [reply_to_json(r) for r in replies]}) + "\n")
        stdout.flush()


def _render(replies: list[Reply], out: TextIO) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for reply in replies:
        out.write("\n" + reply.text + "\n")
        for number, choice in enumerate(reply.choices, start=1):
            out.write(f"  [{number}] {choice.label}\n")
        if reply.choices:
            shown = [(c.id, c.label) for c in reply.choices]
    return shown


async def run_interactive(dispatch: Dispatch, user_id: str) -> None:
    """A terminal chat: choices shown numbered; type the number or the text."""
    out = sys.stdout
    shown = _render(await dispatch(Incoming(CHANNEL, user_id, user_id, text="/start")), out)
    while True:
        try:
            line = await asyncio.to_thread(input, "\nAnda> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\nSampai jumpa.\n")
            return
        text = line.strip()
        if not text:
            continue
        choice = None
        index = small_number(text, len(shown))
        if index:
            choice, text = shown[index - 1]
        attachments: tuple[Attachment, ...] = ()
        if text.startswith("@") and await asyncio.to_thread(_is_file, text[1:]):
            attachments = (_file_attachment(text[1:]),)
            text = ""
        incoming = Incoming(
            CHANNEL, user_id, user_id, text=text or None, choice=choice, attachments=attachments
        )
        shown = _render(await dispatch(incoming), out)


def _is_file(path_text: str) -> bool:
    return Path(path_text).expanduser().is_file()


class ConsoleSender:
    """Shows the UPPG's notices to the user of an interactive chat; other users' stay queued."""

    def __init__(self, user_id: str, out: TextIO) -> None:
        self.user_id = user_id
        self.out = out

    async def notify(self, chat_id: str, notification: Notification) -> None:
        """Writes the notice between two turns, or leaves it for that user's own chat."""
        if chat_id != self.user_id:
            raise DeliveryFailed("that console user is not in this chat")
        self._write(notification.reply)
        self.out.flush()

    def _write(self, reply: Reply) -> None:
        """The notice between two prompts, and the prompt again."""
        self.out.write("\n\n📩 Pesan dari UPPG:")
        _render([reply], self.out)
        self.out.write("\nAnda> ")


class JsonNoticeSender(ConsoleSender):
    """The UPPG's notices to the user of `chat --json`, each its own JSON line:
    {"notice": {"from": "UPPG", "text": .., "choices": [..]}}; other users' stay queued."""

    def _write(self, reply: Reply) -> None:
        """The notice as one JSON line."""
        notice = {"from": "UPPG", **reply_to_json(reply)}
        self.out.write(json.dumps({"notice": notice}) + "\n")
