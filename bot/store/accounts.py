"""Dashboard accounts: create, list, change password, (de)activate. Used by `gratibot users`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.passwords import hash_in_pool, password_problem
from bot.store.models import AuditLog, User
from bot.store.throttles import account_key, clear, paused
from bot.store.web_sessions import end_user_sessions

ROLES = ("officer", "admin")


class AccountError(Exception):
    """An account request that cannot be done; the message is one line for the operator."""


async def add_user(
    session: AsyncSession, username: str, password: str, role: str, *, actor: str = "cli"
) -> User:
    """Creates an active account with an argon2 hash of the password."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise AccountError("the username must be 1-80 characters without spaces")
    if role not in ROLES:
        raise AccountError(f"the role must be one of: {', '.join(ROLES)}")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    existing = await session.execute(select(User.id).where(User.username == username))
    if existing.first() is not None:
        raise AccountError(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=await hash_in_pool(password),
        role=role,
        active=True,
    )
    session.add(user)
    session.add(AuditLog(actor=actor, action="user_add", target=username, details={"role": role}))
    await session.flush()
    return user


async def get_user(session: AsyncSession, username: str) -> User:
    user = (
        await session.execute(select(User).where(User.username == username))
    ).scalar_one_or_none()
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


async def set_password(
    session: AsyncSession, username: str, password: str, *, actor: str = "cli"
) -> None:
    """Replaces the password, ends the user's open sessions and lifts a login back-off."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = await get_user(session, username)
    user.password_hash = await hash_in_pool(password)
    await end_user_sessions(session, user.id)
    await clear(session, [account_key(user.id)])
    session.add(AuditLog(actor=actor, action="user_password", target=username, details={}))


async def set_active(
    session: AsyncSession, username: str, active: bool, *, actor: str = "cli"
) -> None:
    """Activates or deactivates an account; activating also lifts a login back-off.

    A change of state ends the account's open sessions, so an account enabled again starts
    with none (deactivation has ended them already; this makes sure)."""
    user = await get_user(session, username)
    if user.active != active:
        await end_user_sessions(session, user.id)
    user.active = active
    if active:
        await clear(session, [account_key(user.id)])
    action = "user_activate" if active else "user_deactivate"
    session.add(AuditLog(actor=actor, action=action, target=username, details={}))


async def set_fkap(
    session: AsyncSession, username: str, granted: bool, *, actor: str = "cli"
) -> None:
    """Grants or withdraws the compliance function's role (the concern queue)."""
    user = await get_user(session, username)
    user.fkap = granted
    action = "user_fkap_grant" if granted else "user_fkap_revoke"
    session.add(AuditLog(actor=actor, action=action, target=username, details={}))


async def list_users(session: AsyncSession) -> Sequence[User]:
    return (await session.execute(select(User).order_by(User.username))).scalars().all()


async def login_pauses(
    session: AsyncSession, users: Sequence[User], now: datetime
) -> dict[int, datetime]:
    """The accounts whose logins from untrusted browsers are paused now, until when."""
    keys = {account_key(u.id): u.id for u in users}
    return {keys[key]: until for key, until in (await paused(session, keys, now)).items()}
