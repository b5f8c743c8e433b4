"""Working-day deadlines around Nyepi and Lebaran 2026, with and without cuti bersama."""

from __future__ import annotations

from datetime import date

import pytest

from bot.holidays_id import IndonesianHolidays, work_calendar
from handlers.workdays import WorkCalendar

SAFE = work_calendar(cuti_bersama_is_workday=True)
LENIENT = work_calendar(cuti_bersama_is_workday=False)
RECEIVED = date(2026, 3, 16)  # Monday before Nyepi and Idul Fitri 2026


@pytest.mark.parametrize(
    ("calendar", "days", "expected"),
    [
        (SAFE, 10, date(2026, 3, 31)),
        (LENIENT, 10, date(2026, 4, 7)),
        (SAFE, 30, date(2026, 4, 29)),
        (LENIENT, 30, date(2026, 5, 6)),
    ],
)
def test_deadlines_across_lebaran_2026(calendar: WorkCalendar, days: int, expected: date) -> None:
    assert calendar.add_workdays(RECEIVED, days) == expected


def test_weekends_holidays_and_cuti_bersama() -> None:
    assert not SAFE.is_workday(date(2026, 3, 21))  # Saturday, Idul Fitri
    assert not SAFE.is_workday(date(2026, 3, 19))  # Nyepi, a national holiday
    assert SAFE.is_workday(date(2026, 3, 20))  # cuti bersama, counted by default
    assert not LENIENT.is_workday(date(2026, 3, 20))
    assert SAFE.cuti_bersama_name(date(2026, 3, 20)) is not None
    assert SAFE.holiday_name(date(2026, 8, 17)) is not None  # Hari Kemerdekaan


def test_counting_is_consistent() -> None:
    end = SAFE.add_workdays(RECEIVED, 30)
    assert SAFE.workdays_between(RECEIVED, end) == 30
    assert SAFE.add_workdays(RECEIVED, 0) == RECEIVED
    assert SAFE.workdays_between(end, RECEIVED) == 0


def test_extra_dates_from_a_late_decree() -> None:
    calendar = WorkCalendar(
        IndonesianHolidays(), extra_holidays={date(2026, 11, 25): "Libur tambahan"}
    )
    assert not calendar.is_workday(date(2026, 11, 25))
    assert calendar.add_workdays(date(2026, 11, 24), 1) == date(2026, 11, 26)


def test_days_off_lists_what_was_skipped() -> None:
    names = dict(LENIENT.days_off(RECEIVED, date(2026, 3, 31)))
    assert date(2026, 3, 19) in names and date(2026, 3, 20) in names
    assert date(2026, 3, 20) not in dict(SAFE.days_off(RECEIVED, date(2026, 3, 31)))
