"""Migration 0013 (SQLite and PostgreSQL): the reporter's free text (story, description,
reason, place) is sealed at rest; rows written before it are sealed in place and still read."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import select

from bot.store.database import Database
from bot.store.models import Declaration
from bot.store.sealed import FERNET_PREFIX
from tests.bot.store.alembic_steps import migrate_to

STORY = "kemarin sore pak Joko dr CV Maju antar parsel ke rumah, no hp beliau 0812 3456 7890"
PLACE = "rumah saya, Jl. Melati 5 RT 02, Sleman"
FREE = ("chronology", "description", "reason", "received_place")


def _raw_row() -> sa.TableClause:
    # The table as plain text columns: what the database holds, with no decryption.
    return sa.table(
        "declarations",
        sa.column("id", sa.Integer),
        sa.column("number", sa.String),
        sa.column("idempotency_key", sa.String),
        sa.column("user_key", sa.String),
        sa.column("channel", sa.String),
        sa.column("chat_id", sa.Text),
        sa.column("report_type", sa.String),
        sa.column("reporter_name", sa.Text),
        sa.column("status", sa.String),
        sa.column("received_date", sa.Date),
        sa.column("confidential", sa.Boolean),
        sa.column("late", sa.Boolean),
        sa.column("details", sa.JSON),
        *(sa.column(c, sa.Text) for c in FREE),
    )


async def test_free_text_written_in_clear_is_sealed_and_still_reads(
    any_database: Database,
) -> None:
    db = any_database
    assert db.cipher is not None
    await migrate_to(db, db.cipher, "0012", down=True)
    raw = _raw_row()
    async with db.engine.begin() as conn:
        await conn.execute(
            raw.insert().values(
                number="GRT-2026-000007",
                idempotency_key="k7",
                user_key="telegram:5151",
                channel="telegram",
                chat_id="5151",
                report_type="penerimaan",
                reporter_name="Ani",
                status="diterima",
                received_date=date(2026, 11, 30),
                confidential=False,
                late=False,
                details={},
                chronology=STORY,
                description="parsel isi kue dan sirup",
                reason="katanya ucapan terima kasih",
                received_place=PLACE,
            )
        )
    await migrate_to(db, db.cipher, "head")

    async with db.engine.connect() as conn:
        stored = (await conn.execute(select(*(raw.c[c] for c in FREE)))).one()
    assert all(str(value).startswith(FERNET_PREFIX) for value in stored), stored
    assert "0812" not in repr(stored) and "Melati" not in repr(stored)
    async with db.sessions() as session:
        read = (await session.execute(select(Declaration))).scalar_one()
    assert (read.chronology, read.received_place) == (STORY, PLACE)
    assert read.description == "parsel isi kue dan sirup"

    # Run twice (a second upgrade after a downgrade) and nothing is sealed twice.
    await migrate_to(db, db.cipher, "0012", down=True)
    await migrate_to(db, db.cipher, "head")
    async with db.sessions() as session:
        again = (await session.execute(select(Declaration))).scalar_one()
    assert again.chronology == STORY
