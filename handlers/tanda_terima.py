"""The signed receipt ("Tanda terima") as a PDF in the chat: a button under the receipt
message and under /status sends the reporter's own receipt as a file."""

from __future__ import annotations

from bot.messages import Choice, Reply
from handlers import menu
from handlers.context import Context

PREFIX = "tandaterima:"


def offer(number: str, *, with_number: bool = False) -> Choice:
    """The button that sends the receipt of this declaration."""
    label = f"Unduh tanda terima {number}" if with_number else "Unduh tanda terima (PDF)"
    return Choice(PREFIX + number, label)


async def send(ctx: Context) -> None:
    """Sends the reporter's signed receipt of the pressed number, then the menu."""
    number = (ctx.choice or "")[len(PREFIX) :]
    port = ctx.services.receipts
    file = await port.receipt_file(ctx.user_key, number) if port is not None else None
    if file is None:
        await menu.show_menu(ctx, "Maaf, tanda terima itu tidak ditemukan untuk akun Anda.")
        return
    ctx.replies.append(
        Reply(
            text=(
                f"Tanda terima laporan {number} (PDF bertanda tangan elektronik).\n"
                "Tunjukkan berkas ini bila perlu membuktikan laporan Anda; keasliannya "
                "dapat diperiksa di halaman /verify UPPG."
            ),
            attachments=(file,),
        )
    )
    await menu.show_menu(ctx)
