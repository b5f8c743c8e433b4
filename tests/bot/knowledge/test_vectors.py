"""The TF-IDF index behind the matcher's second opinion (bot/knowledge/vectors.py)."""

from __future__ import annotations

from bot.knowledge.vectors import VectorIndex, features

ENTRIES = [
    [["parsel", "lebaran", "rekanan"], ["hampers", "natal", "vendor"]],
    [["tiket", "pesawat", "rekanan"], ["hotel", "dibayari", "vendor"]],
    [["rekan", "kerja", "ulang", "tahun"], ["kado", "teman", "kantor"]],
]


def test_the_entry_sharing_the_rare_words_is_the_most_similar() -> None:
    index = VectorIndex.build(ENTRIES)
    query = index.vector(["hampers", "lebaran", "vendor"])
    similar = [index.similarity(query, i) for i in range(len(ENTRIES))]
    assert similar[0] == max(similar) > similar[1] > similar[2] == 0.0


def test_neighbouring_words_count_in_their_order() -> None:
    assert "b:rekan_kerja" in features(["rekan", "kerja"])
    assert "b:rekan_kerja" not in features(["kerja", "rekan"])


def test_a_word_in_most_entries_and_an_unknown_word_weigh_nothing() -> None:
    entries = [[["lapor", "parsel"]], [["lapor", "tiket"]], [["lapor", "kado"]]]
    index = VectorIndex.build(entries)
    assert index.vector(["lapor", "cuti"]) == {}
    assert index.similarity(index.vector(["lapor", "tiket"]), 1) > 0.9
