"""`gratibot ask` and `gratibot kb ...` as an admin runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.bot.cli.test_common import gratibot

ROOT = Path(__file__).resolve().parents[3]


def test_ask_json_reads_one_question_per_line(tmp_path: Path) -> None:
    stdin = "parcel lebaran dr vendor wajib lapor gk\n\nresep nasi goreng\nmakasih\n"
    result = gratibot("ask", "--json", "-", stdin=stdin, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    first, second, third = lines
    assert set(first) >= {"matched", "id", "score", "answer", "suggestions"}
    assert first["matched"] is True and first["id"] == "parsel-hari-raya"
    assert first["answer"].startswith("Dari pihak yang berurusan dengan jabatan Anda")
    assert "Dasar hukum:" in first["answer"] and first["actions"] == ["cek", "lapor"]
    assert second["matched"] is False and second["answer"] is None
    assert third["small_talk"] == "thanks"


def test_ask_prints_suggestions(tmp_path: Path) -> None:
    result = gratibot("ask", "hadiah", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Maksud Anda:" in result.stdout
    offered = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert 1 <= len(offered) <= 3 and all(line.endswith(")") for line in offered)


def test_kb_check_passes_on_the_shipped_files(tmp_path: Path) -> None:
    result = gratibot("kb", "check", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: " in result.stdout and "entri aktif" in result.stdout
    assert "aturan: PerKPK 2/2019 jo. PerKPK 1/2026" in result.stdout


def test_kb_check_fails_with_file_and_line_in_indonesian(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    path = knowledge / "faq" / "kasus.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("reviewed: 2026-12-02", "reviewed: kemarin", 1),
        encoding="utf-8",
    )
    result = gratibot("kb", "check", tmp=tmp_path, KNOWLEDGE_DIR=str(knowledge))
    assert result.returncode == 1
    assert "faq/kasus.yaml:" in result.stdout
    assert "error: parsel-hari-raya: reviewed harus berupa tanggal (TTTT-BB-HH" in result.stdout
    assert "berkas ini TIDAK dipakai" in result.stdout


def test_kb_check_rejects_an_emptied_file(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / "faq" / "hasil.yaml").write_text("entries:\n", encoding="utf-8")
    result = gratibot("kb", "check", tmp=tmp_path, KNOWLEDGE_DIR=str(knowledge))
    assert result.returncode == 1
    assert "faq/hasil.yaml:1: error: berkas ini tidak berisi entri" in result.stdout


def test_kb_eval_reports_every_split_and_hides_the_held_out_misses(tmp_path: Path) -> None:
    result = gratibot("kb", "eval", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "== " in out and "eval_dev.yaml" in out and "eval_test.yaml" in out
    # each batch of the test split on its own
    assert "eval_test_2.yaml" in out and "eval_test_3.yaml" in out and "eval_test_4.yaml" in out
    assert "eval_test_5.yaml" in out and "eval_test_6.yaml" in out
    assert out.count("dalam topik:") == 7 and out.count("per kategori") == 7
    assert out.count("meleset di split uji tidak ditampilkan") == 6

    dev_part = out.split("eval_test.yaml")[0]
    assert "salah dengan yakin:" in dev_part


def test_the_image_carries_every_split_kb_eval_reads() -> None:
    from bot.cli.kb import DEV_SPLIT, TEST_SPLITS

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY tests/knowledge/*.yaml ./tests/knowledge/" in dockerfile
    for split in (DEV_SPLIT, *TEST_SPLITS):
        assert split.parent == Path("tests/knowledge") and split.suffix == ".yaml", split
        assert (ROOT / split).is_file(), split


def test_kb_eval_on_a_file_with_a_gate(tmp_path: Path) -> None:
    labelled = tmp_path / "eval.yaml"
    labelled.write_text(
        "in_scope:\n  sanksi:\n    - hukuman kalo gak lapor apa\n    - cuaca besok\n"
        "out_of_scope:\n  - jadwal bola\nsmall_talk:\n  - makasih ya\n",
        encoding="utf-8",
    )
    result = gratibot("kb", "eval", str(labelled), "--min-answered", "0.9", tmp=tmp_path)
    assert result.returncode == 1  # 1 of 2 in scope
    assert "dijawab benar: 50.0%" in result.stdout
    assert "'cuaca besok': seharusnya sanksi" in result.stdout
    assert "dijawab sebagai basa-basi: 100.0%" in result.stdout


def test_kb_eval_no_misses_holds_out_a_file_of_ones_own(tmp_path: Path) -> None:
    """A proxy split of one's own, run for its figures only, lists none of its lines."""
    labelled = tmp_path / "proxy.yaml"
    labelled.write_text(
        "in_scope:\n  sanksi:\n    - cuaca besok gmn\nout_of_scope:\n  - jadwal bola\n"
        "small_talk:\n  - makasih ya\n",
        encoding="utf-8",
    )
    result = gratibot("kb", "eval", str(labelled), "--no-misses", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dijawab benar: 0.0%" in result.stdout and "cuaca besok" not in result.stdout
    assert "(1 meleset di split uji tidak ditampilkan" in result.stdout


def test_kb_eval_holds_out_a_fold_and_hides_only_its_misses(tmp_path: Path) -> None:
    labelled = tmp_path / "eval.yaml"
    questions = [f"cuaca besok hari ke {n}" for n in range(12)]
    labelled.write_text(
        "in_scope:\n  sanksi:\n" + "".join(f"    - {q}\n" for q in questions),
        encoding="utf-8",
    )
    result = gratibot("kb", "eval", str(labelled), "--folds", "3", "--hold", "1", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    tuned, held = result.stdout.split("(fold 1 dari 3, ditahan)")
    assert "disetel: fold selain 1" in tuned
    # Every line misses: the tuned folds list theirs, the held-out fold only counts them.
    listed = tuned.count("seharusnya sanksi")
    hidden = int(held.split("(")[-1].split(" meleset di fold yang ditahan")[0])
    assert listed > 0 and hidden > 0 and listed + hidden == len(questions)
    assert "seharusnya" not in held and "pasangan tertukar" not in held
    bad = gratibot("kb", "eval", str(labelled), "--folds", "3", "--hold", "3", tmp=tmp_path)
    assert bad.returncode == 2 and "fold 3 dari 3 tidak ada" in bad.stderr


def test_kb_eval_asks_the_entries_own_phrasings_held_out_in_folds(tmp_path: Path) -> None:
    result = gratibot("kb", "eval", "--phrasing-folds", "3", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("== frasa entri (3 fold, tiap fold ditahan)")
    # Only the phrasing folds: no split was named, so none is judged.
    assert result.stdout.count("== ") == 1
    in_scope = int(result.stdout.split("dalam topik: ")[1].split()[0])
    assert in_scope > 500
    bad = gratibot("kb", "eval", "--phrasing-folds", "1", tmp=tmp_path)
    assert bad.returncode == 2 and "paling sedikit 2" in bad.stderr


def test_kb_unanswered_groups_similar_questions_and_names_the_nearest_entry(
    tmp_path: Path,
) -> None:
    script = "resep nasi goreng\nResep nasi goreng!\nresep nasi goreng enak\nhadiah\n"
    chat = gratibot("chat", "--json", stdin=script, tmp=tmp_path)
    assert chat.returncode == 0, chat.stderr
    result = gratibot("kb", "unanswered", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert "suggested" in lines[0] and "hadiah" in lines[0]  # newest first
    assert lines[1].strip().startswith("3x") and "fallback" in lines[1]
    as_json = gratibot("kb", "unanswered", "--json", tmp=tmp_path)
    docs = [json.loads(line) for line in as_json.stdout.splitlines()]
    # "hadiah" alone fits many entries; the nearest is the one `ask` ranks first.
    ranked = json.loads(gratibot("ask", "--json", "-", stdin="hadiah\n", tmp=tmp_path).stdout)
    assert docs[0]["nearest"] == ranked["id"] and docs[1]["count"] == 3
    assert f"(terdekat: {ranked['id']} " in lines[0]


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
    assert "uppg.yaml:1: warning: kontak UPPG belum diisi" in result.stdout


def test_kb_check_fails_on_an_empty_uppg_contact_in_production(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    from bot.documents.signing import new_private_key_text

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
        RECEIPT_SIGNING_KEY=new_private_key_text(),
    )
    assert result.returncode == 1
    assert "uppg.yaml:1: error: kontak UPPG belum diisi" in result.stdout
    assert "wajib diisi di produksi" in result.stdout
