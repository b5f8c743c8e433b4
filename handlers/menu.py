"""The main menu, help, and cancelling whatever is under way."""

from __future__ import annotations

from bot.messages import Choice, choices
from handlers import smalltalk, texts
from handlers.context import Context

MENU: tuple[Choice, ...] = choices(
    ("menu:lapor", "Lapor gratifikasi"),
    ("menu:cek", "Cek wajib lapor"),
    ("menu:tanya", "Tanya aturan"),
    ("menu:aduan", "Lapor dugaan suap"),
    ("menu:status", "Status laporan"),
    ("menu:bantuan", "Bantuan"),
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
    return smalltalk.classify(text) == "greeting"


async def show_menu(ctx: Context, text: str = texts.MENU_AGAIN) -> None:
    """Shows the main menu after a flow ends."""
    ctx.ask(text, MENU, free_text=True)


async def help_(ctx: Context) -> None:
    """Explains what the bot does and its commands."""
    ctx.ask(texts.HELP, MENU, free_text=True)


async def thanks(ctx: Context) -> None:
    """Answers a "terima kasih" typed outside a flow."""
    ctx.ask(texts.THANKS, MENU, free_text=True)


async def acknowledge(ctx: Context) -> None:
    """Answers a bare "ok", "siap" or 👍 outside a flow: nothing to answer, the menu again."""
    ctx.ask(texts.ACKNOWLEDGED, MENU, free_text=True)


async def oops(ctx: Context) -> None:
    """Answers "maaf salah kirim": no harm done, the menu again."""
    ctx.ask(texts.OOPS, MENU, free_text=True)


async def bye(ctx: Context) -> None:
    """Answers a goodbye; the menu stays under it for whoever comes back."""
    ctx.ask(texts.BYE, MENU, free_text=True)
