"""Migrations 0010 and 0011 over rows written before them (SQLite and PostgreSQL): WhatsApp
numbers as user keys become pseudonyms, the number survives only encrypted; names, NIPs and
e-mails are sealed and indexed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from bot.crypto import Cipher
from bot.knowledge.source import user_hash
from bot.store.database import Database, alembic_config
from bot.store.models import (
    AuditLog,
    Declaration,
    Draft,
    FaqQuestion,
    OutboxMessage,
    Profile,
    StatusChange,
    ThreadMessage,
)
from bot.store.sealed import word_hash
from tests.conftest import data_cipher

NUMBER = "6281234567890"
OFFICER = "6281100"


async def _alembic(db: Database, cipher: Cipher, step: Callable[[Config], None]) -> None:
    def run(conn: Connection) -> None:
        step(alembic_config(conn, cipher))

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


def _faq_hash(user_key: str) -> str:
    return hashlib.sha256(f"gratibot-faq:{user_key}".encode()).hexdigest()


async def _old_rows(db: Database) -> None:
    """Rows as 0009 wrote them: the number in user keys, chat ids, authors and payloads."""
    declaration: dict[str, Any] = {
        "number": "GRT-2026-000001",
        "idempotency_key": "k1",
        "user_key": f"whatsapp:{NUMBER}",
        "channel": "whatsapp",
        "chat_id": NUMBER,
        "report_type": "penerimaan",
        "status": "diterima",
        "reporter_name": "Ani",
        "received_date": date(2026, 11, 20),
        "confidential": False,
        "late": False,
        "details": {},
    }
    async with db.engine.begin() as conn:
        await conn.execute(insert(Declaration.__table__).values(**declaration))
        telegram = declaration | {
            "number": "GRT-2026-000002",
            "idempotency_key": "k2",
            "user_key": "telegram:5151",
            "channel": "telegram",
            "chat_id": "5151",
        }
        await conn.execute(insert(Declaration.__table__).values(**telegram))
        await conn.execute(
            insert(Profile.__table__).values(user_key=f"whatsapp:{NUMBER}", name="Ani")
        )
        await conn.execute(
            insert(Draft.__table__).values(
                user_key=f"whatsapp:{NUMBER}", channel="whatsapp", chat_id=NUMBER
            )
        )
        await conn.execute(
            insert(ThreadMessage.__table__).values(
                declaration_id=1, direction="from_reporter", author=f"whatsapp:{NUMBER}", text="x"
            )
        )
        await conn.execute(
            insert(StatusChange.__table__).values(
                declaration_id=1, to_status="diterima", actor=f"whatsapp:{NUMBER}", details={}
            )
        )
        await conn.execute(
            insert(AuditLog.__table__).values(
                actor=f"whatsapp:{NUMBER}", action="export_receipt", details={}
            )
        )
        outbox = [
            (
                "reporter.draft_reminder",
                "draft:1:2026-12-11",
                {"channel": "whatsapp", "chat_id": NUMBER},
            ),
            ("uppg.send", f"card:1:wa:{OFFICER}", {"kind": "card", "dest": f"wa:{OFFICER}"}),
            ("uppg.send", "card:1:telegram", {"kind": "card", "dest": "telegram"}),
        ]
        for topic, key, payload in outbox:
            await conn.execute(
                insert(OutboxMessage.__table__).values(
                    topic=topic, dedupe_key=key, payload=payload, status="pending", attempts=0
                )
            )
        for user_hash in (_faq_hash(f"whatsapp:{NUMBER}"), _faq_hash("whatsapp:6289999")):
            await conn.execute(
                insert(FaqQuestion.__table__).values(
                    text="q",
                    normalised="q",
                    outcome="fallback",
                    score=0.0,
                    suggestions=[],
                    user_hash=user_hash,
                )
            )


async def test_numbers_become_pseudonyms_and_encrypted_chat_ids(any_database: Database) -> None:
    db = any_database
    assert db.cipher is not None
    cipher = db.cipher
    await _alembic(db, cipher, lambda cfg: command.downgrade(cfg, "0009"))
    await _old_rows(db)
    await _alembic(db, cipher, lambda cfg: command.upgrade(cfg, "head"))

    user_key = f"whatsapp:{cipher.pseudonym(NUMBER)}"
    async with db.sessions() as session:
        whatsapp, telegram = (
            await session.execute(select(Declaration).order_by(Declaration.id))
        ).scalars()
        assert whatsapp.user_key == user_key and cipher.decrypt(whatsapp.chat_id) == NUMBER
        assert (telegram.user_key, telegram.chat_id) == ("telegram:5151", "5151")
        draft = (await session.execute(select(Draft))).scalar_one()
        assert draft.user_key == user_key and cipher.decrypt(draft.chat_id) == NUMBER
        assert (await session.execute(select(Profile.user_key))).scalar_one() == user_key
        assert (await session.execute(select(ThreadMessage.author))).scalar_one() == user_key
        assert (await session.execute(select(StatusChange.actor))).scalar_one() == user_key
        assert (await session.execute(select(AuditLog.actor))).scalar_one() == user_key
        rows = {
            r.topic + r.dedupe_key[-8:]: r
            for r in (await session.execute(select(OutboxMessage))).scalars()
        }
        reminder = next(r for r in rows.values() if r.topic == "reporter.draft_reminder")
        assert cipher.decrypt(reminder.payload["chat_id"]) == NUMBER
        cards = sorted(
            (r.dedupe_key, r.payload["dest"]) for r in rows.values() if r.topic == "uppg.send"
        )
        officer = f"wa:{cipher.pseudonym(OFFICER)}"
        assert cards == [("card:1:telegram", "telegram"), (f"card:1:{officer}", officer)]
        hashes = (
            await session.execute(select(FaqQuestion.user_hash).order_by(FaqQuestion.id))
        ).scalars()
        # A known user's question stays linked (keyed since 0012); one of an unknown number
        # is cleared.
        assert list(hashes) == [user_hash(cipher, user_key), None]

    # Nowhere in the database is the number left in clear.
    async with db.engine.connect() as conn:
        for table in (
            "declarations",
            "drafts",
            "profiles",
            "thread_messages",
            "status_changes",
            "audit_log",
            "outbox",
        ):
            dump = str((await conn.execute(text(f"SELECT * FROM {table}"))).all())
            assert NUMBER not in dump and OFFICER not in dump, table

    # Running it again changes nothing (every replica migrates at start).
    await db.migrate()
    async with db.sessions() as session:
        again = (
            await session.execute(select(Declaration.user_key).order_by(Declaration.id))
        ).scalars()
        assert list(again) == [user_key, "telegram:5151"]


async def test_names_nips_and_emails_of_old_rows_are_sealed_and_indexed(
    any_database: Database,
) -> None:
    db = any_database
    assert db.cipher is not None
    cipher = db.cipher
    await _alembic(db, cipher, lambda cfg: command.downgrade(cfg, "0010"))
    async with db.engine.begin() as conn:
        # Written as 0010 knew the columns: in clear.
        await conn.execute(
            text(
                "INSERT INTO declarations (number, idempotency_key, user_key, channel, chat_id,"
                " report_type, status, reporter_name, reporter_nip, reporter_email,"
                " received_date, confidential, late, details) VALUES ('GRT-2026-000009', 'k9',"
                " 'telegram:1', 'telegram', '1', 'penerimaan', 'diterima', 'Ani Wulandari',"
                " '199001012015031002', 'ani@contoh.go.id', '2026-11-20', false, false, '{}')"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO profiles (user_key, name, nip, email) VALUES"
                " ('telegram:1', 'Ani Wulandari', '199001012015031002', 'ani@contoh.go.id')"
            )
        )
    await _alembic(db, cipher, lambda cfg: command.upgrade(cfg, "head"))
    async with db.engine.connect() as conn:
        raw = str((await conn.execute(text("SELECT * FROM declarations"))).all())
        raw += str((await conn.execute(text("SELECT * FROM profiles"))).all())
    for clear in ("Wulandari", "199001012015031002", "ani@contoh.go.id"):
        assert clear not in raw
    async with db.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
        profile = (await session.execute(select(Profile))).scalar_one()
    assert (row.reporter_name, row.reporter_nip, row.reporter_email) == (
        "Ani Wulandari",
        "199001012015031002",
        "ani@contoh.go.id",
    )
    assert (profile.name, profile.nip, profile.email) == (
        "Ani Wulandari",
        "199001012015031002",
        "ani@contoh.go.id",
    )
    assert row.nip_index == cipher.index("199001012015031002")
    assert row.name_index is not None
    assert f" {word_hash(cipher, 'wulan')} " in row.name_index
    assert f" {word_hash(cipher, 'ulan')} " not in row.name_index


async def test_sqlite_migrations_that_copy_a_table_keep_the_rows_that_refer_to_it(
    tmp_path: Path,
) -> None:
    # 0009 copies "declarations" (SQLite's batch mode); with foreign keys on, dropping the
    # old copy deleted every status change, thread message and attachment row.
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}", cipher=data_cipher(tmp_path))
    await _alembic(db, data_cipher(tmp_path), lambda cfg: command.upgrade(cfg, "0008"))
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO declarations (number, idempotency_key, user_key, channel, chat_id,"
                " report_type, status, reporter_name, received_date, confidential, late, details)"
                " VALUES ('GRT-2026-000001', 'k1', 'telegram:1', 'telegram', '1', 'penerimaan',"
                " 'diterima', 'Ani', '2026-11-20', 0, 0, '{}')"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO status_changes (declaration_id, to_status, actor, details)"
                " VALUES (1, 'diterima', 'siti', '{}')"
            )
        )
    await db.migrate()
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM status_changes"))).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    await db.dispose()
