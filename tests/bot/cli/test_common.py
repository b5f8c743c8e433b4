"""The `gratibot` command as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def gratibot(
    *args: str, stdin: str = "", tmp: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    clean.update(VAR_DIR=str(tmp / "var"), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean,
        timeout=60,
    )


def test_chat_json_start_offers_the_menu(tmp_path: Path) -> None:
    result = gratibot("chat", "--json", stdin="/start\n", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    replies = json.loads(lines[0])["replies"]
    labels = [c["label"] for c in replies[0]["choices"]]
    assert labels == [
        "Lapor gratifikasi",
        "Cek wajib lapor",
        "Tanya aturan",
        "Status laporan",
        "Bantuan",
    ]


def test_chat_json_accepts_choices_and_plain_text(tmp_path: Path) -> None:
    script = '/start\n{"choice": "menu:bantuan"}\n{"text": "/batal"}\n'
    result = gratibot("chat", "--json", stdin=script, tmp=tmp_path)
    turns = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(turns) == 3
    assert "Panduan singkat" in turns[1]["replies"][0]["text"]
    assert "Tidak ada proses" in turns[2]["replies"][0]["text"]


def test_invalid_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = gratibot("chat", "--json", tmp=tmp_path, TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TIMEZONE" in result.stderr and "Traceback" not in result.stderr
