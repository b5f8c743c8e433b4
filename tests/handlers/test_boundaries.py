"""handlers/ stays channel-neutral: importing every flow loads no I/O library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FORBIDDEN = [
    "telegram",
    "fastapi",
    "starlette",
    "redis",
    "sqlalchemy",
    "httpx",
    "aiosqlite",
    "asyncpg",
    "uvicorn",
]


def test_handlers_import_no_io_library() -> None:
    root = Path(__file__).resolve().parents[2]
    modules = sorted(p.stem for p in (root / "handlers").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('handlers.' + m)\n"
        f"bad = sorted({{n.split('.')[0] for n in sys.modules}} & set({FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"handlers/ pulled in: {out.stdout.strip()}"
