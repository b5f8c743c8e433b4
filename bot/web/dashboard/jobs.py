"""Heavy dashboard work (exports and recaps of thousands of rows) in a separate process.

A thread would still share the interpreter lock with the event loop: measured under load,
/healthz then took 30-70 ms on average and over a second at worst during a 5,000-row export.
In a process of its own the work reads the database over its own connection and hands back
only bytes, so the web process keeps answering webhooks and health checks in milliseconds.

One worker process per web process, at a lower CPU priority, started on the first heavy
download ("spawn": a fork of a process with an event loop and driver threads is unsafe) and
ended with the app.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1,
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


def shutdown() -> None:
    """Ends the worker process (the app's shutdown; a broken pool)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
