"""The knowledge base: FAQ entries and rules loaded from knowledge/, and the question matcher.

Pure code apart from reading the files: no database, no network, so `gratibot ask`, `kb eval`
and the benchmarks use it directly. bot/faq_service.py adds logging and hot reload on top.

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
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from bot.textnorm import Normaliser
from handlers.exemptions import RulesError, RuleSet, parse_rules
from handlers.formatting import rupiah, tanggal
from handlers.ports import FaqAnswer, FaqSuggestion

FAQ_DIR = "faq"
SYNONYMS_FILE = "synonyms.yaml"
RULES_FILE = "exemptions.yaml"
UPPG_FILE = "uppg.yaml"
PLACEHOLDERS = ("batas_uppg", "uppg_kontak", "uppg_nama")


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
class Problem:
    """A finding of the knowledge check, printed as file:line: level: message."""

    source: str
    line: int
    level: str  # error | warning
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.level}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge files have errors; the working knowledge base stays in use."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.level == "error"]
        super().__init__(f"{len(errors)} error(s) in the knowledge files; first: {errors[0]}")


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


# --- reading the files -----------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """Remembers the line of each mapping and of each question, for file:line messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = {
        str(getattr(k, "value", "")): k.start_mark.line + 1 for k, _ in node.value
    }
    for key, value in node.value:
        if getattr(key, "value", None) == "questions" and isinstance(value, yaml.SequenceNode):
            mapping["__qlines__"] = [n.start_mark.line + 1 for n in value.value]
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _read_yaml(path: Path, problems: list[Problem], *, lines: bool = False) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_LineLoader) if lines else yaml.safe_load(text)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem(path.name, line, "error", f"cannot read: {exc}".splitlines()[0]))
        return None


def _str_list(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    # A bare number ("2026", "37001") is a word too.
    if isinstance(raw, list) and all(
        isinstance(x, int | float | str) and not isinstance(x, bool) and str(x).strip() for x in raw
    ):
        return tuple(str(x).strip() for x in raw)
    return None


def _entry(raw: Any, source: str, problems: list[Problem]) -> Entry | None:
    if not isinstance(raw, dict):
        problems.append(Problem(source, 1, "error", "an entry must be a mapping"))
        return None
    line = int(raw.get("__line__", 1))
    before = len(problems)

    keys = raw.get("__keys__", {})

    def bad(message: str, key: str | None = None) -> None:
        problems.append(Problem(source, keys.get(key, line), "error", message))

    known = {
        "id",
        "category",
        "questions",
        "keywords",
        "answer",
        "basis",
        "reviewed",
        "change_2026",
        "see_also",
        "active",
        "__line__",
        "__qlines__",
        "__keys__",
    }
    for key in raw:
        if key not in known:
            bad(f"unknown field {key!r}", key)
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        bad("id is required")
        entry_id = "?"
    questions = _str_list(raw.get("questions"))
    if not questions:
        bad(f"{entry_id}: questions must be a non-empty list of texts", "questions")
    keywords = _str_list(raw.get("keywords"))
    if keywords is None:
        bad(f"{entry_id}: keywords must be a list of texts", "keywords")
    see_also = _str_list(raw.get("see_also"))
    if see_also is None:
        bad(f"{entry_id}: see_also must be a list of entry ids", "see_also")
    for key in ("category", "answer", "basis"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(f"{entry_id}: {key} is required", key)
    reviewed = raw.get("reviewed")
    if not isinstance(reviewed, date):
        bad(f"{entry_id}: reviewed must be a date (YYYY-MM-DD)", "reviewed")
    change = raw.get("change_2026")
    if change is not None and not isinstance(change, str):
        bad(f"{entry_id}: change_2026 must be a text", "change_2026")
    active = raw.get("active", True)
    if not isinstance(active, bool):
        bad(f"{entry_id}: active must be true or false", "active")
    if isinstance(raw.get("answer"), str):
        for _, name, _, _ in string.Formatter().parse(raw["answer"]):
            if name is not None and name not in PLACEHOLDERS:
                known_names = ", ".join(PLACEHOLDERS)
                bad(f"{entry_id}: unknown placeholder {{{name}}} (known: {known_names})", "answer")
    if len(problems) > before:
        return None
    assert questions and keywords is not None and see_also is not None
    assert isinstance(reviewed, date)
    return Entry(
        id=entry_id.strip(),
        category=str(raw["category"]).strip(),
        questions=questions,
        keywords=keywords,
        answer=str(raw["answer"]).strip(),
        basis=str(raw["basis"]).strip(),
        reviewed=reviewed,
        change_2026=change.strip() if isinstance(change, str) else None,
        see_also=see_also,
        active=bool(active),
        source=source,
        line=line,
        question_lines=tuple(raw.get("__qlines__", [line] * len(questions))),
    )


def uppg_contact(doc: Any) -> tuple[str, str]:
    """The UPPG's name and its contact text; unfilled fields are left out, never invented."""
    doc = doc if isinstance(doc, dict) else {}
    name = str(doc.get("name") or "UPPG Inspektorat").strip()
    labels = {
        "office": "Alamat",
        "phone": "Telepon",
        "whatsapp": "WhatsApp",
        "email": "E-mail",
        "hours": "Jam layanan",
    }
    lines = [f"{label}: {str(doc[k]).strip()}" for k, label in labels.items() if doc.get(k)]
    if not lines:
        return name, f"Silakan hubungi {name} secara langsung di kantor Inspektorat."
    return name, "\n".join([f"{name}:", *lines])


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


# --- loading and checking --------------------------------------------------------------------


def signature(directory: Path) -> tuple[Any, ...]:
    """What changes when any knowledge file changes (names, sizes, modification times)."""
    paths = sorted(directory.glob(f"{FAQ_DIR}/*.yaml")) + [
        directory / name for name in (SYNONYMS_FILE, RULES_FILE, UPPG_FILE)
    ]
    out: list[tuple[str, int, int]] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def load(
    directory: Path,
    *,
    uppg_deadline_workdays: int = 10,
    thresholds: Thresholds | None = None,
    ambiguity: bool = False,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Reads and checks every knowledge file; returns no knowledge base when there are errors."""
    problems: list[Problem] = []
    sig = signature(directory)
    faq_files = sorted((directory / FAQ_DIR).glob("*.yaml"))
    if not faq_files:
        problems.append(Problem(f"{FAQ_DIR}/", 0, "error", "no FAQ files (*.yaml) found"))
    entries: list[Entry] = []
    first_seen: dict[str, Entry] = {}
    for path in faq_files:
        source = f"{FAQ_DIR}/{path.name}"
        doc = _read_yaml(path, problems, lines=True)
        if doc is None:
            continue
        raw_entries = doc.get("entries") if isinstance(doc, dict) else None
        if not isinstance(raw_entries, list):
            problems.append(Problem(source, 1, "error", "expected a top-level 'entries' list"))
            continue
        for raw in raw_entries:
            entry = _entry(raw, source, problems)
            if entry is None:
                continue
            if entry.id in first_seen:
                other = first_seen[entry.id]
                problems.append(
                    Problem(
                        source,
                        entry.line,
                        "error",
                        f"duplicate id {entry.id!r} (first at {other.source}:{other.line})",
                    )
                )
                continue
            first_seen[entry.id] = entry
            entries.append(entry)
    for entry in entries:
        for ref in entry.see_also:
            if ref not in first_seen:
                problems.append(
                    Problem(
                        entry.source,
                        entry.line,
                        "error",
                        f"{entry.id}: see_also names unknown entry {ref!r}",
                    )
                )
            elif not first_seen[ref].active and entry.active:
                problems.append(
                    Problem(entry.source, entry.line, "warning", f"see_also {ref!r} is inactive")
                )

    synonyms_doc = _read_yaml(directory / SYNONYMS_FILE, problems) or {}
    synonyms = synonyms_doc.get("synonyms", {}) if isinstance(synonyms_doc, dict) else None
    stopwords = synonyms_doc.get("stopwords", []) if isinstance(synonyms_doc, dict) else None
    keep = synonyms_doc.get("keep", []) if isinstance(synonyms_doc, dict) else None
    valid_synonyms = isinstance(synonyms, dict) and all(
        isinstance(k, str) and _str_list(v) is not None for k, v in synonyms.items()
    )
    if not valid_synonyms or _str_list(stopwords) is None or _str_list(keep) is None:
        problems.append(
            Problem(
                SYNONYMS_FILE,
                1,
                "error",
                "expected 'synonyms' (word: [variants]), 'stopwords' and optional 'keep' lists",
            )
        )
        synonyms, stopwords, keep = {}, [], []
    normaliser = Normaliser(synonyms or {}, stopwords or [], keep or [])

    rules: RuleSet | None = None
    rules_doc = _read_yaml(directory / RULES_FILE, problems)
    if rules_doc is not None:
        try:
            rules = parse_rules(rules_doc, RULES_FILE)
        except RulesError as exc:
            problems.append(Problem(RULES_FILE, 1, "error", str(exc)))

    uppg_path = directory / UPPG_FILE
    uppg_doc = _read_yaml(uppg_path, problems) if uppg_path.exists() else {}
    name, contact = uppg_contact(uppg_doc)
    if uppg_contact({})[1] == contact:
        problems.append(
            Problem(UPPG_FILE, 1, "warning", "no UPPG contact filled in; users are told to visit")
        )
    variables = {
        "batas_uppg": str(uppg_deadline_workdays),
        "uppg_kontak": contact,
        "uppg_nama": name,
    }

    if any(p.level == "error" for p in problems):
        return None, problems
    kb = KnowledgeBase(entries, normaliser, rules, variables, thresholds, sig)
    problems.extend(threshold_mismatches(kb))
    if ambiguity:
        problems.extend(ambiguities(kb))
    return kb, problems


def threshold_mismatches(kb: KnowledgeBase) -> list[Problem]:
    """FAQ answers that do not state the current thresholds of the rule with the same id."""
    if kb.rules is None or not kb.rules.versions:
        return []
    latest = max(kb.rules.versions, key=lambda v: v.applies_from)
    found: list[Problem] = []
    for rule in latest.rules:
        entry = kb.entries.get(rule.id)
        if entry is None:
            continue
        for amount in (rule.max_per_giver, rule.max_per_year):
            if amount is not None and rupiah(amount) not in entry.answer:
                found.append(
                    Problem(
                        entry.source,
                        entry.line,
                        "warning",
                        f"{entry.id}: the answer does not mention {rupiah(amount)}, "
                        f"the current limit in {RULES_FILE} ({latest.id}, rule {rule.id})",
                    )
                )
    return found


def ambiguities(kb: KnowledgeBase) -> list[Problem]:
    """Phrasings of one entry that score higher on another entry."""
    found: list[Problem] = []
    for entry in kb.entries.values():
        for question, line in zip(entry.questions, entry.question_lines, strict=False):
            ranked, _ = kb.rank(question, limit=2)
            if ranked and ranked[0].id != entry.id:
                own = next((m.score for m in ranked if m.id == entry.id), None)
                own_text = f"{own:.2f}" if own is not None else "lower"
                found.append(
                    Problem(
                        entry.source,
                        line,
                        "warning",
                        f"{entry.id}: {question!r} scores higher on {ranked[0].id} "
                        f"({ranked[0].score:.2f} vs {own_text})",
                    )
                )
    return found
