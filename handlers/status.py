"""/status: the reporter's own declarations with their status (never anyone else's)."""

from __future__ import annotations

from handlers import declaration, menu, statuses, tanda_terima, vocab
from handlers.context import Context
from handlers.errors import ServiceUnavailable
from handlers.formatting import rupiah, tanggal

SHOWN = 10
RECEIPTS = 2


async def show(ctx: Context) -> None:
    """Lists the reporter's declarations, newest first."""
    ports = ctx.services.declarations
    if ports is None:
        raise ServiceUnavailable("no declaration store")
    found = await ports.list_for_reporter(ctx.user_key)
    if not found:
        text = 'Anda belum punya laporan gratifikasi.\nPilih "Lapor gratifikasi" untuk membuatnya.'
    else:
        lines = [f"Laporan Anda ({len(found)}):"]
        for item in found[:SHOWN]:
            kind = "Penolakan" if item.report_type == "penolakan" else "Penerimaan"
            what = vocab.OBJECT_TYPES.get(item.object_type or "", "")
            value = f", {rupiah(item.value_rp)}" if item.value_rp is not None else ""
            lines += [
                "",
                f"{item.number}",
                f"{kind}: {what}{value}".rstrip(": "),
                f"{'Ditolak' if item.report_type == 'penolakan' else 'Diterima'} "
                f"{tanggal(item.received_date)}; dilaporkan {tanggal(item.submitted_on)}",
                f"Status: {statuses.label(item.status)}",
            ]
            if item.status == statuses.PERLU_DILENGKAPI:
                lines.append("UPPG menunggu jawaban Anda: ketik /jawab.")
        if len(found) > SHOWN:
            lines += ["", f"(ditampilkan {SHOWN} laporan terbaru)"]
        text = "\n".join(lines)
    if ctx.session.flow == declaration.NAME:
        # A declaration is under way: show the list, then ask its question again.
        ctx.say(text)
        await declaration.resume(ctx)
        return
    # The newest reports' signed receipts, one press each (handlers/tanda_terima.py).
    receipts = tuple(tanda_terima.offer(i.number, with_number=True) for i in found[:RECEIPTS])
    ctx.ask(text + "\n\nAda lagi yang bisa dibantu?", (*receipts, *menu.MENU))
