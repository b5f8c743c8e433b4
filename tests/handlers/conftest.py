"""Fixtures for the flow tests."""

from __future__ import annotations

from datetime import date

import pytest

from bot.holidays_id import work_calendar


@pytest.fixture(scope="session", autouse=True)
def _holiday_tables_loaded() -> None:
    """Loads the holiday tables of the years the tests use once per test process, before any
    conversation lock is taken: a first load takes a good part of a second, and on a busy
    machine more than a conversation lock may last."""
    calendar = work_calendar()
    for year in (2025, 2026, 2027):
        calendar.holiday_name(date(year, 1, 1))
        calendar.cuti_bersama_name(date(year, 1, 1))
