"""Measures how long /healthz waits while other work runs on the same event loop.

The app runs in the test's own loop (httpx's ASGI transport), so anything that blocks the loop
(masking a long text, hashing a password) delays the health check by as much. Each sample is
timed from the moment it was due, so a block that falls between two requests counts too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import TypeVar

import httpx

T = TypeVar("T")
INTERVAL = 0.01


async def _poll(client: httpx.AsyncClient, stop: asyncio.Event, samples: list[float]) -> None:
    while not stop.is_set():
        due = time.perf_counter() + INTERVAL
        await asyncio.sleep(INTERVAL)
        response = await client.get("/healthz")
        samples.append(time.perf_counter() - due)
        assert response.status_code == 200, response.text


async def healthz_during(client: httpx.AsyncClient, work: Awaitable[T]) -> tuple[T, list[float]]:
    """Runs work while polling /healthz; returns its result and each check's latency (s)."""
    stop = asyncio.Event()
    samples: list[float] = []
    poller = asyncio.create_task(_poll(client, stop, samples))
    await asyncio.sleep(5 * INTERVAL)  # the poller is running before the work starts
    try:
        result = await work
    finally:
        stop.set()
        await poller
    return result, samples
