"""The worker command and the worker embedded in a runtime (single-process install)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from bot.backoffice.notify import Notification
from bot.backoffice.workflow import change_status
from bot.config import Settings
from bot.runtime import build_runtime
from bot.sessions import MemorySessionStore
from bot.store.database import Database
from bot.store.models import outbox_message as message
from handlers import statuses as st
from tests.bot.backoffice.kit import new_declaration, uppg_settings
from tests.bot.channels.telegram.stub import running_stub
from tests.bot.cli.test_common import ROOT, gratibot
from tests.conftest import data_cipher


def test_worker_check_answers_for_the_healthcheck(tmp_path: Path) -> None:
    ok = gratibot("worker", "--check", tmp=tmp_path)
    assert ok.returncode == 0, ok.stderr
    down = gratibot(
        "worker", "--check", tmp=tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1:9/none"
    )
    assert down.returncode == 1
    assert "Traceback" not in down.stderr


class SignallingSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Notification]] = []
        self.arrived = asyncio.Event()

    async def notify(self, chat_id: str, notification: Notification) -> None:
        self.sent.append((chat_id, notification))
        self.arrived.set()


async def test_the_embedded_worker_delivers_inside_a_chat_or_web_process(
    settings: Settings,
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub, embedded_worker=None, outbox_poll_seconds=3600)
        assert config.worker_embedded  # no REDIS_URL: one process does everything
        runtime = await build_runtime(config, store=MemorySessionStore())
        try:
            assert runtime.uppg_chat is not None and runtime.telegram is not None
            assert runtime.services.threads is not None
            reporter = SignallingSender()
            runtime.senders["test"] = reporter
            declaration_id = await new_declaration(runtime.db, "GRT-2026-000060")
            async with runtime.db.transaction() as session:
                await change_status(session, declaration_id, st.DIVERIFIKASI, actor="sari")
            # Woken by the commit, not by the (hour-long) poll interval.
            await asyncio.wait_for(reporter.arrived.wait(), timeout=15)
            assert "Diverifikasi" in reporter.sent[0][1].reply.text
        finally:
            await runtime.close()


def test_worker_command_runs_until_terminated(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(VAR_DIR=str(tmp_path / "var"), LOG_LEVEL="INFO")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "started" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 0, "".join(lines) + rest
    assert "worker stopped" in rest


async def test_outbox_command_lists_and_requeues_dead_messages(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'gratibot.db'}")
    await db.migrate()
    async with db.transaction() as session:
        session.add(message("reporter.status_changed", "status:1", {"declaration_id": 1}))
        dead = message("nobody.listens", "x:1", {})
        dead.status, dead.last_error = "dead", "DeliveryFailed: no delivery for topic"
        session.add(dead)
    await db.dispose()

    listed = await asyncio.to_thread(gratibot, "outbox", "list", tmp=tmp_path, COLUMNS="80")
    assert listed.returncode == 0, listed.stderr
    assert "dead: 1" in listed.stdout and "pending: 1" in listed.stdout
    # Whole topics in an 80-column terminal.
    assert "nobody.listens" in listed.stdout and "reporter.status_changed" in listed.stdout

    retried = await asyncio.to_thread(gratibot, "outbox", "retry", "2", tmp=tmp_path)
    assert "1 message(s) queued again" in retried.stdout
    listed = await asyncio.to_thread(gratibot, "outbox", "list", "--status", "dead", tmp=tmp_path)
    assert "pending: 2" in listed.stdout and "dead" not in listed.stdout.split("\n", 1)[0]


async def _verified_for_two_console_users(tmp_path: Path) -> None:
    # The key the gratibot command finds under var/, so it can read the sealed columns.
    db = Database(
        f"sqlite+aiosqlite:///{tmp_path / 'var' / 'gratibot.db'}", cipher=data_cipher(tmp_path)
    )
    await db.migrate()
    mine = await new_declaration(db, "GRT-2026-000070", user_key="console:budi")
    other = await new_declaration(db, "GRT-2026-000071", user_key="console:sari")
    async with db.transaction() as session:
        await change_status(session, mine, st.DIVERIFIKASI, actor="siti")
        await change_status(session, other, st.DIVERIFIKASI, actor="siti")
    await db.dispose()


def test_the_interactive_chat_shows_the_uppg_notices_of_its_user(tmp_path: Path) -> None:
    asyncio.run(_verified_for_two_console_users(tmp_path))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(VAR_DIR=str(tmp_path / "var"), LOG_LEVEL="WARNING")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "budi"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    seen: list[str] = []
    guard = threading.Timer(60, proc.kill)  # a chat that never shows the notice fails, not hangs
    guard.start()
    try:
        for line in proc.stdout:
            seen.append(line)
            if "Laporan Anda sudah diperiksa UPPG" in line:
                break
        proc.stdin.close()  # Ctrl-D
        seen.append(proc.stdout.read())
        proc.wait(timeout=30)
    finally:
        guard.cancel()
        proc.stdout.close()
    text = "".join(seen)
    assert "Sampai jumpa." in text
    assert "📩 Pesan dari UPPG:" in text and "GRT-2026-000070" in text
    assert "GRT-2026-000071" not in text  # another reporter's notice waits for their chat
