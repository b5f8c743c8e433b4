"""bot.backoffice.threads.ask_reporter: the officer side of the thread (dashboard and chat)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.backoffice.threads import QUESTION_TOPIC, ask_reporter
from bot.backoffice.workflow import InvalidTransition
from bot.store.database import Database
from bot.store.models import AuditLog, Declaration, OutboxMessage, StatusChange, ThreadMessage

NOW = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)


async def make(db: Database, status: str = "diterima", report_type: str = "penerimaan") -> int:
    async with db.transaction() as session:
        declaration = Declaration(
            number=f"GRT-2026-{status[:6]}",
            idempotency_key=f"k-{status}-{report_type}",
            user_key="telegram:1",
            channel="telegram",
            chat_id="1",
            report_type=report_type,
            status=status,
            reporter_name="Siti",
            received_date=date(2026, 5, 1),
            details={},
        )
        session.add(declaration)
        await session.flush()
        return declaration.id


async def test_first_question_asks_for_completion(database: Database) -> None:
    declaration_id = await make(database)
    async with database.transaction() as session:
        message = await ask_reporter(
            session, declaration_id, "  Foto kuitansinya?  ", actor="siti", now=NOW
        )
    assert (message.direction, message.text, message.author) == (
        "to_reporter",
        "Foto kuitansinya?",
        "siti",
    )
    async with database.sessions() as session:
        declaration = await session.get(Declaration, declaration_id)
        change = (await session.execute(select(StatusChange))).scalar_one()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert declaration is not None and declaration.status == "perlu_dilengkapi"
    assert (change.from_status, change.note) == ("diterima", "Foto kuitansinya?")
    assert [o.topic for o in outbox] == ["reporter.status_changed"]


async def test_follow_up_question_joins_the_thread(database: Database) -> None:
    declaration_id = await make(database, status="perlu_dilengkapi")
    async with database.transaction() as session:
        message = await ask_reporter(session, declaration_id, "Nilainya?", actor="siti", now=NOW)
    async with database.sessions() as session:
        outbox = (await session.execute(select(OutboxMessage))).scalar_one()
        messages = (await session.execute(select(ThreadMessage))).scalars().all()
        changes = (await session.execute(select(StatusChange))).scalars().all()
        audit = (await session.execute(select(AuditLog))).scalar_one()
    assert outbox.topic == QUESTION_TOPIC == "reporter.question"
    assert outbox.payload == {"declaration_id": declaration_id, "thread_message_id": message.id}
    assert outbox.dedupe_key == f"question:{message.id}"
    assert [m.text for m in messages] == ["Nilainya?"]
    assert changes == []
    assert (audit.action, audit.actor) == ("thread_message", "siti")


@pytest.mark.parametrize(
    ("status", "report_type", "text", "reason"),
    [
        ("selesai", "penerimaan", "Masih ada?", "tidak dapat dikirim"),
        ("dicatat", "penolakan", "Kapan?", "tidak dapat dikirim"),
        ("diterima", "penerimaan", "   ", "Tulis dulu"),
        ("diterima", "penerimaan", "x" * 2001, "terlalu panjang"),
    ],
)
async def test_refused_questions(
    database: Database, status: str, report_type: str, text: str, reason: str
) -> None:
    declaration_id = await make(database, status=status, report_type=report_type)
    async with database.transaction() as session:
        with pytest.raises(InvalidTransition, match=reason):
            await ask_reporter(session, declaration_id, text, actor="siti", now=NOW)
    async with database.sessions() as session:
        assert (await session.execute(select(ThreadMessage))).first() is None
        assert (await session.execute(select(OutboxMessage))).first() is None


async def test_unknown_declaration(database: Database) -> None:
    async with database.transaction() as session:
        with pytest.raises(InvalidTransition, match="tidak ditemukan"):
            await ask_reporter(session, 12345, "Halo?", actor="siti", now=NOW)
