"""FAQ answers quote the deadline settings, so an answer, a receipt and a check agree."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.backoffice.deadlines import policy_for
from bot.config import load_settings
from bot.holidays_id import work_calendar
from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase
from bot.knowledge.templates import DayCounts
from handlers.check import deadline_lines
from handlers.deadlines import gift_deadlines
from handlers.receipt import deadline_lines as receipt_lines
from handlers.receipt import status_lines

ROOT = Path(__file__).resolve().parents[3]
KNOWLEDGE = ROOT / "knowledge"

# An instansi whose Perkada and legal team chose other figures than the defaults.
CHANGED = {
    "uppg_deadline_workdays": 7,
    "kpk_deadline_workdays": 28,
    "uppg_to_kpk_workdays": 9,
    "completion_workdays": 15,
    "kpk_decision_workdays": 25,
    "cuti_bersama_is_workday": False,
    "count_start_day": False,
}

# Sentences about the law's history, not about the bot's computation: they keep their figures.
HISTORY = {
    "perubahan-2026": ["melengkapi laporan: 20 hari kerja (dulu 30)"],
    "laporan-belum-lengkap": [
        "Sebelum 20 Jan 2026 batasnya 30 hari kerja",
        "turun dari 30 menjadi 20 hari kerja",
    ],
}


@pytest.fixture(scope="module")
def changed() -> KnowledgeBase:
    settings = load_settings(_env_file=None, **CHANGED)
    kb, problems = load(KNOWLEDGE, days=DayCounts.of(settings))
    assert kb is not None, [str(p) for p in problems]
    return kb


def test_the_deadline_answers_follow_changed_settings(changed: KnowledgeBase) -> None:
    limits = changed.render("batas-waktu")
    # The first line answers the question with both figures.
    assert limits.splitlines()[0] == (
        "Paling lambat 7 hari kerja ke UPPG, atau 28 hari kerja langsung ke KPK, "
        "sejak pemberian diterima."
    )
    assert "UPPG meneruskan laporan ke KPK dalam 9 hari kerja" in limits
    assert "tidak melewati batas 28 hari kerja Anda" in limits
    assert "Lengkapi dalam 15 hari kerja" in changed.render("laporan-belum-lengkap")
    # Sentences on what Pasal 12C itself says keep the article's 30 and name the setting
    # beside it as the UPPG's: "28 hari kerja ... tidak dianggap suap" misquoted the statute.
    decision = "30 hari kerja (dipantau UPPG: 25 hari kerja)"
    assert f"Paling lama {decision}" in changed.render("lama-keputusan")
    assert f"paling lama {decision}" in changed.render("status-laporan")
    statute = "30 hari kerja (batas UPPG: 28 hari kerja)"
    assert f"lebih dari {statute}" in changed.render("terlambat")
    assert f"paling lambat {statute} sejak diterima tidak dianggap suap" in changed.render(
        "bebas-pidana"
    )
    assert f"sampai ke KPK dalam {statute}" in changed.render("lapor-lewat-uppg")
    counting = changed.render("hari-kerja")
    assert "cuti bersama tidak dihitung sebagai hari kerja" in counting
    assert "hari diterima bukan hari pertama" in counting


def test_the_defaults_still_read_as_before() -> None:
    kb, problems = load(KNOWLEDGE)
    assert kb is not None, [str(p) for p in problems]
    limits = kb.render("batas-waktu")
    assert limits.startswith(
        "Paling lambat 10 hari kerja ke UPPG, atau 30 hari kerja langsung ke KPK, sejak "
    )
    assert "Bila sisa waktu 10 hari kerja atau kurang" in limits
    counting = kb.render("hari-kerja")
    assert (
        "cuti bersama dihitung sebagai hari kerja, hari diterima menjadi hari pertama" in counting
    )


def test_no_answer_writes_a_default_day_count_by_hand(changed: KnowledgeBase) -> None:
    # With every setting changed, a default figure left in an answer is one written by hand.
    # The days left before the reporter also goes to KPK (10) are a constant, not a
    # setting, and are not changed here; that sentence is checked by its placeholder.
    by_hand = re.compile(r"\b(20|30) hari kerja|\b10 hari kerja(?! atau kurang)")
    # The statute's own figure, with the setting beside it ({hari_kpk_uu}, {hari_putusan_uu}).
    statute = re.compile(r"30 hari kerja \((?:batas UPPG: 28|dipantau UPPG: 25) hari kerja\)")
    found = []
    for entry_id in changed.entries:
        text = statute.sub("", changed.render(entry_id))
        for sentence in HISTORY.get(entry_id, []):
            assert sentence in text, (entry_id, sentence)
            text = text.replace(sentence, "")
        found += [(entry_id, m.group(0)) for m in by_hand.finditer(text)]
    assert found == []


def test_an_answer_says_what_the_check_and_the_receipt_compute() -> None:
    settings = load_settings(_env_file=None, **CHANGED)
    kb, _ = load(KNOWLEDGE, days=DayCounts.of(settings))
    assert kb is not None
    policy = policy_for(settings, work_calendar(cuti_bersama_is_workday=False))
    received, today = date(2026, 11, 2), date(2026, 11, 3)
    check = " ".join(deadline_lines(received, policy, today))
    assert "(7 hari kerja)" in check
    # The article's own 30 stays the article's; the setting is the UPPG's.
    assert "(Pasal 12C UU 20/2001: 30 hari kerja; batas UPPG: 28 hari kerja)" in check
    # Past the setting's date: the article's 30 days are not said to be past.
    past = " ".join(deadline_lines(date(2026, 9, 1), policy, today))
    assert "Batas 28 hari kerja ke KPK yang dipakai UPPG" in past
    assert "Pasal 12C UU 20/2001 melindungi laporan dalam 30 hari kerja" in past
    gift = gift_deadlines(received, today, policy)
    receipt = " ".join(receipt_lines(gift, policy))
    assert "Ke UPPG (7 HK)" in receipt
    assert "Ke KPK (Pasal 12C UU 20/2001: 30 HK; batas UPPG: 28 HK)" in receipt
    late = gift_deadlines(date(2026, 9, 1), today, policy)
    warning = status_lines(late, policy)[0]
    assert "Lewat batas 28 HK ke KPK yang dipakai UPPG" in warning
    assert "Pasal 12C UU 20/2001 melindungi laporan dalam 30 HK" in warning
    assert "dalam 28 HK" not in warning
    limits = kb.render("batas-waktu")
    assert "Paling lambat 7 hari kerja ke UPPG, atau 28 hari kerja langsung ke KPK" in limits


def test_the_deadline_answer_says_its_figures_in_its_first_line_and_stays_short(
    changed: KnowledgeBase,
) -> None:
    # Read on a phone, the first line is often all that is read: it carries both deadlines
    # and where the count starts, for every setting.
    for kb in (changed, load(KNOWLEDGE)[0]):
        assert kb is not None
        text = kb.render("batas-waktu")
        first = text.splitlines()[0]
        uppg, kpk = (int(n) for n in re.findall(r"(\d+) hari kerja", first))
        assert (uppg, kpk) in {(7, 28), (10, 30)}, first
        assert "ke UPPG" in first and "ke KPK" in first and "sejak pemberian diterima" in first
        assert len(text) <= 600, len(text)
