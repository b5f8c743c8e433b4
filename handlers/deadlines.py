"""The legal deadlines of a received gift, in working days: the one place they are computed.

Every place that shows a deadline (the check's verdict, the receipt, the UPPG's chat card, the
dashboard, the digest) calls these functions, so they can never disagree.

- Reporter -> UPPG: policy.uppg_deadline_workdays (the local regulation; bot/config.py caps
  it so that the UPPG's own days still fit in the 30).
- Reporter -> KPK: policy.kpk_deadline_workdays, 30 (UU 20/2001 Pasal 12C ayat (2)). This is
  the gift's own date: no source says that a report to the UPPG stops this clock.
- UPPG -> KPK: policy.uppg_to_kpk_workdays from the day the UPPG received the report, and
  never after the gift's own 30-day date: min(UPPG receipt + N, received + 30).
- Completing an incomplete report: policy.completion_workdays (20 since PerKPK 1/2026) from
  the reporting date ("sejak tanggal pelaporan"), not from the day the UPPG asks.
- KPK's decision: policy.kpk_decision_workdays (30, Pasal 12C ayat (3)) from forwarding.

Whether the first day (the day received, the day the UPPG got the report, the reporting
date) is itself day one is not settled by any source; policy.count_start_day (on by default)
counts it, which gives the earlier, safer date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from handlers.ports import Policy

# The statute's own figures: UU 20/2001 Pasal 12C ayat (2) (report within 30 hari kerja) and
# ayat (3) (KPK decides within 30 hari kerja). The settings may differ (a stricter local
# rule); a text that cites the article states the article's figure, and the setting apart.
STATUTE_WORKDAYS = 30


def statute_days(configured: int, cite: str, *, unit: str = "hari kerja") -> str:
    """The figure next to a citation of Pasal 12C: "30 hari kerja, Pasal 12C UU 20/2001", or,
    when the setting differs, "Pasal 12C UU 20/2001: 30 hari kerja; batas UPPG: 25 hari kerja"."""
    if configured == STATUTE_WORKDAYS:
        return f"{configured} {unit}, {cite}"
    return f"{cite}: {STATUTE_WORKDAYS} {unit}; batas UPPG: {configured} {unit}"


# When this many working days or fewer are left to the gift's 30-day date, the reporter is
# told to report directly to KPK as well: the UPPG's own forwarding time may not fit.
DIRECT_TO_KPK_WORKDAYS = 10


def add_workdays(start: date, count: int, policy: Policy) -> date:
    """The last day of a period of `count` working days that starts on `start`.

    With policy.count_start_day, a start that is itself a working day is day one."""
    calendar = policy.calendar
    if count > 0 and policy.count_start_day and calendar.is_workday(start):
        return calendar.add_workdays(start, count - 1)
    return calendar.add_workdays(start, count)


def workdays_left(today: date, due: date, policy: Policy) -> int:
    """Working days from today up to and including `due` (today counts when it is one)."""
    return policy.calendar.workdays_between(today - timedelta(days=1), due)


@dataclass(frozen=True)
class GiftDeadlines:
    """A gift's deadlines as of the day it was reported (to the UPPG, by this bot)."""

    received: date
    reported: date
    uppg: date  # the reporter's deadline to the UPPG
    kpk: date  # the reporter's deadline to KPK: the gift's own 30-day date
    forwarding: date  # the UPPG's deadline to KPK: min(own days, the gift's 30-day date)
    forwarding_own: date  # where the UPPG's own days alone would end
    completion: date  # completing the report, if the UPPG asks for more
    days_off: tuple[tuple[date, str], ...]

    @property
    def late_uppg(self) -> bool:
        return self.reported > self.uppg

    @property
    def late_kpk(self) -> bool:
        return self.reported > self.kpk

    @property
    def forwarding_capped(self) -> bool:
        """The UPPG's own days would end after the gift's 30-day date."""
        return self.forwarding_own > self.kpk and not self.late_kpk


def kpk_due(received: date, policy: Policy) -> date:
    """The gift's own 30-working-day date (Pasal 12C ayat (2))."""
    return add_workdays(received, policy.kpk_deadline_workdays, policy)


def uppg_due(received: date, policy: Policy) -> date:
    """The reporter's deadline to the UPPG (the local regulation)."""
    return add_workdays(received, policy.uppg_deadline_workdays, policy)


def uppg_forwarding_end(uppg_received: date, policy: Policy) -> date:
    """Where the UPPG's own forwarding days end, before the cap."""
    return add_workdays(uppg_received, policy.uppg_to_kpk_workdays, policy)


def forwarding_due(
    received: date, uppg_received: date, policy: Policy, *, gift_due: date | None = None
) -> date:
    """The UPPG's deadline to forward to KPK: its own days, capped by the gift's 30-day date.

    gift_due: the gift's own date as stored when the report was made (its receipt states
    it); counted again from the calendar when not given. Past it (a late report) the UPPG
    still gets its own days."""
    own = uppg_forwarding_end(uppg_received, policy)
    gift = gift_due or kpk_due(received, policy)
    return own if uppg_received > gift else min(own, gift)


def completion_due(reported: date, policy: Policy) -> date:
    """The deadline to complete an incomplete report: from the reporting date (PerKPK 1/2026)."""
    return add_workdays(reported, policy.completion_workdays, policy)


def kpk_decision_due(forwarded: date, policy: Policy) -> date:
    """KPK's decision, counted from the day the report reached it (Pasal 12C ayat (3))."""
    return add_workdays(forwarded, policy.kpk_decision_workdays, policy)


def gift_deadlines(
    received: date,
    reported: date,
    policy: Policy,
    *,
    issued: tuple[date, date] | None = None,
) -> GiftDeadlines:
    """Every deadline of a gift received on `received` and reported to the UPPG on `reported`.

    issued: the (UPPG, KPK) dates stored when the report was made, for a receipt shown
    again: they stay as issued when the holiday calendar or a setting changes since."""
    counted = (uppg_due(received, policy), kpk_due(received, policy))
    uppg, kpk = issued or counted
    # The days off a receipt names are the ones its dates were counted with: when the
    # calendar has changed since it was issued, today's list would not explain them.
    days_off = (
        tuple(policy.calendar.days_off(received, kpk))
        if (issued is None or issued == counted)
        else ()
    )
    return GiftDeadlines(
        received=received,
        reported=reported,
        uppg=uppg,
        kpk=kpk,
        forwarding=forwarding_due(received, reported, policy, gift_due=kpk),
        forwarding_own=uppg_forwarding_end(reported, policy),
        completion=completion_due(reported, policy),
        days_off=days_off,
    )


def needs_direct_report(deadlines: GiftDeadlines, policy: Policy) -> bool:
    """Whether to tell the reporter to report directly to KPK (GOL) as well."""
    if deadlines.late_kpk:
        return False
    left = workdays_left(deadlines.reported, deadlines.kpk, policy)
    return deadlines.forwarding_capped or left <= DIRECT_TO_KPK_WORKDAYS
