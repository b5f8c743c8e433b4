"""Moving a test database up or down the migrations (for the migration tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from bot.crypto import Cipher
from bot.store.database import Database, alembic_config


async def migrate_to(db: Database, cipher: Cipher, revision: str, down: bool = False) -> None:
    """Upgrades (or with down, downgrades) the database to revision."""

    def run(conn: Connection) -> None:
        config: Config = alembic_config(conn, cipher)
        (command.downgrade if down else command.upgrade)(config, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)
