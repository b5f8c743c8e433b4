"""Reading a reply in a declaration: a pressed button, typed words for it, or typed text.

Typed text at a question with buttons goes through the option's synonyms (handlers/vocab.py),
yes/no in every common form, and "Lainnya" with the text kept; a question typed instead of an
answer is told apart from the answer (handlers/typed.py).
"""

from __future__ import annotations

import re

from handlers import declaration_parsers as dp
from handlers import declaration_steps as ds
from handlers import parsing
from handlers.context import Context
from handlers.declaration_ask import PREFIX, QUICK
from handlers.declaration_identity import Reading
from handlers.declaration_store import answers, local_today
from handlers.declaration_story import object_of
from handlers.typed import (
    asks,
    asks_at_choice,
    looks_like_question,
    meant_codes,
    plain,
    typed_skip,
    without_preamble,
    yes_no,
)

# Typed instead of a story: "ask me question by question".
STEP_WORDS: tuple[str, ...] = ("per langkah", "satu per satu", "satu satu", "ditanya")
STEP_WORDS += ("langkah demi langkah", "step by step", "tanya saja", "tanyakan saja", "tanya aja")
STEP_WORDS += ("pertanyaan",)


def wants_steps(text: str) -> bool:
    """ "Isi per langkah", "satu per satu saja", "ditanya aja": no story, questions instead."""
    said = f" {plain(text)} "
    return len(said.split()) <= 6 and any(f" {w} " in said for w in STEP_WORDS)


def story_has_content(read: Reading, ctx: Context) -> bool:
    """A story worth keeping: some field read from it, or a real account (eight words)."""
    fields = [k for k in read.values if k not in ("story", "chronology")]
    return bool(fields) or len(plain(ctx.text).split()) >= 8


def read_reply(ctx: Context, step: ds.Step) -> Reading | dp.Invalid | str | None:
    """The step's answer from a pressed button or typed text, "question", Invalid or None."""
    choice = ctx.choice or ""
    if step.options is not None:
        options = step.options(answers(ctx))
        prefix = f"{PREFIX}{step.key}:"
        if choice.startswith(prefix) and choice[len(prefix) :] in options:
            return Reading({step.key: choice[len(prefix) :]})
        return typed_option(ctx, step, options)
    typed = choice[len(QUICK) :] if choice.startswith(QUICK) else without_preamble(ctx.text)
    if step.parser is None or not typed:
        return None
    validated = step.key in ("nik", "nip", "phone", "email", "value_rp", "received_date")
    if not validated and asks(typed, long_answer=step.long_answer):
        return "question"
    found = step.parser(ctx, typed)
    if validated and asked_anyway(typed, found, step):
        return "question"
    if isinstance(found, Reading) and step.key not in found.values and step.key in found.problems:
        return found  # the engine asks this step again with the problem
    return found


def asked_anyway(text: str, found: Reading | dp.Invalid | None, step: ds.Step) -> bool:
    """A question typed at a validated step ("apakah alamat saya aman?" at the NIP step)."""
    if isinstance(found, Reading) and step.key in found.values:
        # An answer with a question mark ("kemarin?") is still the answer; a real question
        # around a value ("kalau 500rb wajib lapor?") is a question.
        return len(plain(text).split()) >= 3 and asks(text)
    return asks(text) or looks_like_question(text)


def typed_option(
    ctx: Context, step: ds.Step, options: dict[str, str]
) -> Reading | dp.Invalid | str | None:
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
        if step.key == "object_location":
            codes = _what_happened(text, codes)
        if len(codes) == 1:
            code = codes.pop()
            return described(
                ctx, step, text, with_other(step, code, text, Reading({step.key: code}))
            )
        if len(codes) > 1 and step.key == "object_type":
            # "parsel isi sarung dan sajadah": the content says what the parcel is.
            content, _ = object_of(text)
            if content in codes:
                return described(ctx, step, text, Reading({step.key: content}))
        if len(codes) > 1:
            names = " atau ".join(options[c] for c in sorted(codes, key=list(options).index))
            return dp.Invalid(f"Maksud Anda {names}? Mohon pilih salah satu.")
    if len(typed) >= 3:
        found = [code for code, label in options.items() if typed in label.casefold()]
        if len(found) == 1:
            return Reading({step.key: found[0]})
    if asks(text):
        return "question"
    if step.other is not None and "lainnya" in options and other_text(ctx, step, text):
        # An occasion or object outside the list: "Lainnya", with what was typed kept.
        reading = Reading({step.key: "lainnya"})
        reading.values[step.other] = " ".join(text.split())[:200]
        return reading
    return None


def other_text(ctx: Context, step: ds.Step, text: str) -> bool:
    """Text that can stand for "Lainnya": words, and no answer meant for another button
    question ("dititipkan ke UPPG" typed where the object type is asked)."""
    short = len(plain(text).split()) <= 3
    if sum(c.isalpha() for c in text) < 3 or typed_skip(text):
        return False
    if short and yes_no(text) is not None:
        return False  # "gak", "iya deh": a yes or no, not an occasion or an object
    if (
        parsing.read_date(text, local_today(ctx))
        or parsing.find_money(text)
        or parsing.find_numbers(text)
    ):
        return False  # a date, an amount or a number: an answer to another question
    others = (s for s in ds.STEPS if s.words is not None and s is not step and not s.yes_no)
    return not any(
        meant_codes(text, s.words or {}, _blocking(step, s))
        for s in others
        if s.key != "report_type"
    )


# Occasions whose words name a thing as well ("saham", "SHU", "doorprize"): typed where the
# object is asked, they are the object, not an answer to the occasion question.
THING_OCCASIONS = ("lomba", "penghargaan", "promosi", "undian", "investasi", "koperasi", "profesi")


def _blocking(step: ds.Step, other: ds.Step) -> set[str]:
    """The codes of another question that make typed text its answer rather than "Lainnya"."""
    codes = set(other.options({}) if other.options else {})
    if step.key == "object_type" and other.key == "occasion":
        codes -= set(THING_OCCASIONS)
    return codes


def _what_happened(text: str, codes: set[str]) -> set[str]:
    """ "kuenya sudah dimakan di kantor": what was done with the gift wins over where it
    happened, unless it is said to be kept still ("masih di kantor, belum dititipkan")."""
    if "disimpan_pelapor" not in codes or len(codes) != 2:
        return codes
    kept = re.search(r"\b(?:masih|belum|blm)\b", text.casefold())
    return {"disimpan_pelapor"} if kept else codes - {"disimpan_pelapor"}


def described(ctx: Context, step: ds.Step, text: str, reading: Reading) -> Reading:
    """The object typed with its details ("jam tangan seiko 1 buah") also gives the
    description, when none is there yet: what was typed is kept, and shown back."""
    other = reading.values.get(step.other) if step.other else None
    detailed = other is None and len(plain(text).split()) >= 3 and not asks(text)
    if step.key == "object_type" and detailed and "description" not in answers(ctx):
        reading.values["description"] = " ".join(text.split())[:1000].rstrip(".")
    return reading


def with_other(step: ds.Step, code: str, text: str, reading: Reading) -> Reading:
    if code == "lainnya" and step.other is not None and plain(text) not in ("lainnya", "lain"):
        reading.values[step.other] = " ".join(text.split())[:200]
    return reading
