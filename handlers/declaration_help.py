"""Questions typed in the middle of a declaration: answered, then the same question again.

"NIK itu apa?", "jabatan maksudnya apa?", "kompensasi maksudnya?" get the help of that field
from the step table; "apakah alamat saya aman?" gets the privacy answer; anything else goes
to the FAQ (never logged: text typed in a form may hold personal data), and when nothing
answers it the reporter is told so honestly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from handlers import ask, texts
from handlers.context import Context
from handlers.typed import plain

PRIVACY = (
    "Data Anda dilindungi (UU 27/2022 tentang Pelindungan Data Pribadi):\n"
    f"• Yang disimpan terenkripsi: {texts.ENCRYPTED_DATA}.\n"
    f"• Tidak dienkripsi: {texts.NOT_ENCRYPTED_DATA}.\n"
    "• Yang dapat melihat hanya Anda, petugas UPPG, dan KPK bila laporan diteruskan.\n"
    "• Identitas pelapor dirahasiakan, kecuali untuk proses peradilan, karena diwajibkan "
    "undang-undang, atau dengan persetujuan Anda."
)
REPORT_ANYWAY = (
    "Bila ragu apakah pemberian ini wajib dilaporkan, laporkan saja: UPPG dan KPK yang "
    "menilainya, dan laporan yang tepat waktu melindungi Anda. Aturannya dapat dicek dengan "
    "/cek (draf ini kami simpan)."
)
UNKNOWN = (
    "Maaf, saya belum bisa menjawab itu. Silakan tanyakan ke UPPG setelah laporan ini selesai."
)
# A question about whether personal data is safe, whatever field it names.
_PRIVACY = re.compile(
    r"\b(?:aman|keamanan|bocor|disebar|disebarkan|disalahgunakan|dilihat\s+siapa|siapa\s+(?:saja\s+|aja\s+)?yang\s+(?:bisa\s+|dapat\s+)?(?:lihat|melihat|baca|tahu)"
    r"|dilihat\s+siapa\s+(?:saja|aja)|data\s+(?:saya|sy|aku|pribadi)|privasi|rahasia\s+data"
    r"|(?:dikasih|diberikan|dikirim|diteruskan|dibuka)\s+ke\s+(?:atasan|kantor|pimpinan|kepala)"
    r"|atasan\s+(?:saya\s+|sy\s+)?(?:tahu|tau|bisa\s+lihat))\b"
)
# "wajib lapor", and "wajib ya lapor", "harus tetep dilapor": a word or two may sit between.
_DUTY = r"(?:wajib|harus|hrs|perlu|mesti|kudu)\s+(?:\w+\s+){0,2}?(?:di)?lapor"
# A question about the law rather than the form: the FAQ knows it better than a field's help.
_LEGAL = re.compile(
    rf"\b(?:{_DUTY}\w*"
    r"|dilaporkan|gratifikasi|kpk|sanksi|pidana"
    # The deadline's working days ("kalo udah lewat 10 hari kerja gmn?"): the law's, not the
    # date field's "hari".
    r"|hari\s+kerja|(?:lewat|kelewat|terlewat|lebih\s+dari)\s+(?:\d+|sepuluh|tiga\s*puluh)\s+hari"
    r"|tenggat\w*|deadline\w*|kedaluwarsa|kadaluarsa"
    r"|denda|hukum(?:an)?|suap|pengecualian|batas\s+waktu|terlambat|telat|milik\s+negara)\b"
)
# "Wajib lapor?", "harus dilaporkan?": asked in the middle of reporting.
_MUST_REPORT = re.compile(rf"\b{_DUTY}(?:kan|in)?\b|\bdilaporkan\b")
# "Maksudnya?", "itu apa?", "contohnya?": about the question on screen.
_ABOUT_THIS = re.compile(
    r"\b(?:maksud(?:nya)?|artinya|itu\s+apa|apa\s+itu|contoh(?:nya)?|misalnya|gimana|bagaimana"
    r"|bingung|kurang\s+paham|nggak\s+paham|gak\s+paham|ga\s+paham|tidak\s+paham|apa\s+saja"
    r"|apa\s+aja|yang\s+mana|harus|boleh|wajib|perlu|kenapa|mengapa|buat\s+apa|untuk\s+apa"
    r"|beda(?:nya)?|perbedaan|tidak\s+tahu|gak\s+tau|ga\s+tau|nggak\s+tahu|lupa)\b"
)


class HelpStep(Protocol):
    """What the help needs of a step: its key, its help text and the words that name it."""

    @property
    def key(self) -> str: ...

    @property
    def help(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


def _mentions(text: str, topics: Sequence[str]) -> bool:
    return _mentioned(text, topics) > 0


def _mentioned(text: str, topics: Sequence[str]) -> int:
    """The words of the longest topic the text names (0: none): "jabatan pemberi" names the
    giver's position more closely than "jabatan" names the reporter's."""
    padded = f" {plain(text)} "
    return max((len(t.split()) for t in map(plain, topics) if f" {t} " in padded), default=0)


def field_help(text: str, current: HelpStep, steps: Mapping[str, HelpStep]) -> str | None:
    """The help that answers a question about the form, or None (then ask the FAQ)."""
    low = plain(text)
    if _PRIVACY.search(low):
        return PRIVACY
    if _LEGAL.search(low):
        return None
    if current.help and _mentions(text, current.topics):
        return current.help
    closeness = {key: _mentioned(text, step.topics) for key, step in steps.items() if step.help}
    closest = max(closeness.values(), default=0)
    named = [steps[key] for key, words in closeness.items() if words and words == closest]
    if len({step.help for step in named}) == 1:
        return named[0].help
    if current.help and not named and _ABOUT_THIS.search(low):
        return current.help
    return None


async def answer(
    ctx: Context,
    current: HelpStep,
    steps: Mapping[str, HelpStep],
    *,
    own: Callable[[str], str | None] | None = None,
    unknown: str = UNKNOWN,
) -> None:
    """Says the answer to a question typed at `current` (the caller asks the step again):
    the form's `own` answer first when it has one (another form's rules, such as the
    bribery-concern channel's), and `unknown` when nothing answers."""
    found = (own(ctx.text) if own else None) or field_help(ctx.text, current, steps)
    if found is not None:
        ctx.say(found)
        return
    # No user_key: text typed in a form may hold personal data, so it is never logged.
    result = await ctx.services.faq.ask(ctx.text)
    if ask.render(ctx, result, in_flow=True):
        return
    if current.help and _mentions(ctx.text, current.topics):
        ctx.say(current.help)
        return
    if _MUST_REPORT.search(plain(ctx.text)):
        ctx.say(REPORT_ANYWAY)
        return
    ctx.say(unknown)
