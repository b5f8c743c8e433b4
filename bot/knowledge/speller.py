"""Typo correction against the words the knowledge base knows ("kondagan" -> "kondangan").

A deletion index (the SymSpell idea): every known word is stored under itself and each form with
one letter deleted (two for long words); a typed word finds its candidates through its own
deletions, and the closest by optimal string alignment distance wins. One lookup is a few
dictionary reads, not a scan of the vocabulary, so a cold question stays well under a
millisecond.

Short words are corrected less: at four letters a single substitution turns "beli" (buy) into
"beri" (give), so a word shorter than `min_length - 1` is left alone and a word of exactly
`min_length - 1` letters may only gain or lose a letter ("lpor" -> "lapor"); only words of
`two_edits` letters or more may be two edits away ("melahirkan" is not "melaporkan").

A word made of a root word and its affixes is a real word too, not a typo: Sastrawi's stemmer
finds the root ("pengajuan" is "aju" + affixes, not a typo of "pengaduan"; "belajar" is not
"pelajar"; "tunjangan" is not "tunangan").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from rapidfuzz.distance import OSA
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # type: ignore[import-untyped]

MIN_LENGTH = 5
TWO_EDITS = 11
# The shortest root that makes a derived word real ("aju" in "pengajuan" is too short to
# trust: a typo stripped of a few letters often leaves a three-letter root).
MIN_ROOT = 3


@cache
def _sastrawi() -> Callable[[str], str]:
    return StemmerFactory().create_stemmer().stem  # type: ignore[no-any-return]


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class Speller:
    """Known words, and the closest known word for a misspelt one."""

    def __init__(
        self,
        *,
        min_length: int = MIN_LENGTH,
        two_edits: int = TWO_EDITS,
        real: frozenset[str] = frozenset(),
    ) -> None:
        """real: words of the language that are never a typo, though the knowledge base does
        not use them ("ruang" must not become "uang")."""
        self.min_length = min_length
        self.real = real
        self.two_edits = two_edits
        self.known: dict[str, int] = {}
        self._index: dict[str, set[str]] = {}
        self._cache: dict[str, tuple[str, float] | None] = {}

    def add(self, words: Iterable[str]) -> None:
        """Learns words (lower-case, as `fold` writes them); repeats count as frequency."""
        for word in words:
            if not word.isalpha():
                continue
            count = self.known.get(word, 0)
            self.known[word] = count + 1
            if count or len(word) < self.min_length - 2:
                continue
            depth = 2 if len(word) >= self.two_edits - 1 else 1
            for key in _deletions(word, depth):
                self._index.setdefault(key, set()).add(word)
        self._cache.clear()

    def clear_cache(self) -> None:
        self._cache.clear()

    def derived(self, word: str) -> bool:
        """Whether a word is a real root word with affixes ("pengajuan", "tunjangan")."""
        if not self.real:
            return False
        root = _sastrawi()(word)
        return root != word and len(root) >= MIN_ROOT and root in self.real

    def correct(self, word: str) -> tuple[str, float] | None:
        """The known word a misspelt one stands for, with its similarity (0-1), or None."""
        if word in self.known or word in self.real:
            return None
        if len(word) < self.min_length - 1 or not word.isalpha():
            return None
        if word in self._cache:
            return self._cache[word]
        limit = 2 if len(word) >= self.two_edits else 1
        short = len(word) < self.min_length
        candidates: set[str] = set()
        for deleted in _deletions(word, limit):
            candidates |= self._index.get(deleted, set())
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            if short and len(candidate) == len(word):
                continue  # a short word only gains or loses a letter
            distance = OSA.distance(word, candidate, score_cutoff=limit)
            if distance > limit:
                continue
            # Closest first, then the word the knowledge base uses most, then alphabetical.
            rank = (distance, -self.known[candidate], candidate)
            if best is None or rank < best:
                best = rank
        found = None
        # A real derived word is no typo (looked up only when there is a fix to refuse: the
        # stemmer costs a fraction of a millisecond).
        if best is not None and not self.derived(word):
            distance, _, candidate = best
            found = (candidate, 1.0 - distance / max(len(word), len(candidate)))
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[word] = found
        return found
