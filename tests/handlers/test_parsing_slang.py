"""Amounts and dates as people type them in chat (QA regressions for handlers/parsing.py)."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.parsing import parse_date, parse_money

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("500rban", 500_000),
        ("50rb an", 50_000),
        ("1 jutaan", 1_000_000),
        ("300 rebu", 300_000),
        ("+- 300rb", 300_000),
    ],
)
def test_about_so_much(typed: str, value: int) -> None:
    money = parse_money(typed)
    assert money is not None and money.value == value and not money.exact


@pytest.mark.parametrize("typed", ["ribuan", "jutaan", "an"])
def test_no_number_is_no_amount(typed: str) -> None:
    assert parse_money(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("kmrn", date(2026, 11, 23)), ("tadi pagi", TODAY), ("td", TODAY)],
)
def test_chat_abbreviations_for_dates(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["minggu lalu", "Pekan lalu", "bulan lalu"])
def test_last_week_is_too_vague_for_a_deadline(typed: str) -> None:
    assert parse_date(typed, TODAY) is None


def test_hari_minggu_lalu_is_still_last_sunday() -> None:
    assert parse_date("hari minggu lalu", TODAY) == date(2026, 11, 22)
