"""The status workflow: allowed transitions, refusals with reasons, what a change writes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.backoffice.workflow import TRANSITIONS, InvalidTransition, change_status, check_transition
from bot.store.database import Database
from bot.store.models import AuditLog, Declaration, OutboxMessage, StatusChange, ThreadMessage
from handlers import statuses as st

DETAILS = {
    "note": "Mohon lampirkan foto barang.",
    "forwarded_on": "2026-11-20",
    "kpk_reference": "GOL-123",
    "sk_number": "SK-1/2026",
    "sk_date": "2026-12-01",
}


async def _declaration(db: Database, report_type: str = "penerimaan") -> int:
    async with db.transaction() as session:
        row = Declaration(
            number=f"GRT-2026-{report_type[:3]}",
            idempotency_key=report_type,
            user_key="test:u1",
            channel="test",
            chat_id="u1",
            report_type=report_type,
            status=st.DITERIMA,
            reporter_name="Ani",
            received_date=date(2026, 11, 16),
        )
        session.add(row)
        await session.flush()
        return row.id


@pytest.mark.parametrize(
    ("report_type", "source", "target"),
    [(rt, s, t) for rt, table in TRANSITIONS.items() for s, ts in table.items() for t in ts],
)
def test_every_allowed_transition_passes_with_details(
    report_type: str, source: str, target: str
) -> None:
    check_transition(report_type, source, target, DETAILS)


@pytest.mark.parametrize(
    ("report_type", "source", "target"),
    [
        ("penerimaan", st.DITERIMA, st.DITERUSKAN_KPK),  # not verified yet
        ("penerimaan", st.DITERIMA, st.MILIK_NEGARA),
        ("penerimaan", st.SELESAI, st.DITERIMA),
        ("penerimaan", st.DIVERIFIKASI, st.DICATAT),
        ("penolakan", st.DITERIMA, st.DITERUSKAN_KPK),
        ("penolakan", st.DICATAT, st.SELESAI),
    ],
)
def test_invalid_transitions_are_refused_with_a_reason(
    report_type: str, source: str, target: str
) -> None:
    with pytest.raises(InvalidTransition, match="tidak dapat diubah"):
        check_transition(report_type, source, target, DETAILS)


def test_missing_details_are_named() -> None:
    with pytest.raises(InvalidTransition, match="nomor SK, tanggal SK"):
        check_transition("penerimaan", st.DITERUSKAN_KPK, st.MILIK_NEGARA, {})


async def test_full_path_writes_history_audit_and_notifications(database: Database) -> None:
    decl_id = await _declaration(database)
    path = [st.PERLU_DILENGKAPI, st.DIVERIFIKASI, st.DITERUSKAN_KPK, st.MILIK_NEGARA, st.SELESAI]
    for target in path:
        async with database.transaction() as session:
            await change_status(session, decl_id, target, actor="officer:budi", details=DETAILS)
    async with database.sessions() as session:
        decl = await session.get(Declaration, decl_id)
        assert decl is not None and decl.status == st.SELESAI
        assert decl.decision == st.MILIK_NEGARA and decl.sk_date == date(2026, 12, 1)
        assert decl.kpk_reference == "GOL-123" and decl.closed_at is not None
        changes = (await session.execute(select(StatusChange))).scalars().all()
        assert [c.to_status for c in changes] == path
        assert [c.from_status for c in changes] == [st.DITERIMA, *path[:-1]]
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
        assert len(outbox) == len(path)
        assert {o.topic for o in outbox} == {"reporter.status_changed"}
        audit = (await session.execute(select(AuditLog))).scalars().all()
        assert len(audit) == len(path) and audit[0].actor == "officer:budi"
        thread = (await session.execute(select(ThreadMessage))).scalars().all()
        assert [t.text for t in thread] == [DETAILS["note"]]


async def test_refused_change_writes_nothing(database: Database) -> None:
    decl_id = await _declaration(database, "penolakan")
    with pytest.raises(InvalidTransition):
        async with database.transaction() as session:
            await change_status(session, decl_id, st.DITERUSKAN_KPK, actor="x", details=DETAILS)
    async with database.transaction() as session:
        await change_status(session, decl_id, st.DICATAT, actor="x")
    async with database.sessions() as session:
        assert len((await session.execute(select(StatusChange))).scalars().all()) == 1
