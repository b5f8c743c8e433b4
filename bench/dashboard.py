"""The dashboard under a busy UPPG: heavy pages while /healthz is polled.

Seeds 5,000 declarations (bench.seed) into a fresh SQLite database, starts `gratibot serve`,
logs in, downloads the queue as XLSX and CSV, opens the queue and the yearly recap, downloads
the recap as XLSX, one declaration's PDF form and its signed receipt, and polls /healthz every
20 ms meanwhile: each request's time and the health check's latency during it are the figures
(the issue's before: 6.7 s for the XLSX, /healthz stalled 4.8 s).

    python -m bench.dashboard            # this tree
    BENCH_CODE_ROOT=/path/to/old/tree python -m bench.dashboard   # another tree, same data
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.seed import PASSWORD, seed
from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.store.database import Database
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
COUNT = int(os.environ.get("BENCH_DASHBOARD_COUNT", "5000"))
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _seed(var_dir: Path) -> None:
    async def go() -> None:
        settings = Settings(_env_file=None, environment="test", var_dir=var_dir)  # type: ignore[call-arg]
        db = Database.from_settings(settings)
        await db.migrate()
        await seed(db, cipher_from_settings(settings), COUNT)
        await db.dispose()

    asyncio.run(go())


def _serve(var_dir: Path, code_root: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(VAR_DIR=str(var_dir), ENVIRONMENT="development", LOG_LEVEL="WARNING")
    env["PYTHONPATH"] = str(code_root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=code_root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gratibot serve did not start")


def _poll(base: str, stop: threading.Event, latencies: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            start = time.perf_counter()
            client.get("/healthz")
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.02)


def _measure(client: httpx.Client, base: str, path: str) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    stop = threading.Event()
    poller = threading.Thread(target=_poll, args=(base, stop, latencies))
    poller.start()
    time.sleep(0.2)
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    stop.set()
    poller.join()
    return elapsed, latencies, len(response.content)


def run() -> str:
    code_root = Path(os.environ.get("BENCH_CODE_ROOT") or ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp) / "var"
        _seed(var_dir)
        if code_root != ROOT:
            # An older tree knows fewer migrations: it sees its own head as current.
            with sqlite3.connect(var_dir / "gratibot.db") as conn:
                heads = sorted((code_root / "bot").rglob("versions/*.py"))
                conn.execute("UPDATE alembic_version SET version_num = ?", (heads[-1].name[:4],))
        port = free_port()
        proc = _serve(var_dir, code_root, port)
        base = f"http://127.0.0.1:{port}"
        lines = [
            f"## Dashboard exports ({COUNT} declarations, SQLite, `gratibot serve`, one worker)",
            "",
            f"Code: `{code_root}`",
            "",
            "| page or download | time | size | /healthz during it: polls, median, p90, max |",
            "|---|---|---|---|",
        ]
        try:
            with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
                page = client.get("/login")
                token = CSRF.search(page.text)
                assert token
                client.post(
                    "/login",
                    data={"csrf_token": token.group(1), "username": "siti", "password": PASSWORD},
                )
                year = time.gmtime().tm_year
                for path in (
                    "/dashboard/export.xlsx",
                    "/dashboard/export.csv",
                    "/dashboard",
                    f"/dashboard/recap?periode={year}",
                    f"/dashboard/recap.xlsx?periode={year}",
                    "/dashboard/declarations/1/form.pdf",
                    "/dashboard/declarations/1/tanda-terima.pdf",
                ):
                    elapsed, latencies, size = _measure(client, base, path)
                    worst = max(latencies) if latencies else 0.0
                    median = statistics.median(latencies) if latencies else 0.0
                    ordered = sorted(latencies) or [0.0]
                    p90 = ordered[int(len(ordered) * 0.9)]
                    row = (
                        f"| `{path}` | {elapsed:.2f} s | {size / 1024:.0f} KB | "
                        f"{len(latencies)}, {median:.0f} ms, {p90:.0f} ms, {worst:.0f} ms |"
                    )
                    print(row, flush=True)
                    lines.append(row)
        finally:
            proc.terminate()
            proc.wait(10)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
