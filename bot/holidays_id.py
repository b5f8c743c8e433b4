"""Indonesia's national holidays and cuti bersama, from the `holidays` package, with the
admins' late changes from knowledge/holidays.yaml.

Cuti bersama is the package's "government" category. Islamic holidays after the confirmed
years are estimates there ("perkiraan"); pin the package and update it each year. A change
decided after a release (a cuti bersama added by a later SKB, a holiday moved) goes in
holidays.yaml: `gratibot kb check` checks it, and every calendar built here uses it, rereading
it when it is edited (LiveWorkCalendar), as the FAQ files are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import holidays
import yaml

from handlers.workdays import HolidayTable, WorkCalendar

log = logging.getLogger(__name__)

CHANGES_FILE = "holidays.yaml"
KINDS = ("libur", "cuti_bersama")
# Dates this far from today are typing mistakes ("2062"), not SKB changes.
YEARS_AROUND = 5


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


@dataclass(frozen=True)
class HolidayChanges:
    """What the admins changed: added holidays and cuti bersama, and removed dates."""

    holidays: dict[date, str] = field(default_factory=dict)
    cuti_bersama: dict[date, str] = field(default_factory=dict)
    removed: dict[date, str] = field(default_factory=dict)


def parse_changes(doc: object, today: date | None = None) -> tuple[HolidayChanges, list[str]]:
    """The changes in a holidays.yaml document, and what is wrong in it (in Indonesian).

    A wrong item is left out; the others are kept."""
    this_year = (today or date.today()).year
    changes = HolidayChanges()
    problems: list[str] = []
    if doc is None:
        return changes, problems
    if not isinstance(doc, dict):
        return changes, ["isinya harus berupa daftar added: dan removed:"]
    unknown = sorted(str(k) for k in doc if k not in ("added", "removed"))
    if unknown:
        problems.append(f"kunci tidak dikenal: {', '.join(unknown)} (yang dikenal: added, removed)")
    for section in ("added", "removed"):
        items = doc.get(section) or []
        if not isinstance(items, list):
            problems.append(f"{section}: harus berupa daftar (- date: ...)")
            continue
        for number, item in enumerate(items, 1):
            where = f"{section} no. {number}"
            if not isinstance(item, dict):
                problems.append(f"{where}: tulis date: dan name: (atau note:)")
                continue
            day = item.get("date")
            if not isinstance(day, date):
                problems.append(f"{where}: date harus tanggal seperti 2027-03-12")
                continue
            if abs(day.year - this_year) > YEARS_AROUND:
                problems.append(f"{where}: tahun {day.year} terlalu jauh dari tahun ini")
                continue
            if section == "removed":
                note = str(item.get("note") or "").strip()
                if not note:
                    problems.append(f"{where} ({day.isoformat()}): tulis note: alasannya (SKB)")
                    continue
                changes.removed[day] = note
                continue
            name = str(item.get("name") or "").strip()
            kind = item.get("kind", "libur")
            if not name:
                problems.append(f"{where} ({day.isoformat()}): name harus diisi")
            elif kind not in KINDS:
                problems.append(f"{where} ({day.isoformat()}): kind harus libur atau cuti_bersama")
            elif kind == "libur":
                changes.holidays[day] = name
            else:
                changes.cuti_bersama[day] = name
    for day in sorted(changes.removed):
        if day in changes.holidays or day in changes.cuti_bersama:
            problems.append(f"{day.isoformat()} ada di added dan removed sekaligus")
            del changes.removed[day]
    return changes, problems


def read_changes(directory: Path | None) -> tuple[HolidayChanges, list[str]]:
    """The changes in directory/holidays.yaml (none when it is absent), and its problems."""
    if directory is None:
        return HolidayChanges(), []
    path = directory / CHANGES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return HolidayChanges(), []
    except OSError as exc:
        return HolidayChanges(), [f"tidak dapat dibaca: {exc.strerror}"]
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return HolidayChanges(), [f"bukan YAML yang benar: {exc}".splitlines()[0]]
    return parse_changes(doc)


def _stamp(path: Path) -> tuple[int, int] | None:
    """What changes when the file is edited (modification time, size); None when absent."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class LiveWorkCalendar(WorkCalendar):
    """A working-day calendar that follows edits of knowledge/holidays.yaml while it runs.

    Like the FAQ files (bot/knowledge/source.py): at most once per `check_seconds` it looks
    at the file's modification time and size; an edited file that passes the checks of
    `gratibot kb check` replaces the changes in use, and one with any error is logged and
    ignored, the last good version staying in use until the file is fixed. At start there is
    no earlier version: a wrong item is left out (logged) and the others are used.

    A deadline already stored (a declaration's uppg_deadline and kpk_deadline, printed on its
    receipt) is not counted again: only counts made after the edit use it."""

    def __init__(
        self,
        table: HolidayTable,
        *,
        cuti_bersama_is_workday: bool = True,
        knowledge_dir: Path | None = None,
        check_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.knowledge_dir = knowledge_dir
        self.path = knowledge_dir / CHANGES_FILE if knowledge_dir is not None else None
        self.check_seconds = check_seconds
        self.clock = clock
        self._seen = _stamp(self.path) if self.path is not None else None
        changes, problems = read_changes(knowledge_dir)
        for problem in problems:
            # Dates and the admins' own notes only: no personal data in this file.
            log.error(
                "%s/%s: %s (item left out; run gratibot kb check)",
                knowledge_dir,
                CHANGES_FILE,
                problem,
            )
        super().__init__(
            table,
            cuti_bersama_is_workday=cuti_bersama_is_workday,
            extra_holidays=changes.holidays,
            extra_cuti_bersama=changes.cuti_bersama,
            removed=changes.removed,
        )
        self._checked = clock()

    def refresh(self) -> None:
        if self.path is None:
            return
        now = self.clock()
        if now - self._checked < self.check_seconds:
            return
        self._checked = now
        stamp = _stamp(self.path)
        if stamp == self._seen:
            return
        # Remembered before reading: a broken edit is logged once, not at every look.
        self._seen = stamp
        changes, problems = read_changes(self.knowledge_dir)
        if problems:
            log.error(
                "%s rejected (%d errors; keeping the holidays in use; run gratibot kb check): %s",
                self.path,
                len(problems),
                "; ".join(problems[:5]),
            )
            return
        self.replace_changes(
            extra_holidays=changes.holidays,
            extra_cuti_bersama=changes.cuti_bersama,
            removed=changes.removed,
        )
        log.info(
            "%s reloaded: %d holidays and %d cuti bersama added, %d dates removed",
            self.path,
            len(changes.holidays),
            len(changes.cuti_bersama),
            len(changes.removed),
        )


def work_calendar(
    *,
    cuti_bersama_is_workday: bool = True,
    knowledge_dir: Path | None = None,
    check_seconds: float = 2.0,
    calendar_class: type[LiveWorkCalendar] = LiveWorkCalendar,
) -> LiveWorkCalendar:
    """The working-day calendar of Indonesian government offices, with the admins' changes
    from knowledge_dir/holidays.yaml, reread when that file is edited (LiveWorkCalendar;
    check_seconds: KNOWLEDGE_CHECK_SECONDS).

    The tables around this year are read now (about 0.6 s each the first time), at start, not
    in the middle of a reporter's message where a deadline is first counted."""
    this_year = date.today().year
    for year in (this_year - 1, this_year, this_year + 1):
        for category in ("public", "government"):
            _year(year, category)
    return calendar_class(
        IndonesianHolidays(),
        cuti_bersama_is_workday=cuti_bersama_is_workday,
        knowledge_dir=knowledge_dir,
        check_seconds=check_seconds,
    )
