"""The database: migrations from scratch, and round trips on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError

from bot.logs import RedactingFilter
from bot.messages import Incoming
from bot.sessions import MemorySessionStore
from bot.store.database import Database
from bot.store.models import Base, Declaration, OutboxMessage, User
from handlers import texts

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


@pytest.fixture
def database(any_database: Database) -> Database:
    """Every test here runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""
    return any_database


async def test_migrations_create_every_table(database: Database) -> None:
    async with database.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_migrate_twice_is_harmless(database: Database) -> None:
    await database.migrate()


async def test_declaration_round_trip(database: Database) -> None:
    async with database.transaction() as session:
        session.add(
            Declaration(
                number="GRT-2026-000001",
                idempotency_key="k1",
                user_key="test:u1",
                channel="test",
                chat_id="u1",
                report_type="penerimaan",
                status="diterima",
                reporter_name="Ani",
                received_date=date(2026, 11, 20),
                value_rp=1_500_000,
                details={"catatan": "x"},
            )
        )
        session.add(OutboxMessage(topic="uppg.card", dedupe_key="card:1", payload={"id": 1}))
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
        assert row.value_rp == 1_500_000 and row.details == {"catatan": "x"}
        assert row.submitted_at is not None
        outbox = (await session.execute(select(OutboxMessage))).scalar_one()
        assert outbox.status == "pending" and outbox.attempts == 0


# A hung database: every wait is bounded, so the user hears "gangguan" within seconds.


async def test_a_hung_postgresql_gives_gangguan_within_seconds(
    pg_database: str | None, tmp_path: Path
) -> None:
    if pg_database is None:
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    from urllib.parse import urlsplit

    from bot.config import Settings
    from bot.runtime import build_runtime
    from tests.tcp_proxy import hanging_proxy

    where = urlsplit(pg_database)
    async with hanging_proxy(where.hostname or "127.0.0.1", where.port or 5432) as proxy:
        proxied = pg_database.replace(f"{where.hostname}:{where.port}", f"127.0.0.1:{proxy.port}")
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            var_dir=tmp_path / "var",
            knowledge_dir=KNOWLEDGE,
            database_url=proxied,
            database_timeout_seconds=2,
        )
        runtime = await build_runtime(settings)
        try:
            status = Incoming("telegram", "77", "77", text="/status")
            before = await runtime.dispatcher.dispatch(status)
            assert before and before[0].text != texts.GANGGUAN
            proxy.hang()
            started = time.monotonic()
            # Without limits this waits as long as the database hangs (here: for ever).
            replies = await asyncio.wait_for(runtime.dispatcher.dispatch(status), 15)
            waited = time.monotonic() - started
            assert [r.text for r in replies] == [texts.GANGGUAN]
            # One statement's limit (2 s), then the pool's fresh connection attempt (2 s).
            assert waited < 6, waited
            proxy.resume()
        finally:
            await runtime.close()


async def test_a_locked_sqlite_gives_gangguan_within_seconds(tmp_path: Path) -> None:
    """Another process holds SQLite's write lock: the write waits busy_timeout, no longer."""
    import sqlite3

    from bot.dispatcher import Dispatcher
    from bot.holidays_id import work_calendar
    from bot.store.declarations import SqlDeclarations
    from handlers.ask import NoFaq
    from handlers.context import Context, Services
    from handlers.ports import Policy

    path = tmp_path / "locked.db"
    db = Database(f"sqlite+aiosqlite:///{path}", timeout=1)
    await db.migrate()
    policy = Policy(timezone=ZoneInfo("Asia/Jakarta"), calendar=work_calendar())
    services = Services(policy=policy, faq=NoFaq())
    from bot.crypto import Cipher

    declarations = SqlDeclarations(db, Cipher(Fernet.generate_key()), policy)

    async def route(ctx: Context) -> None:
        await declarations.track_draft(
            user_key=ctx.user_key, channel="telegram", chat_id="77", received_date=date.today()
        )
        ctx.say("tersimpan")

    dispatcher = Dispatcher(MemorySessionStore(), services, route=route)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        replies = await dispatcher.dispatch(Incoming("telegram", "77", "77", text="x"))
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [r.text for r in replies] == [texts.GANGGUAN]
    assert waited < 3, waited
    replies = await dispatcher.dispatch(Incoming("telegram", "77", "77", text="x"))
    assert [r.text for r in replies] == ["tersimpan"]
    await db.dispose()


@pytest.mark.parametrize("problem", ["duplicate", "missing"])
async def test_a_failed_statement_logs_no_values(database: Database, problem: str) -> None:
    """Neither SQLAlchemy's parameters nor PostgreSQL's DETAIL line reach a traceback."""
    row = {"role": "officer", "active": True, "password_hash": "hash-of-siti"}
    async with database.transaction() as session:
        await session.execute(insert(User).values(**row, username="Siti Rahmawati"))
    if problem == "duplicate":
        failing = insert(User).values(**row, username="Siti Rahmawati")
    else:
        failing = insert(User).values(**{**row, "password_hash": None}, username="Budi Santoso")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test.sql")
    logger.addHandler(handler)
    try:
        async with database.transaction() as session:
            await session.execute(failing)
    except IntegrityError:
        logger.exception("insert failed")
    finally:
        logger.removeHandler(handler)
    printed = stream.getvalue()
    assert "IntegrityError" in printed and "parameters hidden" in printed
    for value in ("Siti Rahmawati", "Budi Santoso", "hash-of-siti"):
        assert value not in printed, printed
