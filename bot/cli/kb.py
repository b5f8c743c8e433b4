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

from bot.cli.common import settings_or_exit

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.knowledge.matcher import KnowledgeBase
    from bot.store.models import FaqQuestion

app = typer.Typer(help="Knowledge base (FAQ and rule files) tools.", no_args_is_help=True)


def _settings() -> Settings:
    return settings_or_exit(log_level="WARNING")


def _knowledge(settings: Settings) -> KnowledgeBase:
    from bot.knowledge.files import load

    kb, problems = load(
        settings.knowledge_dir,
        uppg_deadline_workdays=settings.uppg_deadline_workdays,
        production=settings.environment == "production",
    )
    if kb is None:
        for problem in problems:
            typer.echo(str(problem), err=True)
        typer.echo(
            f"gratibot: the knowledge files in {settings.knowledge_dir} have errors", err=True
        )
        raise typer.Exit(1)
    return kb


def _as_json(kb: KnowledgeBase, question: str) -> str:
    found = kb.answer(question)
    doc: dict[str, Any] = {
        "matched": found.matched,
        "id": found.id,
        "score": found.score,
        "answer": found.answer,
        "suggestions": [{"id": s.id, "question": s.question} for s in found.suggestions],
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
    for text in questions:
        if not text.strip():
            continue
        if json_mode:
            typer.echo(_as_json(kb, text))
            sys.stdout.flush()
            continue
        found = kb.answer(text)
        if found.matched and found.answer:
            typer.echo(f"[{found.id} {found.score:.2f}]\n{found.answer}")
        elif found.suggestions:
            typer.echo(f"[no confident answer, best {found.id} {found.score:.2f}] Maksud Anda:")
            for s in found.suggestions:
                typer.echo(f"  - {s.question} ({s.id})")
        else:
            typer.echo(f"[fallback, best {found.id or '-'} {found.score:.2f}]")
        typer.echo("")


@app.command("check")
def check() -> None:
    """Check the knowledge files: schema, duplicate ids, references, ambiguous phrasings."""
    from bot.knowledge.files import load
    from handlers.exemptions import summary

    settings = _settings()
    kb, problems = load(
        settings.knowledge_dir,
        uppg_deadline_workdays=settings.uppg_deadline_workdays,
        ambiguity=True,
        production=settings.environment == "production",
    )
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    if kb is None:
        typer.echo(f"{errors} error(s), {warnings} warning(s): the running bot keeps the old files")
        raise typer.Exit(1)
    categories = sorted({e.category for e in kb.entries.values()})
    typer.echo(
        f"ok: {len(kb.entries)} active entries ({len(kb.all_entries)} in total), "
        f"{len(categories)} categories, {warnings} warning(s)"
    )
    if kb.rules is not None:
        for line in summary(kb.rules):
            typer.echo(f"rules: {line}")


@app.command("eval")
def eval_(
    file: Annotated[Path, typer.Argument(help="Labelled questions (see tests/faq_eval.yaml).")],
    min_top1: Annotated[float, typer.Option(help="Exit 1 below this top-1 accuracy.")] = 0.0,
    min_fallback: Annotated[
        float, typer.Option(help="Exit 1 below this out-of-scope fallback rate.")
    ] = 0.0,
) -> None:
    """Accuracy on a labelled question set: top-1, suggestions, fallbacks, and the misses."""
    from bot.knowledge.evaluate import EvalFileError, evaluate, load_cases

    kb = _knowledge(_settings())
    try:
        cases = load_cases(file)
    except (OSError, EvalFileError) as exc:
        typer.echo(f"gratibot: {exc}", err=True)
        raise typer.Exit(2) from None
    report = evaluate(kb, cases)
    for line in report.lines():
        typer.echo(line)
    if report.top1_rate < min_top1 or report.fallback_rate < min_fallback:
        raise typer.Exit(1)


@dataclass
class _Group:
    text: str
    count: int
    last: datetime
    outcome: str
    best_id: str | None


def _group(rows: Iterable[FaqQuestion]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for row in rows:
        key = row.normalised or row.text.casefold()
        group = groups.get(key)
        if group is None:
            groups[key] = _Group(row.text, 1, row.at, row.outcome, row.best_id)
            continue
        group.count += 1
        if row.at > group.last:
            group.last, group.text, group.outcome = row.at, row.text, row.outcome
    return sorted(groups.values(), key=lambda g: g.last, reverse=True)


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
    """Questions nothing answered (fallbacks, suggestions not taken), grouped, newest first."""
    groups = asyncio.run(_unanswered(_settings(), limit))
    if not groups:
        typer.echo("no unanswered questions logged")
        return
    for g in groups:
        if json_mode:
            doc = {
                "question": g.text,
                "count": g.count,
                "last": g.last.isoformat(),
                "outcome": g.outcome,
                "best_id": g.best_id,
            }
            typer.echo(json.dumps(doc, ensure_ascii=False))
        else:
            when = g.last.strftime("%Y-%m-%d %H:%M")
            guess = f"  (closest: {g.best_id})" if g.best_id else ""
            typer.echo(f"{g.count:>4}x  {when}  {g.outcome:<9}  {g.text}{guess}")


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
