"""The `gratibot` command as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def gratibot(
    *args: str,
    stdin: str = "",
    tmp: Path,
    process: bool = False,
    cwd: Path = ROOT,
    **env: str,
) -> Ran:
    """Runs the command with VAR_DIR under tmp and no REDIS_/DATABASE_ settings.

    In this process through Typer's CliRunner (fast), or with process=True as a real
    `python -m bot.cli` where the process itself matters (signals, exit on a broken start),
    started in cwd."""
    inherited = {k: v for k, v in os.environ.items() if k.startswith(("REDIS_", "DATABASE_"))}
    overrides: dict[str, str | None] = dict.fromkeys(inherited)
    overrides.update(VAR_DIR=str(tmp / "var"), **env)
    if process:
        clean = {k: v for k, v in os.environ.items() if k not in inherited}
        clean.update({k: v for k, v in overrides.items() if v is not None})
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=clean,
            timeout=60,
        )
        return Ran(done.returncode, done.stdout, done.stderr)
    result = CliRunner().invoke(app, list(args), input=stdin, env=overrides)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def test_chat_json_start_offers_the_menu(tmp_path: Path) -> None:
    result = gratibot("chat", "--json", stdin="/start\n", tmp=tmp_path, process=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    replies = json.loads(lines[0])["replies"]
    labels = [c["label"] for c in replies[0]["choices"]]
    assert labels == [
        "Lapor gratifikasi",
        "Cek wajib lapor",
        "Tanya aturan",
        "Lapor dugaan suap",
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


# Every command that answers from knowledge/ (or counts working days with its holidays.yaml).
KNOWLEDGE_COMMANDS = [
    ("chat",),
    ("chat", "--json"),
    ("ask", "apa itu gratifikasi"),
    ("kb", "check"),
    ("kb", "eval"),
    ("kb", "unanswered"),
    ("telegram",),
    ("serve",),
    ("worker",),
]


@pytest.mark.parametrize("command", KNOWLEDGE_COMMANDS, ids=" ".join)
def test_a_missing_knowledge_dir_refuses_to_start(tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "knowledge"
    result = gratibot(
        *command, stdin="apa itu gratifikasi\n", tmp=tmp_path, KNOWLEDGE_DIR=str(missing)
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"gratibot: folder pengetahuan tidak ditemukan: {missing}.")
    assert "Silakan atur KNOWLEDGE_DIR" in lines[0]
    assert result.stdout == ""  # no chat with the fallback answer


def test_a_relative_knowledge_dir_missing_everywhere_names_both_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = gratibot("chat", "--json", stdin="/start\n", tmp=tmp_path, KNOWLEDGE_DIR="hilang")
    assert result.returncode == 2
    assert f"tidak ditemukan: {tmp_path / 'hilang'} atau {ROOT / 'hilang'}." in result.stderr


def test_commands_without_the_knowledge_base_still_run(tmp_path: Path) -> None:
    result = gratibot("keys", "new", tmp=tmp_path, KNOWLEDGE_DIR=str(tmp_path / "knowledge"))
    assert result.returncode == 0, result.stderr
    assert "DATA_ENCRYPTION_KEY=" in result.stdout
