"""What blocks the event loop: masking a long text for the log, and 30 concurrent logins.

Peers: the masking pattern gratibot used before (quadratic on long runs of letters), and
logins as they ran before (all at once, argon2 on the event loop); /healthz is polled every
10 ms during the logins, each sample timed from when it was due.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bot import passwords
from bot.logs import redact, scrub
from bot.web.dashboard import login

OLD_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
LOGINS = 30


def _masking() -> list[tuple[str, int, float]]:
    rows = []
    for n in (20_000, 65_536):
        text = "a" * n
        started = time.perf_counter()
        scrub(text)
        rows.append(("redact (now, after the cut)", n, time.perf_counter() - started))
        started = time.perf_counter()
        redact(text)
        rows.append(("redact (now, whole text)", n, time.perf_counter() - started))
    text = "a" * 20_000
    started = time.perf_counter()
    OLD_EMAIL.sub("<email>", text)
    rows.append(("the old e-mail pattern", 20_000, time.perf_counter() - started))
    return rows


async def _logins(on_loop: bool) -> tuple[float, float, float]:
    """(seconds for the logins, median and worst /healthz latency) at production cost."""
    from bot.config import Settings
    from bot.runtime import build_runtime
    from bot.web.app import create_app

    tmp = Path(tempfile.mkdtemp())
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp / "var",
        knowledge_dir=Path("knowledge"),
        password_hash_cost="standard",
    )
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime)
    app.state.runtime = runtime
    passwords._dummy_hash()
    original = passwords.check_nothing
    slots = login.CONCURRENT_LOGINS
    if on_loop:
        # As before: every login worked on at once, each check on the event loop.
        login.CONCURRENT_LOGINS = LOGINS

        async def blocking(password: str) -> None:
            passwords.verify_nothing(password)

        passwords.check_nothing = blocking  # type: ignore[assignment]
    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(f"10.4.0.{i}", 1)),
            base_url="http://bench",
        )
        for i in range(LOGINS)
    ]
    try:
        await asyncio.gather(*(c.get("/healthz") for c in clients))
        pages = await asyncio.gather(*(c.get("/login") for c in clients))
        tokens = [re.search(r'name="csrf_token" value="([^"]+)"', p.text) for p in pages]
        samples: list[float] = []
        stop = asyncio.Event()

        async def poll() -> None:
            while not stop.is_set():
                due = time.perf_counter() + 0.01
                await asyncio.sleep(0.01)
                await clients[0].get("/healthz")
                samples.append(time.perf_counter() - due)

        poller = asyncio.create_task(poll())
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        await asyncio.gather(
            *(
                c.post(
                    "/login",
                    data={
                        "csrf_token": t.group(1) if t else "",
                        "username": f"x{i}",
                        "password": "x" * 12,
                    },
                )
                for i, (c, t) in enumerate(zip(clients, tokens, strict=True))
            )
        )
        took = time.perf_counter() - started
        stop.set()
        await poller
    finally:
        passwords.check_nothing = original  # type: ignore[assignment]
        login.CONCURRENT_LOGINS = slots
        for c in clients:
            await c.aclose()
        await runtime.close()
    return took, statistics.median(samples), max(samples)


def run() -> str:
    lines = [
        "## Event loop: masking a long text, 30 concurrent logins",
        "",
        "| what | size | seconds |",
        "|---|---:|---:|",
    ]
    for name, size, seconds in _masking():
        print(f"{name}: {size} characters in {seconds:.4f} s", flush=True)
        lines.append(f"| {name} | {size:,} characters | {seconds:.4f} |")
    lines += [
        "",
        f"{LOGINS} concurrent logins of unknown users at production argon2 cost, /healthz "
        "polled every 10 ms:",
        "",
        "| logins, argon2 | logins took (s) | /healthz median (ms) | /healthz worst (ms) |",
        "|---|---:|---:|---:|",
    ]
    for on_loop in (True, False):
        took, median, worst = asyncio.run(_logins(on_loop))
        where = (
            "all at once, on the event loop (before)"
            if on_loop
            else "4 at a time, own thread (now)"
        )
        print(
            f"argon2 {where}: {took:.1f} s, /healthz median {median * 1000:.0f} ms, "
            f"worst {worst * 1000:.0f} ms",
            flush=True,
        )
        lines.append(f"| {where} | {took:.1f} | {median * 1000:.0f} | {worst * 1000:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
