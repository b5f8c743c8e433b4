"""`gratibot ask` and `gratibot kb ...` as an admin runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.bot.cli.test_common import gratibot

ROOT = Path(__file__).resolve().parents[3]


def test_ask_json_reads_one_question_per_line(tmp_path: Path) -> None:
    stdin = "parcel lebaran dr vendor wajib lapor gk\n\nresep nasi goreng\n"
    result = gratibot("ask", "--json", "-", stdin=stdin, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert set(first) == {"matched", "id", "score", "answer", "suggestions"}
    assert first["matched"] is True and first["id"] == "parsel-hari-raya"
    assert "Dasar hukum:" in first["answer"]
    assert second == {"matched": False, "id": None, "score": 0.0, "answer": None, "suggestions": []}


def test_ask_prints_suggestions(tmp_path: Path) -> None:
    result = gratibot("ask", "deadline lapor ke kpk kapan", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Maksud Anda:" in result.stdout and "(batas-waktu)" in result.stdout


def test_kb_check_passes_on_the_shipped_files(tmp_path: Path) -> None:
    result = gratibot("kb", "check", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: " in result.stdout and "rules: PerKPK 2/2019 jo. PerKPK 1/2026" in result.stdout


def test_kb_check_fails_with_file_and_line(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    path = knowledge / "faq" / "kasus.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("reviewed: 2026-11-24", "reviewed: kemarin", 1),
        encoding="utf-8",
    )
    result = gratibot("kb", "check", tmp=tmp_path, KNOWLEDGE_DIR=str(knowledge))
    assert result.returncode == 1
    assert "faq/kasus.yaml:17: error: parsel-hari-raya: reviewed must be a date" in result.stdout
    assert "keeps the old files" in result.stdout


def test_kb_eval_reports_accuracy_and_misses(tmp_path: Path) -> None:
    labelled = tmp_path / "eval.yaml"
    labelled.write_text(
        "in_scope:\n  sanksi:\n    - hukuman kalo gak lapor apa\n    - cuaca besok\n"
        "out_of_scope:\n  - jadwal bola\n",
        encoding="utf-8",
    )
    result = gratibot("kb", "eval", str(labelled), "--min-top1", "0.9", tmp=tmp_path)
    assert result.returncode == 1  # 1 of 2 in scope
    assert "top-1 answered right: 1 (50.0%)" in result.stdout
    assert "'cuaca besok': expected sanksi" in result.stdout


def test_kb_unanswered_groups_what_users_asked(tmp_path: Path) -> None:
    script = "resep nasi goreng\nResep nasi goreng!\ndeadline lapor ke kpk kapan\n"
    chat = gratibot("chat", "--json", stdin=script, tmp=tmp_path)
    assert chat.returncode == 0, chat.stderr
    result = gratibot("kb", "unanswered", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "suggested" in lines[0] and "deadline lapor ke kpk kapan" in lines[0]  # newest first
    assert lines[1].strip().startswith("2x") and "fallback" in lines[1]


def test_kb_feedback_counts_presses_per_entry(tmp_path: Path) -> None:
    script = (
        "amplop kondangan wajib lapor gak\n"
        '{"choice": "faqfb:pernikahan:0"}\n'
        "amplop kondangan wajib lapor gak\n"
        '{"choice": "faqfb:pernikahan:1"}\n'
    )
    chat = gratibot("chat", "--json", stdin=script, tmp=tmp_path)
    assert chat.returncode == 0, chat.stderr
    result = gratibot("kb", "feedback", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("pernikahan"))
    assert row.split() == ["pernikahan", "1", "1"]


def test_kb_check_warns_about_an_empty_uppg_contact_in_development(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / "uppg.yaml").write_text('name: UPPG Inspektorat\nphone: ""\n', encoding="utf-8")
    result = gratibot("kb", "check", tmp=tmp_path, KNOWLEDGE_DIR=str(knowledge))
    assert result.returncode == 0, result.stdout
    assert "uppg.yaml:1: warning: no UPPG contact filled in" in result.stdout


def test_kb_check_fails_on_an_empty_uppg_contact_in_production(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / "uppg.yaml").write_text('name: UPPG Inspektorat\nphone: ""\n', encoding="utf-8")
    result = gratibot(
        "kb",
        "check",
        tmp=tmp_path,
        KNOWLEDGE_DIR=str(knowledge),
        ENVIRONMENT="production",
        DATA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        WEB_SECRET_KEY="s" * 48,
    )
    assert result.returncode == 1
    assert "uppg.yaml:1: error: no UPPG contact filled in" in result.stdout
    assert "required in production" in result.stdout
