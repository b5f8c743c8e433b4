"""Renders a Reply as WhatsApp Cloud API message objects, within WhatsApp's limits.

Up to 3 choices become reply buttons (titles up to 20 characters), up to 10 a list message
(row titles up to 24, the full label in the row description), anything else a numbered text
list. Texts over 4096 characters are split. The objects are the `type`-specific part of a
POST /{phone-number-id}/messages body; the Graph client adds the recipient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.messages import Choice, Reply

TEXT_LIMIT = 4096
# Interactive bodies are limited to 1024 characters; longer text goes out first as text.
INTERACTIVE_BODY_LIMIT = 1024
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON = "Pilih"
LIST_SECTION = "Pilihan"
DEFAULT_BODY = "Silakan pilih:"
NUMBERED_HINT = "Balas dengan nomor pilihan Anda (misalnya: 1)."


@dataclass
class Rendered:
    """The message objects for one reply, and the choices shown as a numbered text list."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    numbered: tuple[Choice, ...] = ()


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Splits text into parts of at most `limit` characters, at paragraph, line or word ends."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut > limit // 2:
                break
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def text_message(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


# Where a cut title may end: before a space or one of these (never inside a word).
_BREAKS = " /-(,;:"


def _shorten(label: str, limit: int) -> str:
    """The label, or its start up to a word end with "…" when it is longer than `limit`.

    A word cut in half ("Penerimaan (saya meneri…") reads as a typo; the full label is in the
    row's description anyway. A label with no break in its first third is cut where it must."""
    if len(label) <= limit:
        return label
    window = label[:limit]
    cut = max(window.rfind(c, 0, limit) for c in _BREAKS)
    if cut < limit // 3:
        return label[: limit - 1].rstrip() + "…"
    return label[:cut].rstrip(_BREAKS) + "…"


def _fits_buttons(options: tuple[Choice, ...]) -> bool:
    titles = [c.label for c in options]
    return (
        len(options) <= MAX_BUTTONS
        and all(0 < len(t) <= BUTTON_TITLE_LIMIT for t in titles)
        # WhatsApp refuses two buttons with the same title.
        and len(set(titles)) == len(titles)
    )


def _fits_list(options: tuple[Choice, ...]) -> bool:
    titles = [_shorten(c.label, ROW_TITLE_LIMIT) for c in options]
    return (
        len(options) <= MAX_LIST_ROWS
        and all(0 < len(c.label) <= ROW_DESCRIPTION_LIMIT for c in options)
        and len(set(titles)) == len(titles)
    )


def _buttons(body: str, options: tuple[Choice, ...]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": c.id, "title": c.label}} for c in options
                ]
            },
        },
    }


def _row(choice: Choice) -> dict[str, str]:
    row = {"id": choice.id, "title": _shorten(choice.label, ROW_TITLE_LIMIT)}
    if len(choice.label) > ROW_TITLE_LIMIT:
        # The title is cut; the description shows the whole label.
        row["description"] = choice.label
    return row


def _list(body: str, options: tuple[Choice, ...]) -> dict[str, Any]:
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {
                "button": LIST_BUTTON,
                "sections": [{"title": LIST_SECTION, "rows": [_row(c) for c in options]}],
            },
        },
    }


def numbered_text(text: str, options: tuple[Choice, ...]) -> str:
    lines = [f"{n}. {c.label}" for n, c in enumerate(options, start=1)]
    return "\n\n".join(part for part in (text.strip(), "\n".join(lines), NUMBERED_HINT) if part)


def render(reply: Reply) -> Rendered:
    """The message objects for one reply (attachments are sent separately by the channel)."""
    options = reply.choices
    if not options:
        return Rendered([text_message(part) for part in split_text(reply.text)])
    if not (_fits_buttons(options) or _fits_list(options)):
        parts = split_text(numbered_text(reply.text, options))
        return Rendered([text_message(p) for p in parts], numbered=options)
    parts = split_text(reply.text, INTERACTIVE_BODY_LIMIT)
    body = parts.pop() if parts else DEFAULT_BODY
    # Leading parts go out as plain text, so the buttons sit under the last part.
    leading = [text_message(p) for p in split_text("\n\n".join(parts))] if parts else []
    interactive = _buttons(body, options) if _fits_buttons(options) else _list(body, options)
    return Rendered([*leading, interactive])
