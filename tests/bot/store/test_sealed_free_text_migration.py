"""Migration 0013 (SQLite and PostgreSQL): the reporter's free text (story, description,
reason, place) is sealed at rest; rows written before it are sealed in place and still read."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import select

from bot.store.database import Database
from bot.store.models import Declaration
from bot.store.sealed import FERNET_PREFIX
from tests.bot.store.alembic_steps import declaration_row, migrate_to

STORY = "kemarin sore pak Joko dr CV Maju antar parsel ke rumah, no hp beliau 0812 3456 7890"
PLACE = "rumah saya, Jl. Melati 5 RT 02, Sleman"
FREE = ("chronology", "description", "reason", "received_place")


ROW = declaration_row(
    number="GRT-2026-000007",
    received_date=date(2026, 11, 30),
    chronology=STORY,
    description="parsel isi kue dan sirup",
    reason="katanya ucapan terima kasih",
    received_place=PLACE,
)
# The table as the database holds it: the free text as plain text, with no decryption.
RAW = sa.table(
    "declarations",
    sa.column("id", sa.Integer),
    *(sa.column(c, sa.Text() if c in FREE else Declaration.__table__.c[c].type) for c in ROW),
)


async def test_free_text_written_in_clear_is_sealed_and_still_reads(
    any_database: Database,
) -> None:
    db = any_database
    assert db.cipher is not None
    await migrate_to(db, db.cipher, "0012", down=True)
    async with db.engine.begin() as conn:
        await conn.execute(RAW.insert().values(**ROW))
    await migrate_to(db, db.cipher, "head")

    async with db.engine.connect() as conn:
        stored = (await conn.execute(select(*(RAW.c[c] for c in FREE)))).one()
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
