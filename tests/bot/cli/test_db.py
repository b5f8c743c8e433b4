"""`gratibot db`: attachment files stored before encryption are sealed in place, once."""

from __future__ import annotations

from pathlib import Path

from bot.store.sealed_files import MAGIC, FileSealer
from tests.bot.cli.test_common import gratibot
from tests.conftest import data_cipher

PDF = b"%PDF-1.4\nsurat undangan untuk Budi Santoso, NIK 3201010101850001\n"


def test_seal_attachments_encrypts_clear_files_once(tmp_path: Path) -> None:
    stored = tmp_path / "var" / "attachments" / "ab" / "abcdef"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(PDF)
    done = gratibot("db", "seal-attachments", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 file(s) encrypted" in done.stdout
    sealed = stored.read_bytes()
    assert sealed.startswith(MAGIC) and b"3201010101850001" not in sealed
    # The key the command used is the one under var/: the file opens with it.

    assert FileSealer(data_cipher(tmp_path)).open("ab/abcdef", sealed) == PDF
    again = gratibot("db", "seal-attachments", tmp=tmp_path)
    assert "0 file(s) encrypted" in again.stdout
