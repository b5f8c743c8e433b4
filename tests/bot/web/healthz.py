"""Measures how long /healthz waits while other work runs on the same event loop.

The app runs in the test's own loop (httpx's ASGI transport), so anything that blocks the loop
(masking a long text, hashing a password) delays the health check by as much. Each sample is
timed from the moment it was due, so a block that falls between two requests counts too.

A shared test machine can stall a whole process on its own (with 16 runnable threads on 2
cores, every wake-up of the loop waits its turn): `keeps_healthz_under` tries a few rounds, and
skips, saying why, only when they all failed on a machine whose load is over twice its cores.
Work that blocks the loop stalls /healthz in every round, however quiet the machine.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
import pytest

T = TypeVar("T")
INTERVAL = 0.01
ROUNDS = 3
# Load average per core over which a stalled process says nothing about the code.
BUSY_LOAD_PER_CORE = 2.0


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


async def keeps_healthz_under(
    client: httpx.AsyncClient,
    bound: float,
    prepare: Callable[[], Awaitable[Callable[[], Awaitable[T]]]],
) -> list[T]:
    """Asserts that /healthz answered within bound while the work ran, in one of ROUNDS rounds.

    prepare() sets a round up outside the measurement and returns the work to measure.
    """
    results: list[T] = []
    figures: list[tuple[float, float]] = []  # (idle worst, worst during the work)
    for _ in range(ROUNDS):
        _, idle = await healthz_during(client, asyncio.sleep(0.2))
        work = await prepare()
        result, busy = await healthz_during(client, work())
        results.append(result)
        figures.append((max(idle), max(busy)))
        if max(busy) < bound:
            return results
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > BUSY_LOAD_PER_CORE * cores:
        pytest.skip(f"machine too busy (load {load:.1f} on {cores} cores): {figures}")
    raise AssertionError(f"/healthz over {bound} s in every round (idle, during): {figures}")
