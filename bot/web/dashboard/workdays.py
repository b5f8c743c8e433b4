"""The dashboard's working-day calendar: one per process, remembering what it counted."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.holidays_id import LiveWorkCalendar, work_calendar
from handlers.workdays import WorkCalendar


class _MemoCalendar(LiveWorkCalendar):
    """A working-day calendar that remembers its counts: the queue counts the same few
    (date, days) pairs for thousands of declarations. An edit of holidays.yaml (a new
    version of the changes) empties the memo."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._added: dict[tuple[date, int], date] = {}
        self._between: dict[tuple[date, date], int] = {}
        self._memo_version = self.version

    def _fresh_memo(self) -> None:
        self.refresh()
        if self._memo_version != self.version:
            self._added.clear()
            self._between.clear()
            self._memo_version = self.version

    def add_workdays(self, start: date, count: int) -> date:
        self._fresh_memo()
        key = (start, count)
        if key not in self._added:
            self._added[key] = super().add_workdays(start, count)
        return self._added[key]

    def workdays_between(self, start: date, end: date) -> int:
        self._fresh_memo()
        key = (start, end)
        if key not in self._between:
            self._between[key] = super().workdays_between(start, end)
        return self._between[key]


@lru_cache(maxsize=4)
def _calendar(
    cuti_bersama_is_workday: bool, knowledge_dir: Path, check_seconds: float
) -> WorkCalendar:
    return work_calendar(
        cuti_bersama_is_workday=cuti_bersama_is_workday,
        knowledge_dir=knowledge_dir,
        check_seconds=check_seconds,
        calendar_class=_MemoCalendar,
    )


def calendar_for(settings: Settings) -> WorkCalendar:
    """The calendar of these settings (cuti bersama counted or not, the admins' holiday
    changes in knowledge/holidays.yaml, reread when edited), shared in the process."""
    return _calendar(
        settings.cuti_bersama_is_workday, settings.knowledge_dir, settings.knowledge_check_seconds
    )
