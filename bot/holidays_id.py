"""Indonesia's national holidays and cuti bersama, from the `holidays` package.

Cuti bersama is the package's "government" category. Islamic holidays after the confirmed
years are estimates there ("perkiraan"); pin the package and update it each year.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from handlers.workdays import WorkCalendar


@lru_cache(maxsize=64)
def _year(year: int, category: str) -> dict[date, str]:
    table = holidays.country_holidays("ID", years=year, categories=(category,), language="id")
    return dict(table.items())


class IndonesianHolidays:
    """The holidays package's tables for Indonesia (handlers.workdays.HolidayTable)."""

    def holiday(self, day: date) -> str | None:
        return _year(day.year, "public").get(day)

    def cuti_bersama(self, day: date) -> str | None:
        return _year(day.year, "government").get(day)


def work_calendar(*, cuti_bersama_is_workday: bool = True) -> WorkCalendar:
    """The working-day calendar of Indonesian government offices.

    The tables around this year are read now (about 0.6 s each the first time), at start, not
    in the middle of a reporter's message where a deadline is first counted."""
    this_year = date.today().year
    for year in (this_year - 1, this_year, this_year + 1):
        for category in ("public", "government"):
            _year(year, category)
    return WorkCalendar(IndonesianHolidays(), cuti_bersama_is_workday=cuti_bersama_is_workday)
