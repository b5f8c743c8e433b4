"""Migration 0012 over FAQ questions logged before it (SQLite and PostgreSQL): the plain user
hash becomes the keyed one for users the database knows, and is cleared for the others."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select

from bot.knowledge.source import user_hash
from bot.store.database import Database
from bot.store.models import Declaration, FaqQuestion, Profile
from tests.bot.store.alembic_steps import declaration_row, migrate_to


def _plain(user_key: str) -> str:
    return hashlib.sha256(f"gratibot-faq:{user_key}".encode()).hexdigest()


async def test_plain_faq_hashes_become_keyed_or_are_cleared(any_database: Database) -> None:
    db = any_database
    assert db.cipher is not None
    cipher = db.cipher
    await migrate_to(db, cipher, "0011", down=True)
    async with db.engine.begin() as conn:
        await conn.execute(insert(Declaration.__table__).values(**declaration_row()))
        await conn.execute(insert(Profile.__table__).values(user_key="telegram:77", name="x"))
        for key in ("telegram:5151", "telegram:77", "telegram:999", None):
            await conn.execute(
                insert(FaqQuestion.__table__).values(
                    text="q",
                    normalised="q",
                    outcome="suggested",
                    score=0.0,
                    suggestions=["sanksi"],
                    user_hash=_plain(key) if key else None,
                )
            )
    await migrate_to(db, cipher, "head")

    async with db.sessions() as session:
        hashes = list(
            (
                await session.execute(select(FaqQuestion.user_hash).order_by(FaqQuestion.id))
            ).scalars()
        )
    # Known users stay linked under the key; an unknown id's plain hash is gone.
    assert hashes == [
        user_hash(cipher, "telegram:5151"),
        user_hash(cipher, "telegram:77"),
        None,
        None,
    ]
    assert _plain("telegram:5151") not in hashes

    # Down again: the keyed links are dropped, nothing plain comes back.
    await migrate_to(db, cipher, "0011", down=True)
    async with db.sessions() as session:
        again = list((await session.execute(select(FaqQuestion.user_hash))).scalars())
    assert again == [None, None, None, None]
    await migrate_to(db, cipher, "head")
