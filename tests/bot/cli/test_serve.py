"""`gratibot serve` and `gratibot telegram` refuse to start in production without a UPPG
contact in knowledge/uppg.yaml (one line naming the file); in development they do not care."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.documents.signing import new_private_key_text
from bot.web.main import build
from tests.bot.cli.test_common import gratibot

ROOT = Path(__file__).resolve().parents[3]


def production(knowledge: Path) -> dict[str, str]:
    return {
        "ENVIRONMENT": "production",
        "DATA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "WEB_SECRET_KEY": "s" * 48,
        "RECEIPT_SIGNING_KEY": new_private_key_text(),
        "KNOWLEDGE_DIR": str(knowledge),
    }


def empty_contact(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge files, whose uppg.yaml has no contact yet."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / "uppg.yaml").write_text('name: UPPG Inspektorat\nphone: ""\n', encoding="utf-8")
    return knowledge


@pytest.mark.parametrize("command", ["serve", "telegram"])
def test_production_refuses_to_start_without_a_uppg_contact(tmp_path: Path, command: str) -> None:
    knowledge = empty_contact(tmp_path)
    result = gratibot(command, tmp=tmp_path, **production(knowledge))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{knowledge / 'uppg.yaml'}: kontak UPPG belum diisi" in lines[0]
    assert "cannot start in production" in lines[0]


def test_the_web_app_factory_refuses_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge = empty_contact(tmp_path)
    for name, value in production(knowledge).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    with pytest.raises(SystemExit, match=r"uppg\.yaml: kontak UPPG belum diisi"):
        build()


def test_opening_hours_alone_are_no_contact(tmp_path: Path) -> None:
    knowledge = empty_contact(tmp_path)
    (knowledge / "uppg.yaml").write_text(
        "name: UPPG Inspektorat\nhours: Senin-Jumat 08.00-16.00\n", encoding="utf-8"
    )
    result = gratibot("telegram", tmp=tmp_path, **production(knowledge))
    assert result.returncode == 2 and "kontak UPPG belum diisi" in result.stderr


def test_a_filled_contact_passes_the_check(tmp_path: Path) -> None:
    knowledge = empty_contact(tmp_path)
    (knowledge / "uppg.yaml").write_text(
        "name: UPPG Inspektorat\nemail: uppg@example.go.id\n", encoding="utf-8"
    )
    # Past the contact check, `telegram` stops at the next one: no bot token.
    result = gratibot("telegram", tmp=tmp_path, **production(knowledge))
    assert result.returncode == 2 and "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "uppg.yaml" not in result.stderr


def test_development_does_not_refuse(tmp_path: Path) -> None:
    knowledge = empty_contact(tmp_path)
    result = gratibot("telegram", tmp=tmp_path, KNOWLEDGE_DIR=str(knowledge))
    assert "uppg.yaml" not in result.stderr and "TELEGRAM_BOT_TOKEN" in result.stderr


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_production_refuses_to_start_without_a_receipt_signing_key(
    tmp_path: Path, command: str
) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    env = production(knowledge)
    del env["RECEIPT_SIGNING_KEY"]
    result = gratibot(command, tmp=tmp_path, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "RECEIPT_SIGNING_KEY must be set in production" in lines[0]
    assert not (tmp_path / "var" / "receipt.key").exists()


def test_the_web_app_factory_refuses_a_missing_knowledge_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "knowledge"
    monkeypatch.setenv("KNOWLEDGE_DIR", str(missing))
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    with pytest.raises(SystemExit, match=f"folder pengetahuan tidak ditemukan: {missing}"):
        build()
