"""The dashboard's working-day calendar: one per process, remembering what it counted."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from bot.config import Settings
from bot.holidays_id import work_calendar
from handlers.workdays import WorkCalendar


class _MemoCalendar(WorkCalendar):
    """A working-day calendar that remembers its counts: the queue counts the same few
    (date, days) pairs for thousands of declarations."""

    def __init__(self, inner: WorkCalendar) -> None:
        super().__init__(
            inner.table,
            cuti_bersama_is_workday=inner.cuti_bersama_is_workday,
            extra_holidays=inner.extra_holidays,
            extra_cuti_bersama=inner.extra_cuti_bersama,
            removed=inner.removed,
        )
        self._added: dict[tuple[date, int], date] = {}
        self._between: dict[tuple[date, date], int] = {}

    def add_workdays(self, start: date, count: int) -> date:
        key = (start, count)
        if key not in self._added:
            self._added[key] = super().add_workdays(start, count)
        return self._added[key]

    def workdays_between(self, start: date, end: date) -> int:
        key = (start, end)
        if key not in self._between:
            self._between[key] = super().workdays_between(start, end)
        return self._between[key]


@lru_cache(maxsize=4)
def _calendar(cuti_bersama_is_workday: bool, knowledge_dir: Path) -> WorkCalendar:
    return _MemoCalendar(
        work_calendar(cuti_bersama_is_workday=cuti_bersama_is_workday, knowledge_dir=knowledge_dir)
    )


def calendar_for(settings: Settings) -> WorkCalendar:
    """The calendar of these settings (cuti bersama counted or not, the admins' holiday
    changes in knowledge/holidays.yaml), shared in the process."""
    return _calendar(settings.cuti_bersama_is_workday, settings.knowledge_dir)
