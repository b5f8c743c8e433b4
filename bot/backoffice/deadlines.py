"""The deadlines of a declaration on the UPPG's side, as the card, dashboard and digest show them.

The dates come from handlers/deadlines.py, the one place deadlines are computed (the receipt
and the check use it too); this module adds labels, bases and whether each is done.

- UPPG -> KPK: min(UPPG receipt + UPPG_TO_KPK_WORKDAYS, the gift's own 30-day date).
- Completing an incomplete report: COMPLETION_WORKDAYS from the reporting date.
- KPK's decision: KPK_DECISION_WORKDAYS from forwarding (Pasal 12C ayat (3)).
- Handing over an object that became milik negara: the date in KPK's decision letter (SK).
  UU 30/2002 Pasal 17 ayat (6) gives KPK, not the reporter, 7 working days to hand state
  property to the Minister of Finance, so it is no basis for the reporter's deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.store.declarations import WorkdayCounts, counts_of
from bot.store.models import Declaration, StatusChange
from handlers import deadlines as legal
from handlers import statuses as st
from handlers.ports import Policy
from handlers.workdays import WorkCalendar

# The StatusChange detail (and dashboard field) holding the SK's hand-over or payment date.
HANDOVER_DUE = "handover_due"


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    start: date
    # None: the deadline is the one the SK states, and nobody has entered it yet.
    due: date | None
    done: bool
    basis: str

    def overdue(self, today: date) -> bool:
        return not self.done and self.due is not None and today > self.due


def policy_for(settings: Settings, calendar: WorkCalendar) -> Policy:
    """The settings as the Policy the flows and handlers/deadlines.py read (one mapping)."""
    return Policy(
        timezone=settings.tz,
        calendar=calendar,
        uppg_deadline_workdays=settings.uppg_deadline_workdays,
        kpk_deadline_workdays=settings.kpk_deadline_workdays,
        uppg_to_kpk_workdays=settings.uppg_to_kpk_workdays,
        completion_workdays=settings.completion_workdays,
        kpk_decision_workdays=settings.kpk_decision_workdays,
        count_start_day=settings.count_start_day,
        draft_ttl_days=settings.draft_ttl_days,
        max_attachment_bytes=settings.max_attachment_bytes,
        retention_years=settings.retention_years,
    )


def _local(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def forwarding_due(declaration: Declaration, settings: Settings, calendar: WorkCalendar) -> date:
    """When the UPPG must have forwarded this declaration to KPK."""
    policy = policy_for(settings, calendar)
    received_by_uppg = _local(declaration.uppg_received_at or declaration.submitted_at, settings.tz)
    return legal.forwarding_due(
        declaration.received_date, received_by_uppg, policy, gift_due=declaration.kpk_deadline
    )


def declaration_deadlines(
    declaration: Declaration,
    changes: Sequence[StatusChange],
    calendar: WorkCalendar,
    settings: Settings,
) -> list[Deadline]:
    """The UPPG-side deadlines that apply to this declaration so far, in order."""
    if declaration.report_type != "penerimaan":
        return []
    tz = settings.tz
    policy = policy_for(settings, calendar)
    counts = counts_of(declaration, settings)
    received_by_uppg = _local(declaration.uppg_received_at or declaration.submitted_at, tz)
    found = [
        Deadline(
            key="uppg_to_kpk",
            label="UPPG meneruskan ke KPK",
            start=received_by_uppg,
            # Capped by the gift's own date as stored at submission (and on its receipt).
            due=legal.forwarding_due(
                declaration.received_date,
                received_by_uppg,
                policy,
                gift_due=declaration.kpk_deadline,
            ),
            # A report the UPPG closed itself (returned, social aid, duplicate...) is not due.
            done=declaration.forwarded_at is not None or declaration.status in st.CLOSED,
            basis=(
                f"{policy.uppg_to_kpk_workdays} hari kerja sejak diterima UPPG (mis. Perban BPIP "
                f"4/2021 Pasal 7 ayat 3), tidak melewati {counts.kpk} hari kerja sejak "
                "gratifikasi diterima (Pasal 12C ayat 2 UU 20/2001"
                + (
                    ")"
                    if counts.kpk == legal.STATUTE_WORKDAYS
                    else f": {legal.STATUTE_WORKDAYS} hari kerja; {counts.kpk} batas UPPG)"
                )
            ),
        )
    ]
    if any(c.to_status == st.PERLU_DILENGKAPI for c in changes):
        reported = _local(declaration.submitted_at, tz)
        found.append(
            Deadline(
                key="completion",
                label="Pelapor melengkapi laporan",
                start=reported,
                due=legal.completion_due(reported, policy),
                done=declaration.status != st.PERLU_DILENGKAPI,
                basis=(
                    f"PerKPK 1/2026: {policy.completion_workdays} hari kerja sejak tanggal "
                    "pelaporan (sebelumnya 30)"
                ),
            )
        )
    if declaration.forwarded_at is not None:
        start = _local(declaration.forwarded_at, tz)
        found.append(
            Deadline(
                key="kpk_decision",
                label="Keputusan KPK",
                start=start,
                due=legal.kpk_decision_due(start, policy),
                done=declaration.decision is not None,
                basis=(
                    f"{policy.kpk_decision_workdays} hari kerja sejak laporan diterima KPK "
                    "(UU 20/2001 Pasal 12C ayat 3; UU 30/2002 Pasal 17 ayat 1)"
                    if policy.kpk_decision_workdays == legal.STATUTE_WORKDAYS
                    else f"{policy.kpk_decision_workdays} hari kerja sejak laporan diterima KPK "
                    f"(batas UPPG; UU 20/2001 Pasal 12C ayat 3 dan UU 30/2002 Pasal 17 ayat 1: "
                    f"{legal.STATUTE_WORKDAYS} hari kerja)"
                ),
            )
        )
    if declaration.decision in st.STATE_PROPERTY and declaration.sk_date is not None:
        decided = [c for c in changes if c.to_status == declaration.decision]
        due = _date((decided[-1].details or {}).get(HANDOVER_DUE)) if decided else None
        sk = f"SK KPK {declaration.sk_number or ''}".strip()
        found.append(
            Deadline(
                key="handover",
                label="Penyerahan objek milik negara",
                start=declaration.sk_date,
                due=due,
                done=declaration.status == st.SELESAI,
                basis=f"batas penyerahan atau pembayaran dalam {sk}",
            )
        )
    return found


@dataclass(frozen=True)
class LateReport:
    """Whether the reporter reported late, as their receipt told them.

    Both dates were computed at submission by handlers/deadlines.py, in working days of the
    same calendar (uppg_deadline: the reporter's own deadline to the UPPG; kpk_deadline: the
    gift's 30 working days), and stored with the declaration; `late` is the 30-day flag."""

    to_uppg: bool  # reported after the reporter's deadline to the UPPG
    to_kpk: bool  # reported after the gift's 30 working days (Pasal 12C ayat 2)
    uppg_due: date | None
    reported: date | None
    # The working days the two dates were counted with (counts_of).
    counts: WorkdayCounts | None = None

    @property
    def label(self) -> str:
        """The short flag the queue, the card and the exports show ("" when on time)."""
        if self.to_kpk:
            if self.counts is None:
                return "terlambat: lewat batas ke KPK"
            return f"terlambat: lewat {self.counts.kpk} hari kerja"
        if self.to_uppg:
            return "terlambat ke UPPG"
        return ""


def late_report(declaration: Declaration, settings: Settings) -> LateReport:
    """How late this declaration was reported (a refusal has no reporter deadline here)."""
    tz = settings.tz
    reported = _local(declaration.submitted_at, tz) if declaration.submitted_at else None
    due = declaration.uppg_deadline if declaration.report_type == "penerimaan" else None
    to_kpk = bool(declaration.late) and declaration.report_type == "penerimaan"
    to_uppg = to_kpk or (due is not None and reported is not None and reported > due)
    return LateReport(
        to_uppg=to_uppg,
        to_kpk=to_kpk,
        uppg_due=due,
        reported=reported,
        counts=counts_of(declaration, settings),
    )


# A report with nothing late (the default of a queue row).
ON_TIME = LateReport(to_uppg=False, to_kpk=False, uppg_due=None, reported=None)
