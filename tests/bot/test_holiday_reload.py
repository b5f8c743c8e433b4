"""knowledge/holidays.yaml is reread while the bot runs, as the FAQ files are: an edit that
passes the checks moves the deadlines counted after it, within KNOWLEDGE_CHECK_SECONDS; a
broken edit is logged and the last good version stays in use. Deadlines already stored with a
declaration (its receipt's dates) stay as they were issued."""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.backoffice.deadlines import declaration_deadlines
from bot.config import Settings, load_settings
from bot.crypto import cipher_from_settings
from bot.holidays_id import IndonesianHolidays, LiveWorkCalendar
from bot.runtime import policy_from_settings
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from bot.store.models import Declaration
from bot.web.dashboard.workdays import calendar_for
from handlers.deadlines import uppg_due
from handlers.ports import Policy
from handlers.receipt import receipt_text
from tests.bot.test_holiday_changes import ADDED, RECEIVED, knowledge_with
from tests.bot.web.dashboard.test_late_reports import draft

NONE = "added: []\nremoved: []\n"
# Ten working days from Monday 2 Nov 2026 end on Friday 13 Nov; with the holiday ADDED puts
# on Tuesday 10 Nov, on Monday 16 Nov.
BEFORE, AFTER = date(2026, 11, 13), date(2026, 11, 16)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def edit(path: Path, text: str) -> None:
    """Writes the file as an admin would, a moment later than the version before."""
    old = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(old + 1_000_000_000, old + 1_000_000_000))


def test_an_edit_is_used_after_the_check_interval(tmp_path: Path) -> None:
    knowledge = knowledge_with(tmp_path, NONE)
    clock = Clock()
    calendar = LiveWorkCalendar(
        IndonesianHolidays(), knowledge_dir=knowledge, check_seconds=2.0, clock=clock
    )
    policy = Policy(timezone=Settings(_env_file=None).tz, calendar=calendar)  # type: ignore[call-arg]
    assert uppg_due(RECEIVED, policy) == BEFORE

    edit(knowledge / "holidays.yaml", ADDED)
    clock.now += 1.0  # not yet time to look
    assert uppg_due(RECEIVED, policy) == BEFORE
    clock.now += 1.5
    assert uppg_due(RECEIVED, policy) == AFTER
    assert calendar.holiday_name(date(2026, 11, 10)) == "Libur tambahan (Keppres contoh)"

    edit(knowledge / "holidays.yaml", NONE)  # the admin takes it out again
    clock.now += 2.0
    assert uppg_due(RECEIVED, policy) == BEFORE


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        ("added:\n  - date: 2026-11-20\n    name: [tidak ditutup\n", "bukan YAML yang benar"),
        # One wrong item among good ones: the whole edit waits, nothing half-applied.
        (
            ADDED + "  - date: 2026-11-20\n    kind: libur\n",
            "added no. 3 (2026-11-20): name harus diisi",
        ),
    ],
)
def test_a_broken_edit_keeps_the_last_good_version_and_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, broken: str, why: str
) -> None:
    knowledge = knowledge_with(tmp_path, ADDED)
    settings = load_settings(_env_file=None, knowledge_dir=knowledge, knowledge_check_seconds=0)
    policy = policy_from_settings(settings)  # the chat's calendar
    dashboard = calendar_for(settings)  # the dashboard's, which remembers its counts
    assert uppg_due(RECEIVED, policy) == AFTER
    assert dashboard.add_workdays(RECEIVED, 9) == AFTER

    with caplog.at_level(logging.ERROR, logger="bot.holidays_id"):
        edit(knowledge / "holidays.yaml", broken)
        assert uppg_due(RECEIVED, policy) == AFTER
        assert dashboard.add_workdays(RECEIVED, 9) == AFTER
        assert not policy.calendar.is_workday(date(2026, 11, 10))
        assert policy.calendar.is_workday(date(2026, 11, 20))
    rejected = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    # Once per process and calendar, not at every look.
    assert len(rejected) == 2, rejected
    assert all("keeping the holidays in use" in m and why in m for m in rejected)

    edit(knowledge / "holidays.yaml", NONE)  # fixed: the new version is used
    assert uppg_due(RECEIVED, policy) == BEFORE
    assert dashboard.add_workdays(RECEIVED, 9) == BEFORE


async def test_a_stored_declaration_keeps_the_deadlines_its_receipt_states(
    tmp_path: Path, database: Database
) -> None:
    knowledge = knowledge_with(tmp_path, NONE)
    settings = load_settings(
        _env_file=None, knowledge_dir=knowledge, knowledge_check_seconds=0, var_dir=tmp_path
    )
    policy = policy_from_settings(settings)
    store = SqlDeclarations(database, cipher_from_settings(settings), policy)
    reported = datetime(2026, 11, 3, 3, tzinfo=UTC)
    receipt = await store.submit(
        user_key="telegram:4711",
        channel="telegram",
        chat_id="4711",
        idempotency_key="sy lapor jam tangan dr rekanan",
        draft=draft("Dewi Lestari", RECEIVED.isoformat()),
        submitted_at=reported,
    )
    assert receipt.uppg_deadline == BEFORE
    issued = receipt_text(receipt, policy)

    edit(knowledge / "holidays.yaml", ADDED)
    assert uppg_due(RECEIVED, policy) == AFTER  # new counts use the edit
    # The reporter presses "Kirim" again: the same receipt, the same dates.
    again = await store.submit(
        user_key="telegram:4711",
        channel="telegram",
        chat_id="4711",
        idempotency_key="sy lapor jam tangan dr rekanan",
        draft=draft("Dewi Lestari", RECEIVED.isoformat()),
        submitted_at=reported,
    )
    assert again.uppg_deadline == BEFORE and not again.created
    shown = receipt_text(again, policy)
    for line in issued.splitlines():
        if line.startswith(("• Ke UPPG", "• Ke KPK", "Laporan Anda masuk")):
            assert line in shown
    assert "• Ke UPPG (10 HK): Jumat, 13 Nov 2026" in shown
    # Its dates were not counted with the new holiday: the receipt does not name it.
    assert "Libur tambahan" not in shown
    async with database.sessions() as session:
        stored = await session.get(Declaration, receipt.id)
        assert stored is not None
        assert stored.uppg_deadline == BEFORE
        deadlines = declaration_deadlines(stored, [], calendar_for(settings), settings)
        # The UPPG's forwarding date is still capped by the gift's stored 30-day date.
        assert deadlines[0].due is not None and deadlines[0].due <= stored.kpk_deadline
