"""UPPG-side deadlines across Lebaran 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.backoffice.deadlines import declaration_deadlines
from bot.config import Settings
from bot.holidays_id import work_calendar
from bot.store.models import Declaration, StatusChange
from handlers import statuses as st


def _declaration(**fields: object) -> Declaration:
    base: dict[str, object] = dict(
        report_type="penerimaan",
        status=st.DITERIMA,
        received_date=date(2026, 3, 10),
        submitted_at=datetime(2026, 3, 16, 3, 0, tzinfo=UTC),
        uppg_received_at=None,
        forwarded_at=None,
        decision=None,
        sk_date=None,
    )
    base.update(fields)
    return Declaration(**base)


def test_uppg_to_kpk_across_lebaran(settings: Settings) -> None:
    found = declaration_deadlines(_declaration(), [], work_calendar(), settings)
    assert [(d.key, d.due) for d in found] == [("uppg_to_kpk", date(2026, 3, 31))]
    lenient = declaration_deadlines(
        _declaration(), [], work_calendar(cuti_bersama_is_workday=False), settings
    )
    assert lenient[0].due == date(2026, 4, 7)
    assert found[0].overdue(date(2026, 4, 1)) and not found[0].overdue(date(2026, 3, 31))


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
    assert found["handover"].due == date(2026, 5, 12)  # 1 May and 14 May are holidays


def test_refusals_have_no_kpk_deadlines(settings: Settings) -> None:
    assert (
        declaration_deadlines(_declaration(report_type="penolakan"), [], work_calendar(), settings)
        == []
    )
