"""The naive Bayes classifier behind the matcher's third opinion (bot/knowledge/classifier.py)."""

from __future__ import annotations

import pytest

from bot.knowledge.classifier import EntryClassifier

# Three entries' phrasings and keywords, as normalised tokens.
ENTRIES = [
    [["parsel", "lebaran", "rekanan", "lapor"], ["hampers", "natal", "vendor"], ["parsel"]],
    [["tiket", "pesawat", "dibayari", "rekanan"], ["hotel", "dinas", "vendor", "lapor"]],
    [["kado", "ulang", "tahun", "teman", "kantor"], ["hadiah", "rekan", "kerja", "lapor"]],
]


def test_the_entry_whose_words_the_question_uses_is_the_most_likely() -> None:
    classifier = EntryClassifier.build(ENTRIES)
    # "dpt hampers lebaran dr vendor, wajib lapor?" after normalising
    p = classifier.probabilities(["hampers", "lebaran", "vendor", "lapor"])
    assert p[0] == max(p) > 0.5
    assert sum(p) == pytest.approx(1.0)
    # "hotelnya dibayarin rekanan pas dinas"
    p = classifier.probabilities(["hotel", "dibayari", "rekanan", "dinas"])
    assert p[1] == max(p)


def test_a_word_every_entry_uses_decides_nothing() -> None:
    classifier = EntryClassifier.build(ENTRIES)
    with_lapor = classifier.probabilities(["kado", "teman", "lapor"])
    without = classifier.probabilities(["kado", "teman"])
    assert with_lapor[2] == max(with_lapor)
    assert with_lapor[2] == pytest.approx(without[2], abs=0.1)


def test_words_no_entry_knows_leave_every_entry_as_likely() -> None:
    classifier = EntryClassifier.build(ENTRIES)
    # "jam brp skrg": nothing of it is in any entry
    assert classifier.probabilities(["jam", "berapa", "sekarang"]) == pytest.approx([1 / 3] * 3)
    assert classifier.probabilities([]) == pytest.approx([1 / 3] * 3)


def test_neighbouring_words_count_in_their_order() -> None:
    entries = [[["rekan", "kerja"]], [["kerja", "rekan"]]]
    classifier = EntryClassifier.build(entries)
    p = classifier.probabilities(["rekan", "kerja"])
    assert p[0] > p[1]


def test_no_entries_no_probabilities() -> None:
    assert EntryClassifier.build([]).probabilities(["parsel"]) == []
