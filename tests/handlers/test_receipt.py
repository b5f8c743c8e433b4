"""Deadlines in working days across Lebaran 2026, with both cuti-bersama settings."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.holidays_id import work_calendar
from handlers.ports import Policy, Receipt
from handlers.receipt import compute, receipt_text

JAKARTA = ZoneInfo("Asia/Jakarta")
RECEIVED = date(2026, 3, 16)  # the Monday before Nyepi and Idul Fitri 2026


@pytest.mark.parametrize(
    ("cuti_is_workday", "uppg", "kpk"),
    [
        # Cuti bersama 18, 20, 23, 24 March count: only Nyepi (19 Mar) and weekends are off.
        (True, date(2026, 3, 31), date(2026, 4, 29)),
        # Cuti bersama off as well; Good Friday (3 Apr) is a holiday in both.
        (False, date(2026, 4, 7), date(2026, 5, 6)),
    ],
)
def test_deadlines_across_lebaran_2026(cuti_is_workday: bool, uppg: date, kpk: date) -> None:
    policy = Policy(
        timezone=JAKARTA, calendar=work_calendar(cuti_bersama_is_workday=cuti_is_workday)
    )
    found = compute(RECEIVED, RECEIVED, policy)
    assert (found.uppg, found.kpk) == (uppg, kpk)
    assert not found.late_uppg and not found.late_kpk
    names = {d: n for d, n in found.days_off}
    assert date(2026, 3, 19) in names  # Nyepi, a national holiday
    assert (date(2026, 3, 23) in names) is (not cuti_is_workday)


def test_late_flags() -> None:
    policy = Policy(timezone=JAKARTA, calendar=work_calendar())
    assert compute(RECEIVED, date(2026, 4, 1), policy).late_uppg
    assert not compute(RECEIVED, date(2026, 4, 1), policy).late_kpk
    assert compute(RECEIVED, date(2026, 4, 30), policy).late_kpk


def _receipt(submitted: date) -> Receipt:
    return Receipt(
        id=1,
        number="GRT-2026-000007",
        status="diterima",
        report_type="penerimaan",
        received_date=RECEIVED,
        submitted_on=submitted,
        created=True,
        object_type="barang",
        value_rp=2_000_000,
        uppg_deadline=date(2026, 3, 31),
        kpk_deadline=date(2026, 4, 29),
    )


def test_receipt_names_dates_and_basis() -> None:
    text = receipt_text(_receipt(RECEIVED), Policy(timezone=JAKARTA, calendar=work_calendar()))
    assert "GRT-2026-000007" in text
    assert "Ke UPPG: 10 hari kerja, paling lambat Selasa, 31 Maret 2026" in text
    assert "Ke KPK: 30 hari kerja (UU 20/2001 Pasal 12C), paling lambat Rabu, 29 April 2026" in text
    assert "Hari Suci Nyepi" in text and "tepat waktu" in text


def test_receipt_of_a_late_report_explains_perkpk_1_2026() -> None:
    text = receipt_text(
        _receipt(date(2026, 5, 4)), Policy(timezone=JAKARTA, calendar=work_calendar())
    )
    assert "20 Januari 2026" in text and "milik negara" in text and "Pasal 12B" in text
    uppg_late = receipt_text(
        _receipt(date(2026, 4, 2)), Policy(timezone=JAKARTA, calendar=work_calendar())
    )
    assert "melewati batas 10 hari kerja" in uppg_late and "Pasal 12B" not in uppg_late
