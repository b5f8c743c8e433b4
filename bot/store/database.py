"""The database: an async SQLAlchemy engine, sessions, and Alembic migrations.

SQLite (a file under ./var/) when DATABASE_URL is unset; PostgreSQL through asyncpg when it is.

Every wait is bounded by `timeout` seconds (DATABASE_TIMEOUT_SECONDS): connecting, taking a
pooled connection, each statement on the server (statement_timeout) and each round trip on
the client (asyncpg's command_timeout, which also covers a server or network that hangs
without an answer), and SQLite's wait for another writer (busy_timeout). A hung database then
fails the turn within seconds, and the user is told "gangguan" instead of waiting in silence.
Migrations run without the statement limits: converting old rows may take longer.
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

from bot.config import Settings
from bot.crypto import Cipher, cipher_from_settings
from bot.store.sealed import bind_cipher

MIGRATIONS = Path(__file__).parent / "migrations"


DEFAULT_TIMEOUT = 5.0


def _sqlite_pragmas(busy_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the dashboard read while the bot writes; foreign keys are off by default.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    return on_connect


class Database:
    """One engine and session factory per process."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        search_path: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        cipher: Cipher | None = None,
    ) -> None:
        """timeout: seconds any one wait may take (None: no limit, for migrations).
        cipher: the data key: of the sealed columns (bot/store/sealed.py), and for
        migrations that convert rows (without it they read the key from the environment's
        settings, only when a row needs it)."""
        self.url = url
        self.cipher = cipher
        self.search_path = search_path
        self.timeout = timeout
        connect_args: dict[str, Any] = {}
        server_settings: dict[str, str] = {}
        if search_path and not self.is_sqlite:
            # Lets tests (or a shared server) keep gratibot's tables in their own schema.
            server_settings["search_path"] = search_path
        options: dict[str, Any] = {}
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            if timeout is not None:
                connect_args["timeout"] = timeout
        elif timeout is not None:
            connect_args["timeout"] = timeout  # connecting
            connect_args["command_timeout"] = timeout  # each round trip, client side
            server_settings["statement_timeout"] = str(int(timeout * 1000))
            server_settings["idle_in_transaction_session_timeout"] = str(int(timeout * 6000))
            options["pool_timeout"] = timeout  # waiting for a pooled connection
        if server_settings:
            connect_args["server_settings"] = server_settings
        # hide_parameters: SQL errors must never print personal data into a log.
        self.engine: AsyncEngine = create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            pool_pre_ping=not self.is_sqlite,
            connect_args=connect_args,
            **options,
        )
        if self.is_sqlite:
            busy_ms = int((timeout if timeout is not None else 60.0) * 1000)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas(busy_ms))
        if cipher is not None:
            bind_cipher(self.engine, cipher)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def use_cipher(self, cipher: Cipher) -> None:
        """Binds `cipher` to the sealed columns unless the database has one already (a
        database opened without settings, e.g. by a test, takes the key of its first store)."""
        if self.cipher is None:
            self.cipher = cipher
            bind_cipher(self.engine, cipher)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The database the settings name, with their timeout."""
        return cls(
            settings.effective_database_url,
            timeout=settings.database_timeout_seconds,
            cipher=cipher_from_settings(settings),
        )

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
        if self.is_sqlite:
            await self._migrate_sqlite()
            return
        if self.timeout is None:
            async with self.engine.begin() as conn:
                await conn.run_sync(_upgrade, self.cipher)
            return
        # Statement limits are for serving users; a migration may need longer.
        unlimited = Database(
            self.url, search_path=self.search_path, timeout=None, cipher=self.cipher
        )
        try:
            await unlimited.migrate()
        finally:
            await unlimited.dispose()

    async def _migrate_sqlite(self) -> None:
        """SQLite alters a table by copying it and dropping the old one; with foreign keys on,
        that drop deletes every row that cascades from the table (dropping "declarations"
        emptied status_changes, thread_messages and attachments). So migrations run with
        foreign keys off (a PRAGMA that only takes effect outside a transaction), and they are
        checked before the change is committed."""
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                await conn.run_sync(_upgrade, self.cipher)
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).first()
                if broken is not None:
                    await conn.rollback()
                    raise RuntimeError(f"migration left a broken reference in {broken[0]}")
                await conn.commit()
            finally:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None, cipher: Cipher | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    if cipher is not None:
        cfg.attributes["cipher"] = cipher
    return cfg


def _upgrade(connection: Connection, cipher: Cipher | None) -> None:
    command.upgrade(alembic_config(connection, cipher), "head")


def run_migrations(url: str, cipher: Cipher | None = None) -> None:
    """Synchronous entry point for the CLI."""

    async def go() -> None:
        db = Database(url, cipher=cipher)
        try:
            await db.migrate()
        finally:
            await db.dispose()

    asyncio.run(go())
