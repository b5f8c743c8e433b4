"""The main menu, help, and cancelling whatever is under way."""

from __future__ import annotations

import re

from bot.messages import Choice, choices
from handlers import texts
from handlers.context import Context

MENU: tuple[Choice, ...] = choices(
    ("menu:lapor", "Lapor gratifikasi"),
    ("menu:cek", "Cek wajib lapor"),
    ("menu:tanya", "Tanya aturan"),
    ("menu:aduan", "Lapor dugaan suap"),
    ("menu:status", "Status laporan"),
    ("menu:bantuan", "Bantuan"),
)

# A message made only of these words is a greeting: it gets the menu, not "I cannot answer".
GREETING_WORDS = frozenset(
    [
        "p",  # the chat "ping" many people open with
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "helo",
        "hei",
        "hey",
        "pagi",
        "siang",
        "sore",
        "malam",
        "selamat",
        "assalamualaikum",
        "assalamu",
        "alaikum",
        "salam",
        "permisi",
        "shalom",
        "om",
        "swastiastu",
        "namo",
        "buddhaya",
        "wr",
        "wb",
    ]
)
POLITE_WORDS = frozenset(
    ["pak", "bu", "bapak", "ibu", "mas", "mbak", "kak", "min", "admin", "bot", "gratibot", "uppg"]
)

CONFIRM_CANCEL: tuple[Choice, ...] = choices(
    ("batal:ya", "Ya, batalkan"),
    ("batal:tidak", "Tidak, lanjutkan"),
)


async def start(ctx: Context) -> None:
    """Greets the user and shows the main menu, leaving any finished flow."""
    if ctx.session.flow is None:
        ctx.session.reset_flow()
    ctx.ask(texts.GREETING, MENU, free_text=True)


def is_greeting(text: str | None) -> bool:
    """Whether the text only greets ("Halo", "Selamat pagi, Pak", "Assalamu'alaikum")."""
    words = re.findall(r"[a-z]+", (text or "").lower().replace("'", ""))
    return (
        bool(words)
        and any(w in GREETING_WORDS for w in words)
        and all(w in GREETING_WORDS or w in POLITE_WORDS for w in words)
    )


async def show_menu(ctx: Context, text: str = texts.MENU_AGAIN) -> None:
    """Shows the main menu after a flow ends."""
    ctx.ask(text, MENU, free_text=True)


async def help_(ctx: Context) -> None:
    """Explains what the bot does and its commands."""
    ctx.ask(texts.HELP, MENU, free_text=True)


async def thanks(ctx: Context) -> None:
    """Answers a "terima kasih" typed outside a flow."""
    ctx.ask(texts.THANKS, MENU, free_text=True)
