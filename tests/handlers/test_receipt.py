"""The receipt's deadlines and warnings: on time, late to the UPPG, few days left (report to
KPK directly, with how), late to KPK; all under 900 characters."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.holidays_id import work_calendar
from handlers.ports import Policy, Receipt
from handlers.receipt import receipt_text
from handlers.workdays import WorkCalendar

JAKARTA = ZoneInfo("Asia/Jakarta")
RECEIVED = date(2026, 3, 16)  # the Monday before Nyepi and Idul Fitri 2026
CALENDAR = work_calendar()
POLICY = Policy(timezone=JAKARTA, calendar=CALENDAR)


def _receipt(submitted: date, **extra: object) -> Receipt:
    fields: dict[str, object] = {
        "id": 1,
        "number": "GRT-2026-000007",
        "status": "diterima",
        "report_type": "penerimaan",
        "received_date": RECEIVED,
        "submitted_on": submitted,
        "created": True,
        "object_type": "barang",
        "value_rp": 2_000_000,
        "uppg_deadline": date(2026, 3, 30),
        "kpk_deadline": date(2026, 4, 28),
    }
    fields.update(extra)
    return Receipt(**fields)  # type: ignore[arg-type]


def test_receipt_names_dates_and_basis() -> None:
    text = receipt_text(_receipt(RECEIVED), POLICY)
    assert "GRT-2026-000007" in text
    assert "termasuk hari diterima" in text
    assert "• Ke UPPG (10 HK): Senin, 30 Mar 2026" in text
    assert "• Ke KPK (30 HK, Pasal 12C UU 20/2001): Selasa, 28 Apr 2026" in text
    assert "• UPPG meneruskan ke KPK: Senin, 30 Mar 2026" in text
    assert "Hari Suci Nyepi" in text and "tepat waktu" in text
    # The completion deadline counts from the reporting date.
    assert "Bila diminta melengkapi: paling lambat 14 Apr 2026 (20 HK sejak tanggal lapor)" in (
        text
    )


def test_late_to_the_uppg_with_time_left_gives_the_forwarding_date() -> None:
    text = receipt_text(_receipt(date(2026, 4, 1)), POLICY)
    assert "Senin, 30 Mar 2026 (sudah lewat)" in text
    assert "• UPPG meneruskan ke KPK: Rabu, 15 Apr 2026" in text
    assert "Batas ke UPPG sudah lewat; laporan tetap kami proses." in text
    assert "gol.kpk.go.id" not in text and "Pasal 12B" not in text


@pytest.mark.parametrize("submitted", [date(2026, 4, 15), date(2026, 4, 27), date(2026, 4, 28)])
def test_few_days_left_tells_the_reporter_to_report_to_kpk_too(submitted: date) -> None:
    text = receipt_text(_receipt(submitted), POLICY)
    # The UPPG's date never falls after the gift's own 30-day date...
    assert "• UPPG meneruskan ke KPK: Selasa, 28 Apr 2026" in text
    # ... and no promise that it will manage in time: report to KPK directly as well.
    assert "akan segera meneruskannya" not in text
    assert "lapor juga langsung ke KPK lewat GOL" in text
    assert "gol.kpk.go.id" in text and "unggah bukti" in text


def test_eleven_days_left_is_no_reason_for_a_direct_report() -> None:
    text = receipt_text(_receipt(date(2026, 4, 14)), POLICY)
    assert "gol.kpk.go.id" not in text and "sudah lewat" in text


def test_a_late_report_keeps_the_statute_and_the_regulation_apart() -> None:
    text = receipt_text(_receipt(date(2026, 4, 29)), POLICY)
    assert "Selasa, 28 Apr 2026 (sudah lewat)" in text
    assert "Pasal 12B UU 20/2001 tetap berlaku" in text
    assert "menurut PerKPK 1/2026 gratifikasi ini dapat ditetapkan menjadi milik negara" in text
    assert "gol.kpk.go.id" not in text
    assert "• UPPG meneruskan ke KPK: Rabu, 13 Mei 2026" in text


def test_counting_from_the_day_after_is_a_setting() -> None:
    later = Policy(timezone=JAKARTA, calendar=CALENDAR, count_start_day=False)
    # The dates the store counted with that setting.
    stored = _receipt(RECEIVED, uppg_deadline=date(2026, 3, 31), kpk_deadline=date(2026, 4, 29))
    text = receipt_text(stored, later)
    assert "• Ke UPPG (10 HK): Selasa, 31 Mar 2026" in text
    assert "• Ke KPK (30 HK, Pasal 12C UU 20/2001): Rabu, 29 Apr 2026" in text
    assert "termasuk hari diterima" not in text


def test_a_receipt_shown_again_keeps_the_dates_it_was_issued_with() -> None:
    # After the receipt was issued, the admins declared 20-27 Apr 2026 holidays (a late SKB,
    # knowledge/holidays.yaml): counted now, the gift's date would move into May.
    extra = {date(2026, 4, d): "Libur tambahan" for d in (20, 21, 22, 23, 24, 27)}
    moved = Policy(timezone=JAKARTA, calendar=work_calendar_with(extra))
    text = receipt_text(_receipt(RECEIVED, created=False), moved)
    assert "Laporan ini sudah terkirim." in text
    assert "• Ke UPPG (10 HK): Senin, 30 Mar 2026" in text
    assert "• Ke KPK (30 HK, Pasal 12C UU 20/2001): Selasa, 28 Apr 2026" in text
    assert "• UPPG meneruskan ke KPK: Senin, 30 Mar 2026" in text


def work_calendar_with(extra: dict[date, str]) -> WorkCalendar:
    return WorkCalendar(CALENDAR.table, extra_holidays=extra)


def test_a_refusal_has_no_deadlines() -> None:
    text = receipt_text(
        _receipt(RECEIVED, report_type="penolakan", uppg_deadline=None, kpk_deadline=None),
        POLICY,
    )
    assert "Batas" not in text and "penolakan" in text


@pytest.mark.parametrize("cuti_is_workday", [True, False])
@pytest.mark.parametrize(
    "submitted", [RECEIVED, date(2026, 4, 1), date(2026, 4, 15), date(2026, 4, 29)]
)
def test_every_receipt_fits_900_characters(cuti_is_workday: bool, submitted: date) -> None:
    policy = Policy(
        timezone=JAKARTA, calendar=work_calendar(cuti_bersama_is_workday=cuti_is_workday)
    )
    long = _receipt(
        submitted, object_type="diskon_pinjaman", value_rp=2_000_000_000, attachments=12
    )
    assert len(receipt_text(long, policy)) < 900


def test_the_receipt_states_the_days_its_stored_dates_were_counted_with() -> None:
    # Stored under 10 and 30; since then the inspectorate set 7 and 25: the stored dates keep
    # the labels they were counted with (the PDF receipt states the same).
    today = Policy(
        timezone=JAKARTA, calendar=CALENDAR, uppg_deadline_workdays=7, kpk_deadline_workdays=25
    )
    stored = _receipt(RECEIVED, created=False, uppg_workdays=10, kpk_workdays=30)
    text = receipt_text(stored, today)
    assert "• Ke UPPG (10 HK): Senin, 30 Mar 2026" in text
    assert "• Ke KPK (30 HK, Pasal 12C UU 20/2001): Selasa, 28 Apr 2026" in text
    assert "7 HK" not in text and "25 HK" not in text


def test_a_stricter_kpk_setting_is_the_uppgs_not_the_statutes() -> None:
    strict = Policy(timezone=JAKARTA, calendar=CALENDAR, kpk_deadline_workdays=25)
    stored = _receipt(RECEIVED, kpk_deadline=date(2026, 4, 21), kpk_workdays=25)
    text = receipt_text(stored, strict)
    assert "• Ke KPK (Pasal 12C UU 20/2001: 30 HK; batas UPPG: 25 HK): Selasa, 21 Apr 2026" in text
    late = receipt_text(_receipt(date(2026, 4, 22), kpk_deadline=date(2026, 4, 21)), strict)
    assert "Lewat batas 25 HK ke KPK yang dipakai UPPG" in late
    assert "melindungi laporan dalam 30 HK sejak diterima" in late
    assert "dalam 25 HK" not in late
