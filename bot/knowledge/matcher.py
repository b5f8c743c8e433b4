"""The question matcher: an index over the FAQ entries' phrasings and keywords.

Pure code: no file, database or network access (bot/knowledge/files.py reads the files and
builds a KnowledgeBase; bot/knowledge/source.py adds logging and hot reload on top).

Scoring blends three signals so that rare, meaningful words count more than "apa", "yang" or
"gratifikasi":
- coverage: the IDF-weighted share of the question's words found in an entry (any phrasing or
  keyword); a word that no entry knows weighs as much as the rarest known word, so questions
  about something else score low;
- phrasing fit: the IDF-weighted share of the entry's best phrasing covered by the question;
- rapidfuzz token_set_ratio against that phrasing (word order, partial overlap).
Misspelt words are mapped onto the vocabulary with rapidfuzz first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from bot.knowledge.textnorm import Normaliser
from handlers.exemptions import RuleSet
from handlers.formatting import tanggal
from handlers.ports import FaqAnswer, FaqSuggestion


@dataclass(frozen=True)
class Thresholds:
    """Where a score becomes an answer or a suggestion (tuned on tests/faq_eval.yaml)."""

    answer: float = 0.47
    margin: float = 0.06
    sure: float = 0.70
    suggest: float = 0.46
    max_suggestions: int = 3
    # How the score is blended, and what a word no entry knows weighs (x the rarest word).
    cover_weight: float = 0.65
    fit_weight: float = 0.25
    ratio_weight: float = 0.10
    unknown_factor: float = 1.0
    min_cover: float = 0.5


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    basis: str
    reviewed: date
    change_2026: str | None = None
    see_also: tuple[str, ...] = ()
    active: bool = True
    source: str = ""
    line: int = 0
    question_lines: tuple[int, ...] = ()

    @property
    def title(self) -> str:
        return self.questions[0]


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    # The IDF-weighted share of the question's words this entry knows.
    cover: float = 1.0


@dataclass(frozen=True)
class Result:
    """The matcher's ranked view of one question."""

    outcome: str  # answered | suggested | fallback
    ranked: tuple[Match, ...]
    normalised: str

    @property
    def best(self) -> Match | None:
        return self.ranked[0] if self.ranked else None


# --- the index ------------------------------------------------------------------------------


@dataclass
class _Doc:
    entry: int
    text: str
    tokens: frozenset[str]
    weight: float


@dataclass
class Index:
    """Entries' tokens with their IDF weights, for fast scoring of many phrasings."""

    normaliser: Normaliser
    entry_ids: list[str]
    bags: list[frozenset[str]]
    docs: list[list[_Doc]]
    postings: dict[str, list[int]]
    idf: dict[str, float]
    unknown_weight: float
    vocab: list[str] = field(default_factory=list)
    _fix_cache: dict[str, tuple[str, float] | None] = field(default_factory=dict)

    @classmethod
    def build(cls, normaliser: Normaliser, entries: Iterable[Entry]) -> Index:
        ids: list[str] = []
        bags: list[frozenset[str]] = []
        phrasings: list[list[tuple[str, frozenset[str]]]] = []
        for entry in entries:
            per_entry = []
            for question in entry.questions:
                tokens = normaliser.tokens(question)
                per_entry.append((" ".join(tokens), frozenset(tokens)))
            keyword_tokens = frozenset(t for k in entry.keywords for t in normaliser.tokens(k))
            ids.append(entry.id)
            bags.append(frozenset().union(keyword_tokens, *(p[1] for p in per_entry)))
            phrasings.append(per_entry)
        df: dict[str, int] = {}
        for bag in bags:
            for token in bag:
                df[token] = df.get(token, 0) + 1
        n = max(len(bags), 1)
        idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        postings: dict[str, list[int]] = {}
        for i, bag in enumerate(bags):
            for token in bag:
                postings.setdefault(token, []).append(i)
        docs = [
            [_Doc(i, text, toks, sum(idf[t] for t in toks) or 1.0) for text, toks in per_entry]
            for i, per_entry in enumerate(phrasings)
        ]
        top = max(idf.values(), default=1.0)
        return cls(normaliser, ids, bags, docs, postings, idf, top, sorted(idf))

    def clear_caches(self) -> None:
        """Forgets cached typo fixes and normalisations (benchmarks measure cold questions)."""
        self._fix_cache.clear()
        self.normaliser.clear_cache()

    def fix(self, token: str) -> tuple[str, float] | None:
        """A known token for a misspelt one, with its similarity, or None."""
        if token in self.idf:
            return token, 1.0
        if token in self._fix_cache:
            return self._fix_cache[token]
        found: tuple[str, float] | None = None
        if len(token) >= 4 and not token.isdigit():
            cutoff = 80.0 if len(token) >= 6 else 84.0
            best = process.extractOne(token, self.vocab, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best is not None:
                found = (str(best[0]), float(best[1]) / 100.0)
        if len(self._fix_cache) > 100_000:
            self._fix_cache.clear()
        self._fix_cache[token] = found
        return found


class KnowledgeBase:
    """Everything loaded from knowledge/: entries, the matcher, the exemption rules."""

    def __init__(
        self,
        entries: list[Entry],
        normaliser: Normaliser,
        rules: RuleSet | None,
        variables: Mapping[str, str],
        thresholds: Thresholds | None = None,
        signature: tuple[Any, ...] = (),
    ) -> None:
        self.all_entries = entries
        self.entries = {e.id: e for e in entries if e.active}
        self.normaliser = normaliser
        self.rules = rules
        self.variables = dict(variables)
        self.thresholds = thresholds or Thresholds()
        self.signature = signature
        self.index = Index.build(normaliser, self.entries.values())

    # -- matching --

    def rank(self, question: str, limit: int = 5) -> tuple[tuple[Match, ...], str]:
        """Entries ranked by score for a question, and the question's normalised form."""
        index = self.index
        raw_tokens = index.normaliser.tokens(question)
        query: dict[str, float] = {}
        total = 0.0
        for token in dict.fromkeys(raw_tokens):
            fixed = index.fix(token)
            if fixed is None:
                # Numbers and one- or two-letter scraps ("3", "an") say nothing about topic.
                if not token.isdigit() and len(token) > 2:
                    total += index.unknown_weight * self.thresholds.unknown_factor
                continue
            known, similarity = fixed
            weight = index.idf[known]
            total += weight
            query[known] = max(query.get(known, 0.0), weight * similarity * similarity)
        normalised = " ".join(raw_tokens)
        if not query or total <= 0:
            return (), normalised
        # Shortlist by the rarer words only: words found in most entries ("wajib", "lapor")
        # would touch every entry and decide nothing. They still count in the scores below.
        common_df = max(3, len(index.bags) // 4)
        rare = [t for t in query if len(index.postings[t]) <= common_df] or list(query)
        coverage: dict[int, float] = {}
        for token in rare:
            weight = query[token]
            for i in index.postings[token]:
                coverage[i] = coverage.get(i, 0.0) + weight
        shortlist = sorted(coverage, key=coverage.__getitem__, reverse=True)[: max(limit, 12)]
        query_text = " ".join(query)
        query_tokens = query.keys()
        scored: list[Match] = []
        for i in shortlist:
            bag = index.bags[i]
            cover = sum(w for t, w in query.items() if t in bag) / total
            best_fit = 0.0
            best_text = ""
            for doc in index.docs[i]:
                fit = sum(query[t] for t in doc.tokens & query_tokens) / doc.weight
                if fit > best_fit:
                    best_fit, best_text = fit, doc.text
            ratio = fuzz.token_set_ratio(query_text, best_text) / 100.0 if best_text else 0.0
            t = self.thresholds
            score = t.cover_weight * cover + t.fit_weight * min(best_fit, 1.0)
            score += t.ratio_weight * ratio
            scored.append(Match(index.entry_ids[i], round(score, 4), round(cover, 4)))
        scored.sort(key=lambda m: m.score, reverse=True)
        return tuple(scored[:limit]), normalised

    def match(self, question: str) -> Result:
        """Ranks and decides: a confident answer, suggestions, or a fallback."""
        ranked, normalised = self.rank(question)
        t = self.thresholds
        if not ranked or ranked[0].score < t.suggest:
            return Result("fallback", ranked, normalised)
        top = ranked[0].score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        # A high score still needs some lead: one vague word ("hadiah") fits many entries.
        lead = top - second
        # Half the question unknown to the entry ("nomor pln"): suggest, never assert.
        known = ranked[0].cover > t.min_cover
        if known and (
            (top >= t.sure and lead >= t.margin / 3) or (top >= t.answer and lead >= t.margin)
        ):
            return Result("answered", ranked, normalised)
        return Result("suggested", ranked, normalised)

    def suggestions(self, result: Result) -> tuple[FaqSuggestion, ...]:
        picks = [m for m in result.ranked if m.score >= self.thresholds.suggest]
        return tuple(
            FaqSuggestion(m.id, self.entries[m.id].title)
            for m in picks[: self.thresholds.max_suggestions]
        )

    def answer(self, question: str) -> FaqAnswer:
        """The `gratibot ask --json` view of a question."""
        return self.to_answer(self.match(question))

    def to_answer(self, result: Result) -> FaqAnswer:
        """The port's view of a matcher result."""
        best = result.best
        score = best.score if best else 0.0
        if result.outcome == "answered" and best is not None:
            return FaqAnswer(True, best.id, score, self.render(best.id))
        suggestions = self.suggestions(result) if result.outcome == "suggested" else ()
        return FaqAnswer(False, best.id if best else None, score, None, suggestions)

    # -- answers --

    def render(self, entry_id: str) -> str:
        """An entry's answer as sent: text, legal basis, 2026 change, review date."""
        entry = self.entries[entry_id]
        body = entry.answer.format_map(self.variables)
        lines = [body, "", f"Dasar hukum: {entry.basis}"]
        if entry.change_2026:
            lines.append(f"Perubahan 20 Jan 2026: {entry.change_2026}")
        lines.append(f"Ditinjau: {tanggal(entry.reviewed, short=True)}")
        return "\n".join(lines)

    def get(self, entry_id: str) -> FaqAnswer | None:
        if entry_id not in self.entries:
            return None
        return FaqAnswer(True, entry_id, 1.0, self.render(entry_id))
