"""knowledge/holidays.yaml: the admins' late holiday changes move every deadline."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.holidays_id import parse_changes, read_changes, work_calendar
from bot.runtime import policy_from_settings
from bot.web.dashboard.workdays import calendar_for
from handlers.deadlines import gift_deadlines, uppg_due
from handlers.receipt import deadline_lines
from tests.bot.cli.test_common import gratibot

ROOT = Path(__file__).resolve().parents[2]
# A gift received on Monday 2 Nov 2026: ten working days (day one counted) end on Friday
# 13 Nov; no holiday falls in between in the package.
RECEIVED = date(2026, 11, 2)


def knowledge_with(tmp_path: Path, text: str) -> Path:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / "holidays.yaml").write_text(text, encoding="utf-8")
    return knowledge


ADDED = """added:
  - date: 2026-11-10
    name: Libur tambahan (Keppres contoh)
    kind: libur
  - date: 2026-11-11
    name: Cuti bersama tambahan (SKB contoh)
    kind: cuti_bersama
"""


def test_the_shipped_file_changes_nothing() -> None:
    changes, problems = read_changes(ROOT / "knowledge")
    assert problems == []
    assert not changes.holidays and not changes.cuti_bersama and not changes.removed


def test_an_added_holiday_moves_the_receipt_and_the_queue_deadline(tmp_path: Path) -> None:
    before = policy_from_settings(load_settings(_env_file=None))
    assert uppg_due(RECEIVED, before) == date(2026, 11, 13)
    settings = load_settings(_env_file=None, knowledge_dir=knowledge_with(tmp_path, ADDED))
    policy = policy_from_settings(settings)  # what the chat's receipt and check count with
    # The added holiday is a day off; the added cuti bersama counts as a working day by
    # default (CUTI_BERSAMA_IS_WORKDAY), so the deadline moves by one day.
    assert uppg_due(RECEIVED, policy) == date(2026, 11, 16)
    gift = gift_deadlines(RECEIVED, RECEIVED, policy)
    assert (date(2026, 11, 10), "Libur tambahan (Keppres contoh)") in gift.days_off
    assert "Libur (tidak dihitung): 10/11 Libur tambahan" in "\n".join(deadline_lines(gift, policy))
    dashboard = calendar_for(settings)  # the dashboard's queue and cards
    assert not dashboard.is_workday(date(2026, 11, 10))
    assert dashboard.add_workdays(RECEIVED, 9) == date(2026, 11, 16)


def test_an_added_cuti_bersama_counts_when_the_setting_says_so(tmp_path: Path) -> None:
    knowledge = knowledge_with(tmp_path, ADDED)
    settings = load_settings(_env_file=None, knowledge_dir=knowledge, cuti_bersama_is_workday=False)
    assert uppg_due(RECEIVED, policy_from_settings(settings)) == date(2026, 11, 17)
    assert not calendar_for(settings).is_workday(date(2026, 11, 11))


def test_a_removed_holiday_is_a_working_day_again(tmp_path: Path) -> None:
    # Christmas 2026 (Friday) moved away: 14 Dec + 10 working days no longer skips it.
    text = "removed:\n  - date: 2026-12-25\n    note: digeser (SKB contoh)\n"
    plain = work_calendar()
    changed = work_calendar(knowledge_dir=knowledge_with(tmp_path, text))
    assert plain.holiday_name(date(2026, 12, 25)) is not None
    assert changed.holiday_name(date(2026, 12, 25)) is None
    assert changed.is_workday(date(2026, 12, 25))
    start = date(2026, 12, 14)
    assert changed.add_workdays(start, 9) < plain.add_workdays(start, 9)


def test_wrong_items_are_named_and_left_out() -> None:
    doc = {
        "added": [
            {"date": date(2026, 12, 31), "name": "Cuti bersama tahun baru", "kind": "cuti_bersama"},
            {"date": "31-12-2026", "name": "tanggal salah tulis"},
            {"date": date(2026, 12, 30), "name": "", "kind": "libur"},
            {"date": date(2026, 12, 29), "name": "Libur", "kind": "daerah"},
        ],
        "removed": [{"date": date(2026, 12, 24)}],
        "tambah": [],
    }
    changes, problems = parse_changes(doc, today=date(2026, 12, 2))
    assert changes.cuti_bersama == {date(2026, 12, 31): "Cuti bersama tahun baru"}
    assert not changes.holidays and not changes.removed
    assert problems == [
        "kunci tidak dikenal: tambah (yang dikenal: added, removed)",
        "added no. 2: date harus tanggal seperti 2027-03-12",
        "added no. 3 (2026-12-30): name harus diisi",
        "added no. 4 (2026-12-29): kind harus libur atau cuti_bersama",
        "removed no. 1 (2026-12-24): tulis note: alasannya (SKB)",
    ]


def test_kb_check_reports_the_holiday_file(tmp_path: Path) -> None:
    good = knowledge_with(tmp_path / "good", ADDED)
    result = gratibot("kb", "check", tmp=tmp_path, KNOWLEDGE_DIR=str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "libur: 2 tambahan, 0 dihapus (holidays.yaml)" in result.stdout
    bad = knowledge_with(tmp_path / "bad", "added:\n  - date: 2026-11-10\n    kind: libur\n")
    result = gratibot("kb", "check", tmp=tmp_path, KNOWLEDGE_DIR=str(bad))
    assert result.returncode == 1
    assert "holidays.yaml:1: error: added no. 1 (2026-11-10): name harus diisi" in result.stdout


@pytest.mark.parametrize("text", ["[1, 2", "- just a list\n"])
def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path, text: str) -> None:
    knowledge = tmp_path / "k"
    knowledge.mkdir()
    (knowledge / "holidays.yaml").write_text(text, encoding="utf-8")
    changes, problems = read_changes(knowledge)
    assert len(problems) == 1 and not changes.holidays
    assert work_calendar(knowledge_dir=knowledge).is_workday(date(2026, 11, 2))
