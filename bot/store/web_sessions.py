"""Dashboard sessions kept on the server, so the server can end them.

The browser holds a random token; the table holds its SHA-256 and the session's times. A session
ends when its row is deleted: at logout, when the account's password changes, when the account is
deactivated or activated again, after its lifetime, or after it was idle for too long.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import DashboardSession

# last_seen_at is written at most this often (not on every page view).
TOUCH_EVERY = timedelta(seconds=60)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(
    session: AsyncSession, user_id: int, *, now: datetime, lifetime: timedelta
) -> str:
    """Starts a session for the user; returns the token for the browser's cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        DashboardSession(
            id=token_id(token),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


async def find_session(
    session: AsyncSession, token: str, *, now: datetime, idle: timedelta
) -> DashboardSession | None:
    """The live session of a token, touched; an expired or idle one is deleted (None)."""
    row = await session.get(DashboardSession, token_id(token))
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at + idle <= now:
        await session.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return row


async def end_session(session: AsyncSession, token: str) -> DashboardSession | None:
    """Ends one session (logout); returns what it was, if it existed."""
    row = await session.get(DashboardSession, token_id(token))
    if row is not None:
        await session.delete(row)
    return row


async def end_user_sessions(session: AsyncSession, user_id: int) -> None:
    """Ends every session of an account (new password, deactivated, activated again)."""
    await session.execute(delete(DashboardSession).where(DashboardSession.user_id == user_id))


async def prune_sessions(session: AsyncSession, now: datetime) -> None:
    """Deletes the rows of sessions past their lifetime."""
    await session.execute(delete(DashboardSession).where(DashboardSession.expires_at <= now))
