"""Bribery concerns (SNI ISO 37001 8.9): the statuses, outcomes and receipt code, as plain data.

The receipt code is the sender's only way back to a concern, from any chat account: 16
symbols of Crockford's base32 (80 random bits) in four groups, "7KQM-2XRT-9PHD-W4HF". People
type it as they read it, so case, spaces, dashes and the letters O, I and L (read as 0, 1, 1)
do not matter. The allowed status changes live in bot/backoffice/concerns.py.
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
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-._/]+")
# Four dash-separated groups of four inside a longer message, as the code is shown: only this
# form counts there, so a NIK or a sentence is never taken for a code.
_CODE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z-])[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){3}(?![0-9A-Za-z-])")


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
    """A code written as shown (7KQM-2XRT-9PHD-W4HF) inside a longer message, or None."""
    for found in _CODE_IN_TEXT.finditer(text):
        code = read_code(found.group(0))
        if code is not None:
            return code
    return None


def typed_code(text: str) -> str | None:
    """A code typed outside any flow: as shown inside a sentence, or alone in any form as
    long as it has a letter (so a NIK typed on its own is never taken for a code)."""
    found = code_in(text)
    if found is None:
        whole = read_code(text)
        found = whole if whole and any(c.isalpha() for c in whole) else None
    return found


def show_code(symbols: str) -> str:
    """The code in four groups of four, as it is shown to the sender."""
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))
