"""How amounts and dates read in Indonesian, everywhere: chat, cards, dashboard, exports."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def rupiah(value: int | None) -> str:
    """1500000 -> "Rp1.500.000" (PUEBI: no space after Rp); None -> "-"."""
    if value is None:
        return "-"
    return "Rp" + f"{value:,}".replace(",", ".")


def tanggal(day: date, *, weekday: bool = False, short: bool = False) -> str:
    """date(2026, 11, 17) -> "17 November 2026", "Selasa, 17 November 2026" or "17 Nov 2026"."""
    month = (MONTHS_SHORT if short else MONTHS)[day.month - 1]
    text = f"{day.day} {month} {day.year}"
    return f"{DAYS[day.weekday()]}, {text}" if weekday else text
