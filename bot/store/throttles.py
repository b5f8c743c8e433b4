"""Failed-login counters with back-off: one row per key, counted atomically in the database.

A key is what is being guessed from or at: an account, a client address, a trusted browser.
`reserve` counts an attempt *before* the password is checked, in one conditional UPDATE, so
concurrent guesses cannot all slip past the limit: of 40 at once, only `free` get a check. After
`free` failures each further attempt earns a pause that doubles up to `max_pause`; an attempt
during the pause is refused without being counted. A key untouched for `forget_after` starts
from zero again, and a success clears it.

Every statement commits on its own (the caller passes a short transaction): the password check
in between takes 0.4 s and must not hold a database lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import LoginThrottle, UtcDateTime

# Pauses beyond this many doublings are all max_pause.
_STEPS = 12


def account_key(user_id: int) -> str:
    """The key of an account's failures (attempts from browsers it does not trust)."""
    return f"account:{user_id}"


@dataclass(frozen=True)
class Limit:
    """How many failures a key gets for free, and the pauses after them."""

    free: int
    first_pause: timedelta
    max_pause: timedelta
    forget_after: timedelta

    def steps(self) -> list[tuple[int, timedelta]]:
        """(failures, pause) for each pause shorter than max_pause."""
        steps = []
        for n in range(self.free, self.free + _STEPS):
            pause = self.pause(n)
            if pause is None or pause >= self.max_pause:
                break
            steps.append((n, pause))
        return steps

    def pause(self, failures: int) -> timedelta | None:
        """The pause earned by the failures-th failure (None while still free)."""
        if failures < self.free:
            return None
        doublings: int = min(failures - self.free, _STEPS)
        pause: timedelta = self.first_pause * (2**doublings)
        return min(pause, self.max_pause)


def _at(moment: datetime) -> Any:
    return literal(moment, UtcDateTime())


async def reserve(session: AsyncSession, key: str, limit: Limit, now: datetime) -> bool:
    """Counts one attempt for key; False (and nothing counted) while key is paused."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, last_at=now, paused_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = LoginThrottle
    stale = row.last_at <= _at(now - limit.forget_after)
    failures = case((stale, 1), else_=row.failures + 1)
    # The pause this attempt earns, should it fail: set now, so the attempts that come while
    # this one is being checked already see it.
    pauses = [(failures == n, _at(now + pause)) for n, pause in limit.steps()]
    paused_until = case((failures < limit.free, None), *pauses, else_=_at(now + limit.max_pause))
    counted = await session.execute(
        update(row)
        .where(row.key == key, (row.paused_until.is_(None)) | (row.paused_until <= _at(now)))
        .values(failures=failures, last_at=now, paused_until=paused_until)
        .returning(row.failures)
    )
    return counted.first() is not None


async def clear(session: AsyncSession, keys: Iterable[str]) -> None:
    """Forgets the keys' failures and pauses (a success, a password reset, an admin)."""
    wanted = list(keys)
    if wanted:
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(wanted)))


async def refund(session: AsyncSession, key: str) -> None:
    """Takes back one counted attempt (it succeeded): a shared key keeps its other failures."""
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key, LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )


async def paused(session: AsyncSession, keys: Iterable[str], now: datetime) -> dict[str, datetime]:
    """The keys that are paused now, with the end of their pause."""
    wanted = list(keys)
    if not wanted:
        return {}
    rows = await session.execute(
        select(LoginThrottle.key, LoginThrottle.paused_until).where(
            LoginThrottle.key.in_(wanted), LoginThrottle.paused_until > _at(now)
        )
    )
    return {key: until for key, until in rows if until is not None}


async def prune(session: AsyncSession, now: datetime, older_than: timedelta) -> None:
    """Deletes counters nobody touched for a while (they would be forgotten anyway)."""
    await session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_at < _at(now - older_than))
    )
