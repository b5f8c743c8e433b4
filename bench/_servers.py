"""Starting what the webhook benchmark talks to: `gratibot serve`, the bare ceiling app, the DB."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from tests.telegram_emulator.harness import _is_setting, bot_env, clear_namespace

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = "999001:bench-token"
SECRET = "bench-secret"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def tool(name: str) -> str:
    """A command from the virtualenv, else from PATH."""
    return shutil.which(name, path=str(BIN)) or shutil.which(name) or name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


async def _pg(admin: str, sql: str) -> bool:
    import asyncpg

    try:
        conn = await asyncpg.connect(admin, timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
    return True


@asynccontextmanager
async def database(var: Path, name: str = "bot") -> AsyncIterator[tuple[str, str]]:
    """(kind, URL): a fresh PostgreSQL database when one answers, else SQLite in `var`."""
    admin = (os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT).replace("+asyncpg", "")
    name = f"gratibot_bench_{uuid.uuid4().hex[:8]}"
    if await _pg(admin, f'CREATE DATABASE "{name}"'):
        base = admin.rsplit("/", 1)[0].split("://", 1)[1]
        try:
            yield "PostgreSQL", f"postgresql+asyncpg://{base}/{name}"
        finally:
            await _pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield "SQLite", f"sqlite+aiosqlite:///{var / f'{name}.db'}"


class Server:
    """A uvicorn subprocess on a free loopback port, stopped on exit."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.args = [a.replace("{port}", str(self.port)) for a in args]
        self.env = env
        self.log = log
        self.cwd = ROOT
        self.proc: subprocess.Popen[bytes] | None = None
        # The Redis namespace a bot server wrote, emptied once it stopped (left behind, bench
        # keys slow every later test run on the machine).
        self.namespace: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self.log.open("wb") as out:
            return subprocess.Popen(
                self.args, env=self.env, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT
            )

    async def __aenter__(self) -> Server:
        self.proc = self._spawn()
        deadline = time.monotonic() + 90
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited:\n{self.log.read_text()[-3000:]}")
                try:
                    if (await client.get(f"{self.url}/healthz", timeout=2)).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()[-3000:]}")

    async def __aexit__(self, *_: object) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        if self.namespace is not None:
            forget(self.namespace)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / ticks

    @property
    def pids(self) -> list[int]:
        """The uvicorn process and its workers (for py-spy)."""
        assert self.proc is not None
        found = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True, check=False
        )
        children = [int(p) for p in found.stdout.split()]
        return children or [self.proc.pid]


def knowledge(var: Path) -> Path:
    """The knowledge files with a UPPG office filled in (production refuses an empty contact)."""
    copy = var / "knowledge"
    if not copy.exists():
        shutil.copytree(ROOT / "knowledge", copy)
        contact = copy / "uppg.yaml"
        text = contact.read_text(encoding="utf-8")
        text = text.replace('office: ""', 'office: "Kantor Inspektorat (benchmark)"', 1)
        contact.write_text(text, encoding="utf-8")
    return copy


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not _is_setting(k)}


def bot_server(
    workers: int,
    *,
    api_base_url: str,
    db_url: str,
    namespace: str,
    var: Path,
    send_rate: float = 0,
    checkout: Path | None = None,
    extra: dict[str, str] | None = None,
) -> Server:
    """`gratibot serve`; send_rate 0 lifts Telegram's pacing to measure the bot itself.

    checkout: another checkout of gratibot with its own .venv (a baseline to compare with).
    """
    env = {
        **_clean_env(),
        **bot_env(
            token=TOKEN,
            api_base_url=api_base_url,
            redis_url=redis_url(),
            namespace=namespace,
            database_url=db_url,
            var=var,
        ),
        "ENVIRONMENT": "production",
        "TELEGRAM_WEBHOOK_URL": "https://bench.invalid/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "FLOOD_MAX_MESSAGES": "100000",
        "TELEGRAM_SEND_RATE": str(send_rate),
        "WEB_SECRET_KEY": "bench-" + "x" * 40,
        "DATA_ENCRYPTION_KEY": "pQyk3OeXgNn9pbTBvT6yLx2rLwWWJDaELeWX4zWz2ko=",
        "RECEIPT_SIGNING_KEY": "Q1qkFv0iJ3b1m2h5ZkT0cI8yW9xUuV7aPq3sR6dN4eo",
        "KNOWLEDGE_DIR": str(knowledge(var)),
    }
    env.update(extra or {})
    if "BENCH_LOG_LEVEL" in os.environ:
        env["LOG_LEVEL"] = os.environ["BENCH_LOG_LEVEL"]
    else:
        env.pop("LOG_LEVEL", None)  # the production default
    command = str(checkout / ".venv" / "bin" / "gratibot") if checkout else tool("gratibot")
    args = [command, "serve", "--host", "127.0.0.1", "--port", "{port}"]
    server = Server(
        [*args, "--workers", str(workers)], env, var / f"serve-{workers}-{uuid.uuid4().hex[:6]}.log"
    )
    if checkout is not None:
        server.cwd = checkout
    server.namespace = namespace
    return server


def peer_server(*, api_base_url: str, script: Path, var: Path) -> Server:
    """The plain python-telegram-bot bot (bench/_peer.py) on the same uvicorn options."""
    env = {
        **_clean_env(),
        "PEER_TOKEN": TOKEN,
        "PEER_API_BASE_URL": api_base_url,
        "PEER_SECRET": SECRET,
        "PEER_SCRIPT": str(script),
    }
    args = [str(BIN / "python"), "-m", "bench._peer", "{port}"]
    return Server(args, env, var / f"peer-{uuid.uuid4().hex[:6]}.log")


def ceiling_server(workers: int, var: Path) -> Server:
    """The bare endpoint under the same uvicorn options as `gratibot serve`."""
    args = [str(BIN / "python"), "-m", "bench._ceiling", "{port}", str(workers)]
    return Server(args, _clean_env(), var / f"ceiling-{workers}.log")


def forget(namespace: str) -> None:
    clear_namespace(redis_url(), namespace)
