"""Indonesian root words (kata dasar): words that are real as they stand.

The list is Sastrawi's dictionary of about 30,000 root words (PySastrawi, MIT licence), read
from the installed package. Two guesses use it: the stemmer does not strip a "prefix" off a
word that is itself a root ("mertua" is not "me-" + "rtua"), and the typo fixer does not
"correct" a real word into a word the knowledge base happens to know ("ruang" is not a typo of
"uang"). Only root words are listed, not derived forms, so "laporan" is still stemmed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def root_words() -> frozenset[str]:
    """The root words, lower-case (read once per process)."""
    data = resources.files("Sastrawi.Stemmer").joinpath("data", "kata-dasar.txt")
    return frozenset(w for w in data.read_text(encoding="utf-8").split() if w.isalpha())
