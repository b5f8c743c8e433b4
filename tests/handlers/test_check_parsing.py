"""Dates and amounts typed in the "Cek wajib lapor" check."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.check_parsing import parse_check_date, parse_check_rupiah

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hari ini", TODAY),
        ("Kemarin", date(2026, 11, 23)),
        ("kemarin lusa", date(2026, 11, 22)),
        ("3 hari lalu", date(2026, 11, 21)),
        ("17/11/2026", date(2026, 11, 17)),
        ("17-11-26", date(2026, 11, 17)),
        ("17 Nov 2026", date(2026, 11, 17)),
        ("17 november 2026", date(2026, 11, 17)),
        ("5 agustus", date(2026, 8, 5)),
        ("2026-01-19", date(2026, 1, 19)),
    ],
)
def test_dates_people_type(typed: str, expected: date) -> None:
    assert parse_check_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["besok pagi", "31/02/2026", "17 foo 2026", ""])
def test_dates_not_understood(typed: str) -> None:
    assert parse_check_date(typed, TODAY) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Rp1.500.000", 1_500_000),
        ("Rp 200.000,-", 200_000),
        ("1,5 jt", 1_500_000),
        ("1.5 juta", 1_500_000),
        ("500rb", 500_000),
        ("750k", 750_000),
        ("1 jt 500 rb", 1_500_000),
        ("sejuta", 1_000_000),
        ("kurang lebih 300rb", 300_000),
        ("1500000", 1_500_000),
    ],
)
def test_amounts_people_type(typed: str, expected: int) -> None:
    assert parse_check_rupiah(typed) == expected


@pytest.mark.parametrize("typed", ["banyak", "", "0", "1.2.3 jt", "rp"])
def test_amounts_not_understood(typed: str) -> None:
    assert parse_check_rupiah(typed) is None
