"""`gratibot chat --json` completes a whole declaration from a script, attachment included."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlalchemy import select

from bot.backoffice.threads import ask_reporter
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import Declaration
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
    "Budi Santoso, NIK 3201011505900001, NIP 199005152015031001, Analis Keuangan di Dinas"
    " Pendidikan",
    "Jl. Merdeka No. 5, Sukamaju",
    "0812 3456 7890",
    "Lewati",
    "Tidak perlu",
    '{"attachment": "PHOTO"}',  # the summary asks for photos; sent there, it joins the report
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
    assert "Ringkasan laporan" in questions[-3]
    # The button is named in quotes: "..., sebelum Benar, kirim." read as a sentence.
    assert 'Kirim sekarang, sebelum menekan "Benar, kirim".' in questions[-3]
    assert "Ringkasan laporan" in questions[-2] and "Lampiran: 1 berkas" in questions[-2]
    receipt = turns[-1][0]["text"]
    assert "Nomor laporan: GRT-" in receipt and "Lampiran: 1 berkas" in receipt
    number = receipt.split("Nomor laporan: ")[1].split("\n")[0]
    # A later run (new process, same data directory) finds it with /status.
    status = gratibot("chat", "--json", stdin="/status\n", tmp=tmp_path)
    assert number in json.loads(status.stdout)["replies"][0]["text"]
    assert list((tmp_path / "var" / "attachments").rglob("*"))


def _ask_the_reporter(tmp: Path, number: str, question: str) -> None:
    """An officer asks the reporter of `number` a question (queued in the outbox)."""

    async def go() -> None:
        # The chat's own database and development key, whatever this process's environment.
        settings = Settings(_env_file=None, var_dir=tmp / "var", database_url=None)  # type: ignore[call-arg]
        db = Database.from_settings(settings)
        try:
            async with db.transaction() as session:
                query = select(Declaration.id).where(Declaration.number == number)
                declaration_id = (await session.execute(query)).scalar_one()
                await ask_reporter(session, declaration_id, question, actor="sari")
        finally:
            await db.dispose()

    asyncio.run(go())


def test_chat_json_shows_the_uppg_notices_as_their_own_lines(tmp_path: Path) -> None:
    photo = tmp_path / "parsel.jpg"
    photo.write_bytes(JPEG)
    lines = [line.replace("PHOTO", str(photo)) for line in SCRIPT]
    env = {"FLOOD_MAX_MESSAGES": "1000"}
    done = gratibot("chat", "--json", stdin="\n".join(lines) + "\n", tmp=tmp_path, **env)
    receipt = json.loads(done.stdout.strip().splitlines()[-1])["replies"][0]["text"]
    number = receipt.split("Nomor laporan: ")[1].split("\n")[0]
    _ask_the_reporter(tmp_path, number, "Foto parselnya bisa dikirim ulang yang lebih jelas?")
    later = gratibot("chat", "--json", stdin="/status\n", tmp=tmp_path)
    assert later.returncode == 0, later.stderr
    out = [json.loads(line) for line in later.stdout.strip().splitlines()]
    notices = [line["notice"] for line in out if "notice" in line]
    assert len(notices) == 1 and notices[0]["from"] == "UPPG"
    assert "Foto parselnya bisa dikirim ulang" in notices[0]["text"]
    assert [c["label"] for c in notices[0]["choices"]]  # its answer button comes with it
    # The notice was there before the script's turn: its line comes first, then the turn's.
    assert "notice" in out[0] and "replies" in out[1] and number in out[1]["replies"][0]["text"]
    again = gratibot("chat", "--json", stdin="/status\n", tmp=tmp_path)
    assert all("notice" not in json.loads(line) for line in again.stdout.strip().splitlines())


def test_chat_from_another_directory_answers_from_the_shipped_knowledge(tmp_path: Path) -> None:
    # `cd /tmp && gratibot chat`: knowledge/ is found beside the code, not in /tmp.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = gratibot(
        "chat",
        "--json",
        stdin="apa itu gratifikasi\n",
        tmp=tmp_path,
        process=True,
        cwd=elsewhere,
    )
    assert result.returncode == 0, result.stderr
    replies = json.loads(result.stdout.strip().splitlines()[-1])["replies"]
    assert replies[0]["text"].startswith("Gratifikasi adalah pemberian dalam arti luas")
    assert not list(elsewhere.iterdir())  # VAR_DIR is tmp/var, nothing else lands here
