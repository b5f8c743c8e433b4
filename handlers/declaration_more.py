"""What a reply says besides (or instead of) the answer to the question on screen.

Typed text at a question with buttons that picks no button is still read: a story carrying
other fields ("waktu itu dia dateng ke rumah pas lebaran bawa parsel 1jt") fills them, shown
back; text that answers nothing is kept as a note for the chronology (shown back, and again
in the summary) while the question is asked again. Nothing typed is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from handlers import declaration_steps as ds
from handlers import vocab
from handlers.answers import IDENTITY_KEYS, AnswerKey
from handlers.context import Context
from handlers.declaration_ask import ask_step, option_examples
from handlers.declaration_identity import Reading, clean_text, looks_like_address, read_identity
from handlers.declaration_parsers import parse_long_text, worded_answers
from handlers.declaration_save import after_store, show_back
from handlers.declaration_store import answers, local_today
from handlers.declaration_story import read_story
from handlers.typed import find_words, plain

# Fields a story reading gives that are no answer of their own here.
_NOT_FIELDS = ("story", "chronology")
# A note worth keeping has a few words; "terserah" or "hmm" is only asked again.
NOTE_MIN_WORDS = 4
MAX_NOTES = 5
# The stems that name a worded question, whatever else is typed around them.
_FIELD_WORDS: dict[AnswerKey, re.Pattern[str]] = {
    "confidential": re.compile(r"rahasia|disebar|sembunyi|samar|identitas"),
    "compensation": re.compile(r"kompensasi|tebus"),
}
_ADDRESSES: tuple[AnswerKey, ...] = ("giver_address", "address")


def fields_in(ctx: Context, text: str, current: ds.Step | None) -> dict[AnswerKey, Any]:
    """The fields the text gives for questions not answered yet (the current one included):
    what a story would give, and the yes/no questions named by their own words."""
    a = answers(ctx)
    calendar = ctx.services.policy.calendar
    told = read_story(text, local_today(ctx), calendar.holiday_name, hour=ctx.local_now.hour)
    read = told.reading.values
    found: dict[AnswerKey, Any] = {
        key: value
        for key, value in read.items()
        if key not in _NOT_FIELDS and (key not in a or (current and key == current.key))
    }
    for key, code in worded_answers(text).items():
        # Said in the question's own words ("iya rahasiakan"), also over an earlier answer
        # (shown back). Where the gift is now comes from the story reader, which wants it
        # said as such ("masih saya simpan"): "di kantor" in a sentence is where it was given.
        if key != "object_location" and _names_field(key, text) and ds.BY_KEY[key].when(a):
            found[key] = code
    today = local_today(ctx)
    if any(c.isdigit() for c in text) or "@" in text:
        # The identity, or a phone number or e-mail, typed at the wrong question: kept in
        # its fields ("Siti Aminah, NIK ..." gives the name too).
        whole = read_identity(text, "name", today).values
        numbers = whole if "nik" in whole else read_identity(text, "phone", today).values
        found.update({k: v for k, v in numbers.items() if k in IDENTITY_KEYS and k not in a})
    if looks_like_address(text) and not found:
        # An address: the first one still to give (the giver's comes first in the form).
        where = next((k for k in _ADDRESSES if k not in a), None)
        if where is not None:
            found[where] = clean_text(text)[:300]
    return found


def identity_problem(ctx: Context, text: str) -> str | None:
    """Why a NIK or NIP typed at another question cannot be kept, with when it is asked
    again; None when the text has no such number, or a right one, or the field is answered."""
    if not any(c.isdigit() for c in text):
        return None
    a = answers(ctx)
    problems = read_identity(text, "name", local_today(ctx)).problems
    for key, label in (("nik", "NIK"), ("nip", "NIP")):
        if key in problems and key not in a:
            return (
                f"{label} yang Anda ketik belum bisa saya pakai: {problems[key]}\n"
                f"{label} Anda saya tanyakan lagi di bagian data diri."
            )
    return None


def _names_field(key: AnswerKey, text: str) -> bool:
    """Whether the text names the field itself ("rahasiakan", "ditebus"), not just a word
    its answers share with others ("belum dibuka" is an envelope, not the identity)."""
    return bool(_FIELD_WORDS[key].search(text.casefold()))


async def store_fields(ctx: Context, step: ds.Step | None, found: dict[AnswerKey, Any]) -> None:
    """Stores each field through its step's function and notes them to be shown back."""
    for key, value in found.items():
        own = ds.BY_KEY.get(key)
        if own is not None:
            await own.store(ctx, value)
        else:
            answers(ctx)[key] = value
    if step is not None:
        show_back(ctx, step, [k for k in found if k != step.key])


def _social_aid(text: str) -> bool:
    table = vocab.OBJECT_LOCATION_WORDS
    return any(m.code == "bantuan_sosial" for m in find_words(text, table))


def keep_note(ctx: Context, text: str) -> str | None:
    """Keeps text that answers no question for the chronology; returns it as kept, or None
    when it is too short to be worth keeping."""
    if len(plain(text).split()) < NOTE_MIN_WORDS:
        return None
    cleaned = parse_long_text("chronology", 3, 500)(ctx, text)
    if not isinstance(cleaned, Reading):
        return None
    note = str(cleaned.values["chronology"])
    a = answers(ctx)
    if "chronology" in a:
        if note not in a["chronology"]:
            a["chronology"] = f"{a['chronology']}\n{note}"[:4000]
    else:
        notes = ctx.session.data.setdefault("notes", [])
        if note not in notes and len(notes) < MAX_NOTES:
            notes.append(note)
    return note


async def read_at_choice(ctx: Context, step: ds.Step) -> None:
    """Typed text at a question with buttons that picked none: the fields it gives are
    stored (this question's too, then the form goes on); otherwise it is kept as a note and
    the question comes again, politely, with what was kept shown."""
    if step.key == "object_location" and _social_aid(ctx.text):
        # "sudah saya kasih ke panti" for a batik: why that does not apply, what was typed
        # kept for the chronology.
        keep_note(ctx, ctx.text)
        await ds.BY_KEY["object_location"].store(ctx, "bantuan_sosial")
        ask_step(ctx, step)
        return
    found = fields_in(ctx, ctx.text, step)
    if found:
        await store_fields(ctx, step, found)
        if step.key in answers(ctx):
            await after_store(ctx, step, None)
            return
        hint = f"Untuk pertanyaan ini, mohon pilih salah satu tombol{option_examples(step)}."
        ask_step(ctx, step, problem=hint)
        return
    hint = f"Mohon pilih salah satu tombol di bawah{option_examples(step)}."
    wrong = identity_problem(ctx, ctx.text)
    if wrong is not None:
        # A NIK or NIP that cannot be right ("NIK: 3201 0101 9001 0002"): said why, never
        # kept as a note (its digits would be cut from it, leaving only "NIK").
        ask_step(ctx, step, problem=f"{wrong}\n{hint}")
        return
    note = keep_note(ctx, ctx.text)
    if note is None:
        ask_step(ctx, step, problem=hint)
        return
    ask_step(ctx, step, problem=f'Catatan Anda saya simpan untuk kronologi: "{note}"\n{hint}')
