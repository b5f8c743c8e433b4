"""Admin commands for the knowledge base: `gratibot ask` and `gratibot kb check|eval|...`."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.common import knowledge_or_exit, settings_or_exit

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.knowledge.matcher import KnowledgeBase
    from bot.store.models import FaqQuestion

app = typer.Typer(help="Knowledge base (FAQ and rule files) tools.", no_args_is_help=True)


def _settings() -> Settings:
    return settings_or_exit(log_level="WARNING")


def _knowledge(settings: Settings) -> KnowledgeBase:
    from bot.knowledge.files import load
    from bot.knowledge.templates import DayCounts

    knowledge_or_exit(settings)
    kb, problems = load(
        settings.knowledge_dir,
        days=DayCounts.of(settings),
        production=settings.environment == "production",
    )
    if kb is None:
        for problem in problems:
            typer.echo(str(problem), err=True)
        typer.echo(
            f"gratibot: berkas pengetahuan di {settings.knowledge_dir} berisi kesalahan "
            "(jalankan: gratibot kb check)",
            err=True,
        )
        raise typer.Exit(1)
    return kb


def _as_json(kb: KnowledgeBase, question: str) -> str:
    from handlers import smalltalk

    found = kb.answer(question)
    doc: dict[str, Any] = {
        "matched": found.matched,
        "id": found.id,
        "score": found.score,
        "answer": found.answer,
        "suggestions": [{"id": s.id, "question": s.question} for s in found.suggestions],
        "actions": list(found.actions),
        # What the router does before the FAQ: a greeting, thanks, a menu number, ...
        "small_talk": smalltalk.classify(question),
    }
    return json.dumps(doc, ensure_ascii=False)


def ask(
    question: Annotated[str, typer.Argument(help='The question, or "-" to read one per line.')],
    json_mode: Annotated[bool, typer.Option("--json", help="One JSON line per question.")] = False,
) -> None:
    """Ask the FAQ matcher a question, as a user would (no database needed)."""
    kb = _knowledge(_settings())
    questions: Iterable[str] = (
        (line.rstrip("\n") for line in sys.stdin) if question == "-" else [question]
    )
    from handlers import smalltalk

    for text in questions:
        if not text.strip():
            continue
        if json_mode:
            typer.echo(_as_json(kb, text))
            sys.stdout.flush()
            continue
        kind = smalltalk.classify(text)
        if kind is not None:
            typer.echo(f"[small talk: {kind}; the bot answers it before the FAQ]")
            typer.echo("")
            continue
        found = kb.answer(text)
        if found.matched and found.answer:
            buttons = f" buttons: {', '.join(found.actions)}" if found.actions else ""
            typer.echo(f"[{found.id} {found.score:.2f}{buttons}]\n{found.answer}")
        elif found.suggestions:
            typer.echo(f"[no confident answer, best {found.id} {found.score:.2f}] Maksud Anda:")
            for s in found.suggestions:
                typer.echo(f"  - {s.question} ({s.id})")
        else:
            typer.echo(f"[fallback, best {found.id or '-'} {found.score:.2f}]")
        typer.echo("")


@app.command("check")
def check() -> None:
    """Check the knowledge files: schema, ids, dates, placeholders, phone length, ambiguity."""
    from bot.holidays_id import CHANGES_FILE, IndonesianHolidays, read_changes
    from bot.knowledge.files import load
    from bot.knowledge.templates import DayCounts
    from handlers.exemptions import summary

    settings = _settings()
    knowledge_or_exit(settings)
    kb, problems = load(
        settings.knowledge_dir,
        days=DayCounts.of(settings),
        ambiguity=True,
        production=settings.environment == "production",
    )
    changes, holiday_errors = read_changes(settings.knowledge_dir)
    package = IndonesianHolidays()
    holiday_warnings = [
        f"{day.isoformat()} di removed bukan hari libur atau cuti bersama di paket holidays"
        for day in sorted(changes.removed)
        if package.holiday(day) is None and package.cuti_bersama(day) is None
    ]
    for problem in problems:
        typer.echo(str(problem))
    for text in holiday_errors:
        typer.echo(f"{CHANGES_FILE}:1: error: {text}")
    for text in holiday_warnings:
        typer.echo(f"{CHANGES_FILE}:1: warning: {text}")
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors + len(holiday_warnings)
    errors += len(holiday_errors)
    if kb is None:
        typer.echo(
            f"{errors} kesalahan, {warnings} peringatan: berkas ini TIDAK dipakai; "
            "bot yang berjalan tetap memakai versi terakhir yang benar"
        )
        raise typer.Exit(1)
    categories = sorted({e.category for e in kb.entries.values()})
    typer.echo(
        f"ok: {len(kb.entries)} entri aktif ({len(kb.all_entries)} seluruhnya), "
        f"{len(categories)} kategori, {warnings} peringatan"
    )
    if kb.rules is not None:
        for line in summary(kb.rules):
            typer.echo(f"aturan: {line}")
    added = len(changes.holidays) + len(changes.cuti_bersama)
    typer.echo(f"libur: {added} tambahan, {len(changes.removed)} dihapus ({CHANGES_FILE})")
    if holiday_errors:
        typer.echo(
            f"{len(holiday_errors)} kesalahan di {CHANGES_FILE}: item itu tidak dipakai dalam "
            "hitungan tenggat"
        )
        raise typer.Exit(1)


# The labelled splits (see tests/knowledge/): the dev split, tuned on, and the test split, held
# out, in batches written blind by different people at different times (each reported alone).
DEV_SPLIT = Path("tests/knowledge/eval_dev.yaml")
TEST_SPLITS = (
    Path("tests/knowledge/eval_test.yaml"),
    Path("tests/knowledge/eval_test_2.yaml"),
    Path("tests/knowledge/eval_test_3.yaml"),
    Path("tests/knowledge/eval_test_4.yaml"),
    Path("tests/knowledge/eval_test_5.yaml"),
    Path("tests/knowledge/eval_test_6.yaml"),
)


@app.command("eval")
def eval_(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Labelled splits; default: tests/knowledge/eval_dev.yaml and the test "
            "split's batches eval_test.yaml, eval_test_2.yaml to eval_test_6.yaml."
        ),
    ] = None,
    misses: Annotated[
        bool | None,
        typer.Option(
            help="--misses lists the misses of the held-out test split too (never tune on "
            "them); --no-misses hides them for every file, a proxy split of your own included. "
            "Default: listed for the dev split and other files, hidden for the test split."
        ),
    ] = None,
    min_answered: Annotated[
        float, typer.Option(help="Exit 1 below this answered-right rate.")
    ] = 0.0,
    max_wrong: Annotated[
        float, typer.Option(help="Exit 1 above this confidently-wrong rate.")
    ] = 1.0,
    min_declined: Annotated[float, typer.Option(help="Exit 1 below this off-topic rate.")] = 0.0,
    folds: Annotated[
        int,
        typer.Option(
            help="Split each file into this many folds and hold one out (see --hold): "
            "misses are listed for the other folds only."
        ),
    ] = 0,
    hold: Annotated[int, typer.Option(help="The held-out fold, 0 to folds-1.")] = 0,
    phrasing_folds: Annotated[
        int,
        typer.Option(
            help="Also split each entry's phrasings into this many folds and ask each fold "
            "of an index without it: how the matcher meets wording it has not seen."
        ),
    ] = 0,
) -> None:
    """Accuracy per split: answered right, confidently wrong, off-topic, small talk, by category."""
    from bot.knowledge import evaluate as evaluation
    from bot.knowledge.evaluate import EvalFileError, evaluate, load_cases, split

    settings = _settings()
    kb = _knowledge(settings)
    if phrasing_folds:
        try:
            report = evaluation.phrasing_folds(
                kb, phrasing_folds, name=f"frasa entri ({phrasing_folds} fold, tiap fold ditahan)"
            )
        except ValueError as exc:
            typer.echo(f"gratibot: {exc}", err=True)
            raise typer.Exit(2) from None
        for line in report.lines():
            typer.echo(line)
        typer.echo("")
        if not files:
            return
    # The splits sit next to knowledge/ (the project root, or /app in the Docker image).
    root = Path.cwd() if DEV_SPLIT.exists() else settings.knowledge_dir.resolve().parent
    paths = files or [root / DEV_SPLIT, *(root / p for p in TEST_SPLITS)]
    failed = False
    for path in paths:
        try:
            cases = load_cases(path)
        except (OSError, EvalFileError) as exc:
            typer.echo(f"gratibot: {exc}", err=True)
            raise typer.Exit(2) from None
        held_out = path.name in {p.name for p in TEST_SPLITS}
        fold = False
        if folds and not held_out:
            try:
                tune, held = split(cases, folds, hold)
            except ValueError as exc:
                typer.echo(f"gratibot: {exc}", err=True)
                raise typer.Exit(2) from None
            for line in evaluate(kb, tune, name=f"{path} (disetel: fold selain {hold})").lines():
                typer.echo(line)
            typer.echo("")
            # The held-out fold is judged like the test split: figures only, never its misses.
            cases, held_out, fold = held, True, True
            path = Path(f"{path} (fold {hold} dari {folds}, ditahan)")
        report = evaluate(kb, cases, name=str(path))
        # "--no-misses" holds every file out, a proxy split of one's own among them.
        held_out = held_out or misses is False
        for line in report.lines(misses=bool(misses) or not held_out, pairs=not fold):
            typer.echo(line)
        if held_out and not misses and report.misses():
            where = "fold yang ditahan" if fold else "split uji"
            typer.echo(
                f"({len(report.misses())} meleset di {where} tidak ditampilkan: "
                "bagian ini tidak untuk disetel)"
            )
        typer.echo("")
        failed |= (
            report.answered_right_rate < min_answered
            or report.confidently_wrong_rate > max_wrong
            or report.declined_rate < min_declined
        )
    if failed:
        raise typer.Exit(1)


@dataclass
class _Group:
    text: str
    count: int
    last: datetime
    outcome: str
    normalised: str
    nearest: str | None = None
    score: float = 0.0


# Two logged questions whose normalised words are this similar are one group.
SIMILAR = 85


def _group(rows: Iterable[FaqQuestion]) -> list[_Group]:
    """Similar questions in one group (same words after normalisation, or nearly), newest first."""
    from rapidfuzz import fuzz

    groups: list[_Group] = []
    for row in rows:
        key = row.normalised or row.text.casefold()
        group = next(
            (
                g
                for g in groups
                if g.normalised == key or fuzz.token_set_ratio(g.normalised, key) >= SIMILAR
            ),
            None,
        )
        if group is None:
            groups.append(_Group(row.text, 1, row.at, row.outcome, key))
            continue
        group.count += 1
    # Rows come newest first, so the groups are in the order of their newest question.
    return groups


async def _unanswered(settings: Settings, limit: int) -> list[_Group]:
    from sqlalchemy import select

    from bot.store.database import Database
    from bot.store.models import FaqQuestion

    db = Database.from_settings(settings)
    try:
        await db.migrate()
        async with db.sessions() as session:
            rows = await session.scalars(
                select(FaqQuestion)
                .where(
                    (FaqQuestion.outcome == "fallback")
                    | ((FaqQuestion.outcome == "suggested") & FaqQuestion.taken_id.is_(None))
                )
                .order_by(FaqQuestion.id.desc())
                .limit(10_000)
            )
            return _group(rows)[:limit]
    finally:
        await db.dispose()


@app.command("unanswered")
def unanswered(
    limit: Annotated[int, typer.Option(help="How many groups to show.")] = 50,
    json_mode: Annotated[bool, typer.Option("--json", help="One JSON line per group.")] = False,
) -> None:
    """Questions nothing answered, similar ones grouped, each with the nearest entry today."""
    settings = _settings()
    knowledge_or_exit(settings)  # before the database: each group is matched against it
    groups = asyncio.run(_unanswered(settings, limit))
    if not groups:
        typer.echo("belum ada pertanyaan yang tidak terjawab")
        return
    kb = _knowledge(settings)
    for g in groups:
        # Nearest by today's files: after an edit, this shows whether the gap is closed.
        best = kb.rank(g.text).best
        g.nearest, g.score = (best.id, best.score) if best else (None, 0.0)
        if json_mode:
            doc = {
                "question": g.text,
                "count": g.count,
                "last": g.last.isoformat(),
                "outcome": g.outcome,
                "nearest": g.nearest,
                "score": round(g.score, 2),
            }
            typer.echo(json.dumps(doc, ensure_ascii=False))
        else:
            when = g.last.strftime("%Y-%m-%d %H:%M")
            near = (
                f"  (terdekat: {g.nearest} {g.score:.2f})"
                if g.nearest
                else "  (tidak ada entri dekat)"
            )
            typer.echo(f"{g.count:>4}x  {when}  {g.outcome:<9}  {g.text}{near}")


async def _feedback(settings: Settings) -> list[tuple[str, int, int]]:
    from sqlalchemy import func, select

    from bot.store.database import Database
    from bot.store.models import FaqFeedback

    db = Database.from_settings(settings)
    try:
        await db.migrate()
        async with db.sessions() as session:
            result = await session.execute(
                select(FaqFeedback.entry_id, FaqFeedback.helpful, func.count())
                .group_by(FaqFeedback.entry_id, FaqFeedback.helpful)
                .order_by(FaqFeedback.entry_id)
            )
            counts: dict[str, list[int]] = {}
            for entry_id, is_helpful, n in result.all():
                counts.setdefault(entry_id, [0, 0])[0 if is_helpful else 1] += int(n)
            return [(k, v[0], v[1]) for k, v in counts.items()]
    finally:
        await db.dispose()


@app.command("feedback")
def feedback() -> None:
    """ "Membantu / Tidak membantu" counts per entry, least helpful first."""
    rows = asyncio.run(_feedback(_settings()))
    if not rows:
        typer.echo("no feedback yet")
        return
    rows.sort(key=lambda r: (r[1] - r[2], r[0]))
    typer.echo(f"{'entry':<28} {'membantu':>9} {'tidak':>6}")
    for entry_id, yes, no in rows:
        typer.echo(f"{entry_id:<28} {yes:>9} {no:>6}")
