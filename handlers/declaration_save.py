"""Storing a reply in a declaration: every field it gave, shown back, then the next question."""

from __future__ import annotations

from typing import Any

from handlers import declaration_steps as ds
from handlers import declaration_store as dst
from handlers import menu
from handlers.answers import AnswerKey, Answers
from handlers.context import Context
from handlers.declaration_ask import advance, ask_step, ask_summary, ask_understood
from handlers.declaration_identity import Reading
from handlers.declaration_parsers import ASKED_INSTEAD
from handlers.declaration_store import answers


def put(a: Answers, key: AnswerKey, value: Any) -> None:
    a[key] = value


async def drop_draft(ctx: Context) -> bool:
    ports = ctx.services.declarations
    return await ports.drop_draft(ctx.user_key) if ports is not None else False


async def store(ctx: Context, step: ds.Step, reading: Reading) -> None:
    """Stores every field of a reading through its step's function, then moves on."""
    a = answers(ctx)
    target: str | None = None
    stored: list[AnswerKey] = []
    for key, value in reading.values.items():
        own = ds.BY_KEY.get(key)
        if own is None:
            put(a, key, value)
            continue
        result = await own.store(ctx, value)
        stored.append(key)
        if key == step.key:
            target = result
    if target == dst.END:
        await end_without_consent(ctx)
        return
    if step.key == "story" and a.get("story"):
        ask_understood(ctx)
        return
    show_back(ctx, step, [k for k in stored if k != step.key])
    problems = [k for k in ds.BY_KEY if k in reading.problems]
    if problems:
        failed = ds.BY_KEY[problems[0]]
        a.pop(failed.key, None)
        message = reading.problems[failed.key]
        if message.endswith(ASKED_INSTEAD):
            # A narrower question ("Siapa nama beliau?") replaces the step's own: the
            # question is not asked twice in one message.
            ask_step(ctx, failed, instead=message)
        else:
            ask_step(ctx, failed, problem=f"{message}\n{failed.error}".strip())
        return
    if target in ds.BY_KEY:
        ask_step(ctx, ds.BY_KEY[target])
        return
    await after_store(ctx, step, None)


async def after_store(ctx: Context, step: ds.Step, target: str | None) -> None:
    """After an answer: back to the show-back or the summary when changing one, else onward."""
    edit = ctx.session.data.get("edit")
    if edit == "understood":
        ask_understood(ctx)
        return
    if edit == "summary":
        pending = ds.first_missing(answers(ctx))
        if pending is None:
            ask_summary(ctx)
        else:
            ask_step(ctx, pending)  # a changed amount or date is confirmed first
        return
    advance(ctx, step.key)


def show_back(ctx: Context, step: ds.Step, others: list[AnswerKey]) -> None:
    """Shows what else one message gave ("Nama ..., NIK ..."): nothing is filled unseen."""
    if not others:
        return
    a = answers(ctx)
    keys = [step.key, *others] if step.key in a else others
    lines = ds.shown_lines(
        [k for k in dict.fromkeys(keys) if k in ds.BY_KEY and ds.BY_KEY[k].counted], a
    )
    if lines:
        # Said at the top of the next question, in the same message.
        ctx.session.data["note"] = "Saya catat:\n" + "\n".join(lines)


async def end_without_consent(ctx: Context) -> None:
    """Stops at the privacy notice: nothing is kept, and the duty to report is said again
    (the processing rests on that legal duty, so stopping here does not lift it)."""
    await drop_draft(ctx)
    ctx.session.reset_flow()
    policy = ctx.services.policy
    await menu.show_menu(
        ctx,
        "Baik, pengisian laporan saya hentikan; data Anda tidak disimpan.\n"
        "Gratifikasi yang wajib dilaporkan tetap wajib dilaporkan: ke UPPG dalam "
        f"{policy.uppg_deadline_workdays} hari kerja, atau ke KPK paling lambat "
        f"{policy.kpk_deadline_workdays} hari kerja sejak diterima. Anda dapat melapor lewat "
        "bot ini kapan saja, langsung ke UPPG Inspektorat, atau ke KPK (Gratifikasi Online).\n"
        "Ada lagi yang bisa dibantu?",
    )
