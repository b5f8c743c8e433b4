"""Going over a declaration: the story's show-back, "Kembali", the summary and "Kirim"."""

from __future__ import annotations

from handlers import declaration_help, menu, tanda_terima, texts
from handlers import declaration_parsers as dp
from handlers import declaration_steps as ds
from handlers import declaration_store as dst
from handlers.answers import AnswerKey
from handlers.context import Context
from handlers.declaration_ask import (
    BACK,
    EDIT,
    PREFIX,
    RETELL,
    SHOW_SUMMARY,
    SUBMIT,
    SUBMIT_WORDS,
    UNDERSTOOD,
    UNDERSTOOD_EDIT,
    UNDERSTOOD_OK,
    advance,
    ask_again,
    ask_step,
    ask_summary,
    ask_understood,
    ask_which_answer,
    edit_page,
    files_of,
    summary_text,
    typed_edit,
)
from handlers.declaration_identity import Reading
from handlers.declaration_read import typed_option
from handlers.declaration_save import put
from handlers.declaration_store import answers, local_today
from handlers.errors import ServiceUnavailable
from handlers.receipt import receipt_text
from handlers.typed import asks, is_unknown, looks_like_question, plain, yes_no

EDIT_WORDS = {"ubah", "ganti", "edit", "koreksi", "ralat", "perbaiki", "ubah jawaban", "salah"}


async def back(ctx: Context) -> None:
    """Goes back one question, keeping the earlier answer as the default."""
    a = answers(ctx)
    edit = ctx.session.data.get("edit")
    if edit == "understood" or ctx.session.state == "understood":
        await retell(ctx)
        return
    if edit:
        ctx.session.data.pop("files_edit", None)
        ask_summary(ctx)
        return
    if not ctx.session.history:
        if a.get("story"):
            ask_understood(ctx)
        else:
            ask_again(ctx)
        return
    previous = ctx.session.history.pop()
    if previous == "attachments":
        ctx.session.data["files"] = list(a.pop("attachments", []) or files_of(ctx))
    if previous in a:
        ctx.session.data["keep"] = previous
    ask_step(ctx, ds.BY_KEY[previous])


async def retell(ctx: Context) -> None:
    """Forgets what the story gave and asks for it again."""
    a = answers(ctx)
    keys: tuple[AnswerKey, ...] = ("story", "chronology", "value_ok", "date_ok", "occasion_other")
    told: list[AnswerKey] = ctx.session.data.pop("story_ids", None) or []
    for key in (*UNDERSTOOD, *keys, *told):
        a.pop(key, None)
    ctx.session.data.pop("story_meta", None)
    ask_step(ctx, ds.BY_KEY["story"])


async def answer_understood(ctx: Context) -> None:
    """Confirms what the story gave, opens one item for a change, or takes a typed fix."""
    choice = ctx.choice or ""
    a = answers(ctx)
    if choice.startswith(f"{PREFIX}edit:") and choice[len(PREFIX) + 5 :] in ds.BY_KEY:
        await open_edit(ctx, ds.BY_KEY[choice[len(PREFIX) + 5 :]], "understood")
        return
    page = edit_page(ctx)
    if page is not None:
        ask_which_answer(ctx, "understood", page)
        return
    if choice == UNDERSTOOD_OK.id or (not choice and yes_no(ctx.text) == "ya"):
        if "value_rp" in a:
            a["value_ok"] = True  # shown in words above and confirmed
        if "received_date" in a:
            await dst.store_date_ok(ctx, "ya")
        ctx.session.data.pop("story_meta", None)
        advance(ctx, None)
        return
    if choice == UNDERSTOOD_EDIT.id or (not choice and plain(ctx.text) in EDIT_WORDS | {"bukan"}):
        ask_which_answer(ctx, "understood")
        return
    if choice == RETELL.id:
        await retell(ctx)
        return
    if choice == "lapor:understood:show":
        ask_understood(ctx)
        return
    if ctx.text:
        await typed_fix(ctx)
        return
    ask_understood(ctx)


async def typed_fix(ctx: Context) -> None:
    """A correction typed at the show-back: "nilainya 2 juta", "tanggalnya 20 nov"."""
    named = typed_edit(ctx, "understood-any", ctx.text)
    if named is not None and len(plain(ctx.text).split()) <= 2:
        await open_edit(ctx, named, "understood")
        return
    if asks(ctx.text):
        await declaration_help.answer(ctx, ds.BY_KEY["story"], ds.BY_KEY)
        ask_understood(ctx)
        return
    target = named_field(ctx.text)
    read: Reading | dp.Invalid | str | None = None
    if target is not None and target.parser is not None:
        read = target.parser(ctx, ctx.text)
    elif target is not None:
        read = typed_option(ctx, target, target.options(answers(ctx)) if target.options else {})
    found = read if isinstance(read, Reading) else None
    if found is None:
        story = ds.BY_KEY["story"].parser
        told = story(ctx, ctx.text) if story is not None else None
        found = told if isinstance(told, Reading) else None
        if found is not None:
            for key in ("story", "chronology", "report_type"):
                found.values.pop(key, None)
    if (not found or not found.values) and is_unknown(ctx.text):
        # "ga tau namanya": what the story did not say is asked later, "tidak tahu" allowed.
        ctx.say(
            "Baik. Yang belum ada akan saya tanyakan setelah ini; di sana Anda boleh "
            "menjawab tidak tahu."
        )
        ask_understood(ctx)
        return
    if not found or not found.values:
        identity = dp.own_identity(ctx.text, local_today(ctx))
        if identity:
            # "NIK: 3201...", "hp sy 0812..." typed at the show-back: the reporter's own data,
            # kept for its questions and shown back in the list.
            found = Reading(dict(identity))
            kept = ctx.session.data.get("story_ids") or []
            ctx.session.data["story_ids"] = list(dict.fromkeys([*kept, *identity]))
    if not found or not found.values:
        ctx.say("Maaf, koreksi itu belum saya pahami. Tekan Ubah untuk memilih yang ingin diubah.")
        ask_understood(ctx)
        return
    for key, value in found.values.items():
        own = ds.BY_KEY.get(key)
        if own is not None:
            await own.store(ctx, value)
        else:
            put(answers(ctx), key, value)
    ask_understood(ctx)


def named_field(text: str) -> ds.Step | None:
    """The step a correction names by one of its topic words ("nilainya", "tanggalnya")."""
    words = plain(text).split()
    head = " ".join(words[:2])
    for step in ds.STEPS:
        if step.key in UNDERSTOOD and any(
            head.startswith(plain(topic)) or words[:1] == plain(topic).split()[:1]
            for topic in step.topics
        ):
            return step
    return None


async def answer_summary(ctx: Context) -> None:
    """Submits the declaration, or opens one answer for a change."""
    choice = ctx.choice or ""
    if choice.startswith(f"{PREFIX}edit:") and choice[len(PREFIX) + 5 :] in ds.BY_KEY:
        await open_edit(ctx, ds.BY_KEY[choice[len(PREFIX) + 5 :]], "summary")
        return
    page = edit_page(ctx)
    if page is not None:
        ask_which_answer(ctx, "summary", page)
        return
    said = plain(ctx.text) if not choice else ""
    yes = bool(said) and yes_no(ctx.text) == "ya"
    if yes and said not in SUBMIT_WORDS and await _worded_change(ctx):
        # "iya rahasiakan" when the summary says "Tidak": a change, not a yes to submit.
        ask_summary(ctx)
        return
    if choice == SUBMIT.id or said in SUBMIT_WORDS or yes:
        await submit(ctx)
        return
    if choice == EDIT.id or said in EDIT_WORDS:
        ask_which_answer(ctx, "summary")
        return
    if choice == SHOW_SUMMARY.id:
        ask_summary(ctx)
        return
    named = typed_edit(ctx, "summary", ctx.text) if ctx.text and not choice else None
    if named is not None:
        await open_edit(ctx, named, "summary")
        return
    if ctx.text and (asks(ctx.text) or looks_like_question(ctx.text)):
        await declaration_help.answer(ctx, ds.BY_KEY["attachments"], {})
        ask_summary(ctx)
        return
    if said and await _worded_change(ctx):
        # "ya tp identitas sy dirahasiakan aja": the change said in the question's words.
        ask_summary(ctx)
        return
    ctx.session.state = "summary"
    ctx.ask(
        'Mohon tekan "Benar, kirim" bila sudah benar, atau "Ubah jawaban".\n\n' + summary_text(ctx),
        (SUBMIT, EDIT, BACK),
        free_text=False,
    )


async def _worded_change(ctx: Context) -> bool:
    """Stores the button answers the text gives in their own words that differ from the
    summary's ("iya rahasiakan", "mau ditebus"), says what changed; False when none does."""
    a = answers(ctx)
    changed: list[ds.Step] = []
    for key, code in dp.worded_answers(ctx.text).items():
        step = ds.BY_KEY[key]
        if a.get(key) != code and step.when(a):
            await step.store(ctx, code)
            changed.append(step)
    if changed:
        ctx.say("Baik, saya ubah: " + ", ".join(s.label for s in changed) + ".")
    return bool(changed)


async def open_edit(ctx: Context, step: ds.Step, where: str) -> None:
    """Asks one answer again; storing it returns to the summary or the show-back."""
    ctx.session.data["edit"] = where
    if step.key == "attachments":
        ctx.session.data["files"] = list(answers(ctx).get("attachments") or [])
    ask_step(ctx, step)


async def submit(ctx: Context) -> None:
    """Stores the declaration once, with the statement of truth, and replies with the receipt."""
    ports = ctx.services.declarations
    if ports is None:
        raise ServiceUnavailable("no declaration store")
    a = answers(ctx)
    a["declared_true"] = ctx.now.isoformat(timespec="seconds")
    draft_id = str(ctx.session.data["id"])
    receipt = await ports.submit(
        user_key=ctx.user_key,
        channel=ctx.incoming.channel,
        chat_id=ctx.incoming.chat_id,
        idempotency_key=draft_id,
        draft=a,
        submitted_at=ctx.now,
    )
    ctx.session.reset_flow()
    ctx.session.memo["last_receipt"] = {"id": draft_id, "number": receipt.number}
    ctx.say(receipt_text(receipt, ctx.services.policy))
    # The signed PDF receipt is one press away (handlers/tanda_terima.py).
    ctx.ask(texts.MENU_AGAIN, (tanda_terima.offer(receipt.number), *menu.MENU))
