"""Working days (hari kerja) for legal deadlines: Monday-Friday minus Indonesian holidays.

Perpres 21/2023 sets a five-day week. Cuti bersama is counted as a working day by default: no
source rules either way for the 30-day (Pasal 12C) or UPPG deadlines, and counting them gives
the earlier, safer date. Pure calendar code: the holiday table comes from bot/ (bot/holidays_id.py
reads the `holidays` package), so the flows can count days without any library.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import Protocol


class HolidayTable(Protocol):
    """Names of the national holidays and of the cuti bersama days, by date."""

    def holiday(self, day: date) -> str | None: ...

    def cuti_bersama(self, day: date) -> str | None: ...


class WorkCalendar:
    """Decides which days are working days and counts deadlines in them."""

    def __init__(
        self,
        table: HolidayTable,
        *,
        cuti_bersama_is_workday: bool = True,
        extra_holidays: Mapping[date, str] | None = None,
        extra_cuti_bersama: Mapping[date, str] | None = None,
        removed: Collection[date] | None = None,
    ) -> None:
        # Extra and removed dates let an admin follow a late SKB or Keppres (a cuti bersama
        # added, a holiday moved) before the package is updated (knowledge/holidays.yaml).
        self.table = table
        self.cuti_bersama_is_workday = cuti_bersama_is_workday
        self.extra_holidays: dict[date, str] = {}
        self.extra_cuti_bersama: dict[date, str] = {}
        self.removed: frozenset[date] = frozenset()
        # Goes up each time the changes are replaced: a memo of counts knows it is stale.
        self.version = 0
        self.replace_changes(
            extra_holidays=extra_holidays, extra_cuti_bersama=extra_cuti_bersama, removed=removed
        )

    def replace_changes(
        self,
        *,
        extra_holidays: Mapping[date, str] | None = None,
        extra_cuti_bersama: Mapping[date, str] | None = None,
        removed: Collection[date] | None = None,
    ) -> None:
        """Puts in another set of the admins' changes (an edited knowledge/holidays.yaml)."""
        self.extra_holidays = dict(extra_holidays or {})
        self.extra_cuti_bersama = dict(extra_cuti_bersama or {})
        self.removed = frozenset(removed or ())
        self.version += 1

    def refresh(self) -> None:
        """Brings the admins' changes up to date; every public method calls it first.

        Nothing to do here; bot/holidays_id.py's calendar rereads an edited holidays.yaml."""

    def holiday_name(self, day: date) -> str | None:
        """The national holiday on this day, or None."""
        self.refresh()
        return self._holiday(day)

    def cuti_bersama_name(self, day: date) -> str | None:
        """The cuti bersama (joint leave) on this day, or None."""
        self.refresh()
        return self._cuti_bersama(day)

    def is_workday(self, day: date) -> bool:
        self.refresh()
        return self._workday(day)

    def _holiday(self, day: date) -> str | None:
        if day in self.extra_holidays:
            return self.extra_holidays[day]
        return None if day in self.removed else self.table.holiday(day)

    def _cuti_bersama(self, day: date) -> str | None:
        if day in self.extra_cuti_bersama:
            return self.extra_cuti_bersama[day]
        return None if day in self.removed else self.table.cuti_bersama(day)

    def _workday(self, day: date) -> bool:
        if day.weekday() >= 5 or self._holiday(day) is not None:
            return False
        return self.cuti_bersama_is_workday or self._cuti_bersama(day) is None

    def add_workdays(self, start: date, count: int) -> date:
        """The count-th working day after start (the start day itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        self.refresh()  # once: one count never mixes two versions of the changes
        day, left = start, count
        while left:
            day += timedelta(days=1)
            if self._workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after start up to and including end (0 when end <= start)."""
        self.refresh()
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self._workday(day):
                count += 1
        return count

    def days_off(self, start: date, end: date) -> list[tuple[date, str]]:
        """Holidays and cuti bersama between start and end, with their names, for receipts."""
        self.refresh()
        found: list[tuple[date, str]] = []
        day = start
        while day <= end:
            name = self._holiday(day)
            if name is None and not self.cuti_bersama_is_workday:
                name = self._cuti_bersama(day)
            if name is not None and day.weekday() < 5:
                found.append((day, name))
            day += timedelta(days=1)
        return found
