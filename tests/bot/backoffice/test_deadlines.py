"""UPPG-side deadlines across Lebaran 2026: the forwarding cap, the completion start, the SK's
hand-over date, and the same dates as the receipt (one source: handlers/deadlines.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.backoffice.deadlines import HANDOVER_DUE, declaration_deadlines, policy_for
from bot.config import Settings
from bot.holidays_id import work_calendar
from bot.store.models import Declaration, StatusChange
from handlers import statuses as st
from handlers.deadlines import gift_deadlines


def _declaration(**fields: object) -> Declaration:
    base: dict[str, object] = dict(
        number="GRT-2026-000001",
        report_type="penerimaan",
        status=st.DITERIMA,
        received_date=date(2026, 3, 10),
        submitted_at=datetime(2026, 3, 16, 3, 0, tzinfo=UTC),
        uppg_received_at=None,
        forwarded_at=None,
        decision=None,
        sk_number=None,
        sk_date=None,
    )
    base.update(fields)
    return Declaration(**base)


def test_uppg_to_kpk_across_lebaran(settings: Settings) -> None:
    # Reported Mon 16 Mar (day one); Nyepi (19 Mar) is off; the cuti bersama count.
    found = declaration_deadlines(_declaration(), [], work_calendar(), settings)
    assert [(d.key, d.due) for d in found] == [("uppg_to_kpk", date(2026, 3, 30))]
    lenient = declaration_deadlines(
        _declaration(), [], work_calendar(cuti_bersama_is_workday=False), settings
    )
    assert lenient[0].due == date(2026, 4, 6)
    assert found[0].overdue(date(2026, 3, 31)) and not found[0].overdue(date(2026, 3, 30))
    assert "Pasal 12C" in found[0].basis


def test_forwarding_never_falls_after_the_gifts_30_day_date(settings: Settings) -> None:
    # Received 10 Mar: its 30 working days end on 22 Apr. Reported on 14 Apr, the UPPG's own
    # 10 days would end on 27 Apr: capped at 22 Apr.
    late = _declaration(submitted_at=datetime(2026, 4, 14, 3, tzinfo=UTC))
    found = declaration_deadlines(late, [], work_calendar(), settings)
    assert found[0].due == date(2026, 4, 22)
    # The card, the dashboard and the receipt agree: one function computes it.
    policy = policy_for(settings, work_calendar())
    assert gift_deadlines(date(2026, 3, 10), date(2026, 4, 14), policy).forwarding == (found[0].due)


def test_completion_counts_from_the_reporting_date(settings: Settings) -> None:
    # The UPPG asked on 1 Apr; 20 working days still run from the report of 16 Mar.
    asked = [StatusChange(to_status=st.PERLU_DILENGKAPI, at=datetime(2026, 4, 1, 2, tzinfo=UTC))]
    decl = _declaration(status=st.PERLU_DILENGKAPI)
    found = {d.key: d for d in declaration_deadlines(decl, asked, work_calendar(), settings)}
    assert found["completion"].start == date(2026, 3, 16)
    assert found["completion"].due == date(2026, 4, 14)
    assert "sejak tanggal pelaporan" in found["completion"].basis


def test_the_hand_over_deadline_is_the_sks(settings: Settings) -> None:
    decided = StatusChange(
        to_status=st.MILIK_NEGARA,
        at=datetime(2026, 5, 4, tzinfo=UTC),
        details={"sk_number": "123/GRA/2026", HANDOVER_DUE: "2026-05-20"},
    )
    decl = _declaration(
        status=st.MILIK_NEGARA,
        forwarded_at=datetime(2026, 3, 25, tzinfo=UTC),
        decision=st.MILIK_NEGARA,
        sk_number="123/GRA/2026",
        sk_date=date(2026, 4, 30),
    )
    found = {d.key: d for d in declaration_deadlines(decl, [decided], work_calendar(), settings)}
    handover = found["handover"]
    assert handover.due == date(2026, 5, 20) and handover.overdue(date(2026, 5, 21))
    assert "SK KPK 123/GRA/2026" in handover.basis
    # Pasal 17(6)'s 7 days are KPK's duty to the Minister of Finance, not the reporter's.
    assert "17" not in handover.basis


def test_a_hand_over_date_not_entered_yet_is_never_overdue(settings: Settings) -> None:
    decl = _declaration(
        status=st.MILIK_NEGARA,
        forwarded_at=datetime(2026, 3, 25, tzinfo=UTC),
        decision=st.MILIK_NEGARA,
        sk_date=date(2026, 4, 30),
    )
    decided = StatusChange(to_status=st.MILIK_NEGARA, at=datetime(2026, 5, 4, tzinfo=UTC))
    found = {d.key: d for d in declaration_deadlines(decl, [decided], work_calendar(), settings)}
    assert found["handover"].due is None and not found["handover"].overdue(date(2027, 1, 1))


def test_later_deadlines_appear_as_the_case_moves(settings: Settings) -> None:
    changes = [StatusChange(to_status=st.PERLU_DILENGKAPI, at=datetime(2026, 3, 17, tzinfo=UTC))]
    decl = _declaration(
        status=st.SELESAI,
        forwarded_at=datetime(2026, 3, 25, tzinfo=UTC),
        decision=st.MILIK_NEGARA,
        sk_date=date(2026, 4, 30),
    )
    found = {d.key: d for d in declaration_deadlines(decl, changes, work_calendar(), settings)}
    assert set(found) == {"uppg_to_kpk", "completion", "kpk_decision", "handover"}
    assert all(d.done for d in found.values())


def test_refusals_have_no_kpk_deadlines(settings: Settings) -> None:
    assert (
        declaration_deadlines(_declaration(report_type="penolakan"), [], work_calendar(), settings)
        == []
    )
