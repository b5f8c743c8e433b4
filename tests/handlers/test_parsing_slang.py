"""Amounts and dates as people type them in chat (QA regressions for handlers/parsing.py)."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.parsing import find_money, parse_date, parse_money, read_date

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


@pytest.mark.parametrize("typed", ["minggu kmrn sy nerima bunga", "bulan kemarin dpt parsel"])
def test_kmrn_inside_last_week_is_not_yesterday(typed: str) -> None:
    found = read_date(typed, TODAY)
    assert found is not None and found.vague and found.day is None


def test_hari_minggu_kmrn_is_last_sunday() -> None:
    found = read_date("hari minggu kmrn sy nerima bunga", TODAY)
    assert found is not None and found.day == date(2026, 11, 22)


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        # a "2" glued to a word repeats it ("buah2an", "kue2"): no amount
        ("buah2an sekeranjang kira2 150rb", [150_000]),
        ("kue2 sm oleh2 300an", [300_000]),
        ("buah2an", []),
        # glued to Rp or to a word for the value, it is still one
        ("rp500rb", [500_000]),
        ("harganya2jt", [2_000_000]),
    ],
)
def test_a_digit_inside_a_word_is_no_amount(typed: str, values: list[int]) -> None:
    assert [found.value.value for found in find_money(typed)] == values


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tadi dikasih martabak", TODAY),
        ("sy tadi dpt amplop", TODAY),
        ("dpt parsel, tadi di kantor", TODAY),
        ("parsel yg tadi dr vendor", None),
        ("amplop tadi isinya 1jt", None),
        ("barang yg tadi sy simpan", None),
    ],
)
def test_tadi_in_a_story_is_today_where_it_opens_what_happened(
    typed: str, expected: date | None
) -> None:
    found = read_date(typed, TODAY)
    assert (found.day if found else None) == expected


def test_tadi_alone_in_a_story_after_midnight_is_asked() -> None:
    assert read_date("tadi dikasih martabak", TODAY, hour=1) is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2 juta 500", 2_500_000),
        ("dua juta lima ratus", 2_500_000),
        ("1 jt 200", 1_200_000),
        ("sejuta 50", 1_050_000),
        ("1 juta 500 ribu", 1_500_000),
        ("5 ribu 500", 5_500),
    ],
)
def test_thousands_said_after_millions_drop_their_ribu(typed: str, value: int) -> None:
    money = parse_money(typed)
    assert money is not None and money.value == value


def test_one_digit_after_millions_is_not_guessed() -> None:
    assert parse_money("2 juta 5") is None  # 2.005.000 or 2,5 juta: asked again
