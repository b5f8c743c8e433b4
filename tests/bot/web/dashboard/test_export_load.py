"""A 5,000-row export does not stall the process: /healthz keeps answering within 100 ms
(before: a 5,000-row XLSX stalled it for seconds).

The app and the client share one event loop here (httpx's ASGI transport), so any work the
export did on the loop would delay the health checks by as much.
"""

from __future__ import annotations

import asyncio
import io
import time

import httpx
from openpyxl import load_workbook

from bench.seed import seed as seed_many
from bot.runtime import Runtime
from tests.bot.web.dashboard.conftest import add_user, login

ROWS = 5000


async def test_healthz_answers_within_100_ms_while_5000_rows_export(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await seed_many(runtime.db, runtime.cipher, ROWS, officers=False)
    await add_user(runtime.db, "siti")
    await login(client, "siti")

    # The machine's own noise first (a shared CI box): the same checks with no export.
    quiet: list[float] = []
    for _ in range(40):
        start = time.perf_counter()
        assert (await client.get("/healthz")).status_code == 200
        quiet.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.02)
    began = time.perf_counter()
    export = asyncio.create_task(client.get("/dashboard/export.xlsx", timeout=120))
    latencies: list[float] = []
    marks: list[float] = []
    while not export.done():
        start = time.perf_counter()
        health = await client.get("/healthz")
        latencies.append((time.perf_counter() - start) * 1000)
        marks.append(round(start - began, 2))
        assert health.status_code == 200
        await asyncio.sleep(0.02)
    response = await export
    print(f"export {time.perf_counter() - began:.2f} s, {len(latencies)} health checks")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == ROWS + 1
    assert len(latencies) >= 5, latencies
    ordered = sorted(latencies)
    median, p90 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.9)]
    worst = max(range(len(latencies)), key=latencies.__getitem__)
    detail = (
        f"median {median:.0f} ms, p90 {p90:.0f} ms, "
        f"slowest {latencies[worst]:.0f} ms at {marks[worst]} s"
    )
    assert median < 50, detail
    assert p90 < 100, detail
    # The worst single check is left to the machine: with the suite's other worker (a
    # Chromium test, say), the export process and other jobs sharing two cores, the web
    # process is sometimes not scheduled for a while (up to 1.6 s seen under a load average
    # of 12). Before this change the loop itself stalled for the whole export (7.9 s for
    # these 5,000 rows); the quiet figure is printed for comparison.
    print(f"{detail}; quiet slowest {max(quiet[1:]):.0f} ms")
    assert latencies[worst] < 2500, detail
