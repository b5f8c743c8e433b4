"""The deadlines of handlers/deadlines.py across Lebaran 2026: the day-one setting, the cap of
the UPPG's forwarding date by the gift's own 30-day date, and the completion start."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.holidays_id import work_calendar
from handlers.deadlines import (
    add_workdays,
    completion_due,
    forwarding_due,
    gift_deadlines,
    needs_direct_report,
    workdays_left,
)
from handlers.ports import Policy

JAKARTA = ZoneInfo("Asia/Jakarta")
RECEIVED = date(2026, 3, 16)  # Monday before Nyepi (19 Mar) and Idul Fitri 2026
CALENDAR = work_calendar()
POLICY = Policy(timezone=JAKARTA, calendar=CALENDAR)


@pytest.mark.parametrize(
    ("count_start", "cuti_is_workday", "uppg", "kpk"),
    [
        # Day one is the Monday received; the cuti bersama of 18, 20, 23, 24 Mar count.
        (True, True, date(2026, 3, 30), date(2026, 4, 28)),
        # Cuti bersama off as well; Good Friday (3 Apr) is a holiday either way.
        (True, False, date(2026, 4, 6), date(2026, 5, 5)),
        # Counting from the day after: one working day later, as in the reference's example.
        (False, True, date(2026, 3, 31), date(2026, 4, 29)),
        (False, False, date(2026, 4, 7), date(2026, 5, 6)),
    ],
)
def test_the_day_received_is_day_one_by_default(
    count_start: bool, cuti_is_workday: bool, uppg: date, kpk: date
) -> None:
    policy = Policy(
        timezone=JAKARTA,
        calendar=work_calendar(cuti_bersama_is_workday=cuti_is_workday),
        count_start_day=count_start,
    )
    found = gift_deadlines(RECEIVED, RECEIVED, policy)
    assert (found.uppg, found.kpk) == (uppg, kpk)
    assert not found.late_uppg and not found.late_kpk
    assert POLICY.count_start_day  # the earlier, safer date is the default


def test_a_gift_received_on_a_weekend_starts_on_monday_either_way() -> None:
    saturday = date(2026, 2, 7)
    later = Policy(timezone=JAKARTA, calendar=CALENDAR, count_start_day=False)
    assert add_workdays(saturday, 1, POLICY) == date(2026, 2, 9)
    assert add_workdays(saturday, 1, later) == date(2026, 2, 9)


@pytest.mark.parametrize(
    ("reported", "forwarding"),
    [
        # Early: the UPPG's own 10 days end well before the gift's 30-day date (28 Apr).
        (date(2026, 3, 16), date(2026, 3, 30)),
        (date(2026, 4, 1), date(2026, 4, 15)),
        # Its own 10 days would end on 28 Apr exactly: no cap needed yet.
        (date(2026, 4, 15), date(2026, 4, 28)),
        # They would end on 11 May: capped at the gift's 30-day date.
        (date(2026, 4, 27), date(2026, 4, 28)),
        (date(2026, 4, 28), date(2026, 4, 28)),
    ],
)
def test_forwarding_is_capped_by_the_gifts_30_day_date(reported: date, forwarding: date) -> None:
    assert forwarding_due(RECEIVED, reported, POLICY) == forwarding
    found = gift_deadlines(RECEIVED, reported, POLICY)
    assert found.forwarding == forwarding <= found.kpk
    assert found.forwarding_capped is (reported >= date(2026, 4, 16))


def test_a_late_report_still_gives_the_uppg_its_own_days() -> None:
    found = gift_deadlines(RECEIVED, date(2026, 4, 29), POLICY)
    assert found.late_kpk and found.forwarding == date(2026, 5, 13)
    assert not needs_direct_report(found, POLICY)  # too late for that: the warning says so


def test_completion_counts_from_the_reporting_date() -> None:
    # 20 working days from the reporting date (day one), whenever the UPPG asks for more.
    assert completion_due(date(2026, 4, 1), POLICY) == date(2026, 4, 29)
    assert gift_deadlines(RECEIVED, date(2026, 4, 1), POLICY).completion == date(2026, 4, 29)
    short = Policy(timezone=JAKARTA, calendar=CALENDAR, completion_workdays=10)
    assert completion_due(date(2026, 4, 1), short) == date(2026, 4, 15)


@pytest.mark.parametrize(
    ("reported", "left", "direct"),
    [
        (date(2026, 4, 14), 11, False),
        (date(2026, 4, 15), 10, True),
        (date(2026, 4, 28), 1, True),
    ],
)
def test_ten_working_days_or_fewer_means_report_to_kpk_directly(
    reported: date, left: int, direct: bool
) -> None:
    found = gift_deadlines(RECEIVED, reported, POLICY)
    assert workdays_left(reported, found.kpk, POLICY) == left
    assert needs_direct_report(found, POLICY) is direct


def test_a_slow_uppg_setting_triggers_the_direct_report_earlier() -> None:
    # With 14 UPPG days (a Perkada like Magetan's), 12 days left already cannot fit them.
    slow = Policy(timezone=JAKARTA, calendar=CALENDAR, uppg_to_kpk_workdays=14)
    found = gift_deadlines(RECEIVED, date(2026, 4, 13), slow)
    assert workdays_left(found.reported, found.kpk, slow) == 12
    assert found.forwarding_capped and needs_direct_report(found, slow)
