"""/status: the reporter's own declarations with their status (never anyone else's).

A report number typed anywhere ("nomor laporan sy GRT-2026-0012 statusnya apa", "cek status
grt 2026 12") shows that report, looked up among the reporter's own declarations only: a
number of someone else's report gets the same answer as a number that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.messages import Choice
from handlers import concern_terms, declaration, menu, statuses, tanda_terima, thread, vocab
from handlers.context import Context
from handlers.errors import ServiceUnavailable
from handlers.flow import Step
from handlers.formatting import rupiah, tanggal
from handlers.ports import DeclarationSummary

SHOWN = 10
RECEIPTS = 2

_SEP = r"[\s\-\u2010-\u2015\u2212/._:]*"  # typographic dashes too ("GRT–2026–12")
# A report number as people type it: "GRT-2026-000012", "grt 2026 12", "GRT/2026/0012",
# "grt2026000012", "GRT-12" (no year); leading zeros dropped or not. The year is taken only
# when digits follow it, so "GRT-2026" alone is a year, not report 2026.
_NUMBER = re.compile(
    rf"(?<![0-9a-z])grt{_SEP}(?:(20\d\d){_SEP}(?=\d))?0*(\d{{1,6}})(?!\d)", re.IGNORECASE
)
# The stored form's year and six digits without the "GRT" ("laporan 2026-000012").
_BARE_NUMBER = re.compile(r"(?<![0-9-])(20\d\d)-(\d{6})(?![0-9-])")
_STORED = re.compile(r"GRT-(\d{4})-(\d+)")  # as bot/store/declarations.py numbers them
# Words that only ask after the report, said around its number ("GRT-2026-12 udh sampe mana
# ya pak"): such a message is a status question even in the middle of another flow.
STATUS_WORDS = concern_terms.REQUEST_WORDS | {"statusnya", "status", "no", "nomer", "nomornya"}
STATUS_WORDS |= {"laporannya", "gmna", "sampe", "dugi", "ka", "kumaha", "piye", "pripun", "kpn"}
STATUS_WORDS |= {"kapan", "selesai", "diproses", "proses", "sy", "lapor", "gratifikasi", "yg"}
STATUS_WORDS |= {"udh", "sdh"}

# Asking after one's own reports in one's own words ("laporan sy udh sampe mana ya", "kumaha
# status laporan abdi", "statusnya gimana min"): every word is one of these, one of them asks
# and one names the report as one's own. Anything more ("laporan saya ditolak, kenapa?",
# "kapan laporan saya selesai") is left to the answers.
_ASKING = {"status", "statusnya", "mana", "gimana", "gmn", "gmna", "bagaimana", "kumaha", "piye"}
_ASKING |= {"pripun", "apa", "perkembangan", "perkembangannya", "progres", "progress", "kabar"}
_OWN = {"saya", "sy", "aku", "abdi", "kula", "gw", "gue", "ku", "punyaku", "punya"}
_AROUND = {"laporan", "laporanku", "lapor", "gratifikasi", "sudah", "udah", "udh", "sdh"}
_AROUND |= {"sampai", "sampe", "dugi", "ka", "nepi", "ya", "yah", "nya", "kah", "sih", "dong"}
_AROUND |= {"deh", "kok", "cek", "lihat", "liat", "tanya", "yang", "yg", "kemarin", "kmrn"}
_AROUND |= {"lalu", "tadi", "terakhir", "min", "admin", "pak", "bu", "kak", "mas", "mbak"}
_AROUND |= {"pertama", "kedua", "ketiga", "terbaru", "baru", "lama", "semua", "semuanya"}


def asks_own_status(said: str) -> bool:
    """Whether plain words ask after the reporter's own reports (see _ASKING above)."""
    words = said.split()
    if not words or len(words) > 10 or any(w not in _ASKING | _OWN | _AROUND for w in words):
        return False
    names = bool({"status", "statusnya", "laporanku"} & set(words)) or (
        "laporan" in words and bool(_OWN & set(words) or {"kemarin", "kmrn"} & set(words))
    )
    return names and bool(_ASKING & set(words))


@dataclass(frozen=True)
class TypedNumber:
    """A report number read from a message: its year (None when not typed) and sequence."""

    year: int | None
    sequence: int

    def shown(self, this_year: int) -> str:
        return f"GRT-{self.year or this_year}-{self.sequence:06d}"

    def names(self, number: str) -> bool:
        """Whether a stored number ("GRT-2026-000012") is this one."""
        found = _STORED.fullmatch(number)
        if found is None:
            return False
        year, sequence = int(found[1]), int(found[2])
        return sequence == self.sequence and self.year in (None, year)


def typed_number(text: str) -> TypedNumber | None:
    """The (first) report number in a message, or None."""
    found = typed_numbers(text)
    return found[0] if found else None


def typed_numbers(text: str) -> list[TypedNumber]:
    """The report numbers in a message ("GRT-2026-3 sama GRT-2026-1 gmn"), in order; none in
    "GRT-2026" (the year only) or "GRT-2026-0". A concern's receipt code may hold "GRT6" in
    a group: a message with one in its groups holds no report number. (A message read whole
    as a code, "cek GRT-2026-000001" being 16 symbols, is no code: the number goes first.)"""
    if concern_terms.code_in(text) is not None:
        return []
    found: list[TypedNumber] = []
    for match in _NUMBER.finditer(text):
        year = int(match[1]) if match[1] else None
        sequence = int(match[2])
        if year is None and 2000 <= sequence <= 2099 and len(match[2]) == 4:
            continue  # "GRT-2026": the year only
        if sequence:
            found.append(TypedNumber(year, sequence))
    if not found:
        bare = _BARE_NUMBER.finditer(text)
        found = [TypedNumber(int(m[1]), int(m[2])) for m in bare if int(m[2])]
    return list(dict.fromkeys(found))


def asks_only_status(text: str) -> bool:
    """Whether the words besides the report number only ask after it ("GRT-2026-12 gmn?"),
    so the message may be answered in the middle of a flow without losing anything."""
    rest = _BARE_NUMBER.sub(" ", _NUMBER.sub(" ", text))
    words = re.findall(r"[a-z]+", rest.casefold())
    return all(w in STATUS_WORDS or w.removesuffix("nya") in STATUS_WORDS for w in words)


def _lines(item: DeclarationSummary) -> list[str]:
    """One declaration as /status shows it."""
    kind = "Penolakan" if item.report_type == "penolakan" else "Penerimaan"
    what = vocab.OBJECT_TYPES.get(item.object_type or "", "")
    value = f", {rupiah(item.value_rp)}" if item.value_rp is not None else ""
    lines = [
        f"{item.number}",
        f"{kind}: {what}{value}".rstrip(": "),
        f"{'Ditolak' if item.report_type == 'penolakan' else 'Diterima'} "
        f"{tanggal(item.received_date)}; dilaporkan {tanggal(item.submitted_on)}",
        f"Status: {statuses.label(item.status)}",
    ]
    if item.status == statuses.PERLU_DILENGKAPI:
        lines.append("UPPG menunggu jawaban Anda: ketik /jawab.")
    return lines


async def _own(ctx: Context) -> list[DeclarationSummary]:
    ports = ctx.services.declarations
    if ports is None:
        raise ServiceUnavailable("no declaration store")
    return await ports.list_for_reporter(ctx.user_key)


def _list_text(found: list[DeclarationSummary]) -> str:
    if not found:
        return 'Anda belum punya laporan gratifikasi.\nPilih "Lapor gratifikasi" untuk membuatnya.'
    lines = [f"Laporan Anda ({len(found)}):"]
    for item in found[:SHOWN]:
        lines += ["", *_lines(item)]
    if len(found) > SHOWN:
        lines += ["", f"(ditampilkan {SHOWN} laporan terbaru)"]
    return "\n".join(lines)


async def show(ctx: Context, resume: Step | None = None) -> None:
    """Lists the reporter's declarations, newest first; then, in the middle of a flow,
    `resume` asks its question again."""
    found = await _own(ctx)
    await _reply(ctx, _list_text(found), found[:SHOWN], resume)


async def show_numbers(
    ctx: Context, numbers: list[TypedNumber], resume: Step | None = None
) -> None:
    """Shows the reporter's own declarations of the typed numbers; any other number, someone
    else's or none at all, gets the same "not in your account" (and the own list when no
    typed number is the reporter's)."""
    found = await _own(ctx)
    meant = [item for item in found if any(n.names(item.number) for n in numbers)]
    missing = [n for n in numbers if not any(n.names(item.number) for item in found)]
    lines: list[str] = []
    if missing:
        shown = ", ".join(n.shown(ctx.today.year) for n in missing)
        lines.append(
            f"Maaf, laporan {shown} tidak ditemukan di akun Anda. Periksa lagi nomornya; status "
            "hanya dapat dilihat dari akun chat yang mengirim laporan itu."
        )
    if meant:
        lines += ["", "Laporan Anda:"] if missing else ["Laporan Anda:"]
        for item in meant[:SHOWN]:
            lines += ["", *_lines(item)]
        await _reply(ctx, "\n".join(lines), meant[:SHOWN], resume)
        return
    lines += ["", _list_text(found)]  # the own list, or "Anda belum punya laporan"
    await _reply(ctx, "\n".join(lines), found[:SHOWN], resume)


async def _reply(
    ctx: Context, text: str, shown: list[DeclarationSummary], resume: Step | None
) -> None:
    if resume is None and ctx.session.flow == declaration.NAME:
        resume = declaration.resume  # /status pressed or typed while filling in the form
    if resume is not None:
        # A flow is under way: show the reports, then ask its question again.
        ctx.say(text)
        await resume(ctx)
        return
    # The UPPG's open questions on the reports shown, and the newest reports' signed
    # receipts, one press each (handlers/thread.py, handlers/tanda_terima.py).
    answers = await _answer_buttons(ctx, shown)
    receipts = tuple(tanda_terima.offer(i.number, with_number=True) for i in shown[:RECEIPTS])
    ctx.ask(text + "\n\nAda lagi yang bisa dibantu?", (*answers, *receipts, *menu.MENU))


async def _answer_buttons(ctx: Context, shown: list[DeclarationSummary]) -> tuple[Choice, ...]:
    """ "Jawab UPPG GRT-..." for each report shown that waits for the reporter's answer, so
    nobody has to learn /jawab (the port gives the reporter's own questions only)."""
    port = ctx.services.threads
    waiting = {i.number for i in shown if i.status == statuses.PERLU_DILENGKAPI}
    if port is None or not waiting:
        return ()
    found = await port.open_questions(ctx.user_key)
    buttons = [
        Choice(f"{thread.PREFIX}{q.declaration_id}", f"Jawab UPPG {q.number}")
        for q in found
        if q.number in waiting
    ]
    return tuple(buttons[:RECEIPTS])
