"""The matcher on the labelled splits (bot/knowledge/evaluate.py), and the CI gate.

tests/knowledge/eval_dev.yaml is the dev split (tuned on). tests/knowledge/eval_test.yaml is
the held-out test split, written blind by another engineer and never tuned on: CI gates on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.evaluate import Case, EvalFileError, evaluate, load_cases
from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase

ROOT = Path(__file__).resolve().parents[3]
DEV = ROOT / "tests" / "knowledge" / "eval_dev.yaml"
TEST = ROOT / "tests" / "knowledge" / "eval_test.yaml"

# The targets of issue 13, on the test split.
TARGET_ANSWERED = 0.95
TARGET_DECLINED = 0.95
TARGET_WRONG = 0.02
# What the matcher reaches today on the test split, as a floor that may only go up (see the
# README, "Evaluation"): a change that loses ground fails here even while the targets above
# are not yet met.
FLOOR_ANSWERED = 0.73
FLOOR_DECLINED = 0.87
FLOOR_SMALL_TALK = 0.97
CEILING_WRONG = 0.06


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load(ROOT / "knowledge")
    assert loaded is not None, [str(p) for p in problems]
    return loaded


def test_the_splits_are_big_enough_and_name_real_entries(kb: KnowledgeBase) -> None:
    dev, test = load_cases(DEV), load_cases(TEST)
    both = dev + test
    assert sum(c.kind == "in_scope" for c in both) >= 500
    assert sum(c.kind != "in_scope" for c in both) >= 100
    assert {c.expect for c in both if c.expect} <= set(kb.entries), "unknown entry ids"
    # Every entry is asked about in the dev split.
    assert {c.expect for c in dev if c.expect} == set(kb.entries)


def test_no_dev_line_or_phrasing_copies_another_or_the_test_split(kb: KnowledgeBase) -> None:
    def key(text: str) -> str:
        return text.casefold().strip().rstrip("?")

    phrasings = {key(q) for e in kb.entries.values() for q in e.questions}
    dev = {key(c.question) for c in load_cases(DEV)}
    test = {key(c.question) for c in load_cases(TEST)}
    assert sorted(dev & phrasings) == []
    assert sorted(dev & test) == []
    # An entry phrasing that is a test line would make the held-out figure a tuned one; the
    # count only, so that the failure does not print the held-out lines.
    copied = len(phrasings & test)
    assert copied == 0, f"{copied} FAQ phrasings are lines of the test split"


def test_the_dev_split(kb: KnowledgeBase) -> None:
    report = evaluate(kb, load_cases(DEV), "dev")
    summary = "\n".join(report.lines())
    assert report.answered_right_rate >= 0.95, summary
    assert report.confidently_wrong_rate <= 0.02, summary
    assert report.declined_rate >= 0.95, summary
    assert report.small_talk_rate >= 0.95, summary


def test_the_test_split_does_not_lose_ground(kb: KnowledgeBase) -> None:
    report = evaluate(kb, load_cases(TEST), "test")
    # The summary only: the held-out questions are not printed, so nobody tunes on them.
    summary = "\n".join(report.lines(misses=False))
    assert report.answered_right_rate >= FLOOR_ANSWERED, summary
    assert report.confidently_wrong_rate <= CEILING_WRONG, summary
    assert report.declined_rate >= FLOOR_DECLINED, summary
    assert report.small_talk_rate >= FLOOR_SMALL_TALK, summary


@pytest.mark.xfail(reason="issue 13 targets not reached yet on the test split", strict=True)
def test_the_test_split_meets_the_issue_13_targets(kb: KnowledgeBase) -> None:
    report = evaluate(kb, load_cases(TEST), "test")
    summary = "\n".join(report.lines(misses=False))
    assert report.answered_right_rate >= TARGET_ANSWERED, summary
    assert report.confidently_wrong_rate <= TARGET_WRONG, summary
    assert report.declined_rate >= TARGET_DECLINED, summary


def test_lines_go_the_way_the_router_sends_them(kb: KnowledgeBase) -> None:
    cases = [
        Case("amplop kondangan wajib lapor gak", "pernikahan"),
        Case("cuaca besok hujan gak", None, "out_of_scope"),
        Case("1", None, "out_of_scope"),
        Case("makasih infonya", None, "small_talk"),
        Case("bot ga jelas", None, "small_talk"),
    ]
    report = evaluate(kb, cases, "kecil")
    shown = [s.shown for s in report.seen]
    assert shown[0] == "answer" and shown[2:] == ["small_talk", "small_talk", "small_talk"]
    assert shown[1] != "answer"
    assert report.answered_right_rate == 1.0 and report.declined_rate == 1.0
    assert report.small_talk_rate == 1.0
    assert report.by_category() == [("pengecualian", 1, 1)]


def test_a_report_names_categories_and_confusion_pairs(kb: KnowledgeBase) -> None:
    cases = [Case("hukuman kalo gak lapor apa", "sanksi"), Case("amplop kondangan", "sanksi")]
    report = evaluate(kb, cases, "contoh")
    text = "\n".join(report.lines())
    assert "per kategori" in text and "perlindungan" in text
    assert "sanksi -> pernikahan: 1" in text
    assert "'amplop kondangan': seharusnya sanksi" in text


def test_a_malformed_split_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text("in_scope: [a, b]\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match="in_scope harus memetakan"):
        load_cases(path)
    path.write_text("pertanyaan: {}\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match="bagian tidak dikenal: pertanyaan"):
        load_cases(path)
