"""Reading and checking knowledge/ (bot/knowledge/files.py): what `kb check` tells an admin."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge.files import Problem, load

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.level == "error"]


def test_the_shipped_files_have_no_error_and_no_warning_but_the_empty_contact() -> None:
    kb, problems = load(KNOWLEDGE, ambiguity=True)
    assert kb is not None
    assert [str(p) for p in problems if not p.source.startswith("uppg.yaml")] == []


def test_errors_name_file_and_line_in_indonesian(copy: Path) -> None:
    path = copy / "faq" / "dasar.yaml"
    _replace(path, "id: semua-dilarang", "id: definisi")
    _replace(path, "see_also: [honorer-pppk, pegawai-lain]", "see_also: [tidak-ada]")
    _replace(path, "Tidak ada nilai minimal:", "Tidak ada {nilai} minimal:")
    kb, problems = load(copy)
    assert kb is None
    messages = _errors(problems)
    assert any(
        re.match(r"faq/dasar\.yaml:\d+: error: id 'definisi' dipakai dua kali", m) for m in messages
    ), messages
    assert any("see_also menyebut entri yang tidak ada: 'tidak-ada'" in m for m in messages)
    assert any("placeholder {nilai} tidak dikenal" in m for m in messages)


def test_a_rule_placeholder_must_name_a_rule_with_that_limit(copy: Path) -> None:
    _replace(copy / "faq" / "pengecualian.yaml", "{batas.pernikahan}", "{batas.nikahan}")
    _replace(copy / "faq" / "pengecualian.yaml", "{batas.musibah}", "{batas_tahun.musibah}")
    kb, problems = load(copy)
    assert kb is None
    messages = " ".join(_errors(problems))
    assert "{batas.nikahan}: aturan 'nikahan' tanpa max_per_giver" in messages
    assert "{batas_tahun.musibah}: aturan 'musibah' tanpa max_per_year" in messages


def test_an_emptied_file_is_rejected_not_silently_dropped(copy: Path) -> None:
    (copy / "faq" / "hasil.yaml").write_text("", encoding="utf-8")
    kb, problems = load(copy)
    assert kb is None
    assert any(p.source == "faq/hasil.yaml" and "tidak berisi entri" in p.message for p in problems)
    (copy / "faq" / "hasil.yaml").write_text("entries: []\n", encoding="utf-8")
    kb, problems = load(copy)
    assert kb is None and any("tidak berisi entri" in m for m in _errors(problems))


def test_ids_with_capitals_or_spaces_are_rejected(copy: Path) -> None:
    _replace(copy / "faq" / "hasil.yaml", "id: kompensasi", "id: Kompensasi Barang")
    kb, problems = load(copy)
    assert kb is None
    assert any(
        "id 'Kompensasi Barang' hanya boleh huruf kecil, angka, dan tanda hubung" in m
        for m in _errors(problems)
    )


def test_a_review_date_in_the_future_is_rejected(copy: Path) -> None:
    _replace(copy / "faq" / "hasil.yaml", "reviewed: 2026-12-02", "reviewed: 2062-12-02")
    kb, problems = load(copy, today=lambda: date(2026, 12, 2))
    assert kb is None
    assert any("2062-12-02 ada di masa depan" in m for m in _errors(problems))


def test_a_yml_file_is_flagged_as_ignored(copy: Path) -> None:
    shutil.copy(copy / "faq" / "hasil.yaml", copy / "faq" / "tambahan.yml")
    kb, problems = load(copy)
    assert kb is not None
    assert any(
        p.source == "faq/tambahan.yml" and p.level == "warning" and "tambahan.yaml" in p.message
        for p in problems
    )


def test_broken_yaml_names_the_line(copy: Path) -> None:
    path = copy / "faq" / "hasil.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    kb, problems = load(copy)
    assert kb is None
    assert any(
        str(p).startswith("hasil.yaml:") and "tidak dapat dibaca" in str(p) for p in problems
    )


def test_a_bare_no_in_synonyms_gets_a_hint(copy: Path) -> None:
    _replace(copy / "synonyms.yaml", '"no", not]', "no, not]")
    kb, problems = load(copy)
    assert kb is None
    assert any("tulis dalam tanda kutip" in m for m in _errors(problems))


def test_cases_and_actions_are_checked(copy: Path) -> None:
    path = copy / "faq" / "pengecualian.yaml"
    _replace(path, "    actions: [cek]\n", "    actions: [telepon]\n")
    _replace(path, "      - when: [rekanan, pengusaha, perusahaan]\n", "      - when: rekanan\n")
    kb, problems = load(copy)
    assert kb is None
    messages = " ".join(_errors(problems))
    assert "actions hanya boleh berisi lapor, cek" in messages
    assert "perlu 'when' (daftar kata) dan 'answer' (teks)" in messages


def test_ambiguous_phrasing_is_a_warning(copy: Path) -> None:
    _replace(
        copy / "faq" / "pelaporan.yaml",
        "      - Lapor gratifikasi bisa lewat mana saja?",
        "      - Berapa batas waktu melaporkan gratifikasi?",
    )
    kb, problems = load(copy, ambiguity=True)
    assert kb is not None
    warnings = [str(p) for p in problems if "lebih cocok dengan" in p.message]
    assert any("lapor-kemana" in w and "batas-waktu" in w for w in warnings), warnings


def test_an_amount_written_by_hand_is_flagged(copy: Path) -> None:
    _replace(
        copy / "faq" / "pengecualian.yaml",
        "s.d. {batas.pernikahan} per pemberi: tidak",
        "s.d. Rp1.500.000 per pemberi: tidak",
    )
    kb, problems = load(copy)
    assert kb is not None
    assert any(
        p.level == "warning" and "Rp1.500.000 ditulis langsung" in p.message for p in problems
    )


def test_an_answer_too_long_for_a_phone_is_flagged(copy: Path) -> None:
    path = copy / "faq" / "hasil.yaml"
    _replace(
        path, "    basis: Pasal 17 UU 30/2002; SK KPK atas laporan Anda", "    basis: " + "x" * 400
    )
    kb, problems = load(copy)
    assert kb is not None
    assert any("setelah-sk: jawaban" in p.message and "ponsel" in p.message for p in problems)
