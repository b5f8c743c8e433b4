"""Shared fixtures: a real Redis, a real database (SQLite always, PostgreSQL when given).

TEST_REDIS_URL (or REDIS_URL) names the Redis to use; `make test` starts a throwaway one when
none answers. TEST_DATABASE_URL adds PostgreSQL to the database suite: each test run creates
its own database there and drops it afterwards, so parallel runs never meet.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis as sync_redis
import redis.asyncio as aioredis
import stamina
from hypothesis import settings as hypothesis_settings

from bot import passwords
from bot.config import Settings
from bot.crypto import Cipher, cipher_from_settings
from bot.sessions import MemorySessionStore, RedisSessionStore, SessionStore
from bot.store.database import Database

# Hypothesis fails any example slower than 200 ms by default: a timed assertion, which flakes
# on a loaded machine (a parsing example took 488 ms once, 0.26 ms on the retry).
hypothesis_settings.register_profile("gratibot", deadline=None)
hypothesis_settings.load_profile("gratibot")

REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
PG_URL = os.environ.get("TEST_DATABASE_URL")

# Cheap dashboard password hashes for the accounts tests create (a hash carries its own
# parameters, so a gratibot process a test starts verifies them cheaply too).
passwords.configure("test")

# stamina's test mode: retries never sleep, and stop after at most 3 attempts.
stamina.set_testing(True, attempts=3, cap=True)


def need_binary(name: str) -> str:
    """The path of a tool a test needs: skipped locally without it, a failure in CI."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("GRATIBOT_REQUIRE_ALL_SUITES"):
            pytest.fail(f"{name} is required when GRATIBOT_REQUIRE_ALL_SUITES is set")
        pytest.skip(f"{name} is not installed")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A throwaway redis-server on a free port, which a test may stop and start again."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = need_binary("redis-server")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = sync_redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except sync_redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private Redis the test controls (for outage tests)."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not REDIS_URL:
        pytest.fail("no Redis for the tests: set TEST_REDIS_URL or run `make test`")
    return REDIS_URL


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def namespace() -> str:
    """A key prefix of this test's own, so tests (and parallel runs) never share keys."""
    return f"gt-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def store() -> SessionStore:
    """The in-process store, for flow tests (the store contract suites use any_store).

    Locks last 10 s: a step on a machine busy with other work may well take 2."""
    return MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)


@pytest.fixture(params=["memory", "redis"])
async def any_store(
    request: pytest.FixtureRequest, redis_url: str, namespace: str
) -> AsyncIterator[SessionStore]:
    """Both implementations, for the suites that check the store contract itself."""
    if request.param == "memory":
        yield MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)
        return
    client = aioredis.Redis.from_url(redis_url)
    yield RedisSessionStore(
        client, namespace=namespace, ttl_seconds=60, lock_timeout=10, lock_wait=10
    )
    keys = [k async for k in client.scan_iter(f"{namespace}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def _pg_admin_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@contextmanager
def new_pg_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database on TEST_DATABASE_URL's server (an asyncpg URL), dropped
    afterwards."""
    import asyncpg

    assert PG_URL is not None
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin_url(PG_URL)

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"postgresql+asyncpg://{base.split('://', 1)[1]}/{name}"
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test run, or None without TEST_DATABASE_URL."""
    if not PG_URL:
        yield None
        return
    with new_pg_database("gratibot_test") as url:
        yield url


DB_KINDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def data_cipher(tmp_path: Path) -> Cipher:
    """The data key of this test's `settings` (its var/data.key), so rows written through a
    database fixture read back through a runtime built from those settings."""
    return cipher_from_settings(
        Settings(_env_file=None, environment="test", var_dir=tmp_path / "var")  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated to head once per test process, for the fixtures to
    copy: copying takes a millisecond, migrating from scratch about 0.4 s of CPU per test.
    An empty database needs no data key (migrations convert rows only), so one copy fits
    every test's key. Migrating from scratch keeps its own tests (tests/bot/store/)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"

    async def migrate() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await db.migrate()
        finally:
            await db.dispose()

    asyncio.run(migrate())
    # The last connection closed checkpointed the write-ahead log into the file itself.
    assert not path.with_name(path.name + "-wal").exists()
    return path


def migrated_sqlite(template: Path, path: Path) -> str:
    """Copies the migrated template to `path` (creating its folder); returns its URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def database(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database, for flow and page tests (the store suites use any_database)."""
    url = migrated_sqlite(sqlite_template, tmp_path / "test.db")
    db = Database(url, cipher=data_cipher(tmp_path))
    yield db
    await db.dispose()


class PgSchemas:
    """This test process's PostgreSQL schemas at head, each lent to one test at a time.

    Migrating a new schema takes about 0.4 s of client CPU and more of the server's; a schema
    given back is emptied instead (rows deleted, sequences restarted: about 50 ms) and lent
    again, but only when its structure is still exactly the freshly migrated one (a migration
    test that moved it down and up again, or a test that failed half-way, leaves a schema
    that is dropped instead)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = _pg_admin_url(url)
        self.free: list[str] = []
        self.reference: tuple[Any, ...] | None = None

    async def take(self, cipher: Cipher) -> Database:
        import asyncpg

        if self.free:
            return Database(self.url, search_path=self.free.pop(), cipher=cipher)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        conn = await asyncpg.connect(self.admin)
        try:
            await conn.execute(f'CREATE SCHEMA "{schema}"')
        finally:
            await conn.close()
        db = Database(self.url, search_path=schema, cipher=cipher)
        await db.migrate()
        if self.reference is None:
            self.reference = await self._structure(schema)
        return db

    async def give_back(self, schema: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.admin)
        try:
            if await self._structure(schema, conn) != self.reference:
                await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
                return
            tables = await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = $1"
                " AND tablename <> 'alembic_version'",
                schema,
            )
            sequences = await conn.fetch(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = $1", schema
            )
            # Replica mode skips the foreign-key triggers, so the order of the deletes is free
            # (DELETE on these few rows is far quicker than TRUNCATE, which makes new files).
            sql = [f'DELETE FROM "{schema}"."{row[0]}";' for row in tables]
            sql += [f'ALTER SEQUENCE "{schema}"."{row[0]}" RESTART;' for row in sequences]
            async with conn.transaction():
                await conn.execute("SET LOCAL session_replication_role = replica")
                await conn.execute("".join(sql))
            self.free.append(schema)
        finally:
            await conn.close()

    async def _structure(self, schema: str, conn: Any = None) -> tuple[Any, ...]:
        """Everything a test could change about a schema's shape, with its name taken out."""
        import asyncpg

        own = conn is None
        if own:
            conn = await asyncpg.connect(self.admin)
        try:
            parts = []
            for query in _PG_STRUCTURE:
                rows = await conn.fetch(query, schema)
                parts.append(tuple(tuple(r) for r in rows))
            # The revision the schema is at (no table: moved below the first migration).
            if await conn.fetchval("SELECT to_regclass($1)", f'"{schema}".alembic_version'):
                rows = await conn.fetch(f'SELECT version_num FROM "{schema}".alembic_version')
                parts.append(tuple(tuple(r) for r in rows))
            text = repr(tuple(parts)).replace(f'"{schema}".', "").replace(f"{schema}.", "")
            return (text,)
        finally:
            if own:
                await conn.close()


_PG_STRUCTURE = (
    # Relations (tables, sequences, indexes, views) and their columns, in column order.
    "SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod),"
    " a.attnotnull, pg_get_expr(d.adbin, d.adrelid)"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
    " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
    " WHERE n.nspname = $1 ORDER BY c.relname, a.attnum",
    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname",
    "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid)"
    " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
    " WHERE n.nspname = $1 ORDER BY c.conrelid::regclass::text, c.conname",
    # Types, functions and triggers a migration may add.
    "SELECT t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " WHERE n.nspname = $1 AND t.typtype NOT IN ('b', 'c') ORDER BY t.typname",
    "SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p"
    " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY 1, 2",
    "SELECT t.tgname, t.tgrelid::regclass::text FROM pg_trigger t"
    " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1, 2",
)


@pytest.fixture(scope="session")
def pg_schemas(pg_database: str | None) -> PgSchemas | None:
    return PgSchemas(pg_database) if pg_database else None


@pytest.fixture(params=DB_KINDS)
async def any_database(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    pg_schemas: PgSchemas | None,
) -> AsyncIterator[Database]:
    """A migrated database: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.

    For the suites that check the database code itself. On PostgreSQL every test gets an
    empty schema at head of its own inside the run's database (PgSchemas).
    """
    if request.param == "sqlite":
        url = migrated_sqlite(sqlite_template, tmp_path / "test.db")
        db = Database(url, cipher=data_cipher(tmp_path))
        yield db
        await db.dispose()
        return
    assert pg_schemas is not None
    db = await pg_schemas.take(data_cipher(tmp_path))
    yield db
    await db.dispose()
    assert db.search_path is not None
    await pg_schemas.give_back(db.search_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an embedded runtime under a temporary directory."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp_path / "var",
        knowledge_dir=Path(__file__).resolve().parents[1] / "knowledge",
        # create_app applies this profile: the standard one made every login rehash (0.4 s).
        password_hash_cost="test",
    )


@pytest.fixture(scope="session")
def telegram_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """telegram-test-api (installed with `npm ci` on first use) behind its correcting proxy."""
    from tests.telegram_emulator.harness import Emulator

    emulator = Emulator(tmp_path_factory.mktemp("telegram-emulator"))
    yield emulator
    emulator.close()


# WhatsApp: a stub Graph API on loopback and the real app wired to it (tests/whatsapp_stub.py).
@pytest.fixture
async def graph_stub() -> AsyncIterator[Any]:
    from tests.whatsapp_stub import run_graph_stub

    async with run_graph_stub() as stub:
        yield stub


@pytest.fixture
def wa_settings(tmp_path: Path, graph_stub: Any, redis_url: str, namespace: str) -> Settings:
    """Settings of a WhatsApp-enabled runtime: the stub's base URL, Redis under `namespace`."""
    from tests import whatsapp_stub as wa

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp_path / "var",
        knowledge_dir=Path(__file__).resolve().parents[1] / "knowledge",
        redis_url=redis_url,
        redis_namespace=namespace,
        whatsapp_token=wa.TOKEN,
        whatsapp_phone_number_id=wa.PHONE_ID,
        whatsapp_app_secret=wa.APP_SECRET,
        whatsapp_verify_token=wa.VERIFY_TOKEN,
        whatsapp_api_base_url=graph_stub.base_url,
    )


@pytest.fixture
async def wa_app(
    wa_settings: Settings, redis_url: str, namespace: str, sqlite_template: Path
) -> AsyncIterator[Any]:
    """The real FastAPI app (with a WhatsApp runtime) and an HTTP client on it.

    Its SQLite database starts as a copy of the migrated template (the runtime's migration at
    start then finds it at head)."""
    import httpx

    from bot.runtime import build_runtime
    from bot.web.app import create_app
    from tests.whatsapp_stub import WhatsAppApp

    if not wa_settings.database_url:  # the default: var/gratibot.db (a test may name another)
        migrated_sqlite(sqlite_template, wa_settings.var_dir / "gratibot.db")
    runtime = await build_runtime(wa_settings)
    app = create_app(wa_settings, runtime)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield WhatsAppApp(app=app, runtime=runtime, client=client)
    await runtime.close()
    cleaner = aioredis.Redis.from_url(redis_url)
    keys = [k async for k in cleaner.scan_iter(f"{namespace}:*")]
    if keys:
        await cleaner.delete(*keys)
    await cleaner.aclose()
