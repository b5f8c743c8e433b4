"""Moving a test database up or down the migrations (for the migration tests)."""

from __future__ import annotations

from datetime import date

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


def declaration_row(**values: object) -> dict[str, object]:
    """The columns a declaration row cannot do without, for inserting below the head
    revision (where the ORM's model may not match the table); values add or override."""
    row: dict[str, object] = {
        "number": "GRT-2026-000001",
        "idempotency_key": "k1",
        "user_key": "telegram:5151",
        "channel": "telegram",
        "chat_id": "5151",
        "report_type": "penerimaan",
        "reporter_name": "Ani",
        "status": "diterima",
        "received_date": date(2026, 11, 20),
        "confidential": False,
        "late": False,
        "details": {},
    }
    return row | values
