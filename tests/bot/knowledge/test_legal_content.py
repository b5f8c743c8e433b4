"""Answers agree with the legal reference (shared reference, section 6b overrides earlier ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load(KNOWLEDGE)
    assert loaded is not None, [str(p) for p in problems]
    return loaded


def test_the_seven_days_of_pasal_17_6_are_kpks_and_the_reporters_deadline_is_the_sks(
    kb: KnowledgeBase,
) -> None:
    citing = [e for e in kb.entries.values() if "17 ayat (6)" in e.basis]
    assert citing, "the hand-over to the Minister of Finance is answered somewhere"
    for entry in citing:
        text = kb.render(entry.id)
        basis = text.splitlines()[-1]
        # The basis says what each source governs, so a reader cannot take the 7 days as theirs.
        assert "SK KPK" in basis and "(tenggat pelapor)" in basis, entry.id
        assert "ke Menteri Keuangan" in basis, entry.id
        if "7 hari kerja" in text:
            assert "tugas KPK, bukan tenggat Anda" in text, entry.id
        assert "tercantum di SK" in text, entry.id
