"""The dashboard's heavy pages run off the event loop: a 5,000-row export, the work queue
ordered by deadline and a year's recap are computed in a worker process, and the web process
keeps answering /healthz meanwhile.

What is checked here is where the work happens, not how fast: the web process counts at most
the deadlines of the page it shows (25 rows), never those of thousands of declarations, and
every health check made during the heavy requests is answered. How fast /healthz answers
meanwhile is a benchmark figure (bench/dashboard.py, bench/results/dashboard.md), since any
timing measured inside the test suite depends on what else the machine runs.

The app and the client share one event loop (httpx's ASGI transport), so work the pages did
on the loop would also run here, in the counted functions.
"""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from bench.seed import seed as seed_many
from bot.runtime import Runtime
from bot.web.dashboard import listing, recap
from tests.bot.web.dashboard.conftest import add_user, login

ROWS = 5000


def counted(calls: Counter[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    return wrapper


async def while_polling(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, int]:
    """Requests path and polls /healthz until it is answered: the response and the polls."""
    request = asyncio.create_task(client.get(path, timeout=300))
    polls = 0
    while not request.done():
        health = await client.get("/healthz")
        assert health.status_code == 200
        polls += 1
        await asyncio.sleep(0.02)
    return await request, polls


async def test_heavy_pages_leave_the_event_loop_free(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_many(runtime.db, runtime.cipher, ROWS, officers=False)
    await add_user(runtime.db, "siti")
    await login(client, "siti")
    # In this (the web) process only: the worker processes import their own copies.
    calls: Counter[str] = Counter()
    monkeypatch.setattr(
        listing,
        "declaration_deadlines",
        counted(calls, "deadlines", listing.declaration_deadlines),
    )
    monkeypatch.setattr(recap, "forwarding_due", counted(calls, "recap", recap.forwarding_due))
    year = datetime.now(runtime.settings.tz).year

    export, polls = await while_polling(client, "/dashboard/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == ROWS + 1
    assert calls["deadlines"] == 0 and polls >= 1
    print(f"export: {polls} health checks answered meanwhile")

    # The queue: thousands of reports, the nearest deadline first; only the page's rows
    # have their deadlines counted here.
    queue, polls = await while_polling(client, "/dashboard")
    assert queue.status_code == 200
    assert queue.text.count('<td data-label="Nomor">') == listing.PAGE_SIZE
    assert 'class="u-late"' in queue.text  # the overdue reports lead the queue
    assert 1 <= calls["deadlines"] <= listing.PAGE_SIZE, calls
    print(f"queue: {polls} health checks answered meanwhile")

    calls.clear()
    page, polls = await while_polling(client, f"/dashboard/recap?periode={year}")
    assert page.status_code == 200 and f"Tahun {year}" in page.text
    workbook, _ = await while_polling(client, f"/dashboard/recap.xlsx?periode={year}")
    assert workbook.status_code == 200
    lines = load_workbook(io.BytesIO(workbook.content), read_only=True)["Per laporan"]
    assert sum(1 for _ in lines.iter_rows(values_only=True)) > 1000
    assert calls["recap"] == 0, calls
    print(f"recap: {polls} health checks answered meanwhile")
