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
Two learned opinions are added on top: the TF-IDF similarity of the best few entries
(bot/knowledge/vectors.py) and a naive Bayes classifier's probability for each shortlisted
entry (bot/knowledge/classifier.py), both learned from the entries' own texts at build time.
Misspelt words are mapped onto the vocabulary first (bot/knowledge/speller.py). A short
question about another errand ("kapan libur natal", "cara buat ktp": synonyms.yaml
`off_topic_words`, and none of `domain_words`) is never answered, only offered suggestions.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from bot.knowledge import templates
from bot.knowledge.classifier import EntryClassifier
from bot.knowledge.roots import root_words
from bot.knowledge.speller import Speller
from bot.knowledge.textnorm import AMOUNT, Normaliser
from bot.knowledge.vectors import VectorIndex
from handlers.exemptions import RuleSet
from handlers.formatting import tanggal
from handlers.ports import FaqAnswer, FaqSuggestion


@dataclass(frozen=True)
class Thresholds:
    """Where a score becomes an answer or a suggestion.

    `answer` and `min_cover` were chosen on a fold of the dev split held out from tuning
    (`gratibot kb eval --folds 5 --hold 0`): the tuned folds alone would call for looser
    values than new wording bears. With the classifier in, 0.52 and 0.40 looked better on the
    entries' own phrasings held out of the index, but declined fewer off-topic lines on wording
    nobody tuned for; they stay at 0.56 and 0.45.

    An answer needs a best score of at least `answer` (the classifier's part left out, see
    `classifier_bonus`) and a lead over the second-best entry that shrinks as the best score
    grows: `margin` at `answer`, less `margin_slope` per point above it, never below
    `margin_min`. A clear winner with a middling score is answered; two entries that both fit
    well are offered as suggestions.
    """

    answer: float = 0.56
    margin: float = 0.08
    margin_slope: float = 0.3
    margin_min: float = 0.02
    suggest: float = 0.40
    max_suggestions: int = 3
    # How the score is blended, and what a word no entry knows weighs (x the rarest word).
    cover_weight: float = 0.60
    fit_weight: float = 0.30
    ratio_weight: float = 0.10
    unknown_factor: float = 0.8
    min_cover: float = 0.45
    # Past this many words, unknown words weigh less: a long story is judged by the words
    # the knowledge base knows, not drowned by the narrative around them.
    long_question: int = 5
    min_cover_long: float = 0.3
    # A short question with a word no entry knows ("cara buat ktp") is about that word: it
    # is answered only when the entry explains nearly all of it.
    short_question: int = 4
    # A question of up to this many words that names another errand ("batas usia pensiun pns
    # berapa") and no domain word is that errand's, however the rest of it reads.
    errand_question: int = 6
    # Up to this many words, a question that names another errand and no domain word, and is
    # longer than `short_question`, stays on topic only when the best entry explains at least
    # `errand_cover` of it ("gaji honorer kabupaten naik ga tahun depan" is about pay, not
    # about the entry on honorer staff reporting gifts).
    errand_long_question: int = 10
    errand_cover: float = 0.7
    short_cover: float = 0.7
    # A one-word question is answered only when at most this many entries know the word.
    single_word_df: int = 6
    # The score of an entry none of whose keywords the question names.
    no_keyword_factor: float = 0.88
    # What an amount ("500rb", "Rp 1.500.000": the normaliser's `AMOUNT` token) weighs, about
    # as much as a word most entries know: that a figure was named says little about the topic
    # ("amplop dr kontraktor 500rb" is about the contractor, not about the wedding entry whose
    # phrasings name amounts most). On the phrasing folds 0.1 to 1.0 rank alike; 1.5 keeps
    # one more ("katanya di bawah 100 ribu aman") but lets the figure lead the example above.
    amount_weight: float = 0.3
    # A second opinion from a TF-IDF similarity learned from the entries' texts
    # (bot/knowledge/vectors.py): it is added, times `vector_bonus`, to the scores of the best
    # `vector_count` entries; when it alone ranks another of them first than the blend does,
    # an answer needs a best score of `answer_disputed`.
    vector_bonus: float = 0.15
    vector_count: int = 4
    answer_disputed: float = 0.70
    # A question of more than `confident_words` words is answered only when, besides the
    # rule above, its confidence (`confidence`: both leads, the cover and the TF-IDF
    # similarity weighed together) reaches `confident`. Shorter ones keep the rule alone: a
    # two-word question has too little text for the similarity to judge.
    confident_words: int = 3
    confident: float = 0.5
    # The confidence's weights: a logistic fit of "the best-ranked entry is the right one"
    # on the entries' own phrasings, each asked of an index without it (`gratibot kb eval
    # --phrasing-folds 5`; no evaluation split), questions that pass the guards of `decide`
    # only. Intercept, then: the lead in score (capped at 0.5), the cover, the TF-IDF
    # similarity of the best entry, its lead in similarity over the next of the best few,
    # and 1 when the similarity also ranks it first.
    confidence_weights: tuple[float, ...] = (-2.1, 6.1, 2.5, 1.1, 3.3, 0.6)
    # A learned third opinion (bot/knowledge/classifier.py): each shortlisted entry's naive
    # Bayes probability, times `classifier_bonus`, is added to its score. It reorders the
    # entries and widens or narrows the lead, but the answer floors above are held against
    # the score without it: it does not lift a weak match into an answer. A question of up to
    # `confident_words` words (too short for the confidence check) is answered only when the
    # classifier gives its best entry at least `classifier_short`. A longer one is doubted
    # when the classifier gives its best entry less than `classifier_min` and less than
    # `classifier_share` of what it gives the second ("dikasih uang, wajib lapor?": 0.009
    # atasan-bawahan against 0.028): suggested, not answered. A best entry the classifier
    # finds as likely as the runner-up stays answered ("uang dari kontraktor wajib
    # dilaporkan?": 0.044 against 0.049, a clear lexical lead). On the phrasing folds it
    # turned 7 wrong answers and 5 right ones into suggestions (2,145 phrasings).
    classifier_bonus: float = 0.15
    classifier_short: float = 0.12
    classifier_min: float = 0.05
    classifier_share: float = 0.5

    def required_lead(self, top: float) -> float:
        """The lead over the second-best entry that a best score of `top` needs."""
        return max(self.margin_min, self.margin - self.margin_slope * (top - self.answer))

    def confidence(
        self, lead: float, cover: float, similar: float, similar_lead: float, agreed: bool
    ) -> float:
        """How likely the best-ranked entry is the right one (0-1), see `confidence_weights`."""
        w = self.confidence_weights
        z = w[0] + w[1] * min(lead, 0.5) + w[2] * cover + w[3] * similar
        z += w[4] * similar_lead + w[5] * agreed
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class CaseLead:
    """An answer's first line for a case the question names ("kado nikah dari vendor")."""

    when: tuple[str, ...]
    answer: str


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
    cases: tuple[CaseLead, ...] = ()
    actions: tuple[str, ...] = ()
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
    # The IDF weight of those words (how much of the question the entry explains, in all).
    evidence: float = 0.0
    # The classifier's probability that the question is about this entry (0-1).
    probability: float = 0.0


@dataclass(frozen=True)
class Result:
    """The matcher's ranked view of one question."""

    outcome: str  # answered | suggested | fallback
    ranked: tuple[Match, ...]
    normalised: str
    # The question's tokens after typo fixes (which case of an answer it names).
    tokens: frozenset[str] = frozenset()
    # How many of its words carry meaning, and how many of those no entry knows.
    words: int = 0
    unknown: int = 0
    # How many words were typo-fixed onto a known word ("anjir" -> "banjir"), and how many
    # are known to many entries ("barang", "lapor").
    guessed: int = 0
    common: int = 0
    # For a one-word question: the only entry that lists that word as a keyword, if any.
    owner: str | None = None
    # False for a short question about another errand: it names a word of synonyms.yaml
    # `off_topic_words` ("cuti", "ktp") and none of `domain_words` ("hadiah"); of those,
    # `weak_domain_words` ("lapor") count only when the best entry asks about that errand.
    on_topic: bool = True
    # Of the best few entries, the one the TF-IDF similarity alone ranks first.
    vector_best: str | None = None
    # The TF-IDF similarity of the best-ranked entry, and its lead over the most similar of
    # the other best few (negative when another is more similar).
    vector_similarity: float = 0.0
    vector_lead: float = 0.0

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
    # Each entry's keywords, normalised: a question that names none of them is less likely
    # to be about the entry (its phrasings may share only generic words with it).
    keywords: list[list[frozenset[str]]] = field(default_factory=list)
    # The tokens above, for fixing a misspelt token the normaliser let through.
    speller: Speller = field(default_factory=Speller)
    vectors: VectorIndex = field(default_factory=lambda: VectorIndex.build([]))
    classifier: EntryClassifier = field(default_factory=lambda: EntryClassifier.build([]))
    _fix_cache: dict[str, tuple[str, float] | None] = field(default_factory=dict)

    @classmethod
    def build(cls, normaliser: Normaliser, entries: Iterable[Entry]) -> Index:
        ids: list[str] = []
        bags: list[frozenset[str]] = []
        phrasings: list[list[tuple[str, frozenset[str]]]] = []
        keyword_lists: list[list[frozenset[str]]] = []
        for entry in entries:
            per_entry = []
            for question in entry.questions:
                tokens = normaliser.tokens(question)
                per_entry.append((" ".join(tokens), frozenset(tokens)))
            keyword_sets = [frozenset(normaliser.tokens(k)) for k in entry.keywords]
            keyword_sets = [k for k in keyword_sets if k]
            keyword_tokens = frozenset().union(*keyword_sets)
            keyword_lists.append(keyword_sets)
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
        speller = Speller(real=root_words())
        speller.add(t for t in idf if not t.isdigit())
        texts = [
            [text.split() for text, _ in per_entry] + [sorted(k) for k in keywords]
            for per_entry, keywords in zip(phrasings, keyword_lists, strict=True)
        ]
        vectors = VectorIndex.build(texts)
        classifier = EntryClassifier.build(texts)
        return cls(
            normaliser,
            ids,
            bags,
            docs,
            postings,
            idf,
            top,
            keyword_lists,
            speller,
            vectors,
            classifier,
        )

    def clear_caches(self) -> None:
        """Forgets cached typo fixes and normalisations (benchmarks measure cold questions)."""
        self._fix_cache.clear()
        self.speller.clear_cache()
        self.normaliser.clear_cache()

    def fix(self, token: str) -> tuple[str, float] | None:
        """A known token for a misspelt one, with its similarity, or None."""
        if token in self.idf:
            return token, 1.0
        if token in self._fix_cache:
            return self._fix_cache[token]
        found: tuple[str, float] | None = None
        # "hpnya", "sahnya": a known word with a particle the stemmer kept (too short to cut).
        bare = next(
            (token[: -len(p)] for p in ("nya", "lah", "kah", "ku", "mu") if token.endswith(p)), ""
        )
        if len(bare) >= 2 and bare in self.idf:
            found = (bare, 1.0)
        elif not token.isdigit():
            found = self.speller.correct(token)
        if len(self._fix_cache) > 100_000:
            self._fix_cache.clear()
        self._fix_cache[token] = found
        return found


def tokens_present(groups: list[frozenset[str]], tokens: Iterable[str]) -> bool:
    """Whether all the words of at least one group are among the tokens."""
    present = set(tokens)
    return any(group <= present for group in groups)


def _groups(normaliser: Normaliser, words: Iterable[str]) -> list[frozenset[str]]:
    """Words and phrases as groups of normalised tokens (a group is named when all are)."""
    return [group for group in (frozenset(normaliser.tokens(w)) for w in words) if group]


JAKARTA = ZoneInfo("Asia/Jakarta")
# The number of characters an answer may take on a phone screen (body, basis line included).
PHONE_CHARS = 600


def _today() -> date:
    return datetime.now(JAKARTA).date()


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
        today: Callable[[], date] = _today,
    ) -> None:
        self.all_entries = entries
        self.entries = {e.id: e for e in entries if e.active}
        self.normaliser = normaliser
        self.rules = rules
        self.variables = dict(variables)
        self.thresholds = thresholds or Thresholds()
        self.signature = signature
        self.today = today
        normaliser.learn(t for e in self.entries.values() for t in (*e.questions, *e.keywords))
        self.index = Index.build(normaliser, self.entries.values())
        self._position = {entry_id: i for i, entry_id in enumerate(self.index.entry_ids)}
        # Each case's words, normalised like questions: any one group present picks the case.
        self.cases: dict[str, list[tuple[list[frozenset[str]], str]]] = {
            e.id: [
                ([frozenset(normaliser.tokens(w)) for w in case.when], case.answer)
                for case in e.cases
            ]
            for e in self.entries.values()
            if e.cases
        }
        self._values: tuple[date, dict[str, str]] | None = None
        # Other errands' words and the domain words as token groups (the off-topic guard).
        weak = {t for group in _groups(normaliser, normaliser.weak_domain) for t in group}
        domain = _groups(normaliser, normaliser.domain)
        # An errand word that normalises to a domain word is no errand ("laptop" is read as
        # "barang": "hp dari rekanan" names no other errand).
        self.off_topic = [
            group
            for group in _groups(normaliser, normaliser.off_topic)
            if group not in domain and not group <= weak
        ]
        self.domain = [group for group in domain if not group <= weak]
        self.weak_domain = [group for group in domain if group <= weak] + [
            group for group in _groups(normaliser, normaliser.weak_domain) if group not in domain
        ]
        # The word for reporting, which asks about this bot's errand however long the question.
        self._reporting = frozenset(normaliser.tokens("lapor"))

    # -- matching --

    def rank(self, question: str, limit: int = 5) -> Result:
        """Entries ranked by score for a question (the outcome is decided by `match`)."""
        index = self.index
        t = self.thresholds
        raw_tokens, spelled = index.normaliser.query(question)
        distinct = list(dict.fromkeys(raw_tokens))
        normalised = " ".join(raw_tokens)
        # Numbers and one- or two-letter scraps ("3", "an") say nothing about topic.
        wordy = [w for w in distinct if not w.isdigit() and len(w) > 2]
        unknown_weight = index.unknown_weight * t.unknown_factor
        if len(wordy) > t.long_question:
            unknown_weight *= t.long_question / len(wordy)
        query: dict[str, float] = {}
        total = 0.0
        unknown = 0
        guessed = 0
        for token in distinct:
            fixed = index.fix(token)
            if fixed is None:
                if not token.isdigit() and len(token) > 2:
                    total += unknown_weight
                    unknown += 1
                continue
            known, similarity = fixed
            similarity = min(similarity, spelled.get(token, 1.0))
            guessed += similarity < 1.0
            weight = index.idf[known]
            if known == AMOUNT:
                weight = min(weight, t.amount_weight)
            total += weight
            query[known] = max(query.get(known, 0.0), weight * similarity * similarity)
        tokens = frozenset(query) | frozenset(raw_tokens)
        # A question of numbers only ("1", "2026") is no question about any entry.
        if not query or total <= 0 or all(k.isdigit() for k in query):
            return Result("fallback", (), normalised, tokens, len(wordy), unknown, guessed)
        common = sum(1 for k in query if len(index.postings[k]) > t.single_word_df)
        # Shortlist by the rarer words only: words found in most entries ("wajib", "lapor")
        # would touch every entry and decide nothing. They still count in the scores below.
        common_df = max(3, len(index.bags) // 4)
        rare = [k for k in query if len(index.postings[k]) <= common_df] or list(query)
        coverage: dict[int, float] = {}
        for token in rare:
            weight = query[token]
            for i in index.postings[token]:
                coverage[i] = coverage.get(i, 0.0) + weight
        # Ties on the rarer words are broken by the common ones, so that which entries reach
        # the shortlist does not hang on their order in the files.
        common_cover: dict[int, float] = dict.fromkeys(coverage, 0.0)
        for token in query.keys() - set(rare):
            for i in index.postings[token]:
                if i in common_cover:
                    common_cover[i] += query[token]
        shortlist = sorted(coverage, key=lambda i: (coverage[i], common_cover[i]), reverse=True)
        shortlist = shortlist[: max(limit, 12)]
        query_text = " ".join(query)
        query_tokens = query.keys()
        scored: list[Match] = []
        for i in shortlist:
            bag = index.bags[i]
            evidence = sum(w for k, w in query.items() if k in bag)
            cover = evidence / total
            best_fit = 0.0
            best_text = ""
            for doc in index.docs[i]:
                fit = sum(query[k] for k in doc.tokens & query_tokens) / doc.weight
                if fit > best_fit:
                    best_fit, best_text = fit, doc.text
            ratio = fuzz.token_set_ratio(query_text, best_text) / 100.0 if best_text else 0.0
            score = t.cover_weight * cover + t.fit_weight * min(best_fit, 1.0)
            score += t.ratio_weight * ratio
            named = tokens_present(index.keywords[i], query_tokens)
            if not named:
                score *= t.no_keyword_factor
            scored.append(
                Match(index.entry_ids[i], round(score, 4), round(cover, 4), round(evidence, 3))
            )
        scored.sort(key=lambda m: m.score, reverse=True)
        corrected = [hit[0] if (hit := index.fix(w)) else w for w in raw_tokens]
        scored, vector_best, similar = self._second_opinion(scored, corrected)
        scored = self._classifier_opinion(scored, corrected)
        owner = None
        if len(wordy) == 1 and len(query) == 1:
            (word,) = query
            owners = [i for i in index.postings[word] if frozenset([word]) in index.keywords[i]]
            owner = index.entry_ids[owners[0]] if len(owners) == 1 else None
        return Result(
            "fallback",
            tuple(scored[:limit]),
            normalised,
            tokens,
            len(wordy),
            unknown,
            guessed,
            common,
            owner,
            self._on_topic(len(wordy), tokens, scored[0] if scored else None),
            vector_best,
            *self._similarity_lead(scored, similar),
        )

    def _on_topic(self, words: int, tokens: frozenset[str], best: Match | None) -> bool:
        """False for a short question about another errand: it names one of `off_topic` and
        no domain word. One of more than `short_question` words (up to `errand_long_question`)
        stays on topic only when it asks about reporting or the best entry explains
        `errand_cover` of it. A weak domain word alone ("lapor") keeps a question of up to
        `short_question` words on topic only when the best entry asks about each errand it
        names: a keyword the question names holds the errand's word, or a phrasing has the
        errand and the weak word ("kalau hari libur bisa lapor?", "lapor pas cuti bisa?": the
        entry on reporting during holidays), not for "lapor sakit ke atasan". A longer one
        (up to `errand_question` words) stays on topic when the best entry's words hold each
        errand's ("harga" for the entry on valuing a gift), not for "lapor spt tahunan pajak
        lewat mana"."""
        t = self.thresholds
        errands = [group for group in self.off_topic if group <= tokens]
        if words > t.errand_long_question or not errands:
            return True
        if any(group <= tokens for group in self.domain):
            return True
        # Most of a longer question unknown to the best entry is the errand's ("bank mana yg
        # bunganya paling murah buat kredit pns", "cara top up ovo dari bri"), unless it asks
        # about reporting ("barangnya sudah saya oper ke adik, kewajiban laporannya hilang?").
        explained = best is not None and (
            best.cover >= t.errand_cover or (bool(self._reporting) and self._reporting <= tokens)
        )
        if words > t.errand_question:
            return explained
        weak = any(group <= tokens for group in self.weak_domain)
        if best is None or not weak:
            return False
        if words > t.short_question and not explained:
            return False
        i = self._position[best.id]
        # A longer question says more than its errand ("tidak tahu harga barangnya, bagaimana
        # lapor?") when the best entry knows each errand's words; one no entry of the kind
        # speaks of stays the errand's ("lapor spt tahunan pajak lewat mana").
        if words > t.short_question:
            return all(group <= self.index.bags[i] for group in errands)
        # Each errand is one the entry asks about: a keyword of the entry that the question
        # names holds its words, or a phrasing of the entry asks about reporting and that
        # errand, as the question does ("sedang cuti bersama, bisa tetap melapor?").
        named = [k for k in self.index.keywords[i] if k <= tokens]
        reporting = frozenset().union(*(w for w in self.weak_domain if w <= tokens))
        return all(
            any(group & k for k in named)
            or any(group | reporting <= doc.tokens for doc in self.index.docs[i])
            for group in errands
        )

    @staticmethod
    def _similarity_lead(scored: list[Match], similar: dict[str, float]) -> tuple[float, float]:
        """The best-ranked entry's TF-IDF similarity, and its lead over the other best few."""
        if not scored or scored[0].id not in similar:
            return 0.0, 0.0
        best = similar[scored[0].id]
        others = [v for k, v in similar.items() if k != scored[0].id]
        return round(best, 4), round(best - max(others, default=0.0), 4)

    def _second_opinion(
        self, scored: list[Match], tokens: Sequence[str]
    ) -> tuple[list[Match], str | None, dict[str, float]]:
        """The best few entries with their TF-IDF similarity added to their scores, re-sorted,
        the one of them that the similarity alone ranks first, and their similarities.
        tokens: the question's, typo-fixed."""
        t = self.thresholds
        head = scored[: t.vector_count]
        if not head or not t.vector_bonus:
            return scored, None, {}
        vectors = self.index.vectors
        query = vectors.vector(tokens)
        similar = {m.id: vectors.similarity(query, self._position[m.id]) for m in head}
        rescored = [
            dataclasses.replace(m, score=round(m.score + t.vector_bonus * similar[m.id], 4))
            for m in head
        ]
        rescored.sort(key=lambda m: m.score, reverse=True)
        return rescored + scored[len(head) :], max(similar, key=similar.__getitem__), similar

    def _classifier_opinion(self, scored: list[Match], tokens: Sequence[str]) -> list[Match]:
        """The entries with their classifier probability, times `classifier_bonus`, added to
        their scores, re-sorted. tokens: the question's, typo-fixed."""
        bonus = self.thresholds.classifier_bonus
        if not scored or not bonus:
            return scored
        probabilities = self.index.classifier.probabilities(tokens)
        rescored = []
        for m in scored:
            p = probabilities[self._position[m.id]]
            score = round(m.score + bonus * p, 4)
            rescored.append(dataclasses.replace(m, score=score, probability=round(p, 4)))
        rescored.sort(key=lambda m: m.score, reverse=True)
        return rescored

    def match(self, question: str) -> Result:
        """Ranks and decides: a confident answer, suggestions, or a fallback."""
        ranked = self.rank(question)
        return dataclasses.replace(ranked, outcome=self.decide(ranked))

    def decide(self, result: Result) -> str:
        """answered, suggested or fallback, from the best two scores (see Thresholds)."""
        t = self.thresholds
        ranked = result.ranked
        if not ranked or ranked[0].score < t.suggest:
            return "fallback"
        top = ranked[0].score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        # Half the question unknown to the entry ("nomor pln"): suggest, never assert.
        cover = ranked[0].cover
        lead = top - second
        # A long, chatty question is explained less completely by the entry it is about.
        long = result.words > t.long_question
        known = cover > (t.min_cover_long if long else t.min_cover)
        if result.unknown and result.words <= t.short_question:
            known = cover >= t.short_cover
        if result.words <= 1 and (result.guessed or result.common):
            # One word, and a guessed or a common one ("barang"): suggestions at most, unless
            # one entry alone names it as a keyword ("gratifikasi" -> definisi).
            known = result.owner == ranked[0].id
        # The TF-IDF similarity alone prefers another entry: a higher score is needed (on
        # phrasings held out of the index, a quarter of the answers given then were wrong,
        # against one in thirty when it agreed).
        agreed = result.vector_best in (None, ranked[0].id)
        if not (known and result.on_topic):
            return "suggested"
        floor = t.answer if agreed else max(t.answer, t.answer_disputed)
        # The floor is held against the score without the classifier's bonus, the lead with.
        if top - t.classifier_bonus * ranked[0].probability < floor:
            return "suggested"
        if lead < t.required_lead(top):
            return "suggested"
        # The classifier doubts the best entry (see `classifier_short`, `classifier_min`),
        # unless the one word is its own keyword ("gratifikasi": every entry uses it, one is
        # about it).
        if result.owner != ranked[0].id:
            probability = ranked[0].probability
            runner_up = ranked[1].probability if len(ranked) > 1 else 0.0
            if result.words <= t.confident_words:
                # Too short for the confidence check: not about nothing in particular
                # ("jam berapa sekarang").
                if probability < t.classifier_short:
                    return "suggested"
            elif probability < min(t.classifier_min, t.classifier_share * runner_up):
                return "suggested"
        # A lead that the rest of the evidence does not bear out (the similarity prefers
        # another entry, or the question is barely like the entry): suggest. Calibrated on
        # held-out phrasings, where half the answers it holds back were wrong.
        if result.words > t.confident_words and t.confident > t.confidence(
            lead, cover, result.vector_similarity, result.vector_lead, agreed
        ):
            return "suggested"
        return "answered"

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
            entry = self.entries[best.id]
            text = self.render(best.id, result.tokens)
            return FaqAnswer(True, best.id, score, text, actions=entry.actions)
        suggestions = self.suggestions(result) if result.outcome == "suggested" else ()
        return FaqAnswer(
            False,
            best.id if best else None,
            score,
            None,
            suggestions,
            off_topic=not result.on_topic,
        )

    # -- answers --

    def values(self) -> dict[str, str]:
        """Every placeholder's text today (rules in force today, settings, uppg.yaml)."""
        day = self.today()
        if self._values is None or self._values[0] != day:
            self._values = (day, {**templates.rule_values(self.rules, day), **self.variables})
        return self._values[1]

    def case_lead(self, entry_id: str, tokens: frozenset[str]) -> str | None:
        """The first line of the entry's case that the question names, if any."""
        for groups, lead in self.cases.get(entry_id, ()):
            if any(group and group <= tokens for group in groups):
                return lead
        return None

    def render(self, entry_id: str, tokens: frozenset[str] = frozenset()) -> str:
        """An entry's answer as sent: first line, body, 2026 change, one dated basis line.

        When the question names one of the entry's cases, that case's line replaces the first
        line ("Dari rekanan: tolak ..." before the general rule)."""
        entry = self.entries[entry_id]
        values = self.values()
        lines = templates.fill(entry.answer, values).splitlines()
        lead = self.case_lead(entry_id, tokens)
        if lead is not None:
            lines[0] = templates.fill(lead, values)
        out = ["\n".join(lines).strip(), ""]
        if entry.change_2026:
            out.append(f"Perubahan 2026: {templates.fill(entry.change_2026, values)}")
        out.append(f"Dasar hukum: {entry.basis} (ditinjau {tanggal(entry.reviewed, short=True)})")
        return "\n".join(out)

    def get(self, entry_id: str) -> FaqAnswer | None:
        entry = self.entries.get(entry_id)
        if entry is None:
            return None
        return FaqAnswer(True, entry_id, 1.0, self.render(entry_id), actions=entry.actions)
