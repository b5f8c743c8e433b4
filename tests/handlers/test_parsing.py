"""Parsers: the forms people type, property tests for money and dates, and no input raises."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.formatting import rupiah, tanggal
from handlers.parsing import (
    Money,
    find_money,
    nik_problem,
    nip_problem,
    parse_date,
    parse_email,
    parse_money,
    parse_nik,
    parse_nip,
    parse_phone,
    terbilang,
)

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("typed", "value", "exact"),
    [
        ("Rp 1.500.000", 1_500_000, True),
        ("Rp1.500.000", 1_500_000, True),
        ("1.500.000,00", 1_500_000, True),
        ("1500000", 1_500_000, True),
        ("1,500,000", 1_500_000, True),
        ("1,5 jt", 1_500_000, False),
        ("1.5 juta", 1_500_000, False),
        ("500rb", 500_000, False),
        ("500 ribu", 500_000, False),
        ("500k", 500_000, False),
        ("2 juta 250 ribu", 2_250_000, False),
        ("satu juta", 1_000_000, False),
        ("sejuta", 1_000_000, False),
        ("dua ratus lima puluh ribu", 250_000, False),
        ("sebelas ribu", 11_000, False),
        ("tujuh belas juta", 17_000_000, False),
        ("sekitar Rp 300.000", 300_000, True),
        ("2 M", 2_000_000_000, False),
    ],
)
def test_money_forms(typed: str, value: int, exact: bool) -> None:
    assert parse_money(typed) == Money(value, exact)


@pytest.mark.parametrize(
    "typed", ["", "banyak", "1,5", "500 ribu 2 juta", "juta", "Rp", "1.50.000", "lima lima", "1e6"]
)
def test_money_rejects(typed: str) -> None:
    assert parse_money(typed) is None


AMOUNTS = st.integers(min_value=1, max_value=999_999_999_999)


@given(AMOUNTS)
def test_every_written_form_of_an_amount_parses_back(value: int) -> None:
    dotted = f"{value:,}".replace(",", ".")
    forms = [str(value), dotted, f"Rp {dotted}", f"Rp{dotted},00", f"{value:,}"]
    # Written in words, "dua juta lima ratus" is said for 2.500.000 (the "ribu" dropped), so
    # an amount whose last three digits follow the millions with no thousands between
    # (2.000.500) is not read back from its words; a digit alone there is asked again.
    if value < 1_000_000 or value % 1_000_000 >= 1000:
        forms.append(terbilang(value))
    for form in forms:
        parsed = parse_money(form)
        assert parsed is not None and parsed.value == value, form
    # Units and mixed forms, where the amount divides evenly.
    millions, rest = divmod(value, 1_000_000)
    if millions and rest % 1000 == 0:
        mixed = f"{millions} juta {rest // 1000} ribu" if rest else f"{millions} juta"
        assert parse_money(mixed) == Money(value, False)
    if value % 1000 == 0:
        assert parse_money(f"{value // 1000}rb") == Money(value, False)
    if value % 100_000 == 0:
        as_million = f"{value / 1_000_000:.1f}".replace(".", ",")
        assert parse_money(f"{as_million} jt") == Money(value, False)


@given(st.text(max_size=80))
def test_no_text_makes_a_parser_raise(text: str) -> None:
    parse_money(text)
    parse_date(text, TODAY)
    nik_problem(text)
    nip_problem(text, TODAY)
    parse_nik(text)
    parse_nip(text, TODAY)
    parse_phone(text)
    parse_email(text)


@given(st.from_regex(r"[0-9 .,a-z]{0,40}", fullmatch=True))
def test_no_money_like_text_makes_the_money_parser_raise(text: str) -> None:
    result = parse_money(text)
    assert result is None or result.value >= 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hari ini", TODAY),
        ("kemarin", date(2026, 11, 23)),
        ("3 hari lalu", date(2026, 11, 21)),
        ("3 hari yang lalu", date(2026, 11, 21)),
        ("seminggu lalu", date(2026, 11, 17)),
        ("Senin lalu", date(2026, 11, 23)),
        ("Selasa lalu", date(2026, 11, 17)),
        ("jumat", date(2026, 11, 20)),
        ("17/11/2026", date(2026, 11, 17)),
        ("17-11-2026", date(2026, 11, 17)),
        ("17.11.26", date(2026, 11, 17)),
        ("17 Nov 2026", date(2026, 11, 17)),
        ("17 November", date(2026, 11, 17)),
        ("17 nopember 2026", date(2026, 11, 17)),
        ("November 17, 2026", date(2026, 11, 17)),
        ("Senin, 16 Maret 2026", date(2026, 3, 16)),
        ("tanggal 1 Agustus", date(2026, 8, 1)),
        ("25 Desember", date(2025, 12, 25)),  # no year and still to come: last year
        ("2026-03-16", date(2026, 3, 16)),
    ],
)
def test_date_forms(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["", "besok", "31/02/2026", "17 Foo 2026", "13/13/2026", "x"])
def test_date_rejects(typed: str) -> None:
    assert parse_date(typed, TODAY) is None


DAYS = st.dates(min_value=date(2000, 1, 1), max_value=TODAY)


@given(DAYS)
def test_every_written_form_of_a_date_parses_back(day: date) -> None:
    months_en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    forms = [
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        day.isoformat(),
        tanggal(day),
        tanggal(day, weekday=True),
        f"{day.day} {months_en[day.month - 1]} {day.year}",
        f"{months_en[day.month - 1]} {day.day}, {day.year}",
    ]
    for form in forms:
        assert parse_date(form, TODAY) == day, form
    back = (TODAY - day).days
    if back <= 3660:
        assert parse_date(f"{back} hari lalu", TODAY) == day


def test_nik_checks_structure() -> None:
    assert parse_nik("3201011505900001") == "3201011505900001"
    assert parse_nik("3201 0155 0590 0001") == "3201015505900001"  # a woman: day + 40
    assert nik_problem("320101150590000") == "NIK harus 16 angka."
    assert nik_problem("0001011505900001") is not None  # no province 00
    assert nik_problem("3201017205900001") is not None  # day 72 - 40 = 32
    assert nik_problem("3201013002900001") is not None  # 30 February


def test_nip_checks_structure() -> None:
    assert parse_nip("19900515 201503 1 001", TODAY) == "199005152015031001"
    assert nip_problem("199002302015031001", TODAY) is not None  # 30 February
    assert nip_problem("199005152015001001", TODAY) is not None  # TMT month 00
    assert nip_problem("199005151995031001", TODAY) is not None  # TMT before age 15
    assert nip_problem("199005152015035001", TODAY) is not None  # gender digit 5


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(021) 5551234", "+62215551234"),
        ("12345", None),
        ("+1 555 1234567", None),
        ("0812", None),
    ],
)
def test_phone_normalised(typed: str, expected: str | None) -> None:
    assert parse_phone(typed) == expected


def test_email() -> None:
    assert parse_email(" Budi@Contoh.go.id ") == "budi@contoh.go.id"
    assert parse_email("budi@") is None
    assert parse_email("budi@contoh..id") is None


def test_words_and_formats() -> None:
    assert terbilang(1_500_000) == "satu juta lima ratus ribu"
    assert terbilang(1_001_000) == "satu juta seribu"
    assert terbilang(111) == "seratus sebelas"
    assert rupiah(1_500_000) == "Rp1.500.000"
    assert tanggal(date(2026, 3, 16), weekday=True) == "Senin, 16 Maret 2026"
    assert parse_date("2 hari lalu", TODAY) == TODAY - timedelta(days=2)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("amplop isi 50rb 10 lembar", 50_000),  # ten bills of 50rb: the count is no digits
        ("harga 1jt 2 buah", 1_000_000),
        ("amplop isi 1jt 500", 1_500_000),  # a trailing 500 still belongs to the amount
    ],
)
def test_a_count_after_an_amount_is_no_part_of_it(typed: str, value: int) -> None:
    assert [a.value.value for a in find_money(typed)] == [value]
