"""FAQ matcher latency per question (p50/p99): the real knowledge base and a synthetic one
with 5,000 phrasings. Cold = the first time a question's words are seen (typo lookups not yet
cached); warm = the same questions again.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from pathlib import Path

from bot.knowledge.evaluate import load_cases
from bot.knowledge.files import load
from bot.knowledge.matcher import Entry, KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC_ENTRIES = 500
PHRASINGS_PER_ENTRY = 10
REPEATS = 7
COMMON = [
    "apakah",
    "wajib",
    "lapor",
    "hadiah",
    "dari",
    "yang",
    "boleh",
    "terima",
    "batas",
    "berapa",
    "kalau",
    "saya",
    "uang",
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _time(kb: KnowledgeBase, questions: list[str]) -> list[float]:
    """Milliseconds per question, one pass."""
    out = []
    for question in questions:
        start = time.perf_counter_ns()
        kb.match(question)
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def _word(rng: random.Random) -> str:
    syllables = [rng.choice("bcdfghjklmnprstw") + rng.choice("aeiou") for _ in range(3)]
    return "".join(syllables) + rng.choice(["", "n", "k", "ng", "s"])


def synthetic(real: KnowledgeBase, rng: random.Random) -> tuple[KnowledgeBase, list[str]]:
    """500 entries x 10 phrasings over a 3,000-word vocabulary, and 600 typed questions."""
    vocabulary = sorted({_word(rng) for _ in range(3000)})
    entries: list[Entry] = []
    questions: list[str] = []
    for n in range(SYNTHETIC_ENTRIES):
        topic = rng.sample(vocabulary, 6)
        phrasings = []
        for _ in range(PHRASINGS_PER_ENTRY):
            words = rng.sample(topic, 3) + rng.sample(COMMON, 3) + rng.sample(vocabulary, 1)
            rng.shuffle(words)
            phrasings.append(" ".join(words))
        entries.append(
            Entry(
                id=f"syn-{n}",
                category="syn",
                questions=tuple(phrasings),
                keywords=tuple(topic[:4]),
                answer="Jawaban.",
                basis="-",
                reviewed=date(2026, 11, 24),
            )
        )
        if n % 5 == 0:
            # A question typed by a person: words dropped, one typo, slang.
            words = [*rng.sample(topic, 2), "gk", "yg", "wjb", "lapor"]
            victim = rng.randrange(2)
            word = words[victim]
            i = rng.randrange(len(word) - 1)
            words[victim] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            rng.shuffle(words)
            questions.append(" ".join(words) + "?")
    kb = KnowledgeBase(entries, real.normaliser, real.rules, real.variables)
    return kb, questions


def _row(name: str, kb: KnowledgeBase, questions: list[str]) -> list[str]:
    phrasings = sum(len(e.questions) for e in kb.entries.values())
    cold_passes = []
    for _ in range(3):
        kb.index.clear_caches()
        cold_passes.append(_time(kb, questions))
    cold = [min(samples) for samples in zip(*cold_passes, strict=True)]
    passes = [_time(kb, questions) for _ in range(REPEATS)]
    # Best of the repeats per question: what the matcher costs, without the pauses that other
    # processes on a shared machine add; the p99 of every sample is shown too.
    best = [min(samples) for samples in zip(*passes, strict=True)]
    every = [x for samples in passes for x in samples]
    figures = [
        name,
        str(len(kb.entries)),
        str(phrasings),
        str(len(questions)),
        f"{statistics.median(cold):.3f}",
        f"{_percentile(cold, 0.99):.3f}",
        f"{statistics.median(best):.3f}",
        f"{_percentile(best, 0.99):.3f}",
        f"{_percentile(every, 0.99):.3f}",
    ]
    print("  ".join(figures), flush=True)
    return figures


def run() -> str:
    rng = random.Random(37001)
    real, problems = load(ROOT / "knowledge")
    if real is None:
        raise SystemExit("knowledge/ has errors: " + "; ".join(map(str, problems)))
    eval_questions = [
        c.question for c in load_cases(ROOT / "tests" / "knowledge" / "eval_dev.yaml")
    ]
    syn, syn_questions = synthetic(real, rng)
    headers = [
        "knowledge base",
        "entries",
        "phrasings",
        "questions",
        "cold p50 ms",
        "cold p99 ms",
        "warm p50 ms",
        "warm p99 ms",
        "all samples p99 ms",
    ]
    print("  ".join(headers), flush=True)
    rows = [
        _row("real (knowledge/)", real, eval_questions),
        _row("synthetic", syn, syn_questions + eval_questions),
    ]
    lines = [
        "## FAQ matcher latency per question",
        "",
        "One `KnowledgeBase.match` call per question (normalise, typo fix, score, decide).",
        "Questions: tests/knowledge/eval_dev.yaml, plus typed variants of synthetic phrasings.",
        "Cold: first sight of each question (normalisation and typo lookups not cached), "
        f"best of 3 passes with emptied caches. Warm: best of {REPEATS} runs per question. "
        "All samples: every warm run, pauses from other processes included.",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]
    return "\n".join(lines)
