"""Accuracy of the matcher on labelled question sets (`gratibot kb eval`, the CI gate).

A split is a YAML file:

    in_scope: {entry-id: [question, ...]}   # the entry that must answer each question
    out_of_scope: [line, ...]               # must get no FAQ answer (declined or small talk)
    small_talk: [line, ...]                 # must be answered as small talk, never by the FAQ

Each line goes the way the router sends a message typed outside a form (handlers/router.py):
a menu number or small talk first (handlers/smalltalk.py), then the matcher, then, when the
matcher has no answer, the complaint check. So the figures are what users get.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.knowledge.matcher import Entry, KnowledgeBase
from handlers import smalltalk

Kind = Literal["in_scope", "out_of_scope", "small_talk"]
Shown = Literal["answer", "suggestions", "fallback", "small_talk"]
KINDS: tuple[Kind, ...] = ("in_scope", "out_of_scope", "small_talk")


@dataclass(frozen=True)
class Case:
    question: str
    expect: str | None  # the entry id for in-scope questions, else None
    kind: Kind = "in_scope"


@dataclass(frozen=True)
class Seen:
    """What a user typing the case's line would have seen."""

    case: Case
    shown: Shown
    got: str | None  # best-ranked entry (answered, or first suggestion), or None
    score: float
    suggested: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        """The line got what it should: the right answer, no answer, or small talk."""
        if self.case.kind == "in_scope":
            return self.shown == "answer" and self.got == self.case.expect
        if self.case.kind == "out_of_scope":
            return self.shown != "answer"
        return self.shown == "small_talk"


@dataclass
class Report:
    """Counts over one split."""

    name: str
    seen: list[Seen] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)  # entry id -> category

    def _of(self, kind: Kind) -> list[Seen]:
        return [s for s in self.seen if s.case.kind == kind]

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def in_scope(self) -> int:
        return len(self._of("in_scope"))

    @property
    def top1_rate(self) -> float:
        """In-scope questions whose best-ranked entry is the right one (answered or not)."""
        rows = self._of("in_scope")
        return self._rate(sum(1 for s in rows if s.got == s.case.expect), len(rows))

    @property
    def answered_right_rate(self) -> float:
        """In-scope questions answered with the right entry (the 95% target)."""
        rows = self._of("in_scope")
        return self._rate(sum(1 for s in rows if s.right), len(rows))

    @property
    def offered_rate(self) -> float:
        """In-scope questions whose right entry was answered or offered as a suggestion."""
        rows = self._of("in_scope")
        hits = sum(
            1
            for s in rows
            if (s.shown == "answer" and s.got == s.case.expect) or s.case.expect in s.suggested
        )
        return self._rate(hits, len(rows))

    @property
    def confidently_wrong_rate(self) -> float:
        """In-scope questions answered with a wrong entry (the 2% ceiling)."""
        rows = self._of("in_scope")
        wrong = sum(1 for s in rows if s.shown == "answer" and s.got != s.case.expect)
        return self._rate(wrong, len(rows))

    @property
    def answer_precision(self) -> float:
        """Of every FAQ answer given (off-topic lines included), the share that was right."""
        answers = [s for s in self.seen if s.shown == "answer"]
        return self._rate(sum(1 for s in answers if s.right), len(answers))

    @property
    def out_of_scope(self) -> int:
        return len(self._of("out_of_scope"))

    @property
    def declined_rate(self) -> float:
        """Off-topic lines that got no FAQ answer (declined, suggestions, or small talk)."""
        rows = self._of("out_of_scope")
        return self._rate(sum(1 for s in rows if s.right), len(rows))

    @property
    def plain_decline_rate(self) -> float:
        """Off-topic lines that got not even a suggestion."""
        rows = self._of("out_of_scope")
        return self._rate(
            sum(1 for s in rows if s.shown != "answer" and not s.suggested), len(rows)
        )

    @property
    def small_talk(self) -> int:
        return len(self._of("small_talk"))

    @property
    def small_talk_rate(self) -> float:
        rows = self._of("small_talk")
        return self._rate(sum(1 for s in rows if s.right), len(rows))

    def by_category(self) -> list[tuple[str, int, int]]:
        """(category, in-scope questions, answered right) per category of the expected entry."""
        totals: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for s in self._of("in_scope"):
            category = self.categories.get(s.case.expect or "", "(id tidak dikenal)")
            totals[category] += 1
            right[category] += int(s.right)
        return [(c, totals[c], right[c]) for c in sorted(totals)]

    def confusions(self, limit: int = 15) -> list[tuple[str, str, int]]:
        """(expected, got, count) for in-scope questions whose best entry was another one."""
        pairs: Counter[tuple[str, str]] = Counter(
            (s.case.expect or "", s.got or "(tidak ada)")
            for s in self._of("in_scope")
            if s.got != s.case.expect
        )
        pairs.update(
            ("(di luar topik)", s.got or "")
            for s in self.seen
            if s.case.kind != "in_scope" and s.shown == "answer"
        )
        return [(a, b, n) for (a, b), n in pairs.most_common(limit)]

    def misses(self) -> list[Seen]:
        return [s for s in self.seen if not s.right]

    def lines(self, *, misses: bool = True, pairs: bool = True) -> list[str]:
        """The report as an admin reads it (Indonesian): figures, then the confusion pairs and
        the misses when asked for."""
        out = [
            f"== {self.name}",
            f"dalam topik: {self.in_scope}  dijawab benar: {self.answered_right_rate:.1%}  "
            f"peringkat-1 benar: {self.top1_rate:.1%}  dijawab atau disarankan: "
            f"{self.offered_rate:.1%}  salah dengan yakin: {self.confidently_wrong_rate:.1%}",
            f"di luar topik: {self.out_of_scope}  ditolak atau basa-basi: "
            f"{self.declined_rate:.1%}  (tanpa saran sama sekali: {self.plain_decline_rate:.1%})",
            f"basa-basi: {self.small_talk}  dijawab sebagai basa-basi: {self.small_talk_rate:.1%}",
            f"ketepatan jawaban FAQ yang diberikan: {self.answer_precision:.1%}",
            "per kategori (dalam topik, dijawab benar):",
        ]
        out += [f"  {c:<14} {n:>4}  {r / n:6.1%}" for c, n, r in self.by_category()]
        confused = self.confusions() if pairs else []
        if confused:
            out.append("pasangan tertukar (seharusnya -> peringkat 1, jumlah):")
            out += [f"  {a} -> {b}: {n}" for a, b, n in confused]
        if misses and self.misses():
            out.append("meleset:")
            wanted = {"out_of_scope": "(tolak)", "small_talk": "(basa-basi)"}
            for s in self.misses():
                expect = s.case.expect or wanted.get(s.case.kind, "-")
                out.append(
                    f"  {s.case.question!r}: seharusnya {expect}, didapat {s.shown} "
                    f"{s.got or '-'} ({s.score:.2f})"
                )
        return out


class EvalFileError(ValueError):
    """The labelled set does not have the expected shape."""


def _lines(doc: dict[str, Any], key: str, path: Path) -> list[str]:
    raw = doc.get(key) or []
    if not isinstance(raw, list):
        raise EvalFileError(f"{path}: {key} harus berupa daftar")
    return [str(x) for x in raw]


def load_cases(path: Path) -> list[Case]:
    """Reads a split (in_scope, out_of_scope, small_talk)."""
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvalFileError(f"{path}: {exc}".replace("\n", " ")) from None
    if not isinstance(doc, dict):
        raise EvalFileError(f"{path}: harus berisi in_scope, out_of_scope dan small_talk")
    unknown = set(doc) - set(KINDS)
    if unknown:
        raise EvalFileError(f"{path}: bagian tidak dikenal: {', '.join(sorted(unknown))}")
    in_scope = doc.get("in_scope") or {}
    if not isinstance(in_scope, dict):
        raise EvalFileError(f"{path}: in_scope harus memetakan id entri ke daftar pertanyaan")
    cases: list[Case] = []
    for entry_id, questions in in_scope.items():
        if not isinstance(questions, list):
            raise EvalFileError(f"{path}: in_scope.{entry_id} harus berupa daftar")
        cases += [Case(str(q), str(entry_id)) for q in questions]
    cases += [Case(q, None, "out_of_scope") for q in _lines(doc, "out_of_scope", path)]
    cases += [Case(q, None, "small_talk") for q in _lines(doc, "small_talk", path)]
    return cases


def route(kb: KnowledgeBase, text: str) -> tuple[Shown, str | None, float, tuple[str, ...]]:
    """What the router shows for a line typed outside a form, in the router's order."""
    if smalltalk.classify(text) is not None:
        return "small_talk", None, 0.0, ()
    result = kb.match(text)
    best = result.best
    got = best.id if best else None
    score = best.score if best else 0.0
    if result.outcome == "answered":
        return "answer", got, score, ()
    suggested = tuple(s.id for s in kb.suggestions(result)) if result.outcome == "suggested" else ()
    if smalltalk.is_complaint(text, suggested=bool(suggested)):
        return "small_talk", got, score, ()
    return ("suggestions" if suggested else "fallback"), got, score, suggested


def fold_of(case: Case, folds: int) -> int:
    """The fold a case falls in: fixed by its text, so a held-out fold stays the same fold."""
    return zlib.crc32(case.question.encode("utf-8")) % folds


def split(cases: list[Case], folds: int, hold: int) -> tuple[list[Case], list[Case]]:
    """(the cases to tune on, the held-out fold `hold` of `folds`), for k-fold checking within
    the dev split: tune while reading only the first part's misses, judge on the second."""
    if folds < 2 or not 0 <= hold < folds:
        raise ValueError(f"fold {hold} dari {folds} tidak ada")
    tune = [c for c in cases if fold_of(c, folds) != hold]
    held = [c for c in cases if fold_of(c, folds) == hold]
    return tune, held


def evaluate(kb: KnowledgeBase, cases: list[Case], name: str = "") -> Report:
    """Runs every case the way the router would and keeps what the user would have seen."""
    report = Report(name, categories={e.id: e.category for e in kb.entries.values()})
    for case in cases:
        shown, got, score, suggested = route(kb, case.question)
        report.seen.append(Seen(case, shown, got, score, suggested))
    return report


def phrasing_fold_of(phrasing: str, folds: int) -> int:
    """The fold an entry's phrasing falls in: fixed by its text, like `fold_of`."""
    return zlib.crc32(phrasing.encode("utf-8")) % folds


def without_fold(entry: Entry, folds: int, hold: int) -> tuple[Entry, list[Case]]:
    """The entry without its phrasings of fold `hold`, and those phrasings as questions. An
    entry keeps its title (first phrasing) when all its phrasings fall in the fold."""
    kept = [q for q in entry.questions if phrasing_fold_of(q, folds) != hold]
    held = [q for q in entry.questions if phrasing_fold_of(q, folds) == hold]
    if not kept:
        kept, held = [entry.questions[0]], held[1:]
    smaller = dataclasses.replace(entry, questions=tuple(kept), question_lines=())
    return smaller, [Case(q, entry.id) for q in held]


def phrasing_folds(kb: KnowledgeBase, folds: int, name: str = "") -> Report:
    """Each entry's phrasings split into `folds` folds; each fold in turn is taken out of the
    index and asked as questions of the other folds' index (`gratibot kb eval
    --phrasing-folds K`). It measures how the matcher meets wording it has not seen, with
    the same knowledge base, thresholds and synonyms: the wording of the eval splits was
    tuned on, the knowledge base's own phrasings were not written to be matched by others.
    One report over every fold (each phrasing is asked once)."""
    if folds < 2:
        raise ValueError(f"{folds} fold frasa: paling sedikit 2")
    report = Report(name, categories={e.id: e.category for e in kb.entries.values()})
    for hold in range(folds):
        entries: list[Entry] = []
        cases: list[Case] = []
        for entry in kb.all_entries:
            if not entry.active:
                entries.append(entry)
                continue
            smaller, held = without_fold(entry, folds, hold)
            entries.append(smaller)
            cases += held
        fold_kb = KnowledgeBase(
            entries,
            kb.normaliser.unlearned(),
            kb.rules,
            kb.variables,
            kb.thresholds,
            today=kb.today,
        )
        report.seen += evaluate(fold_kb, cases).seen
    return report
