"""Password hashing for dashboard accounts: argon2id, at the library's defaults in production.

A check costs about 0.4 s of CPU on purpose. The async functions run it on a thread of its
own (argon2 releases the GIL), so logins never hold up the event loop that also serves both
webhooks; one thread, so a burst of logins queues on one core and the other stays free.

`configure("test")` switches to a cheap profile so that a test suite creating hundreds of
accounts does not spend minutes hashing; Settings refuses that profile in production.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Literal, TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import hash_secret_raw

T = TypeVar("T")
MIN_PASSWORD_LENGTH = 10
Cost = Literal["standard", "test"]

_PROFILES: dict[str, PasswordHasher] = {
    "standard": PasswordHasher(),
    # The smallest parameters argon2 accepts: for tests only (0.1 ms instead of 0.4 s).
    "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_hasher = _PROFILES["standard"]
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2")


def configure(cost: Cost) -> None:
    """Selects the hashing profile for this process (PASSWORD_HASH_COST)."""
    global _hasher
    _hasher = _PROFILES[cost]
    _dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def verify_nothing(password: str) -> None:
    """Costs as much as a real check, for unknown users: the answer time tells nothing."""
    verify_password(_dummy_hash(), password)


def derive(secret: bytes, salt: bytes) -> bytes:
    """A deterministic argon2id hash (32 bytes) of a secret, at this process's cost: for
    secrets that are looked up by their hash, like a concern's receipt code."""
    return hash_secret_raw(
        secret,
        salt,
        time_cost=_hasher.time_cost,
        memory_cost=_hasher.memory_cost,
        parallelism=_hasher.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def needs_rehash(password_hash: str) -> bool:
    return bool(_hasher.check_needs_rehash(password_hash))


async def check_password(password_hash: str, password: str) -> bool:
    """verify_password off the event loop."""
    return await _in_pool(verify_password, password_hash, password)


async def check_nothing(password: str) -> None:
    """verify_nothing off the event loop: an unknown user costs what a real check costs."""
    await _in_pool(verify_nothing, password)


async def hash_in_pool(password: str) -> str:
    """hash_password off the event loop."""
    return await _in_pool(hash_password, password)


async def _in_pool(function: Callable[..., T], *args: str) -> T:
    return await asyncio.get_running_loop().run_in_executor(_pool, function, *args)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "the password must not start or end with spaces"
    return None
