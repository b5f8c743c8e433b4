"""The "Lapor gratifikasi" flow: a story first, then only what is missing, summary, "Kirim".

The engine walks the step table (handlers/declaration_steps.py). A reply is read with the
step's parser or its buttons' synonyms; every field it gives is stored (a story fills many,
"Nama ..., NIK ..." fills several); a question typed instead is answered and the same step
asked again. Nothing typed is lost: a photo sent early waits for the attachments step, a draft
put aside comes back with /lapor, "Kembali" keeps the earlier answer as the default.

Session layout (JSON, small): data = {"id": draft id, "t": last touched (ISO), "a": answers
(handlers/answers.py), "edit": "summary" or "understood" while changing one answer from
there, "files": attachments received so far, "profile": the saved reporter's name, "keep":
the step shown again by "Kembali", "resume_to"/"prefill": where to return and a pending
prefill while asking whether to continue}; state = the step key being asked, "understood"
(the story's show-back), "summary", "resume" (continue or start over?) or "restart" (sure?).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from bot.messages import Choice, choices
from handlers import declaration_help, menu, parsing
from handlers import declaration_steps as ds
from handlers.answers import IDENTITY_KEYS, AnswerKey, Answers, FileRef
from handlers.context import Context
from handlers.declaration_identity import Reading
from handlers.errors import ServiceUnavailable
from handlers.flow import Flow
from handlers.ports import AttachmentRejected
from handlers.receipt import receipt_text
from handlers.session import Session
from handlers.typed import (
    asks,
    asks_at_choice,
    is_unknown,
    looks_like_question,
    meant_codes,
    plain,
    typed_skip,
    yes_no,
)

NAME = "lapor"
PREFIX = "lapor:"
BACK = Choice("lapor:back", "Kembali")
SKIP = Choice("lapor:skip", "Lewati")
UNKNOWN = Choice("lapor:unknown", "Tidak tahu")
KEEP = Choice("lapor:keep", "Pakai jawaban tadi")
STEP_BY_STEP = Choice("lapor:steps", "Isi per langkah")
DONE_FILES = Choice("lapor:files_done", "Selesai")
SUBMIT = Choice("lapor:submit", "Benar, kirim")
EDIT = Choice("lapor:edit", "Ubah jawaban")
SHOW_SUMMARY = Choice("lapor:summary", "Lihat ringkasan")
UNDERSTOOD_OK = Choice("lapor:understood:ok", "Benar, lanjut")
UNDERSTOOD_EDIT = Choice("lapor:understood:edit", "Ubah")
RETELL = Choice("lapor:understood:retell", "Ceritakan ulang")
QUICK = "lapor:quick:"  # a button that types a common answer ("Kemarin")
RESUME = choices(("lapor:resume", "Lanjutkan draf"), ("lapor:restart", "Mulai baru"))
RESTART = choices(("lapor:restart:ya", "Ya, mulai baru"), ("lapor:resume", "Tidak, lanjutkan draf"))
MAX_FILES = 10
PREFILL_KEYS = ("giver_relation", "occasion", "object_type", "value_rp", "received_date")
# What the story's show-back lists, in this order (the identity comes from a saved profile).
UNDERSTOOD: tuple[AnswerKey, ...] = (
    "report_type",
    "giver_name",
    "giver_position",
    "giver_institution",
    "giver_relation",
    "occasion",
    "reason",
    "object_type",
    "description",
    "value_rp",
    "received_date",
    "received_place",
    "object_location",
)
SUBMIT_WORDS = {"kirim", "kirim laporan", "kirimkan", "kirim sekarang", "ya kirim", "submit"}
SUBMIT_WORDS |= {"benar kirim", "sudah benar", "udah bener", "sudah betul", "udah benar", "lanjut"}
EDIT_WORDS = {"ubah", "ganti", "edit", "koreksi", "ralat", "perbaiki", "ubah jawaban", "salah"}
RESTART_WORDS = {"baru", "mulai baru", "ulang", "dari awal", "mulai dari awal", "buat baru"}
RESUME_WORDS = {"lanjut", "lanjutkan", "lanjutkan saja", "lanjutkan draf", "teruskan", "terus"}
DRAFT_WAITING = "Anda masih punya draf laporan yang belum selesai."
STORY_UNCLEAR = "Ceritanya belum saya pahami."

# --- helpers ---------------------------------------------------------------------------------


def _answers(ctx: Context) -> Answers:
    return ds.answers(ctx)


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ctx.services.policy.timezone).date()


def _touch(ctx: Context) -> None:
    ctx.session.data["t"] = ctx.now.isoformat(timespec="seconds")


def _expired(ctx: Context) -> bool:
    touched = ctx.session.data.get("t")
    if not touched:
        return False
    try:
        last = datetime.fromisoformat(touched)
    except ValueError:
        return True
    return ctx.now - last > timedelta(days=ctx.services.policy.draft_ttl_days)


def has_draft(session: Session) -> bool:
    """Whether cancelling would throw away answers the reporter typed."""
    if session.flow != NAME:
        return False
    copied = IDENTITY_KEYS if session.data.get("profile") else ()
    typed = [k for k in session.data.get("a", {}) if k not in ("consent", *copied)]
    return bool(typed) or bool(session.data.get("files"))


async def _drop_draft(ctx: Context) -> bool:
    ports = ctx.services.declarations
    return await ports.drop_draft(ctx.user_key) if ports is not None else False


def _files(ctx: Context) -> list[FileRef]:
    return cast(list[FileRef], ctx.session.data.setdefault("files", []))


def _put(a: Answers, key: AnswerKey, value: Any) -> None:
    a[key] = value


# --- asking ----------------------------------------------------------------------------------


def _progress(step: ds.Step, a: Answers) -> str:
    steps = ds.counted(a)
    if step not in steps:
        return ""
    done = sum(1 for s in steps if s.key in a and s.key != step.key)
    return f"Langkah {done + 1}/{len(steps)}\n"


def _prompt(ctx: Context, step: ds.Step) -> str:
    return step.prompt(ctx) if callable(step.prompt) else step.prompt


def _ask_step(ctx: Context, step: ds.Step, problem: str = "") -> None:
    """Asks one question; with `problem`, what was wrong comes first in the same message."""
    a = _answers(ctx)
    ctx.session.state = step.key
    text = _progress(step, a) + _prompt(ctx, step)
    if problem:
        text = f"{problem}\n\n{text}"
    text = _with_note(ctx, text)
    buttons: list[Choice] = []
    if step.options is not None:
        buttons += [
            Choice(f"{PREFIX}{step.key}:{code}", lbl)
            for code, lbl in step.options(a).items()
            if not step.buttons or code in step.buttons
        ]
    if step.key == "story":
        buttons.append(STEP_BY_STEP)
    offer = ctx.session.data.pop("offer", None)
    quick = (str(offer), *step.quick) if offer and step.key == "received_date" else step.quick
    buttons += [Choice(f"{QUICK}{typed}", typed) for typed in quick]
    files = _files(ctx) if step.key == "attachments" else []
    if files:
        text += f"\nBerkas diterima: {len(files)}. Kirim berkas lain, atau tekan Selesai."
        buttons.append(DONE_FILES)
    earlier = ctx.session.data.get("keep") == step.key or ctx.session.data.get("edit")
    if earlier and step.key in a and step.key != "attachments":
        text += f"\n(Jawaban saat ini: {ds.shown(step, a)})"
        if ctx.session.data.get("keep") == step.key:
            buttons.append(KEEP)
    if step.unknown:
        buttons.append(UNKNOWN)
    if step.optional and not files:
        buttons.append(SKIP)
    if ctx.session.history or ctx.session.data.get("edit"):
        buttons.append(BACK)
    ctx.ask(text, tuple(buttons), free_text=step.parser is not None or step.other is not None)


def _with_note(ctx: Context, text: str) -> str:
    """The next message with what the last one gave shown back above it (one message)."""
    note = ctx.session.data.pop("note", None)
    return f"{note}\n\n{text}" if note else text


def _summary_text(ctx: Context) -> str:
    a = _answers(ctx)
    lines = ["Ringkasan laporan Anda:"]
    lines += [f"• {step.label}: {ds.shown(step, a)}" for step in ds.counted(a)]
    if a.get("compensation"):
        lines.append(f"({ds.COMPENSATION_WARNING})")
    lines += [
        "",
        "Periksa kembali. Dengan menekan Benar, kirim, Anda menyatakan isi laporan ini benar.",
        "Ada yang salah? Tekan Ubah jawaban.",
    ]
    return "\n".join(lines)


def _ask_summary(ctx: Context) -> None:
    # Three buttons, not one per answer: they fit WhatsApp's reply buttons and a phone screen.
    ctx.session.state = "summary"
    ctx.session.data.pop("edit", None)
    ctx.session.data.pop("keep", None)
    ctx.ask(_with_note(ctx, _summary_text(ctx)), (SUBMIT, EDIT, BACK), free_text=False)


def _understood_text(ctx: Context) -> str:
    a = _answers(ctx)
    meta = ctx.session.data.get("story_meta") or {}
    lines = ["Yang saya tangkap dari cerita Anda:"]
    for key in UNDERSTOOD:
        step = ds.BY_KEY[key]
        if key not in a or not step.when(a):
            continue
        shown = ds.shown(step, a)
        if key == "value_rp":
            shown += f" ({parsing.terbilang(int(a['value_rp']))} rupiah)"
        if key == "received_date" and ctx.session.data.get("date_guessed"):
            shown += " (tahun lalu; tanggal itu tahun ini belum lewat)"
        lines.append(f"• {step.label}: {shown}")
    if ctx.session.data.get("profile"):
        lines.append(f"• Data pelapor: {ctx.session.data['profile']} (dari laporan sebelumnya)")
    notes = []
    if meta.get("date_future"):
        notes.append("Tanggal di cerita belum lewat, jadi tanggalnya saya tanyakan lagi.")
    if meta.get("foreign"):
        notes.append(f"Nilai {meta['foreign']} akan saya tanyakan dalam rupiah.")
    lines += ["", *notes] if notes else [""]
    lines.append("Sudah benar? Yang belum ada akan saya tanyakan.")
    lines.append('Ada yang salah? Tekan Ubah, atau ketik koreksinya, misalnya "nilainya 2 juta".')
    return "\n".join(lines)


def _ask_understood(ctx: Context) -> None:
    ctx.session.state = "understood"
    ctx.session.data.pop("edit", None)
    ctx.ask(_understood_text(ctx), (UNDERSTOOD_OK, UNDERSTOOD_EDIT, RETELL), free_text=True)


def _editable(ctx: Context, where: str) -> list[ds.Step]:
    a = _answers(ctx)
    if where == "understood":
        keys = [k for k in UNDERSTOOD if k in a and ds.BY_KEY[k].when(a)]
        return [ds.BY_KEY[k] for k in keys]
    return ds.counted(a)


def _ask_which_answer(ctx: Context, where: str) -> None:
    """Lists the answers that can be changed (the state stays the summary or the show-back)."""
    edits = [Choice(f"{PREFIX}edit:{step.key}", step.label) for step in _editable(ctx, where)]
    back = SHOW_SUMMARY if where == "summary" else Choice("lapor:understood:show", "Kembali")
    # No free text: a typed number picks an answer; a typed name ("nilai") works as well.
    ctx.ask(
        'Jawaban mana yang ingin diubah? Pilih, atau ketik namanya, misalnya "tanggal".',
        (*edits, back),
        free_text=False,
    )


def _typed_edit(ctx: Context, where: str, text: str) -> ds.Step | None:
    """The one answer named in typed text ("ubah nilai", "tanggal")."""
    typed = plain(text)
    for verb in ("ubah ", "ganti ", "edit ", "koreksi ", "ralat "):
        typed = typed.removeprefix(verb)
    if len(typed) < 3:
        return None
    steps = _editable(ctx, where)
    exact = [step for step in steps if plain(step.label) == typed]
    found = exact or [step for step in steps if typed in plain(step.label)]
    if not found:
        found = [s for s in steps if any(plain(t) == typed for t in s.topics)]
    return found[0] if len(found) == 1 else None


def _advance(ctx: Context, current: str | None) -> None:
    """Asks the next question that has no answer yet, or shows the summary."""
    a = _answers(ctx)
    step = ds.first_missing(a)
    pushable = current in ds.BY_KEY and ds.BY_KEY[current].counted
    if pushable and not ctx.session.data.get("edit") and ctx.session.history[-1:] != [current]:
        ctx.session.history.append(str(current))
    if ctx.session.data.get("keep") != (step.key if step else None):
        ctx.session.data.pop("keep", None)
    if step is None:
        _ask_summary(ctx)
        return
    _ask_step(ctx, step)


# --- flow entry points -----------------------------------------------------------------------


def _expired_text(ctx: Context) -> str:
    days = ctx.services.policy.draft_ttl_days
    return f"Draf laporan Anda sudah lebih dari {days} hari tidak dilanjutkan, jadi sudah dihapus."


async def _expire(ctx: Context) -> None:
    await _drop_draft(ctx)
    ctx.session.reset_flow()
    await menu.show_menu(ctx, _expired_text(ctx) + "\nSilakan mulai laporan baru dari menu.")


async def start(ctx: Context) -> None:
    """Starts a declaration, or offers to continue the unfinished one (also a parked one)."""
    prefill = ctx.session.memo.pop("lapor_prefill", None)
    if ctx.session.flow not in (None, NAME) and ctx.session.memo.get("parked"):
        # /lapor in the middle of /cek or /jawab: that flow ends, the parked draft comes back.
        ctx.session.reset_flow()
    ctx.session.unpark(NAME)
    if ctx.session.flow == NAME and has_draft(ctx.session):
        if _expired(ctx):
            await _drop_draft(ctx)
            ctx.say(_expired_text(ctx))
            await _fresh(ctx, prefill)
            return
        if prefill is not None:
            ctx.session.data["prefill"] = prefill  # used if the reporter starts over
        if ctx.session.state not in ("resume", "restart"):
            ctx.session.data["resume_to"] = ctx.session.state
        ctx.session.state = "resume"
        ctx.ask(DRAFT_WAITING, RESUME, free_text=False)
        return
    await _fresh(ctx, prefill, lost_draft_note=ctx.session.flow != NAME)


async def _fresh(ctx: Context, prefill: Any, *, lost_draft_note: bool = False) -> None:
    """Begins an empty declaration (prefilled from "Cek wajib lapor" when given)."""
    existed = await _drop_draft(ctx)
    if existed and lost_draft_note:
        # Only a draft whose session is gone (Redis lost it) gets here: a parked one is
        # offered back above, so this sentence is true when it is said.
        ctx.say("Draf laporan Anda sebelumnya tidak dapat kami temukan lagi, jadi kita mulai baru.")
    ctx.session.reset_flow()
    ctx.session.flow = NAME
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")
    ctx.session.data = {"id": uuid.uuid4().hex, "a": {}}
    _touch(ctx)
    a = _answers(ctx)
    ports = ctx.services.declarations
    if isinstance(prefill, dict):
        _apply_prefill(a, prefill, _today(ctx))
        if "received_date" in a and ports is not None:
            await ports.track_draft(
                user_key=ctx.user_key,
                channel=ctx.incoming.channel,
                chat_id=ctx.incoming.chat_id,
                received_date=date.fromisoformat(a["received_date"]),
            )
    consent = ctx.session.memo.get("consent_at")
    profile = await ports.load_profile(ctx.user_key) if ports is not None else None
    if profile:
        # A returning reporter: the saved identity is used and shown back, not asked again.
        for key in IDENTITY_KEYS:
            if profile.get(key) or key in ("nip", "email"):
                _put(a, key, profile.get(key) or None)
        ctx.session.data["profile"] = str(profile.get("name") or "-")
        consent = consent or profile.get("consent_at")
    if consent:
        a["consent"] = consent
        ctx.session.memo["consent_at"] = consent
    ctx.say("Baik, kita buat laporan gratifikasi. Ketik /batal kapan saja untuk membatalkan.")
    _advance(ctx, None)


def _apply_prefill(a: Answers, prefill: dict[str, Any], today: date) -> None:
    """Takes the answers the check already has; anything odd is simply asked again."""
    for key in PREFILL_KEYS:
        value = prefill.get(key)
        if key == "value_rp":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                a["value_rp"], a["value_ok"] = value, True
        elif key == "received_date":
            try:
                received = date.fromisoformat(str(value))
            except ValueError:
                continue
            if received <= today:
                a["received_date"], a["date_ok"] = received.isoformat(), True
        elif isinstance(value, str) and value in _codes(key):
            _put(a, cast(AnswerKey, key), value)


def _codes(key: str) -> dict[str, str]:
    options = ds.BY_KEY[key].options
    return options({}) if options is not None else {}


async def resume(ctx: Context) -> None:
    """Asks the current question again (after a FAQ answer, a stale button, ...)."""
    if _expired(ctx):
        await _expire(ctx)
        return
    state = ctx.session.state
    if state == "summary":
        _ask_summary(ctx)
    elif state == "understood":
        _ask_understood(ctx)
    elif state == "resume":
        ctx.ask(DRAFT_WAITING, RESUME, free_text=False)
    elif state == "restart":
        _ask_restart(ctx)
    elif state in ds.BY_KEY:
        _ask_step(ctx, ds.BY_KEY[state])
    else:
        _advance(ctx, None)


async def cancel(ctx: Context) -> None:
    """Forgets the tracked draft when the reporter cancels."""
    await _drop_draft(ctx)


async def handle(ctx: Context) -> None:
    """Takes the reporter's reply to the current question."""
    if _expired(ctx):
        await _expire(ctx)
        return
    _touch(ctx)
    state = ctx.session.state or ""
    choice = ctx.choice or ""
    if choice == "menu:lapor":
        await start(ctx)
        return
    if choice.startswith("menu:"):
        ctx.say("Anda sedang mengisi laporan. Mari kita lanjutkan, atau ketik /batal.")
        await resume(ctx)
        return
    if state == "resume":
        await _answer_resume(ctx)
        return
    if state == "restart":
        await _answer_restart(ctx)
        return
    if ctx.incoming.attachments and state != "attachments":
        await _keep_files(ctx)
        if not ctx.text:
            await resume(ctx)
            return
    if choice == BACK.id:
        await _back(ctx)
        return
    if state == "understood":
        await _answer_understood(ctx)
        return
    if state == "summary":
        await _answer_summary(ctx)
        return
    step = ds.BY_KEY.get(state)
    if step is None:
        _advance(ctx, None)
        return
    await _answer_step(ctx, step)


async def _answer_step(ctx: Context, step: ds.Step) -> None:
    """Reads the reply to a step: buttons, "Lewati", "Tidak tahu", a question or an answer."""
    choice = ctx.choice or ""
    if step.key == "attachments":
        await _answer_attachments(ctx, step)
        return
    if choice == KEEP.id and step.key in _answers(ctx):
        ctx.session.data.pop("keep", None)
        await _after_store(ctx, step, None)
        return
    if step.key == "story" and (choice == STEP_BY_STEP.id or _wants_steps(ctx.text)):
        await _store(ctx, step, Reading({"story": False}))
        return
    if step.optional and (choice == SKIP.id or typed_skip(ctx.text)):
        await _store(ctx, step, Reading({step.key: None}))
        return
    if step.unknown and (choice == UNKNOWN.id or (ctx.text and is_unknown(ctx.text))):
        await _store(ctx, step, Reading({step.key: None}))
        return
    if not step.unknown and step.help and ctx.text and is_unknown(ctx.text):
        # "gak tau" where an answer is needed: how to answer anyway (an estimate, ...).
        ctx.say(step.help)
        _ask_step(ctx, step)
        return
    read = _read(ctx, step)
    if read == "question":
        await declaration_help.answer(ctx, step, ds.BY_KEY)
        _ask_step(ctx, step)
        return
    if step.key == "value_ok" and read is None and ctx.text:
        # "Rp750.000, benar?" answered with the right amount instead of "Bukan".
        value = ds.BY_KEY["value_rp"].parser
        retyped = value(ctx, ctx.text) if value is not None else None
        if isinstance(retyped, Reading):
            await _store(ctx, ds.BY_KEY["value_rp"], retyped)
            return
    if step.key == "date_ok" and read is None and ctx.text:
        date_parser = ds.BY_KEY["received_date"].parser
        found = date_parser(ctx, ctx.text) if date_parser is not None else None
        if isinstance(found, Reading | ds.Invalid):
            await _retyped_date(ctx, found)
            return
    if step.key == "story" and isinstance(read, Reading) and not _story_has_content(read, ctx):
        # "saya mau lapor", a stray word: not a story, and no reason to switch to steps.
        _invalid(ctx, step, ds.Invalid(STORY_UNCLEAR))
        return
    if not isinstance(read, Reading):
        _invalid(ctx, step, read if isinstance(read, ds.Invalid) else None)
        return
    await _store(ctx, step, read)


async def _retyped_date(ctx: Context, found: Reading | ds.Invalid) -> None:
    if isinstance(found, ds.Invalid):
        _invalid(ctx, ds.BY_KEY["received_date"], found)
        return
    await _store(ctx, ds.BY_KEY["received_date"], found)


STEP_WORDS: tuple[str, ...] = ("per langkah", "satu per satu", "satu satu", "langkah demi langkah")
STEP_WORDS += ("ditanya",)
STEP_WORDS += ("step by step", "tanya saja", "tanyakan saja", "tanya aja", "pertanyaan")


def _wants_steps(text: str) -> bool:
    """ "Isi per langkah", "satu per satu saja", "ditanya aja": no story, questions instead."""
    said = f" {plain(text)} "
    return len(said.split()) <= 6 and any(f" {w} " in said for w in STEP_WORDS)


def _story_has_content(read: Reading, ctx: Context) -> bool:
    """A story worth keeping: some field read from it, or a real account (eight words)."""
    fields = [k for k in read.values if k not in ("story", "chronology")]
    return bool(fields) or len(plain(ctx.text).split()) >= 8


def _read(ctx: Context, step: ds.Step) -> Reading | ds.Invalid | str | None:
    """The step's answer from a pressed button or typed text, "question", Invalid or None."""
    choice = ctx.choice or ""
    if step.options is not None:
        options = step.options(_answers(ctx))
        prefix = f"{PREFIX}{step.key}:"
        if choice.startswith(prefix) and choice[len(prefix) :] in options:
            return Reading({step.key: choice[len(prefix) :]})
        return _typed_option(ctx, step, options)
    typed = choice[len(QUICK) :] if choice.startswith(QUICK) else ctx.text
    if step.parser is None or not typed:
        return None
    validated = step.key in ("nik", "nip", "phone", "email", "value_rp", "received_date")
    if not validated and asks(typed, long_answer=step.long_answer):
        return "question"
    found = step.parser(ctx, typed)
    if validated and _asked_anyway(typed, found, step):
        return "question"
    if isinstance(found, Reading) and step.key not in found.values and step.key in found.problems:
        return found  # the engine asks this step again with the problem
    return found


def _asked_anyway(text: str, found: Reading | ds.Invalid | None, step: ds.Step) -> bool:
    """A question typed at a validated step ("apakah alamat saya aman?" at the NIP step)."""
    if isinstance(found, Reading) and step.key in found.values:
        # An answer with a question mark ("kemarin?") is still the answer; a real question
        # around a value ("kalau 500rb wajib lapor?") is a question.
        return len(plain(text).split()) >= 3 and asks(text)
    return asks(text) or looks_like_question(text)


def _typed_option(
    ctx: Context, step: ds.Step, options: dict[str, str]
) -> Reading | ds.Invalid | str | None:
    """A typed answer to a choice: a code, a label, a synonym, "iya"/"nggak", or other text."""
    text = ctx.text
    typed = " ".join(text.casefold().split())
    if not typed:
        return None
    for code, label in options.items():
        if typed in (code, label.casefold()):
            return Reading({step.key: code})
    if asks_at_choice(text):
        return "question"
    if step.yes_no:
        said = yes_no(text, step.words)
        if said in options:
            return Reading({step.key: said})
        return "question" if looks_like_question(text) else None
    if step.words is not None:
        codes = meant_codes(text, step.words, options)
        if len(codes) == 1:
            code = codes.pop()
            return _with_other(step, code, text, Reading({step.key: code}))
        if len(codes) > 1:
            names = " atau ".join(options[c] for c in sorted(codes, key=list(options).index))
            return ds.Invalid(f"Maksud Anda {names}? Mohon pilih salah satu.")
    if len(typed) >= 3:
        found = [code for code, label in options.items() if typed in label.casefold()]
        if len(found) == 1:
            return Reading({step.key: found[0]})
    if asks(text):
        return "question"
    if step.other is not None and "lainnya" in options and _other_text(ctx, step, text):
        # An occasion or object outside the list: "Lainnya", with what was typed kept.
        reading = Reading({step.key: "lainnya"})
        reading.values[step.other] = " ".join(text.split())[:200]
        return reading
    return None


def _other_text(ctx: Context, step: ds.Step, text: str) -> bool:
    """Text that can stand for "Lainnya": words, and no answer meant for another button
    question ("dititipkan ke UPPG" typed where the object type is asked)."""
    if sum(c.isalpha() for c in text) < 3 or yes_no(text) is not None or typed_skip(text):
        return False
    if (
        parsing.read_date(text, _today(ctx))
        or parsing.find_money(text)
        or parsing.find_numbers(text)
    ):
        return False  # a date, an amount or a number: an answer to another question
    others = (s for s in ds.STEPS if s.words is not None and s is not step and not s.yes_no)
    return not any(
        meant_codes(text, s.words or {}, s.options({}) if s.options else {})
        for s in others
        if s.key != "report_type"
    )


def _with_other(step: ds.Step, code: str, text: str, reading: Reading) -> Reading:
    if code == "lainnya" and step.other is not None and plain(text) not in ("lainnya", "lain"):
        reading.values[step.other] = " ".join(text.split())[:200]
    return reading


def _invalid(ctx: Context, step: ds.Step, value: ds.Invalid | None) -> None:
    """Explains what is wrong, with an example, and asks again: one message."""
    if step.options is not None and not isinstance(value, ds.Invalid):
        examples = _option_examples(step)
        message = f"Mohon pilih salah satu tombol di bawah{examples}."
    else:
        reason = value.message if isinstance(value, ds.Invalid) else "Maaf, belum bisa saya baca."
        message = f"{reason}\n{step.error}".strip()
    _ask_step(ctx, step, problem=message)


def _option_examples(step: ds.Step) -> str:
    if step.yes_no:
        return ', atau ketik "ya" atau "tidak"'
    if step.words:
        samples = [words[0] for code, words in step.words.items() if code and words][:2]
        if samples:
            return ', atau ketik misalnya "' + '" atau "'.join(samples) + '"'
    return ""


async def _store(ctx: Context, step: ds.Step, reading: Reading) -> None:
    """Stores every field of a reading through its step's function, then moves on."""
    a = _answers(ctx)
    target: str | None = None
    stored: list[AnswerKey] = []
    for key, value in reading.values.items():
        own = ds.BY_KEY.get(key)
        if own is None:
            _put(a, key, value)
            continue
        result = await own.store(ctx, value)
        stored.append(key)
        if key == step.key:
            target = result
    if target == ds.END:
        await _end_without_consent(ctx)
        return
    if step.key == "story" and a.get("story"):
        _ask_understood(ctx)
        return
    _show_back(ctx, step, [k for k in stored if k != step.key])
    problems = [k for k in ds.BY_KEY if k in reading.problems]
    if problems:
        failed = ds.BY_KEY[problems[0]]
        a.pop(failed.key, None)
        _ask_step(ctx, failed, problem=f"{reading.problems[failed.key]}\n{failed.error}".strip())
        return
    if target in ds.BY_KEY:
        _ask_step(ctx, ds.BY_KEY[target])
        return
    await _after_store(ctx, step, None)


async def _after_store(ctx: Context, step: ds.Step, target: str | None) -> None:
    """After an answer: back to the show-back or the summary when changing one, else onward."""
    edit = ctx.session.data.get("edit")
    if edit == "understood":
        _ask_understood(ctx)
        return
    if edit == "summary":
        pending = ds.first_missing(_answers(ctx))
        if pending is None:
            _ask_summary(ctx)
        else:
            _ask_step(ctx, pending)  # a changed amount or date is confirmed first
        return
    _advance(ctx, step.key)


def _show_back(ctx: Context, step: ds.Step, others: list[AnswerKey]) -> None:
    """Shows what else one message gave ("Nama ..., NIK ..."): nothing is filled unseen."""
    if not others:
        return
    a = _answers(ctx)
    keys = [step.key, *others] if step.key in a else others
    lines = [
        f"• {ds.BY_KEY[k].label}: {ds.shown(ds.BY_KEY[k], a)}"
        for k in dict.fromkeys(keys)
        if k in ds.BY_KEY and ds.BY_KEY[k].counted
    ]
    if lines:
        # Said at the top of the next question, in the same message.
        ctx.session.data["note"] = "Saya catat:\n" + "\n".join(lines)


async def _end_without_consent(ctx: Context) -> None:
    await _drop_draft(ctx)
    ctx.session.reset_flow()
    await menu.show_menu(
        ctx,
        "Baik, kami menghormati keputusan Anda.\n"
        "Tanpa persetujuan, laporan tidak dapat kami simpan. Anda tetap dapat melapor "
        "langsung ke UPPG Inspektorat atau ke KPK (Gratifikasi Online).\n"
        "Ada lagi yang bisa dibantu?",
    )


async def _back(ctx: Context) -> None:
    """Goes back one question, keeping the earlier answer as the default."""
    a = _answers(ctx)
    edit = ctx.session.data.get("edit")
    if edit == "understood" or ctx.session.state == "understood":
        await _retell(ctx)
        return
    if edit:
        ctx.session.data.pop("files_edit", None)
        _ask_summary(ctx)
        return
    if not ctx.session.history:
        if a.get("story"):
            _ask_understood(ctx)
        else:
            await resume(ctx)
        return
    previous = ctx.session.history.pop()
    if previous == "attachments":
        ctx.session.data["files"] = list(a.pop("attachments", []) or _files(ctx))
    if previous in a:
        ctx.session.data["keep"] = previous
    _ask_step(ctx, ds.BY_KEY[previous])


async def _retell(ctx: Context) -> None:
    """Forgets what the story gave and asks for it again."""
    a = _answers(ctx)
    keys: tuple[AnswerKey, ...] = ("story", "chronology", "value_ok", "date_ok", "occasion_other")
    for key in (*UNDERSTOOD, *keys):
        a.pop(key, None)
    ctx.session.data.pop("story_meta", None)
    _ask_step(ctx, ds.BY_KEY["story"])


async def _answer_resume(ctx: Context) -> None:
    """Continues the draft where it stopped, or asks before starting a new one."""
    said = plain(ctx.text) if ctx.choice is None else ""
    if said in RESUME_WORDS or said in ("ya", "iya") or yes_no(ctx.text) == "ya":
        ctx.incoming = replace(ctx.incoming, choice="lapor:resume")
    elif said in RESTART_WORDS:
        ctx.incoming = replace(ctx.incoming, choice="lapor:restart")
    if ctx.choice == "lapor:restart":
        _ask_restart(ctx)
        return
    if ctx.choice == "lapor:resume":
        await _continue_draft(ctx)
        return
    ctx.ask(f"Mohon pilih salah satu tombol di bawah.\n{DRAFT_WAITING}", RESUME, free_text=False)


def _ask_restart(ctx: Context) -> None:
    ctx.session.state = "restart"
    ctx.ask(
        "Draf laporan Anda akan dihapus dan kita mulai dari awal. Yakin?", RESTART, free_text=False
    )


async def _answer_restart(ctx: Context) -> None:
    """Starts over only after a clear yes; anything else keeps the draft."""
    said = yes_no(ctx.text) if ctx.choice is None else None
    if ctx.choice == "lapor:restart:ya" or said == "ya":
        prefill = ctx.session.data.get("prefill")
        ctx.session.flow = None
        await _fresh(ctx, prefill)
        return
    if ctx.choice == "lapor:resume" or said == "tidak":
        await _continue_draft(ctx)
        return
    _ask_restart(ctx)


async def _continue_draft(ctx: Context) -> None:
    ctx.session.data.pop("prefill", None)
    ctx.session.state = ctx.session.data.pop("resume_to", None)
    await resume(ctx)


async def _keep_files(ctx: Context) -> None:
    """Stores files sent before the attachments step; they wait there (nothing is lost)."""
    saved = await _save_files(ctx)
    if saved:
        ctx.say(f"Terima kasih, {saved} berkas kami simpan untuk lampiran laporan ini.")


async def _save_files(ctx: Context) -> int:
    store = ctx.services.attachments
    if store is None:
        raise ServiceUnavailable("no attachment store")
    files = _files(ctx)
    saved = 0
    for attachment in ctx.incoming.attachments:
        if len(files) >= MAX_FILES:
            ctx.say(f"Maksimal {MAX_FILES} berkas per laporan.")
            break
        try:
            stored = await store.save(attachment)
        except AttachmentRejected as exc:
            ctx.say(f"Berkas {attachment.name[:60]} tidak dapat diterima: {exc}")
            continue
        if all(f["k"] != stored.key for f in files):
            files.append(
                FileRef(k=stored.key, n=stored.name[:80], m=stored.mime_type, s=stored.size)
            )
            saved += 1
    return saved


async def _answer_attachments(ctx: Context, step: ds.Step) -> None:
    """Collects photos and documents until "Selesai" or "Lewati"."""
    files = _files(ctx)
    choice = ctx.choice or ""
    said = plain(ctx.text)
    if not ctx.incoming.attachments and not choice and ctx.text:
        finished = typed_skip(ctx.text) or said in FILES_DONE_WORDS
        if finished or yes_no(ctx.text) == "tidak" or _no_files(said):
            choice = DONE_FILES.id if files else SKIP.id
        elif files and (said in SUBMIT_WORDS or yes_no(ctx.text) == "ya"):
            choice = DONE_FILES.id  # "ok", "kirim" after sending photos: that is all
    if choice in (DONE_FILES.id, SKIP.id):
        kept = list(files) if choice == DONE_FILES.id else []
        ctx.session.data.pop("files", None)
        await _store(ctx, step, Reading({"attachments": kept}))
        return
    if not ctx.incoming.attachments:
        if ctx.text and asks(ctx.text):
            await declaration_help.answer(ctx, step, ds.BY_KEY)
            _ask_step(ctx, step)
            return
        _invalid(ctx, step, None)
        return
    await _save_files(ctx)
    _ask_step(ctx, step)


FILES_DONE_WORDS = {"sudah", "udah", "sdh", "cukup", "itu saja", "itu aja", "done", "beres"}


def _no_files(said: str) -> bool:
    """ "tidak ada fotonya", "gak ada foto", "ga punya foto": nothing to attach."""
    return bool(re.search(r"\b(?:tidak|tdk|gak|ga|gk|nggak|belum)\s+(?:ada|punya)\b", said))


async def _answer_understood(ctx: Context) -> None:
    """Confirms what the story gave, opens one item for a change, or takes a typed fix."""
    choice = ctx.choice or ""
    a = _answers(ctx)
    if choice.startswith(f"{PREFIX}edit:") and choice[len(PREFIX) + 5 :] in ds.BY_KEY:
        await _open_edit(ctx, ds.BY_KEY[choice[len(PREFIX) + 5 :]], "understood")
        return
    if choice == UNDERSTOOD_OK.id or (not choice and yes_no(ctx.text) == "ya"):
        if "value_rp" in a:
            a["value_ok"] = True  # shown in words above and confirmed
        if "received_date" in a:
            await ds.store_date_ok(ctx, "ya")
        ctx.session.data.pop("story_meta", None)
        _advance(ctx, None)
        return
    if choice == UNDERSTOOD_EDIT.id or (not choice and plain(ctx.text) in EDIT_WORDS | {"bukan"}):
        _ask_which_answer(ctx, "understood")
        return
    if choice == RETELL.id:
        await _retell(ctx)
        return
    if choice == "lapor:understood:show":
        _ask_understood(ctx)
        return
    if ctx.text:
        await _typed_fix(ctx)
        return
    _ask_understood(ctx)


async def _typed_fix(ctx: Context) -> None:
    """A correction typed at the show-back: "nilainya 2 juta", "tanggalnya 20 nov"."""
    named = _typed_edit(ctx, "understood", ctx.text)
    if named is not None and len(plain(ctx.text).split()) <= 2:
        await _open_edit(ctx, named, "understood")
        return
    if asks(ctx.text):
        await declaration_help.answer(ctx, ds.BY_KEY["story"], ds.BY_KEY)
        _ask_understood(ctx)
        return
    target = _named_field(ctx.text)
    read: Reading | ds.Invalid | str | None = None
    if target is not None and target.parser is not None:
        read = target.parser(ctx, ctx.text)
    elif target is not None:
        read = _typed_option(ctx, target, target.options(_answers(ctx)) if target.options else {})
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
        _ask_understood(ctx)
        return
    if not found or not found.values:
        ctx.say("Maaf, koreksi itu belum saya pahami. Tekan Ubah untuk memilih yang ingin diubah.")
        _ask_understood(ctx)
        return
    for key, value in found.values.items():
        own = ds.BY_KEY.get(key)
        if own is not None:
            await own.store(ctx, value)
        else:
            _put(_answers(ctx), key, value)
    _ask_understood(ctx)


def _named_field(text: str) -> ds.Step | None:
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


async def _answer_summary(ctx: Context) -> None:
    """Submits the declaration, or opens one answer for a change."""
    choice = ctx.choice or ""
    if choice.startswith(f"{PREFIX}edit:") and choice[len(PREFIX) + 5 :] in ds.BY_KEY:
        await _open_edit(ctx, ds.BY_KEY[choice[len(PREFIX) + 5 :]], "summary")
        return
    said = plain(ctx.text) if not choice else ""
    if choice == SUBMIT.id or said in SUBMIT_WORDS or (said and yes_no(ctx.text) == "ya"):
        await _submit(ctx)
        return
    if choice == EDIT.id or said in EDIT_WORDS:
        _ask_which_answer(ctx, "summary")
        return
    if choice == SHOW_SUMMARY.id:
        _ask_summary(ctx)
        return
    named = _typed_edit(ctx, "summary", ctx.text) if ctx.text and not choice else None
    if named is not None:
        await _open_edit(ctx, named, "summary")
        return
    if ctx.text and (asks(ctx.text) or looks_like_question(ctx.text)):
        await declaration_help.answer(ctx, ds.BY_KEY["attachments"], {})
        _ask_summary(ctx)
        return
    ctx.session.state = "summary"
    ctx.ask(
        "Mohon tekan Benar, kirim bila sudah benar, atau Ubah jawaban.\n\n" + _summary_text(ctx),
        (SUBMIT, EDIT, BACK),
        free_text=False,
    )


async def _open_edit(ctx: Context, step: ds.Step, where: str) -> None:
    """Asks one answer again; storing it returns to the summary or the show-back."""
    ctx.session.data["edit"] = where
    if step.key == "attachments":
        ctx.session.data["files"] = list(_answers(ctx).get("attachments") or [])
    _ask_step(ctx, step)


async def _submit(ctx: Context) -> None:
    """Stores the declaration once, with the statement of truth, and replies with the receipt."""
    ports = ctx.services.declarations
    if ports is None:
        raise ServiceUnavailable("no declaration store")
    a = _answers(ctx)
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
    await menu.show_menu(ctx)


async def already_sent(ctx: Context) -> None:
    """Answers a second "Kirim" after the declaration went out: same number, no new report."""
    last = ctx.session.memo.get("last_receipt") or {}
    number = last.get("number")
    text = (
        f"Laporan Anda sudah terkirim dengan nomor {number}. Tidak ada laporan ganda."
        if number
        else "Tidak ada laporan yang menunggu dikirim."
    )
    await menu.show_menu(ctx, text + "\nAda lagi yang bisa dibantu?")


FLOW = Flow(
    name=NAME, start=start, handle=handle, resume=resume, has_draft=has_draft, cancel=cancel
)
