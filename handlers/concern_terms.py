"""Bribery concerns (SNI ISO 37001:2016 8.9): statuses, outcomes, receipt code as plain data.

The receipt code is the sender's only way back to a concern, from any chat account: 16
symbols of Crockford's base32 in four groups, "7KQM-2XRT-9PHD-W4HF". Codes made since
December 2026 have a letter and a digit in every group (about 78.5 random bits), so no group
can be taken for a word or a number; older codes (80 bits, any group) are read all the same.
People type it as they read it, so case, spaces, dashes and the letters O, I and L (read as
0, 1, 1) do not matter. The allowed status changes live in bot/backoffice/concerns.py.
"""

from __future__ import annotations

import re

DITERIMA = "diterima"  # received, not yet looked at
PENILAIAN = "penilaian"  # under assessment: is it credible, is it ours to investigate?
INVESTIGASI = "investigasi"
SELESAI = "selesai"  # closed, with an outcome

STATUS_WORDS: dict[str, str] = {
    DITERIMA: "Diterima",
    PENILAIAN: "Sedang dinilai",
    INVESTIGASI: "Sedang diperiksa (investigasi)",
    SELESAI: "Selesai",
}

# How a closed concern ended, in the words the sender and the dashboard show.
OUTCOME_WORDS: dict[str, str] = {
    "terbukti": "terbukti; tindak lanjut sedang atau telah dilakukan",
    "tidak_terbukti": "tidak terbukti",
    "tidak_cukup_informasi": "tidak dapat ditindaklanjuti karena informasinya belum cukup",
    "diteruskan": "diteruskan kepada pihak berwenang",
    "bukan_kewenangan": "bukan kewenangan instansi ini; pelapor diarahkan ke saluran lain",
}

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
CODE_LENGTH = 16
GROUP_LENGTH = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._/]+")
# Inside a longer message: four groups of four joined by dashes or spaces ("kode saya 62nw
# zdnj zvsw t4a8"), or the 16 symbols in one piece. Every start at a word is tried (the
# lookahead lets candidates overlap: "kode saya 62nw zdnj" is one too); only candidates with
# both a digit and a letter and no word of _CODE_WORDS count, and the one with the most groups
# holding a digit wins (a word never has one), so a NIK (digits only) or four four-letter
# words of a sentence are never taken for a code.
_CODE_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?=([0-9A-Za-z]{4}(?:(?:-|[ \t]+)[0-9A-Za-z]{4}){3}|[0-9A-Za-z]{16})"
    r"(?![0-9A-Za-z]))"
)
_GROUP = re.compile(r"[0-9A-Za-z]{4}")
# Words that come with a code and say nothing more ("ini kode laporan saya: ...").
_CODE_WORDS = frozenset(
    [
        "ini",
        "itu",
        "kode",
        "nomor",
        "laporan",
        "aduan",
        "saya",
        "sy",
        "punya",
        "mau",
        "cek",
        "lihat",
        "liat",
        "status",
        "tolong",
        "mohon",
        "pak",
        "bu",
        "ya",
        "yang",
        "berikut",
        "nya",
        "kak",
        "min",
        "admin",
    ]
)


def status_words(status: str, outcome: str | None = None) -> str:
    words = STATUS_WORDS.get(status, status)
    if status == SELESAI and outcome:
        return f"{words}: {OUTCOME_WORDS.get(outcome, outcome)}"
    return words


def read_code(text: str) -> str | None:
    """The 16 symbols of a receipt code as typed ("7kqm 2xrt 9phd w4hf"), or None."""
    symbols = _SEPARATORS.sub("", text.strip().upper()).translate(_READ_AS)
    if len(symbols) != CODE_LENGTH or any(c not in ALPHABET for c in symbols):
        return None
    return symbols


def code_in(text: str) -> str | None:
    """A code inside a longer message (7KQM-2XRT-9PHD-W4HF, "7kqm 2xrt 9phd w4hf"), or None."""
    found = _find(text)
    return found[0] if found else None


# Pieces of a code typed with its dashes partly missing or as dots ("p52e-z3srt09h-ezp8",
# "p52e.z3sr.t09h.ezp8"): runs of letters and digits joined by one separator each.
_PIECE = re.compile(r"[0-9A-Za-z]+")
_JOIN = re.compile(r"^(?:[ \t]+|[ \t]*[\-\u2010-\u2015\u2212._/][ \t]*)$")


def _joined(text: str) -> tuple[str, tuple[int, int]] | None:
    """A code typed in pieces of four or more that are not its four groups: every piece has
    at least four symbols, half of them or more hold a digit, none is a word of _CODE_WORDS,
    and together they make 16 symbols of the alphabet with a digit and a letter. Read only
    when the message says it holds a code ("kode sy ..."), so a story's words and numbers
    ("10persen dari 2024") are never taken for one."""
    if not re.search(r"\bkode", text, re.IGNORECASE):
        return None
    pieces = list(_PIECE.finditer(text))
    for first in range(len(pieces)):
        total, last = 0, first
        while last < len(pieces) and total < CODE_LENGTH:
            if last > first and not _JOIN.match(
                text[pieces[last - 1].end() : pieces[last].start()]
            ):
                break
            total += len(pieces[last].group())
            last += 1
        run = pieces[first:last]
        if total != CODE_LENGTH or len(run) < 2:
            continue
        words = [p.group() for p in run]
        if any(len(w) < 4 or w.casefold() in _CODE_WORDS for w in words):
            continue
        with_digit = sum(any(c.isdigit() for c in w) for w in words)
        # Pieces that are whole groups of four ("gebx-g6dfg6dj-HQTD", one dash left out) are
        # the code's own shape: one digit among them is enough (a random code can have few).
        grouped = all(len(w) % 4 == 0 for w in words)
        if with_digit == 0 or (not grouped and 2 * with_digit < len(words)):
            continue
        code = read_code("".join(words))
        if code is not None and _digit_and_letter(code):
            return code, (run[0].start(), run[-1].end())
    return None


def _find(text: str) -> tuple[str, tuple[int, int]] | None:
    """The code in a message and where it stands, as code_in chooses it (see above)."""
    best: tuple[int, str, tuple[int, int]] | None = None
    for match in _CODE_IN_TEXT.finditer(_SEPARATORS_LOOSE.sub("-", text)):
        piece = match.group(1)
        code = read_code(piece)
        groups = _GROUP.findall(piece) if len(piece) > 16 else [piece]
        if code is None or not (_digit_and_letter(code) or _letters_only(piece, text)):
            continue
        if any(group.casefold() in _CODE_WORDS for group in groups):
            continue
        digits = sum(any(c.isdigit() for c in group) for group in groups)
        if best is None or digits > best[0]:
            best = (digits, code, (match.start(1), match.start(1) + len(piece)))
    return (best[1], best[2]) if best else _joined(text)


# Dots and typographic dashes between groups read as the dash ("p52e.z3sr.t09h.ezp8",
# "P52E–Z3SR–T09H–EZP8"); one character for one, so where the code stands is kept.
_SEPARATORS_LOOSE = re.compile(r"(?<=[0-9A-Za-z])[.\u2010-\u2015\u2212/](?=[0-9A-Za-z])")


def _letters_only(piece: str, text: str) -> bool:
    """A code without a digit (about one in 400 is so): read in a sentence only in its four
    groups, after the word "kode", and typed without a letter a code never has (I, L, O, U),
    so four words of a sentence ("kode saya mana beri kata") are still no code."""
    symbols = _SEPARATORS.sub("", piece).upper()
    return (
        len(piece) > CODE_LENGTH
        and bool(_SAYS_CODE.search(text))
        and all(c in ALPHABET for c in symbols)
    )


def _digit_and_letter(symbols: str) -> bool:
    return any(c.isdigit() for c in symbols) and any(c.isalpha() for c in symbols)


def code_group(group: str) -> bool:
    """Whether four symbols may be a group of a new code: a letter and a digit in it."""
    return len(group) == GROUP_LENGTH and _digit_and_letter(group)


def besides_code(text: str) -> str:
    """What a message says besides the code in it ("" when it is only the code and words such
    as "ini kode laporan saya"), so a remark typed with the code is kept, never lost."""
    found = _find(text)
    if found is None:
        return "" if read_code(text) else text.strip()
    begin, end = found[1]
    # A lead-in made only of such words ("ini kode laporan saya:") goes with the code.
    before, after = text[:begin], text[end:]
    parts = [p for p in (before if _says_something(before) else "", after) if _says_something(p)]
    return " ".join(p.strip(" \t\n:;,.-") for p in parts)


# Words of a request to look at the concern ("mau cek laporan saya kodenya ... gimana ya"):
# said with a code, they add nothing to the concern. Only for what is kept besides the code,
# never for telling a code from words (a real code's group may spell one of these).
REQUEST_WORDS = _CODE_WORDS | frozenset(
    [
        "gimana",
        "bagaimana",
        "gmn",
        "gmana",
        "kok",
        "dong",
        "deh",
        "sih",
        "nih",
        "kah",
        "apa",
        "sudah",
        "udah",
        "sdh",
        "sampai",
        "sampe",
        "mana",
        "sejauh",
        "perkembangan",
        "progres",
        "progress",
        "tindak",
        "lanjut",
        "tindaklanjut",
        "hasil",
        "kabar",
        "dicek",
        "ngecek",
        "mengecek",
        "cekin",
        "melihat",
        "tanya",
        "nanya",
        "menanyakan",
        "buat",
        "untuk",
        "utk",
        "ke",
        "tentang",
        "atas",
        "tolongin",
        "minta",
        "boleh",
        "bisa",
        "kakak",
        "bapak",
        "ibu",
        "halo",
        "hai",
        "hallo",
        "selamat",
        "pagi",
        "siang",
        "sore",
        "malam",
        "terima",
        "kasih",
        "makasih",
        "trims",
        "punyaku",
        "aku",
        "gw",
        "gue",
        "kami",
        "kita",
    ]
)


def _says_something(text: str) -> bool:
    """Whether the words around a code say more than a request to look at the concern."""
    words = re.findall(r"\w+", text.casefold())
    return any(w not in REQUEST_WORDS and w.removesuffix("nya") not in REQUEST_WORDS for w in words)


def typed_code(text: str) -> str | None:
    """A code typed outside any flow: as shown inside a sentence, or alone in any form as
    long as it has a letter (so a NIK typed on its own is never taken for a code)."""
    found = code_in(text)
    if found is None:
        whole = read_code(text)
        found = whole if whole and any(c.isalpha() for c in whole) and _whole(text) else None
    return found


def _whole(text: str) -> bool:
    """Whether a message read whole as a code may be one. With a digit, every piece must
    have four symbols or more and none be a word of a request: "cek laporan ABC123" and "fee
    10 persen ke dia" are 16 symbols too (L and I read as 1), and were tried as wrong codes.
    Without a digit it must be typed with the code's letters only and no word of _CODE_WORDS:
    "terima kasih ya pak" is 16 letters too, and was tried as a code."""
    words = _PIECE.findall(text)
    if any(c.isdigit() for c in text):
        return all(len(w) >= GROUP_LENGTH and w.casefold() not in REQUEST_WORDS for w in words)
    symbols = _SEPARATORS.sub("", text).upper()
    return all(c in ALPHABET for c in symbols) and not any(
        w.casefold() in _CODE_WORDS for w in words
    )


# "kode sy ABCD-1234", "kode laporan saya 7KQM-2XRT-9PHD", "kodenya 7kqm2xrt9phdw4hu": a try at
# a receipt code that cannot be read (too short, too long, a U typed). Only after the word
# "kode", and only when every piece left is code-like (four symbols or fewer, or a letter and
# a digit together), so "kode etik pegawai" or "kode pos 40115" is no try at a code.
_SAYS_CODE = re.compile(r"\bkode(?:nya)?\b", re.IGNORECASE)


# "cek laporan ABC123", "status aduan sy 7kqm-2xrt": a request to look at a concern, then a
# piece of its code.
_SAYS_REPORT = re.compile(r"\b(?:cek|lihat|liat|buka|status)\s+(?:laporan|aduan)\b", re.IGNORECASE)
_ONLY_PIECES = re.compile(r"[0-9A-Za-z\s\-\u2010-\u2015\u2212._/]+")


def tried_code(text: str) -> str | None:
    """The symbols of a receipt code typed so that it cannot be read, or None: after the
    word "kode" or a request to look at a report, or alone as groups of a code too few
    ("7KQM-2XRT-9PHD"). Such a try is asked again politely, never counted as a wrong code."""
    if code_in(text) is not None:
        return None
    # What follows the last "kode" ("ini kode saya, kodenya ...").
    said = next(reversed(list(_SAYS_CODE.finditer(text))), None)
    said = said or next(reversed(list(_SAYS_REPORT.finditer(text))), None)
    if said is None:
        return _groups_too_few(text)
    pieces = [p for p in _PIECE.findall(text[said.end() :]) if p.casefold() not in REQUEST_WORDS]
    symbols = "".join(pieces)
    code_like = all(len(p) <= 4 or _digit_and_letter(p) for p in pieces)
    if pieces and code_like and 4 <= len(symbols) <= 2 * CODE_LENGTH:
        return symbols.upper() if _digit_and_letter(symbols) else None
    return None


def _groups_too_few(text: str) -> str | None:
    """A message that is only the first groups of a code ("7KQM-2XRT-9PHD", "7kqm 2xrt
    9phd w4h"): two or more pieces of four code symbols (the last may be shorter), fewer than
    16 in all, at least half of the whole groups with a letter and a digit (a digit typed as
    one, so "skip aja" is no code); else None."""
    if not _ONLY_PIECES.fullmatch(text.strip()):
        return None
    pieces = [p.upper().translate(_READ_AS) for p in _PIECE.findall(text)]
    whole = [p for p in pieces if len(p) == GROUP_LENGTH]
    if pieces[:-1] != whole[: len(pieces) - 1]:
        return None  # only the last piece may be short
    symbols = "".join(pieces)
    if not 2 <= len(pieces) <= 4 or len(symbols) >= CODE_LENGTH:
        return None
    if len(pieces[-1]) > GROUP_LENGTH or any(c not in ALPHABET for c in symbols):
        return None
    # A digit as typed, not an I, L or O read as one: "skip aja", "piye iki" are words.
    typed = [p.upper() for p in _PIECE.findall(text) if len(p) == GROUP_LENGTH]
    if 2 * sum(code_group(p) for p in typed) < len(typed):
        return None
    return symbols


def show_code(symbols: str) -> str:
    """The code in four groups of four, as it is shown to the sender."""
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))
