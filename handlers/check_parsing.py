"""Dates and rupiah amounts as people type them, for the "Cek wajib lapor" check.

Temporary: the declaration flow gets its own handlers/parsing.py in parallel; these two
functions should be unified with it (same accepted forms) when both are merged.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS: dict[str, int] = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "nopember": 11,
    "november": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}

_RELATIVE = {"hari ini": 0, "tadi": 0, "sekarang": 0, "kemarin": 1, "kemaren": 1, "kmrn": 1}
_DAYS_AGO = re.compile(r"^(\d{1,3})\s*(?:hari|hr)\s*(?:yang\s*|yg\s*)?(?:lalu|lewat|kemarin)$")
_NUMERIC = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})(?:[/\-.](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})\s*([a-z]+)\.?\s*(\d{4})?$")


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_check_date(text: str, today: date) -> date | None:
    """ "hari ini", "kemarin", "3 hari lalu", "17/11/2026", "17-11-26", "17 Nov 2026", "2026-11-17".

    A day and month without a year means this year. Returns None when not understood.
    """
    typed = " ".join(text.casefold().replace(",", " ").split())
    if typed in _RELATIVE:
        return today - timedelta(days=_RELATIVE[typed])
    if typed in {"kemarin lusa", "kemarinnya lagi"}:
        return today - timedelta(days=2)
    if m := _DAYS_AGO.match(typed):
        return today - timedelta(days=int(m.group(1)))
    if m := _ISO.match(typed):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _NUMERIC.match(typed):
        year = int(m.group(3)) if m.group(3) else today.year
        if year < 100:
            year += 2000
        return _make(year, int(m.group(2)), int(m.group(1)))
    if m := _NAMED.match(typed):
        month = MONTHS.get(m.group(2))
        if month is None:
            return None
        year = int(m.group(3)) if m.group(3) else today.year
        return _make(year, month, int(m.group(1)))
    return None


_UNITS = {
    "rb": 1_000,
    "ribu": 1_000,
    "rebu": 1_000,
    "k": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "jeti": 1_000_000,
    "m": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
}
_WORD_AMOUNTS = {
    "seribu": "1 ribu",
    "sejuta": "1 juta",
    "setengah juta": "0,5 juta",
    "seratus ribu": "100 ribu",
    "dua ratus ribu": "200 ribu",
    "lima ratus ribu": "500 ribu",
    "satu juta": "1 juta",
    "dua juta": "2 juta",
}
_PART = re.compile(r"(\d+(?:[.,]\d+)*)\s*(ribu|rebu|rb|k|juta|jeti|jt|miliar|milyar|m)?\b")
_FILLER = re.compile(r"\b(rp|rupiah|idr|sekitar|kira|kira-kira|kurang|lebih|an|senilai|total)\b")
UNKNOWN_VALUE = {"tidak tahu", "tidak tau", "gak tau", "ga tau", "gatau", "entah", "nggak tahu"}


def _number(raw: str, unit: int) -> float | None:
    parts = re.split(r"[.,]", raw)
    if len(parts) == 1:
        return float(raw)
    # "1.500.000": thousands separators. "1,5" / "1.5" with a unit: a decimal fraction.
    if all(len(p) == 3 for p in parts[1:]) and not (unit > 1 and len(parts) == 2):
        return float("".join(parts))
    if len(parts) == 2 and len(parts[1]) <= 3:
        return float(f"{parts[0]}.{parts[1]}")
    return None


def parse_check_rupiah(text: str) -> int | None:
    """ "Rp1.500.000", "1,5 jt", "500rb", "1 jt 500 rb", "sejuta" -> whole rupiah; else None."""
    typed = " ".join(text.casefold().split())
    for words, digits in _WORD_AMOUNTS.items():
        typed = typed.replace(words, digits)
    typed = re.sub(r"[,.]-|[,.]00$|-$", "", typed.replace("rp.", "rp "))
    typed = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", typed)
    typed = _FILLER.sub(" ", typed).strip()
    if not typed or not any(c.isdigit() for c in typed):
        return None
    total = 0.0
    position = 0
    for m in _PART.finditer(typed):
        if typed[position : m.start()].strip():
            return None
        unit = _UNITS.get(m.group(2) or "", 1)
        number = _number(m.group(1), unit)
        if number is None:
            return None
        total += number * unit
        position = m.end()
    if typed[position:].strip() or total <= 0 or total >= 10**13:
        return None
    return round(total)
