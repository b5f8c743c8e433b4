"""Login back-off counters: counted before the check, atomically, paused, forgotten, cleared."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.store.database import Database
from bot.store.models import LoginThrottle
from bot.store.throttles import Limit, clear, paused, refund, reserve

LIMIT = Limit(
    free=5,
    first_pause=timedelta(seconds=30),
    max_pause=timedelta(minutes=15),
    forget_after=timedelta(hours=1),
)
T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def database(any_database: Database) -> Database:
    """Atomicity is the database's: SQLite and, when given, PostgreSQL."""
    return any_database


async def attempt(db: Database, now: datetime, key: str = "account:1") -> bool:
    async with db.transaction() as session:
        return await reserve(session, key, LIMIT, now)


def test_pauses_double_up_to_the_cap() -> None:
    assert [LIMIT.pause(n) for n in (4, 5, 6, 7, 10, 50)] == [
        None,
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=15),
        timedelta(minutes=15),
    ]


async def test_forty_concurrent_attempts_count_five(database: Database) -> None:
    results = await asyncio.gather(*(attempt(database, T0) for _ in range(40)))
    assert results.count(True) == LIMIT.free
    async with database.sessions() as session:
        row = await session.get(LoginThrottle, "account:1")
    assert row is not None and row.failures == LIMIT.free
    assert row.paused_until == T0 + timedelta(seconds=30)


async def test_a_pause_ends_and_the_next_failure_pauses_longer(database: Database) -> None:
    for _ in range(LIMIT.free):
        assert await attempt(database, T0)
    assert not await attempt(database, T0 + timedelta(seconds=29))
    assert await attempt(database, T0 + timedelta(seconds=31))  # the 6th: a minute's pause
    assert not await attempt(database, T0 + timedelta(seconds=90))
    assert await attempt(database, T0 + timedelta(seconds=92))


async def test_an_old_count_is_forgotten(database: Database) -> None:
    for _ in range(LIMIT.free - 1):
        await attempt(database, T0)
    later = T0 + LIMIT.forget_after + timedelta(seconds=1)
    assert await attempt(database, later)
    async with database.sessions() as session:
        row = await session.get(LoginThrottle, "account:1")
    assert row is not None and row.failures == 1 and row.paused_until is None


async def test_clear_and_refund(database: Database) -> None:
    for _ in range(LIMIT.free):
        await attempt(database, T0)
        await attempt(database, T0, key="address:x")
    async with database.transaction() as session:
        assert set(await paused(session, ["account:1", "address:x"], T0)) == {
            "account:1",
            "address:x",
        }
        await clear(session, ["account:1"])
        await refund(session, "address:x")
    async with database.sessions() as session:
        assert await session.get(LoginThrottle, "account:1") is None
        row = await session.get(LoginThrottle, "address:x")
    assert row is not None and row.failures == LIMIT.free - 1
