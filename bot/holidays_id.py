"""Indonesia's national holidays and cuti bersama, from the `holidays` package, with the
admins' late changes from knowledge/holidays.yaml.

Cuti bersama is the package's "government" category. Islamic holidays after the confirmed
years are estimates there ("perkiraan"); pin the package and update it each year. A change
decided after a release (a cuti bersama added by a later SKB, a holiday moved) goes in
holidays.yaml: `gratibot kb check` checks it, and every calendar built here uses it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import holidays
import yaml

from handlers.workdays import WorkCalendar

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


def work_calendar(
    *, cuti_bersama_is_workday: bool = True, knowledge_dir: Path | None = None
) -> WorkCalendar:
    """The working-day calendar of Indonesian government offices, with the admins' changes
    from knowledge_dir/holidays.yaml (read once, when the calendar is built).

    The tables around this year are read now (about 0.6 s each the first time), at start, not
    in the middle of a reporter's message where a deadline is first counted."""
    this_year = date.today().year
    for year in (this_year - 1, this_year, this_year + 1):
        for category in ("public", "government"):
            _year(year, category)
    changes, problems = read_changes(knowledge_dir)
    for problem in problems:
        # Dates and the admins' own notes only: no personal data in this file.
        log.error(
            "%s/%s: %s (item left out; run gratibot kb check)", knowledge_dir, CHANGES_FILE, problem
        )
    return WorkCalendar(
        IndonesianHolidays(),
        cuti_bersama_is_workday=cuti_bersama_is_workday,
        extra_holidays=changes.holidays,
        extra_cuti_bersama=changes.cuti_bersama,
        removed=changes.removed,
    )
