"""Asking in a declaration: the question on screen, the story's show-back and the summary.

One message per question: the progress, what the last reply gave (shown back), what was wrong
with it, the question and its buttons (they always fit a WhatsApp list).
"""

from __future__ import annotations

from typing import cast

from bot.messages import Choice
from handlers import declaration_parsers as dp
from handlers import declaration_steps as ds
from handlers import formatting, parsing
from handlers.answers import AnswerKey, Answers, FileRef
from handlers.context import Context
from handlers.declaration_store import answers
from handlers.typed import after_but, plain

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

# Typed at the summary: send it (the statement of truth goes with it).
SUBMIT_WORDS = {"kirim", "kirim laporan", "kirimkan", "kirim sekarang", "ya kirim", "submit"}
SUBMIT_WORDS |= {"benar kirim", "sudah benar", "udah bener", "sudah betul", "udah benar", "lanjut"}

# What the story's show-back lists, in this order (the identity comes from a saved profile).
UNDERSTOOD: tuple[AnswerKey, ...] = (
    "report_type",
    "giver_name",
    "giver_position",
    "giver_institution",
    "giver_address",
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


def files_of(ctx: Context) -> list[FileRef]:
    return cast(list[FileRef], ctx.session.data.setdefault("files", []))


def progress(step: ds.Step, a: Answers, unasked: frozenset[str] = frozenset()) -> str:
    """ "Langkah N/M" over the questions that are asked (not those the summary confirms)."""
    steps = [s for s in ds.counted(a) if s.key not in unasked or s is step]
    if step not in steps:
        return ""
    done = sum(1 for s in steps if s.key in a and s.key != step.key)
    return f"Langkah {done + 1}/{len(steps)}\n"


def _counter(ctx: Context, step: ds.Step, a: Answers) -> str:
    """The "Langkah N/M" line; a question asked again keeps the number it was shown with,
    though its answer may have filled a later step ("Pak Camat" gives the giver's post)."""
    shown = ctx.session.data.get("counter")
    if isinstance(shown, list) and len(shown) == 2 and shown[0] == step.key:
        return str(shown[1])
    lost = bool(ctx.session.data.get("files_later"))
    unasked = {str(k) for k in ctx.session.data.get("defaulted") or []}
    unasked |= {s.key for s in ds.counted(a) if s.key not in a and ds.default_answer(s, a, lost)[0]}
    line = progress(step, a, frozenset(unasked))
    ctx.session.data["counter"] = [step.key, line]
    return line


def prompt_of(ctx: Context, step: ds.Step) -> str:
    return step.prompt(ctx) if callable(step.prompt) else step.prompt


def ask_step(ctx: Context, step: ds.Step, problem: str = "", instead: str = "") -> None:
    """Asks one question; with `problem`, what was wrong comes first in the same message;
    with `instead`, that narrower question is asked in place of the step's own."""
    a = answers(ctx)
    ctx.session.state = step.key
    text = _counter(ctx, step, a) + (instead or prompt_of(ctx, step))
    if problem:
        text = f"{problem}\n\n{text}"
    text = with_note(ctx, text)
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
    files = files_of(ctx) if step.key == "attachments" else []
    if files:
        text += f'\nBerkas diterima: {len(files)}. Kirim berkas lain, atau tekan "Selesai".'
        buttons.append(DONE_FILES)
    earlier = ctx.session.data.get("keep") == step.key or ctx.session.data.get("edit")
    if earlier and step.key in a and step.key != "attachments":
        text += f"\n(Jawaban saat ini: {ds.shown(step, a)})"
        if ctx.session.data.get("keep") == step.key and step.options is None:
            # Typed answers only: a question with buttons has its answer's button already.
            buttons.append(KEEP)
    if step.unknown:
        buttons.append(UNKNOWN)
    if step.optional and not files:
        buttons.append(SKIP)
    if ctx.session.history or ctx.session.data.get("edit"):
        buttons.append(BACK)
    ctx.ask(text, tuple(buttons), free_text=step.parser is not None or step.other is not None)


def with_note(ctx: Context, text: str) -> str:
    """The next message with what the last one gave shown back above it (one message)."""
    note = ctx.session.data.pop("note", None)
    return f"{note}\n\n{text}" if note else text


def summary_text(ctx: Context) -> str:
    a = answers(ctx)
    lines = ["Ringkasan laporan Anda:"]
    defaulted = ctx.session.data.get("defaulted") or []
    for step in ds.counted(a):
        line = f"• {step.label}: {ds.shown(step, a)}"
        if step.key in defaulted and not a.get(step.key) and step.key in ds.DEFAULT_NOTES:
            line += f" ({ds.DEFAULT_NOTES[step.key]})"
        lines.append(line)
    # The invitation to send files in the last paragraph, which sits above the buttons.
    invite = [ds.FILES_INVITE] if "attachments" in defaulted and not a.get("attachments") else []
    if a.get("compensation"):
        lines.append(f"({ds.COMPENSATION_WARNING})")
    lines += [
        "",
        *invite,
        'Periksa kembali. Dengan menekan "Benar, kirim", Anda menyatakan isi laporan ini benar.',
        'Ada yang salah? Tekan "Ubah jawaban".',
    ]
    return "\n".join(lines)


def ask_summary(ctx: Context) -> None:
    # Three buttons, not one per answer: they fit WhatsApp's reply buttons and a phone screen.
    ctx.session.state = "summary"
    ctx.session.data.pop("edit", None)
    ctx.session.data.pop("keep", None)
    ctx.session.data.pop("listing", None)
    ctx.ask(with_note(ctx, summary_text(ctx)), (SUBMIT, EDIT, BACK), free_text=False)


def understood_text(ctx: Context) -> str:
    a = answers(ctx)
    meta = ctx.session.data.get("story_meta") or {}
    told: list[tuple[AnswerKey, str]] = []
    for key in UNDERSTOOD:
        step = ds.BY_KEY[key]
        if key not in a or not step.when(a):
            continue
        shown = ds.shown(step, a)
        if key == "value_rp":
            shown += f" ({parsing.terbilang(int(a['value_rp']))} rupiah)"
            unit = meta.get("unit")
            if unit and unit[0] and unit[0] * unit[1] == a["value_rp"]:
                shown += f" = {unit[0]} × {formatting.rupiah(unit[1])}"
            parts = meta.get("parts") or []
            if len(parts) > 1 and sum(parts) == a["value_rp"]:
                # "parsel 500rb sama jam tangan 2jt": the prices added up, shown as such.
                shown += " = " + " + ".join(formatting.rupiah(p) for p in parts)
        if key == "received_date" and ctx.session.data.get("date_guessed"):
            shown += " (tahun lalu; tanggal itu tahun ini belum lewat)"
        elif key == "received_date" and ctx.session.data.get("date_named"):
            shown += f" ({ctx.session.data['date_named']})"
        told.append((key, f"• {step.label}: {shown}"))
    lines = ["Yang saya tangkap dari cerita Anda:", *ds.fold_unknown_giver(told, a)]
    for key in ctx.session.data.get("story_ids") or ():
        if key in a and key in ds.BY_KEY:
            lines.append(f"• {ds.BY_KEY[key].label} Anda: {ds.shown(ds.BY_KEY[key], a)}")
    if ctx.session.data.get("profile"):
        lines.append(f"• Data pelapor: {ctx.session.data['profile']} (dari laporan sebelumnya)")
    notes = []
    if meta.get("date_future"):
        notes.append("Tanggal di cerita belum lewat, jadi tanggalnya saya tanyakan lagi.")
    unit = meta.get("unit")
    if unit and not unit[0] and "value_rp" not in a:
        notes.append(
            f"Nilai {formatting.rupiah(unit[1])} itu per satuan: totalnya akan saya tanyakan."
        )
    if meta.get("foreign"):
        notes.append(f"Nilai {meta['foreign']} akan saya tanyakan dalam rupiah.")
    lines += ["", *notes] if notes else [""]
    lines.append("Sudah benar? Yang belum ada akan saya tanyakan.")
    lines.append('Ada yang salah? Tekan Ubah, atau ketik koreksinya, misalnya "nilainya 2 juta".')
    return "\n".join(lines)


def ask_understood(ctx: Context) -> None:
    ctx.session.state = "understood"
    ctx.session.data.pop("edit", None)
    ctx.session.data.pop("listing", None)
    buttons = (UNDERSTOOD_OK, UNDERSTOOD_EDIT, RETELL)
    ctx.ask(with_note(ctx, understood_text(ctx)), buttons, free_text=True)


def editable(ctx: Context, where: str) -> list[ds.Step]:
    a = answers(ctx)
    if where == "understood":
        keys = [k for k in UNDERSTOOD if k in a and ds.BY_KEY[k].when(a)]
        keys += [k for k in ctx.session.data.get("story_ids") or () if k in a]
        return [ds.BY_KEY[k] for k in keys]
    if where == "understood-any":
        # Typed names may open any item of the show-back, also one the story did not give,
        # and the reporter's own post the story named ("unit kerja").
        keys = [k for k in UNDERSTOOD if ds.BY_KEY[k].when(a)]
        keys += [k for k in ctx.session.data.get("story_ids") or () if k in a]
        return [ds.BY_KEY[k] for k in keys]
    return ds.counted(a)


# A WhatsApp list holds ten rows: the answers go in pages of seven, with "Sebelumnya",
# "Berikutnya" and the way back.
MAX_ROWS = 10
PAGE_SIZE = 7
EDIT_PAGE = f"{PREFIX}edit:page:"


NEXT_WORDS = {
    "berikutnya",
    "selanjutnya",
    "lanjut",
    "next",
    "lagi",
    "lainnya",
    "halaman berikutnya",
}
PREVIOUS_WORDS = {"sebelumnya", "balik", "halaman sebelumnya", "prev"}


def edit_page(ctx: Context) -> int | None:
    """The page of the answers' list asked for ("Berikutnya", typed "lanjut" while the list
    is on screen), or None."""
    choice = ctx.choice or ""
    number = choice.removeprefix(EDIT_PAGE) if choice.startswith(EDIT_PAGE) else ""
    if number.isdigit():
        return int(number)
    listing = ctx.session.data.get("listing")
    if choice or not isinstance(listing, int):
        return None
    said = plain(ctx.text)
    if said in NEXT_WORDS:
        return listing + 1
    return listing - 1 if said in PREVIOUS_WORDS else None


def ask_which_answer(ctx: Context, where: str, page: int = 0) -> None:
    """Lists the answers that can be changed (the state stays the summary or the show-back),
    a page at a time when they do not fit one list."""
    edits = [Choice(f"{PREFIX}edit:{step.key}", step.label) for step in editable(ctx, where)]
    back = SHOW_SUMMARY if where == "summary" else Choice("lapor:understood:show", "Kembali")
    text = 'Jawaban mana yang ingin diubah? Pilih, atau ketik namanya, misalnya "tanggal".'
    if len(edits) + 1 > MAX_ROWS:
        pages = (len(edits) + PAGE_SIZE - 1) // PAGE_SIZE
        page = min(max(page, 0), pages - 1)
        shown = edits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        if page > 0:
            shown.append(Choice(f"{EDIT_PAGE}{page - 1}", "Sebelumnya"))
        if page < pages - 1:
            shown.append(Choice(f"{EDIT_PAGE}{page + 1}", "Berikutnya"))
        edits = shown
        text += f"\n(Halaman {page + 1} dari {pages})"
        ctx.session.data["listing"] = page  # typed "lanjut" here turns the page, sends nothing
    # No free text: a typed number picks an answer; a typed name ("nilai") works as well.
    ctx.ask(text, (*edits, back), free_text=False)


def typed_edit(ctx: Context, where: str, text: str) -> ds.Step | None:
    """The one answer named in typed text ("ubah nilai", "tanggal")."""
    typed = plain(after_but(text))
    for verb in ("ubah ", "ganti ", "edit ", "koreksi ", "ralat "):
        typed = typed.removeprefix(verb)
    for wrong in (" salah", " keliru", " tidak benar", " belum benar", " saya", " sy"):
        typed = typed.removesuffix(wrong)
    if len(typed) < 3:
        return None
    steps = editable(ctx, where)
    exact = [step for step in steps if plain(step.label) == typed]
    found = exact or [step for step in steps if typed in plain(step.label)]
    if not found:
        found = [s for s in steps if any(plain(t) == typed for t in s.topics)]
    return found[0] if len(found) == 1 else None


def advance(ctx: Context, current: str | None) -> None:
    """Asks the next question that has no answer yet, or shows the summary."""
    a = answers(ctx)
    step = _past_defaults(ctx, ds.first_missing(a))
    pushable = current in ds.BY_KEY and ds.BY_KEY[current].counted
    if pushable and not ctx.session.data.get("edit") and ctx.session.history[-1:] != [current]:
        ctx.session.history.append(str(current))
    if ctx.session.data.get("keep") != (step.key if step else None):
        ctx.session.data.pop("keep", None)
    if step is None:
        ask_summary(ctx)
        return
    ask_step(ctx, step)


def _past_defaults(ctx: Context, step: ds.Step | None) -> ds.Step | None:
    """The next question to ask, filling on the way those the summary confirms instead
    (ds.default_answer); a question opened from the summary is asked as it is."""
    a = answers(ctx)
    if ctx.session.data.get("edit"):
        return step
    lost = bool(ctx.session.data.get("files_later"))
    while step is not None:
        ok, value = ds.default_answer(step, a, lost)
        if not ok:
            return step
        if step.key == "attachments":
            value = list(files_of(ctx))
            ctx.session.data.pop("files", None)
        a[step.key] = value
        defaulted = ctx.session.data.setdefault("defaulted", [])
        if step.key not in defaulted:
            defaulted.append(step.key)
        step = ds.first_missing(a)
    return None


def invalid(ctx: Context, step: ds.Step, value: dp.Invalid | None) -> None:
    """Explains what is wrong, with an example, and asks again: one message."""
    if step.options is not None and not isinstance(value, dp.Invalid):
        examples = option_examples(step)
        message = f"Mohon pilih salah satu tombol di bawah{examples}."
    else:
        reason = value.message if isinstance(value, dp.Invalid) else "Maaf, belum bisa saya baca."
        # The example once: not when the question itself already shows it.
        example = step.error if step.error and step.error not in prompt_of(ctx, step) else ""
        message = f"{reason}\n{example}".strip()
    ask_step(ctx, step, problem=message)


def option_examples(step: ds.Step) -> str:
    if step.yes_no:
        return ', atau ketik "ya" atau "tidak"'
    if step.words:
        samples = [words[0] for code, words in step.words.items() if code and words][:2]
        if samples:
            return ', atau ketik misalnya "' + '" atau "'.join(samples) + '"'
    return ""


def ask_again(ctx: Context) -> None:
    """Asks what is on screen again: the summary, the story's show-back, or the step."""
    state = ctx.session.state or ""
    if state == "summary":
        ask_summary(ctx)
    elif state == "understood":
        ask_understood(ctx)
    elif state in ds.BY_KEY:
        ask_step(ctx, ds.BY_KEY[state])
    else:
        advance(ctx, None)
