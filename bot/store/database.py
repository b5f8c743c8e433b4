"""The database: an async SQLAlchemy engine, sessions, and Alembic migrations.

SQLite (a file under ./var/) when DATABASE_URL is unset; PostgreSQL through asyncpg when it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the dashboard read while the bot writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """One engine and session factory per process."""

    def __init__(self, url: str, *, echo: bool = False, search_path: str | None = None) -> None:
        self.url = url
        connect_args: dict[str, Any] = {}
        if search_path and not self.is_sqlite:
            # Lets tests (or a shared server) keep gratibot's tables in their own schema.
            connect_args["server_settings"] = {"search_path": search_path}
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: SQL errors must never print personal data into a log.
        self.engine: AsyncEngine = create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            pool_pre_ping=not self.is_sqlite,
            connect_args=connect_args,
        )
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed together, or not at all."""
        async with self.sessions() as session, session.begin():
            yield session

    async def migrate(self) -> None:
        """Brings the schema to the newest migration (safe to call at every start)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade)

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


def run_migrations(url: str) -> None:
    """Synchronous entry point for the CLI."""

    async def go() -> None:
        db = Database(url)
        try:
            await db.migrate()
        finally:
            await db.dispose()

    asyncio.run(go())
