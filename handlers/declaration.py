"""The "Lapor gratifikasi" flow: walks the steps table, then summary, "Kirim" and the receipt.

Session layout (JSON, small): data = {"id": draft id, "t": last touched (ISO), "a": answers by
step key (codes, not labels), "edit": True while changing one answer from the summary,
"resume_to"/"prefill": the step to return to and a pending prefill while asking whether to
continue}; state = the step key being asked, "summary", or "resume" (continue or start over?).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.messages import Choice, choices
from handlers import ask, menu, tanda_terima, texts
from handlers import declaration_steps as ds
from handlers.context import Context
from handlers.errors import ServiceUnavailable
from handlers.flow import Flow
from handlers.ports import AttachmentRejected
from handlers.receipt import receipt_text
from handlers.session import Session
from handlers.typed import NO, YES, looks_like_question, plain, typed_skip, typed_words_code

NAME = "lapor"
PREFIX = "lapor:"
BACK = Choice("lapor:back", "Kembali")
SKIP = Choice("lapor:skip", "Lewati")
DONE_FILES = Choice("lapor:files_done", "Selesai")
SUBMIT = Choice("lapor:submit", "Kirim")
EDIT = Choice("lapor:edit", "Ubah jawaban")
SHOW_SUMMARY = Choice("lapor:summary", "Lihat ringkasan")
QUICK = "lapor:quick:"  # a button that types a common answer ("Kemarin")
RESUME = choices(("lapor:resume", "Lanjutkan draf"), ("lapor:restart", "Mulai baru"))
MAX_FILES = 10
PREFILL_KEYS = ("giver_relation", "occasion", "object_type", "value_rp", "received_date")

# --- helpers ---------------------------------------------------------------------------------


def _answers(ctx: Context) -> ds.Answers:
    return ds.answers(ctx)


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
    typed = [k for k in session.data.get("a", {}) if not k.startswith("_") and k != "consent"]
    return bool(typed)


async def _drop_draft(ctx: Context) -> bool:
    ports = ctx.services.declarations
    return await ports.drop_draft(ctx.user_key) if ports is not None else False


# --- asking ----------------------------------------------------------------------------------


def _progress(step: ds.Step, a: ds.Answers) -> str:
    steps = ds.counted(a)
    keys = [s.key for s in steps]
    if step.key not in keys:
        return ""
    return f"Langkah {keys.index(step.key) + 1}/{len(keys)}\n"


def _ask_step(ctx: Context, step: ds.Step) -> None:
    a = _answers(ctx)
    ctx.session.state = step.key
    prompt = step.prompt(ctx) if callable(step.prompt) else step.prompt
    text = _progress(step, a) + prompt
    buttons: list[Choice] = []
    if step.options is not None:
        buttons += [
            Choice(f"{PREFIX}{step.key}:{code}", lbl) for code, lbl in step.options(a).items()
        ]
    buttons += [Choice(f"{QUICK}{typed}", typed) for typed in step.quick]
    files = (a.get("_files") or []) if step.key == "attachments" else []
    if files:
        text += f"\nBerkas diterima: {len(files)}. Kirim berkas lain, atau tekan Selesai."
        buttons.append(DONE_FILES)
    if ctx.session.data.get("edit") and step.key in a and step.key != "attachments":
        text += f"\n(Jawaban saat ini: {ds.shown(step, a)})"
    if step.optional and not files:
        buttons.append(SKIP)
    if ctx.session.history or ctx.session.data.get("edit"):
        buttons.append(BACK)
    ctx.ask(text, tuple(buttons), free_text=step.parser is not None)


def _summary_text(a: ds.Answers) -> str:
    lines = ["Ringkasan laporan Anda:"]
    lines += [f"• {step.label}: {ds.shown(step, a)}" for step in ds.counted(a)]
    lines += ["", "Periksa kembali. Tekan Kirim bila sudah benar, atau Ubah jawaban."]
    return "\n".join(lines)


def _ask_summary(ctx: Context) -> None:
    # Three buttons, not one per answer: they fit WhatsApp's reply buttons and a phone screen.
    a = _answers(ctx)
    ctx.session.state = "summary"
    ctx.session.data.pop("edit", None)
    ctx.ask(_summary_text(a), (SUBMIT, EDIT, BACK), free_text=False)


def _ask_which_answer(ctx: Context) -> None:
    """Lists the answers that can be changed (still the summary state)."""
    a = _answers(ctx)
    edits = [Choice(f"{PREFIX}edit:{step.key}", step.label) for step in ds.counted(a)]
    ctx.ask("Jawaban mana yang ingin diubah?", (*edits, SHOW_SUMMARY), free_text=False)


def _typed_edit(a: ds.Answers, text: str) -> ds.Step | None:
    """The one answer named in typed text ("ubah nilai", "tanggal")."""
    typed = plain(text)
    for verb in ("ubah ", "ganti ", "edit ", "koreksi "):
        typed = typed.removeprefix(verb)
    if len(typed) < 3:
        return None
    steps = ds.counted(a)
    exact = [step for step in steps if plain(step.label) == typed]
    found = exact or [step for step in steps if typed in plain(step.label)]
    return found[0] if len(found) == 1 else None


def _advance(ctx: Context, current: str | None) -> None:
    """Asks the next question that has no answer yet, or shows the summary."""
    a = _answers(ctx)
    step = ds.first_missing(a)
    pushable = current in ds.BY_KEY and ds.BY_KEY[current].counted
    if pushable and not ctx.session.data.get("edit") and ctx.session.history[-1:] != [current]:
        ctx.session.history.append(str(current))
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
    """Starts a declaration, or offers to continue the unfinished one."""
    prefill = ctx.session.memo.pop("lapor_prefill", None)
    ctx.session.unpark(NAME)  # a draft put aside by /cek or /jawab
    if ctx.session.flow == NAME and has_draft(ctx.session):
        if _expired(ctx):
            await _drop_draft(ctx)
            ctx.say(_expired_text(ctx))
            await _fresh(ctx, prefill, announce_expired=False)
            return
        if prefill is not None:
            ctx.session.data["prefill"] = prefill  # used if the reporter starts over
        if ctx.session.state != "resume":
            ctx.session.data["resume_to"] = ctx.session.state
        ctx.session.state = "resume"
        ctx.ask("Anda masih punya draf laporan yang belum selesai.", RESUME, free_text=False)
        return
    await _fresh(ctx, prefill)


async def _fresh(ctx: Context, prefill: Any, *, announce_expired: bool = True) -> None:
    """Begins an empty declaration (prefilled from "Cek wajib lapor" when given)."""
    existed = await _drop_draft(ctx)
    if existed and announce_expired and ctx.session.flow != NAME:
        ctx.say("Draf laporan Anda sebelumnya sudah tidak tersimpan, jadi kita mulai baru.")
    ctx.session.reset_flow()
    ctx.session.flow = NAME
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")
    ctx.session.data = {"id": uuid.uuid4().hex, "a": {}}
    _touch(ctx)
    a = _answers(ctx)
    ports = ctx.services.declarations
    if isinstance(prefill, dict):
        _apply_prefill(a, prefill, ctx.now.astimezone(ctx.services.policy.timezone).date())
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
        a["_profile"] = str(profile.get("name") or "-")
        consent = consent or profile.get("consent_at")
    if consent:
        a["consent"] = consent
        ctx.session.memo["consent_at"] = consent
    ctx.say("Baik, kita buat laporan gratifikasi. Ketik /batal kapan saja untuk membatalkan.")
    _advance(ctx, None)


def _apply_prefill(a: ds.Answers, prefill: dict[str, Any], today: date) -> None:
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
                a[key] = received.isoformat()
        elif isinstance(value, str) and value in _codes(key):
            a[key] = value


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
    elif state == "resume":
        ctx.ask("Anda masih punya draf laporan yang belum selesai.", RESUME, free_text=False)
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
    if choice == BACK.id:
        await _back(ctx)
        return
    if state == "summary":
        await _answer_summary(ctx)
        return
    step = ds.BY_KEY.get(state)
    if step is None:
        _advance(ctx, None)
        return
    if step.key == "attachments":
        await _answer_attachments(ctx, step)
        return
    if ctx.incoming.attachments:
        ctx.say("Terima kasih. Foto/dokumen bisa dikirim di langkah Lampiran nanti.")
        _ask_step(ctx, step)
        return
    if step.optional and (choice == SKIP.id or typed_skip(ctx.text)):
        await _store(ctx, step, None)
        return
    value = _read(ctx, step)
    if value is None and step.key == "value_ok" and ctx.text:
        # "Rp750.000, benar?" answered with the right amount instead of "Bukan".
        await _retype_value(ctx)
        return
    if value is None or isinstance(value, ds.Invalid):
        await _invalid(ctx, step, value)
        return
    await _store(ctx, step, value)


async def _retype_value(ctx: Context) -> None:
    """Takes an amount typed at the value confirmation as the new answer to the value."""
    step = ds.BY_KEY["value_rp"]
    value = step.parser(ctx, ctx.text) if step.parser is not None else None
    if value is None or isinstance(value, ds.Invalid):
        await _invalid(ctx, ds.BY_KEY["value_ok"], None)
        return
    await _store(ctx, step, value)


def _read(ctx: Context, step: ds.Step) -> Any:
    """The step's value from a pressed button or typed text; None or Invalid if unusable."""
    choice = ctx.choice or ""
    if step.options is not None:
        options = step.options(_answers(ctx))
        prefix = f"{PREFIX}{step.key}:"
        if choice.startswith(prefix) and choice[len(prefix) :] in options:
            return choice[len(prefix) :]
        return _typed_option(ctx.text, options)
    typed = choice[len(QUICK) :] if choice.startswith(QUICK) else ctx.text
    if step.parser is None or not typed:
        return None
    return step.parser(ctx, typed)


def _typed_option(text: str, options: dict[str, str]) -> str | None:
    """A typed answer to a choice: a code, a label, "iya"/"nggak", or a unique part of a label."""
    typed = " ".join(text.casefold().split())
    if not typed:
        return None
    for code, label in options.items():
        if typed in (code, label.casefold()):
            return code
    if "ya" in options and typed in YES:
        return "ya"
    if "tidak" in options and typed in NO:
        return "tidak"
    if len(typed) >= 3:
        found = [code for code, label in options.items() if typed in label.casefold()]
        if len(found) == 1:
            return found[0]
    return typed_words_code(typed, options)


async def _invalid(ctx: Context, step: ds.Step, value: ds.Invalid | None) -> None:
    """Answers a typed question from the FAQ, or explains what is wrong; then asks again."""
    if ctx.text and looks_like_question(ctx.text):
        # No user_key: text typed in a form may hold personal data, so it is never logged.
        result = await ctx.services.faq.ask(ctx.text)
        if ask.render(ctx, result, in_flow=True):
            ctx.say("Kita lanjutkan laporannya.")
            _ask_step(ctx, step)
            return
    if step.options is not None:
        message = "Mohon pilih salah satu tombol di bawah (atau ketik nomornya)."
    else:
        reason = value.message if isinstance(value, ds.Invalid) else "Maaf, belum bisa saya baca."
        message = f"{reason}\n{step.error}".strip()
    ctx.say(message)
    _ask_step(ctx, step)


async def _store(ctx: Context, step: ds.Step, value: Any) -> None:
    """Stores an answer through the step's function and moves to where the table says."""
    target = await step.store(ctx, value)
    if target == ds.END:
        await _end_without_consent(ctx)
        return
    if target in ds.BY_KEY:
        _ask_step(ctx, ds.BY_KEY[target])
        return
    if ctx.session.data.get("edit") and ds.first_missing(_answers(ctx)) is None:
        _ask_summary(ctx)
        return
    _advance(ctx, step.key)


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
    """Goes back one question (or to the summary while changing an answer)."""
    a = _answers(ctx)
    if ctx.session.data.get("edit"):
        a.pop("_files", None)
        _ask_summary(ctx)
        return
    if not ctx.session.history:
        await resume(ctx)
        return
    previous = ctx.session.history.pop()
    a.pop(previous, None)
    if previous == "value_rp":
        a.pop("value_ok", None)
    if previous == "attachments":
        a["_files"] = a.pop("attachments", None) or a.get("_files") or []
    _ask_step(ctx, ds.BY_KEY[previous])


async def _answer_resume(ctx: Context) -> None:
    """Continues the draft where it stopped, or starts a new one."""
    said = plain(ctx.text) if ctx.choice is None else ""
    if said in ("lanjut", "lanjutkan", "lanjutkan saja", "ya", "iya") or said in YES:
        ctx.incoming = replace(ctx.incoming, choice="lapor:resume")
    elif said in ("baru", "mulai baru", "ulang", "dari awal", "mulai dari awal"):
        ctx.incoming = replace(ctx.incoming, choice="lapor:restart")
    if ctx.choice == "lapor:restart":
        prefill = ctx.session.data.get("prefill")
        ctx.session.flow = None
        await _fresh(ctx, prefill, announce_expired=False)
        return
    if ctx.choice == "lapor:resume":
        ctx.session.data.pop("prefill", None)
        ctx.session.state = ctx.session.data.pop("resume_to", None)
        await resume(ctx)
        return
    ctx.say("Mohon pilih salah satu tombol di bawah.")
    ctx.ask("Anda masih punya draf laporan yang belum selesai.", RESUME, free_text=False)


async def _answer_attachments(ctx: Context, step: ds.Step) -> None:
    """Collects photos and documents until "Selesai" or "Lewati"."""
    a = _answers(ctx)
    files: list[dict[str, Any]] = a.setdefault("_files", [])
    choice = ctx.choice or ""
    if not files and not ctx.incoming.attachments and typed_skip(ctx.text):
        choice = SKIP.id
    if choice in (DONE_FILES.id, SKIP.id):
        a.pop("_files", None)
        await _store(ctx, step, files if choice == DONE_FILES.id else [])
        return
    if not ctx.incoming.attachments:
        await _invalid(ctx, step, None)
        return
    store = ctx.services.attachments
    if store is None:
        raise ServiceUnavailable("no attachment store")
    for attachment in ctx.incoming.attachments:
        if len(files) >= MAX_FILES:
            ctx.say(f"Maksimal {MAX_FILES} berkas per laporan.")
            break
        try:
            saved = await store.save(attachment)
        except AttachmentRejected as exc:
            ctx.say(f"Berkas {attachment.name[:60]} tidak dapat diterima: {exc}")
            continue
        if all(f["k"] != saved.key for f in files):
            files.append(
                {"k": saved.key, "n": saved.name[:80], "m": saved.mime_type, "s": saved.size}
            )
    _ask_step(ctx, step)


async def _answer_summary(ctx: Context) -> None:
    """Submits the declaration, or opens one answer for a change."""
    choice = ctx.choice or ""
    a = _answers(ctx)
    if choice.startswith(f"{PREFIX}edit:") and choice[len(PREFIX) + 5 :] in ds.BY_KEY:
        await _open_edit(ctx, ds.BY_KEY[choice[len(PREFIX) + 5 :]])
        return
    if choice == SUBMIT.id:
        await _submit(ctx)
        return
    if choice == EDIT.id:
        _ask_which_answer(ctx)
        return
    if choice == SHOW_SUMMARY.id:
        _ask_summary(ctx)
        return
    named = _typed_edit(a, ctx.text) if ctx.text and not choice else None
    if named is not None:
        await _open_edit(ctx, named)
        return
    if ctx.text and looks_like_question(ctx.text):
        # No user_key: text typed in a form may hold personal data, so it is never logged.
        result = await ctx.services.faq.ask(ctx.text)
        ask.render(ctx, result, in_flow=True)
    else:
        ctx.say("Mohon tekan Kirim, atau Ubah jawaban.")
    _ask_summary(ctx)


async def _open_edit(ctx: Context, step: ds.Step) -> None:
    """Asks one answer again; storing it returns to the summary."""
    ctx.session.data["edit"] = True
    if step.key == "attachments":
        _answers(ctx)["_files"] = list(_answers(ctx).get("attachments") or [])
    _ask_step(ctx, step)


async def _submit(ctx: Context) -> None:
    """Stores the declaration once and replies with the receipt."""
    ports = ctx.services.declarations
    if ports is None:
        raise ServiceUnavailable("no declaration store")
    draft_id = str(ctx.session.data["id"])
    receipt = await ports.submit(
        user_key=ctx.user_key,
        channel=ctx.incoming.channel,
        chat_id=ctx.incoming.chat_id,
        idempotency_key=draft_id,
        draft=_answers(ctx),
        submitted_at=ctx.now,
    )
    ctx.session.reset_flow()
    ctx.session.memo["last_receipt"] = {"id": draft_id, "number": receipt.number}
    ctx.say(receipt_text(receipt, ctx.services.policy))
    # The signed PDF receipt is one press away (handlers/tanda_terima.py).
    ctx.ask(texts.MENU_AGAIN, (tanda_terima.offer(receipt.number), *menu.MENU))


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
