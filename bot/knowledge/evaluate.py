"""Accuracy of the matcher on a labelled question set (`gratibot kb eval`, the CI test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.matcher import KnowledgeBase


@dataclass(frozen=True)
class Case:
    question: str
    expect: str | None  # None: out of scope, a fallback is right


@dataclass(frozen=True)
class Miss:
    case: Case
    outcome: str
    got: str | None
    score: float


@dataclass
class Report:
    in_scope: int = 0
    top1: int = 0
    top3: int = 0
    answered: int = 0
    answered_right: int = 0
    out_of_scope: int = 0
    fallback_right: int = 0
    strict_fallback: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.in_scope if self.in_scope else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.in_scope if self.in_scope else 0.0

    @property
    def answer_precision(self) -> float:
        """Of the confident answers given, the share that were right."""
        return self.answered_right / self.answered if self.answered else 0.0

    @property
    def fallback_rate(self) -> float:
        """Out-of-scope questions that got no answer (a fallback, or suggestions at most)."""
        return self.fallback_right / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def strict_fallback_rate(self) -> float:
        """Out-of-scope questions that got the plain fallback, not even suggestions."""
        return self.strict_fallback / self.out_of_scope if self.out_of_scope else 0.0

    def lines(self) -> list[str]:
        out = [
            f"in scope: {self.in_scope}  top-1 answered right: {self.top1} "
            f"({self.top1_rate:.1%})  right entry answered or suggested: {self.top3} "
            f"({self.top3_rate:.1%})",
            f"confident answers: {self.answered}, right: {self.answered_right} "
            f"({self.answer_precision:.1%})",
            f"out of scope: {self.out_of_scope}  no answer: {self.fallback_right} "
            f"({self.fallback_rate:.1%})  plain fallback: {self.strict_fallback} "
            f"({self.strict_fallback_rate:.1%})",
        ]
        if self.misses:
            out.append("misses:")
            for miss in self.misses:
                expect = miss.case.expect or "(fallback)"
                out.append(
                    f"  {miss.case.question!r}: expected {expect}, got {miss.outcome} "
                    f"{miss.got or '-'} ({miss.score:.2f})"
                )
        return out


class EvalFileError(ValueError):
    """The labelled set does not have the expected shape."""


def load_cases(path: Path) -> list[Case]:
    """Reads `in_scope: {id: [questions]}` and `out_of_scope: [questions]`."""
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvalFileError(f"{path}: {exc}".replace("\n", " ")) from None
    if not isinstance(doc, dict):
        raise EvalFileError(f"{path}: expected in_scope and out_of_scope")
    cases: list[Case] = []
    in_scope = doc.get("in_scope") or {}
    if not isinstance(in_scope, dict):
        raise EvalFileError(f"{path}: in_scope must map entry ids to lists of questions")
    for entry_id, questions in in_scope.items():
        if not isinstance(questions, list):
            raise EvalFileError(f"{path}: in_scope.{entry_id} must be a list")
        cases.extend(Case(str(q), str(entry_id)) for q in questions)
    out = doc.get("out_of_scope") or []
    if not isinstance(out, list):
        raise EvalFileError(f"{path}: out_of_scope must be a list")
    cases.extend(Case(str(q), None) for q in out)
    return cases


def evaluate(kb: KnowledgeBase, cases: list[Case]) -> Report:
    """Runs every case through the matcher and counts what a user would have seen."""
    report = Report()
    for case in cases:
        result = kb.match(case.question)
        best = result.best
        got = best.id if best else None
        score = best.score if best else 0.0
        shown = [m.id for m in kb.suggestions(result)] if result.outcome == "suggested" else []
        if result.outcome == "answered":
            report.answered += 1
            shown = [got] if got else []
            if got == case.expect:
                report.answered_right += 1
        if case.expect is None:
            report.out_of_scope += 1
            if result.outcome != "answered":
                report.fallback_right += 1
            if result.outcome == "fallback":
                report.strict_fallback += 1
            else:
                report.misses.append(Miss(case, result.outcome, got, score))
            continue
        report.in_scope += 1
        if result.outcome == "answered" and got == case.expect:
            report.top1 += 1
        else:
            report.misses.append(Miss(case, result.outcome, got, score))
        if case.expect in shown:
            report.top3 += 1
    return report
