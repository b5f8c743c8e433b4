"""The database: migrations from scratch, and round trips on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, select

from bot.store.database import Database
from bot.store.models import Base, Declaration, OutboxMessage


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
