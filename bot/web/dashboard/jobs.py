"""Heavy dashboard work (the queue's order, recaps and exports of thousands of rows) in a
separate process.

A thread would still share the interpreter lock with the event loop: measured under load,
/healthz then took 30-70 ms on average and over a second at worst during a 5,000-row export.
In a process of its own the work reads the database over its own connection and hands back
only bytes, so the web process keeps answering webhooks and health checks in milliseconds.

Up to two worker processes per web process (an officer opening the queue never waits behind
another's 5,000-row export), at a lower CPU priority, started on first use ("spawn": a fork of
a process with an event loop and driver threads is unsafe) and ended with the app.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.crypto import Cipher, KeyRing
from bot.store.database import DEFAULT_TIMEOUT, Database

T = TypeVar("T")
WORKERS = 2

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
        return _pool


def _lower_priority() -> None:
    """The worker yields the CPU to the web process: a webhook beats an export."""
    os.nice(10)


async def run(job: Callable[..., T], *args: object) -> T:
    """Runs a picklable module-level function in the worker process and awaits its result."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_executor(), job, *args)
    except Exception as exc:
        if type(exc).__name__ == "BrokenProcessPool":
            # The worker died (killed, out of memory): the next download starts a new one.
            shutdown()
        raise


@dataclass(frozen=True)
class DbRef:
    """How a worker process reaches the web process's database (picklable), with the data
    key its sealed columns are read with (bot/store/sealed.py)."""

    url: str
    search_path: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    keys: KeyRing | None = None

    @classmethod
    def of(cls, db: Database) -> DbRef:
        return cls(db.url, db.search_path, db.timeout, db.cipher.ring if db.cipher else None)


def read(ref: DbRef, body: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs body in one read-only session over a connection of this process's own (in a
    worker process: the event loop and engine of the web process cannot be shared)."""

    async def go() -> T:
        cipher = Cipher.of(ref.keys) if ref.keys is not None else None
        db = Database(ref.url, search_path=ref.search_path, timeout=ref.timeout, cipher=cipher)
        try:
            async with db.sessions() as session:
                return await body(session)
        finally:
            await db.dispose()

    return asyncio.run(go())


def shutdown() -> None:
    """Ends the worker process (the app's shutdown; a broken pool)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
