"""Knowledge loading, checks, normalisation and answers of bot/faq.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase
from bot.knowledge.textnorm import Normaliser, fold, stem

ROOT = Path(__file__).resolve().parents[3]
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load(KNOWLEDGE, uppg_deadline_workdays=7)
    assert loaded is not None, [str(p) for p in problems]
    return loaded


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def test_folding_squeezes_typing_habits() -> None:
    assert fold("Lapooor GRATIFIKASI!!!") == "lapor gratifikasi"
    assert fold("Rp1.500.000") == "rp 1500000"
    assert fold("500rb") == "500 rb"


def test_slang_and_synonyms_become_the_faq_words() -> None:
    norm = Normaliser({"tidak": ["gk", "ga"], "orang tua": ["ortu"], "parsel": ["hampers"]}, ["yg"])
    assert norm.tokens("hampers dr ortu yg gk jelas") == (
        "parsel",
        "dr",
        "orang",
        "tua",
        "tidak",
        "jelas",
    )


def test_number_words_and_stemming() -> None:
    norm = Normaliser({}, [])
    assert norm.tokens("sepuluh juta") == ("10", "juta")
    assert norm.tokens("tiga puluh hari") == ("30", "hari")
    assert stem("pelaporannya") == stem("pelaporan")
    assert stem("menolak") == "tolak"
    assert stem("rekan") == "rekan"


def test_the_real_knowledge_base_is_complete(kb: KnowledgeBase) -> None:
    assert len(kb.entries) >= 45
    categories = {e.category for e in kb.entries.values()}
    assert {"dasar", "tenggat", "pengecualian", "kasus", "pelaporan", "hasil"} <= categories
    for entry in kb.entries.values():
        assert entry.basis and entry.reviewed
        rendered = kb.render(entry.id)
        assert "Dasar hukum:" in rendered and "Ditinjau:" in rendered
        assert "{" not in rendered, entry.id


def test_answers_show_the_2026_change_and_the_local_deadline(kb: KnowledgeBase) -> None:
    wedding = kb.render("pernikahan")
    assert "Perubahan 20 Jan 2026" in wedding and "Rp1.500.000" in wedding
    assert "Rp1.000.000" in wedding
    assert "dalam 7 hari kerja" in kb.render("parsel-hari-raya")


def test_unfilled_uppg_contact_is_never_a_made_up_number(kb: KnowledgeBase) -> None:
    contact = kb.render("uppg-kontak")
    assert "hubungi UPPG Inspektorat" in contact
    assert not re.search(r"\d{6,}", contact.replace("2026", ""))


def test_filled_uppg_contact_is_shown(copy: Path) -> None:
    (copy / "uppg.yaml").write_text(
        'name: UPPG Inspektorat Kab. Contoh\nemail: "uppg@contoh.go.id"\n', encoding="utf-8"
    )
    kb, _ = load(copy)
    assert kb is not None
    assert "E-mail: uppg@contoh.go.id" in kb.render("uppg-kontak")


def test_three_outcomes(kb: KnowledgeBase) -> None:
    assert kb.match("parcel lebaran dr vendor wajib lapor gk").outcome == "answered"
    assert kb.match("cara bikin rendang").outcome == "fallback"
    answer = kb.answer("hadiah")
    assert not answer.matched and answer.answer is None


def test_suggestions_offer_at_most_three_entries(kb: KnowledgeBase) -> None:
    result = kb.match("deadline lapor ke kpk kapan")
    assert result.outcome == "suggested"
    suggestions = kb.suggestions(result)
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0].id == "batas-waktu"
    assert suggestions[0].question == kb.entries["batas-waktu"].questions[0]


def test_the_real_knowledge_base_has_no_ambiguous_phrasing(copy: Path) -> None:
    kb, problems = load(copy, ambiguity=True)
    assert kb is not None
    assert [str(p) for p in problems if "scores higher" in p.message] == []


def test_errors_are_reported_with_file_and_line(copy: Path) -> None:
    path = copy / "faq" / "dasar.yaml"
    text = path.read_text(encoding="utf-8")
    # A duplicate id, a broken reference and an unknown placeholder.
    text = text.replace("id: semua-dilarang", "id: definisi", 1)
    text = text.replace("see_also: [honorer-pppk]", "see_also: [tidak-ada]", 1)
    text = text.replace("Tidak ada nilai minimal.", "Tidak ada {nilai} minimal.", 1)
    path.write_text(text, encoding="utf-8")
    kb, problems = load(copy)
    assert kb is None
    messages = [str(p) for p in problems if p.level == "error"]
    assert any(
        re.match(r"faq/dasar\.yaml:\d+: error: duplicate id 'definisi'", m) for m in messages
    )
    assert any("see_also names unknown entry 'tidak-ada'" in m for m in messages)
    assert any("unknown placeholder {nilai}" in m for m in messages)


def test_broken_yaml_names_the_line(copy: Path) -> None:
    path = copy / "faq" / "hasil.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    kb, problems = load(copy)
    assert kb is None
    assert any(str(p).startswith("hasil.yaml:") and "cannot read" in str(p) for p in problems)


def test_ambiguous_phrasing_is_a_warning(copy: Path) -> None:
    path = copy / "faq" / "pelaporan.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "      - Lapor gratifikasi bisa lewat mana saja?",
        "      - Berapa batas waktu melaporkan gratifikasi?",
    )
    path.write_text(text, encoding="utf-8")
    kb, problems = load(copy, ambiguity=True)
    assert kb is not None
    warnings = [str(p) for p in problems if "scores higher" in p.message]
    assert any("batas-waktu" in w and "lapor-kemana" in w for w in warnings), warnings


def test_inactive_entries_are_not_answered(copy: Path) -> None:
    path = copy / "faq" / "kasus.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("id: tiket-perjalanan")
    end = text.index("active: true", start)
    text = text[:end] + "active: false" + text[end + len("active: true") :]
    path.write_text(text, encoding="utf-8")
    kb, _ = load(copy)
    assert kb is not None and "tiket-perjalanan" not in kb.entries
    assert kb.answer("tiket pesawat dibayari rekanan").id != "tiket-perjalanan"


def test_an_answer_out_of_step_with_the_rules_is_flagged(copy: Path) -> None:
    path = copy / "exemptions.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "max_per_giver: 1500000", "max_per_giver: 2000000"
        ),
        encoding="utf-8",
    )
    kb, problems = load(copy)
    assert kb is not None
    assert any(
        p.level == "warning" and "pernikahan" in p.message and "Rp2.000.000" in p.message
        for p in problems
    )


def test_colloquial_forms() -> None:
    norm = Normaliser({}, [])
    assert norm.tokens("teman2 buah2an") == ("teman", "buah")
    assert stem("dibayarin") == stem("dibayar") == "bayar"
    assert stem("ngajarin") == "ajar"
