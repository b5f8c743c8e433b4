"""`gratibot chat --json` completes a whole declaration from a script, attachment included."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.test_common import gratibot

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"p" * 500

# What a person would type, one line per turn: labels of buttons work like pressing them.
# The story first; what it gave is confirmed, and only the rest is asked.
SCRIPT = [
    "/lapor",
    "Ya, saya setuju",
    "Kemarin sore Pak Andi Wijaya, direktur PT Maju Jaya (rekanan proyek), datang ke kantor"
    " Dinas Pendidikan dan memberi parsel lebaran isi kue kering dan sirup, kira2 1,5 jt."
    " Katanya sebagai ucapan terima kasih karena proyek selesai.",
    "Benar, lanjut",
    "tidak tahu",
    "Dititipkan ke UPPG",
    "Tidak",
    "Budi Santoso, NIK 3201011505900001, NIP 199005152015031001, Analis Keuangan di Dinas"
    " Pendidikan",
    "Jl. Merdeka No. 5, Sukamaju",
    "0812 3456 7890",
    "Lewati",
    "Tidak perlu",
    '{"attachment": "PHOTO"}',
    "Selesai",
    "Benar, kirim",
]


def test_chat_json_completes_a_declaration(tmp_path: Path) -> None:
    photo = tmp_path / "parsel.jpg"
    photo.write_bytes(JPEG)
    lines = [line.replace("PHOTO", str(photo)) for line in SCRIPT]
    env = {"FLOOD_MAX_MESSAGES": "1000"}  # a script types faster than any person
    result = gratibot("chat", "--json", stdin="\n".join(lines) + "\n", tmp=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line)["replies"] for line in result.stdout.strip().splitlines()]
    assert len(turns) == len(SCRIPT)
    questions = [turn[-1]["text"] for turn in turns]
    assert "pemberitahuan data pribadi" in questions[0]
    assert "Yang saya tangkap dari cerita Anda" in questions[2]
    assert "Berkas diterima: 1" in questions[-3]
    assert "Ringkasan laporan" in questions[-2]
    receipt = turns[-1][0]["text"]
    assert "Nomor laporan: GRT-" in receipt and "Lampiran: 1 berkas" in receipt
    number = receipt.split("Nomor laporan: ")[1].split("\n")[0]
    # A later run (new process, same data directory) finds it with /status.
    status = gratibot("chat", "--json", stdin="/status\n", tmp=tmp_path)
    assert number in json.loads(status.stdout)["replies"][0]["text"]
    assert list((tmp_path / "var" / "attachments").rglob("*"))
