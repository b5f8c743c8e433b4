"""The "Cek wajib lapor" check: a few questions, then a ruled verdict with its legal basis.

Asks who gave it, the occasion (the less common ones on a second page), what it was, its value
and the date received; then, only when the rule that applies needs it, whether there is a
conflict of interest and the total from the same giver over the year. The verdict comes from
handlers/exemptions.py with the rule version in force on the date received. "Wajib lapor"
and "konsultasikan" show the reporting deadlines and offer to start a declaration with these
answers.

Every typed message is read whole (handlers/check_read.py): the facts it gives besides the
answer asked are stored, shown back ("Saya catat: ..."), and their questions skipped; one
read from a longer message may be corrected by a later one ("Saya ubah: ..."). Session data:
the facts by key (giver_relation, occasion, object_type, value_rp, received_date, coi),
"inferred" (the keys a later message may correct), "told" (the messages that told the
situation, the declaration's story), "date_check"/"date_named" (a date to confirm).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Mapping
from datetime import date

from bot.messages import Choice, choices
from handlers import ask, declaration, menu, smalltalk, texts, vocab
from handlers.check_read import (
    FACT_KEYS,
    SHORT_ANSWER,
    corrects,
    denied_givers,
    noted_line,
    own_posts,
    read_coi,
    read_facts,
)
from handlers.context import Context
from handlers.deadlines import (
    DIRECT_TO_KPK_WORKDAYS,
    STATUTE_WORKDAYS,
    kpk_due,
    statute_days,
    uppg_due,
    workdays_left,
)
from handlers.exemptions import Facts, RuleSet, Verdict, evaluate, span_text
from handlers.flow import Flow, Step
from handlers.formatting import rupiah, tanggal
from handlers.parsing import DateRead, find_money, holiday_date, parse_money, read_date
from handlers.ports import Policy
from handlers.typed import (
    NO,
    asks,
    find_words,
    is_unknown,
    looks_like_question,
    plain,
    typed_skip,
    yes_no,
)

NAME = "cek"
PREFIX = "cek:"
PREFILL_KEY = "lapor_prefill"

# The order of the questions; "year_total" and "coi" are asked only when a rule needs them.
STEPS = ("giver", "occasion", "object", "value", "date")
# The memo key that says the version's unverified lettering was shown in this conversation.
LETTERING_SHOWN = "cek_lettering_note"

VALUE_UNKNOWN = "cek:value:unknown"
DATE_TODAY = "cek:date:today"
DATE_YESTERDAY = "cek:date:yesterday"
DATE_OFFER = "cek:date:offer"
DATE_OK = "cek:date:ok"
DATE_NOT = "cek:date:not"
DATE_CONFIRM = choices((DATE_OK, "Ya, benar"), (DATE_NOT, "Bukan"))
COI_CHOICES = choices(
    ("cek:coi:ya", "Ya, ada urusan"),
    ("cek:coi:tidak", "Tidak ada"),
    ("cek:coi:ragu", "Tidak yakin"),
)
ONLY_THIS = "cek:total:ini"
MORE_OCCASIONS = Choice("cek:occasion:more", "Lainnya (lomba, dll.)")
# KPK circulars (e.g. SE B/3956/GTF.00.02/01-13/05/2019): perishable food may go to social aid.
PERISHABLE = (
    "Makanan yang mudah rusak dan tidak bisa dikembalikan boleh disalurkan ke panti "
    "atau pihak yang membutuhkan. Dokumentasikan, lalu laporkan."
)
BACK = Choice("cek:back", "Kembali")
# The question "Kembali" returns to, by the question on screen.
PREVIOUS = {
    "occasion": "giver",
    "occasion_more": "occasion",
    "object": "occasion",
    "value": "object",
    "date": "value",
    "date_confirm": "date",
    "year_total": "date",
    "coi": "date",
}
REPORT = "cek:lapor"
AGAIN = "cek:ulang"
MENU = "cek:menu"
CONTACT = "cek:kontak"

QUESTIONS: dict[str, str] = {
    "giver": "Cek wajib lapor (1/5)\nSiapa yang memberi?",
    "occasion": "(2/5) Dalam acara atau keperluan apa?",
    "occasion_more": (
        "(2/5) Dalam acara atau keperluan apa?\nBila tidak ada yang cocok, pilih Lainnya."
    ),
    "object": "(3/5) Apa bentuk pemberiannya?",
    "value": ('(4/5) Berapa perkiraan nilainya?\nContoh: "750rb", "1,5 jt", atau "Rp2.000.000".'),
    "date": (
        "(5/5) Kapan pemberian itu diterima?\n"
        'Contoh: "hari ini", "kemarin", "17/11/2026", atau "17 Nov 2026".'
    ),
    # The period is filled in from the rules: the year of receipt, split where they changed.
    "year_total": (
        "Berapa total semua pemberian dari pemberi yang sama {span}, termasuk yang ini?\n"
        'Contoh: "800rb".'
    ),
    "coi": (
        "Apakah pemberi sedang atau akan punya urusan dengan pekerjaan Anda?\n"
        "Misalnya: rekanan, pemohon izin atau layanan, peserta lelang, "
        "atau bawahan yang kinerjanya Anda nilai."
    ),
}

BAD_VALUE = (
    "Maaf, nilai itu belum bisa saya baca.\n"
    'Ketik angka rupiah, misalnya "750rb", "1,5 jt", atau "Rp2.000.000".'
)
BAD_DATE = (
    "Maaf, tanggal itu belum bisa saya baca.\n"
    'Ketik misalnya "hari ini", "kemarin", "17/11/2026", atau "17 Nov 2026".'
)
FUTURE_DATE = "Tanggal itu belum lewat. Ketik tanggal pemberian diterima, misalnya 17/11/2026."
VAGUE_DATE = "Mohon tulis tanggalnya (hari yang tepat) agar batas waktunya benar."
# A typed answer that names no button: what is needed, with examples, never just "pilih tombol".
REASK: dict[str, str] = {
    "giver": (
        "Maaf, pemberinya belum saya tangkap. Pilih tombol di bawah atau ketik misalnya "
        '"rekanan", "atasan", atau "teman kantor".'
    ),
    "occasion": (
        "Maaf, acaranya belum saya tangkap. Pilih tombol di bawah atau ketik misalnya "
        '"pernikahan", "lebaran", atau "tidak ada acara".'
    ),
    "object": (
        "Maaf, bentuk pemberiannya belum saya tangkap. Pilih tombol di bawah atau ketik "
        'misalnya "uang", "parsel makanan", atau "voucher belanja".'
    ),
    "coi": (
        "Maaf, jawabannya belum saya tangkap. Pilih tombol di bawah atau ketik "
        '"ada urusan", "tidak ada", atau "tidak yakin".'
    ),
}
REASK["occasion_more"] = REASK["occasion"]
# A giver whose relation depends on the reporter's post ("kepala desa", "camat", "temen
# seangkatan"): the choice is theirs, said so rather than "not understood".
UNSURE_GIVER = (
    "Hubungan Anda dengan pemberi itu tergantung pekerjaan Anda: bisa atasan, "
    "pengguna layanan, rekan kerja, atau instansi lain.\n"
    "Pilih tombol yang paling sesuai."
)
# "temen", "dr kawan", "konco": a friend may be a colleague or someone outside work, whose
# rules differ (letter o or none); which one is asked, with the words that answer it.
FRIEND = re.compile(r"\b(?:teman|temen|tmn|kawan|konco|kanca|rencang|batur)\b")
FRIEND_GIVER = (
    "Teman kantor atau teman di luar pekerjaan? Aturannya berbeda.\n"
    'Ketik "teman kantor" atau "teman pribadi", atau pilih tombol Rekan kerja atau Lainnya.'
)
# Under facts read from a message that was more than one answer: how to put one right.
CORRECT_HINT = 'Bila ada yang keliru, ketik yang benar, misalnya "nilainya 1 juta".'
FROM_STORY = "Cek wajib lapor"
# The session key of each question's fact.
STATE_KEYS = {
    "giver": "giver_relation",
    "occasion": "occasion",
    "object": "object_type",
    "value": "value_rp",
    "date": "received_date",
}
# Facts read from a message that answered another question (or none): a later message may
# correct them; a pressed button or a question's own answer is kept.
INFERRED = "inferred"
CHANGED = "changed"  # the facts the message being read corrected (for "Saya ubah")
TOLD = "told"  # the messages that told the situation, for the declaration's chronology
TOLD_LIMIT = 4000
STORY_MIN_WORDS = 4
# A message that answered only its own question is told only when this long: "tiket pesawat
# + hotel" is an answer, not a chronology.
TOLD_MIN_WORDS = 6
# The memo key of a story typed at the menu, read when the check starts.
STORY_MEMO = "cek_story"
# "kalau dari teman?": a question about another case, never an answer to store; "kalau ga
# salah kemarin" is an answer.
_HEDGE = re.compile(
    r"^(?:kalau|kalo|klo|kl)\s+(?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak)\s+(?:salah|keliru|lupa)\b"
)
_HYPOTHETICAL = re.compile(
    r"^(?:(?:terus|trus|trs|lalu|nah|tapi|tp|bagaimana|gimana|gmn|bgmn)\s+)?"
    r"(?:kalau|kalo|klo|kl|klau|jika|jikalau|bila|apabila|seandainya|andai|andaikan|misal"
    r"|misalnya|umpama|umpamanya)\b"
)
CONSULT_DEADLINES = "Bila ragu, melapor adalah pilihan yang aman. Batasnya tetap berjalan:"

# Typed at the year-total question: there was no other gift from that giver (and whatever
# typed.typed_skip reads as "nothing": "-", "gk ada", ...).
ONLY_THIS_WORDS = {"hanya ini", "hanya yang ini", "cuma ini", "cuma itu", "baru ini", "itu saja"}
ONLY_THIS_WORDS |= {"ini saja", "itu aja", "ini aja", "baru sekali", "sekali", "satu kali"}
ONLY_THIS_WORDS |= {"belum", "belum pernah", "tidak ada lagi", "gak ada lagi", "0", "nol"}
# The conflict-of-interest question's own words, besides yes and no (typed.yes_no).
COI_WORDS: dict[str, tuple[str, ...]] = {
    "ya": ("ada", "ada urusan", "punya", "punya urusan", "rekanan", "vendor"),
    "tidak": ("tidak ada", "gak ada", "ga ada", "gk ada", "nggak ada", "tidak ada urusan"),
}
# Words that make an answer unsure, besides typed.is_unknown ("gk tau"): "ragu", "mungkin".
UNSURE_WORDS = {"ragu", "mungkin", "entah", "bingung", "barangkali"}
HEDGES = {"sepertinya", "kayaknya", "kayanya", "rasanya", "mungkin", "barangkali", "kira"}

CODE_SETS: dict[str, Mapping[str, str]] = {
    "giver": vocab.GIVER_RELATIONS,
    "occasion": vocab.OCCASIONS,
    "object": vocab.OBJECT_TYPES,
}
DATA_KEYS = {"giver": "giver_relation", "occasion": "occasion", "object": "object_type"}


def _word_table(state: str) -> dict[str, tuple[str, ...]]:
    """What may be typed for each button of a question: the shared synonyms of the field
    (vocab.OPTION_WORDS, the same as the declaration's), each label and each part of it."""
    shared = vocab.OPTION_WORDS[DATA_KEYS[state]]
    table = {
        code: (*shared.get(code, ()), *label.split("/"), code.replace("_", " "))
        for code, label in CODE_SETS[state].items()
    }
    # The words that name no code ("kepala desa"): kept so that no shorter word in them
    # ("kepala", Atasan) is read; typed alone, they get the question again.
    return table | {"": shared.get("", ())}


WORD_TABLES = {state: _word_table(state) for state in CODE_SETS}


def _code_buttons(state: str, codes: Iterable[str]) -> tuple[Choice, ...]:
    labels = CODE_SETS[state]
    return tuple(Choice(f"{PREFIX}{state}:{c}", labels[c]) for c in codes)


def _buttons(state: str) -> tuple[Choice, ...]:
    if state == "occasion":
        common = [c for c in vocab.OCCASIONS if c not in vocab.MORE_OCCASIONS]
        return (*_code_buttons("occasion", common), MORE_OCCASIONS)
    if state == "occasion_more":
        return _code_buttons("occasion", vocab.MORE_OCCASIONS)
    if state in CODE_SETS:
        return _code_buttons(state, CODE_SETS[state])
    if state == "year_total":
        return choices((ONLY_THIS, "Hanya yang ini"))
    if state == "date_confirm":
        return DATE_CONFIRM
    if state == "value":
        return choices((VALUE_UNKNOWN, "Tidak tahu nilainya"))
    if state == "date":
        return choices((DATE_TODAY, "Hari ini"), (DATE_YESTERDAY, "Kemarin"))
    if state == "coi":
        return COI_CHOICES
    return ()


def _question(ctx: Context, state: str) -> str:
    if state == "date_confirm":
        received = date.fromisoformat(str(ctx.session.data["received_date"]))
        named = ctx.session.data.get("date_named")
        if named:
            return f"{named}: {tanggal(received, weekday=True)}. Diterima pada tanggal itu?"
        return f"Maksud Anda {tanggal(received, weekday=True)}?"
    if state != "year_total":
        return QUESTIONS[state]
    rules = _rules(ctx)
    received = date.fromisoformat(str(ctx.session.data["received_date"]))
    start, end = rules.year_window(received) if rules else (date(received.year, 1, 1), received)
    return QUESTIONS[state].format(span=span_text(start, end, short=False))


def _ask_state(ctx: Context, state: str) -> None:
    ctx.session.state = state
    buttons = _buttons(state) + ((BACK,) if state in PREVIOUS else ())
    free = state not in CODE_SETS and state not in ("coi", "occasion_more")
    ctx.ask(_question(ctx, state), buttons, free_text=free)


async def start(ctx: Context) -> None:
    """Begins the check and asks who gave the gift; a situation typed at the menu before
    (memo STORY_MEMO) is read first, and only what it does not say is asked."""
    told = ctx.session.memo.pop(STORY_MEMO, None)
    ctx.session.reset_flow()
    ctx.session.flow = NAME
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")
    if isinstance(told, str) and told.strip():
        noted = _keep_facts(ctx, told, _read(ctx, told))
        line = _line(ctx, noted)
        if line:
            ctx.say(f"{FROM_STORY}. {line}\n{CORRECT_HINT}")
            await _advance(ctx)
            return
    _ask_state(ctx, "giver")


def carry_story(ctx: Context, told: object) -> None:
    """Hands a situation typed at the menu ("wajib lapor ga kalau dapet parsel dari rekanan
    500rb?") to the check about to start."""
    if isinstance(told, str) and told.strip():
        ctx.session.memo[STORY_MEMO] = told[:TOLD_LIMIT]


def _read(ctx: Context, text: str) -> dict[str, object]:
    if plain(text) in REPORT_WORDS | NOT_FACTS:
        return {}  # "lapor sekarang" typed mid-check: no gift received "sekarang"
    named = ctx.services.policy.calendar.holiday_name
    return read_facts(text, ctx.today, named, hour=ctx.local_now.hour)


def _keep_facts(
    ctx: Context,
    text: str,
    found: dict[str, object],
    *,
    own: str | None = None,
    replace: bool = False,
) -> list[str]:
    """Stores the facts read from a message, but `own` (the question's answer, stored by its
    step); returns the keys stored. A fact answered by its own question or a button stays;
    one read from another message may be corrected, and `replace` (a message that says it
    corrects, "eh salah, ...") replaces either."""
    data = ctx.session.data
    inferred = data.setdefault(INFERRED, [])
    noted: list[str] = []
    for key in FACT_KEYS:
        if key not in found or key == own:
            continue
        if key in data and (data[key] == found[key] or (key not in inferred and not replace)):
            continue
        if key in data:
            data.setdefault(CHANGED, []).append(key)
        data[key] = found[key]
        if key not in inferred:
            inferred.append(key)
        noted.append(key)
        if key == "object_type":
            data.pop("description", None)
            if "description" in found:
                data["description"] = found["description"]
        if key == "received_date":
            data.pop("date_check", None)
            data.pop("date_named", None)
            if found.get("date_check"):
                data["date_check"] = True
                data["date_named"] = found.get("date_named")
    if noted or len(plain(text).split()) >= TOLD_MIN_WORDS:
        _remember_told(ctx, text)
    return noted


def _line(ctx: Context, keys: list[str]) -> str | None:
    """The show-back of `keys`: "Saya ubah: ..." when each one corrected an earlier reading."""
    changed = ctx.session.data.pop(CHANGED, [])
    line = noted_line(keys, ctx.session.data)
    if line and keys and all(key in changed for key in keys):
        return line.replace("Saya catat:", "Saya ubah:", 1)
    return line


def _remember_told(ctx: Context, text: str) -> None:
    """Keeps a message that tells the situation for the declaration's chronology."""
    if len(plain(text).split()) < STORY_MIN_WORDS:
        return
    told = ctx.session.data.setdefault(TOLD, [])
    if text not in told and sum(len(t) for t in told) + len(text) <= TOLD_LIMIT:
        told.append(text)


def _firm(ctx: Context, key: str, value: object) -> None:
    """Stores a question's own answer: pressed or typed as a short answer ("vendor"), no
    later message overrides it; read from a longer message, a later one may correct it."""
    ctx.session.data[key] = value
    inferred = ctx.session.data.setdefault(INFERRED, [])
    told = ctx.choice is None and len(plain(ctx.text).split()) > SHORT_ANSWER
    if told and key not in inferred:
        inferred.append(key)
    elif not told and key in inferred:
        inferred.remove(key)


def _next_state(data: Mapping[str, object]) -> str | None:
    """The first question whose fact is not known yet, or None when all are."""
    for state in STEPS:
        if STATE_KEYS[state] not in data:
            return state
    return "date_confirm" if data.get("date_check") else None


async def _advance(ctx: Context) -> None:
    """Asks the next question not answered yet, or gives the verdict."""
    state = _next_state(ctx.session.data)
    if state is None:
        await _decide(ctx)
        return
    _ask_state(ctx, state)


def _show_noted(ctx: Context, keys: list[str], *, own: str | None = None) -> None:
    """Shows back the facts one message gave besides the answer asked (with that answer)."""
    if not keys:
        return
    line = _line(ctx, [*keys, *([own] if own else [])])
    if line:
        ctx.say(f"{line}\n{CORRECT_HINT}")


def _hypothetical(text: str) -> bool:
    """ "kalau dari teman?", "klo lewat 30 hari gmn": a question about another case (not
    "kalau ga salah kemarin", a hedged answer)."""
    said = plain(text)
    if _HEDGE.match(said) and not text.rstrip().endswith("?"):
        return False
    return looks_like_question(text) and bool(_HYPOTHETICAL.match(said))


async def _what_if(ctx: Context, state: str, problem: str) -> bool:
    """Answers a question about another case typed at a question; True when it was one.
    Nothing in it is stored: "kalau dari teman?" is no giver."""
    if ctx.choice is not None or not ctx.text or not _hypothetical(ctx.text):
        return False
    if not await _typed_question(ctx):
        ctx.say(problem)
    _ask_state(ctx, state)
    return True


async def _not_read(ctx: Context, state: str, problem: str) -> None:
    """A typed answer that answers no question on screen: a typed question is answered (as
    before); else any other fact it holds is kept and shown, and the question is asked
    again with what it needs."""
    found = _read(ctx, ctx.text) if ctx.text else {}
    # "kalau ga salah kmrn sore": an answer with a fact, no question for the FAQ.
    answered = (not found or asks(ctx.text)) and await _typed_question(ctx)
    noted = _keep_facts(ctx, ctx.text, found) if found else []
    line = _line(ctx, noted)
    if answered:
        # "amplop kondangan wajib lapor gak?": answered, and what it says of the gift kept.
        if line:
            ctx.say(line)
    else:
        ctx.say(f"{line}\n{problem}" if line else problem)
    _ask_state(ctx, state)


# Facts that were about the giver: asked again when the giver is corrected.
ABOUT_GIVER = ("coi", "year_total_rp", "year_total_unknown")


async def _correct(ctx: Context, state: str) -> bool:
    """A message that puts an earlier answer right, typed at any question or under the
    verdict ("eh salah, dr temen kantor", "bukan dr vendor", "nilainya 2jt" after the
    verdict): what it says replaces what was stored, is shown back ("Saya ubah: ..."), and
    the check goes on from the first fact still missing, or judges again. True when it
    changed something; else the question on screen takes the message as before."""
    text = ctx.text
    if ctx.choice is not None or not text or state == "year_total" or looks_like_question(text):
        return False
    # Under the verdict a short fact is a correction too ("dari vendor", "nilainya 2jt").
    short = state == "done" and len(plain(text).split()) <= SHORT_ANSWER + 1
    if not corrects(text) and not short:
        return False
    data = ctx.session.data
    found = _read(ctx, text)
    giver = data.get("giver_relation")
    denied = giver if giver in denied_givers(text) and "giver_relation" not in found else None
    if ("giver_relation" in found and found["giver_relation"] != giver) or denied:
        for key in ABOUT_GIVER:
            data.pop(key, None)
    if denied:
        data.pop("giver_relation", None)
    noted = _keep_facts(ctx, text, found, replace=True)
    if not noted and not denied:
        return False
    data[INFERRED] = [key for key in data.get(INFERRED, []) if key not in noted]
    data.pop("verdict", None)
    if denied:
        label = vocab.GIVER_RELATIONS.get(str(denied), str(denied)).lower()
        ctx.say(f"Baik, pemberinya bukan {label}.")
    line = _line(ctx, noted)
    if line:
        ctx.say(line)
    await _advance(ctx)
    return True


async def resume(ctx: Context) -> None:
    """Asks the current question again."""
    state = ctx.session.state or "giver"
    if state == "done":
        ctx.session.reset_flow()
        await menu.show_menu(ctx)
        return
    _ask_state(ctx, state)


def _rules(ctx: Context) -> RuleSet | None:
    rules = ctx.services.rules
    return rules() if rules is not None else None


async def _typed_question(ctx: Context) -> bool:
    """Answers a question typed instead of an answer; True if an answer was shown."""
    if not ctx.text or not looks_like_question(ctx.text):
        # A one-word answer ("kondangan", "tidak") is not a question: no FAQ wall of text.
        return False
    # No user_key: text typed mid-check is not logged (it may be an answer, not a question).
    result = await ctx.services.faq.ask(ctx.text)
    return ask.render(ctx, result, in_flow=True)


def typed_code(state: str, text: str) -> str | None:
    """The one code a typed answer names: a label or part of it ("narasumber"), or an
    everyday word for it ("vendor", "kondangan", "amplop"). The longest phrase wins
    ("promosi jabatan" over "promosi"); "Lainnya" only when nothing else fits; None when
    nothing, or two things equally, fit."""
    longest: dict[str, int] = {}
    for match in find_words(text, WORD_TABLES[state]):
        if not match.code:
            continue
        size = match.end - match.start
        longest[match.code] = max(longest.get(match.code, 0), size)
    if len(longest) > 1:
        longest.pop("lainnya", None)
    if not longest:
        return None
    best = max(longest.values())
    found = [code for code, size in longest.items() if size == best]
    return found[0] if len(found) == 1 else None


async def _take_code(ctx: Context, state: str, asked: str | None = None) -> None:
    """Stores the pressed (or typed) code and asks the next question.

    `asked` is the question on screen when it is not `state` itself (the second page of
    occasions); a typed word may name any code of the state, on either page."""
    asked = asked or state
    if ctx.choice == MORE_OCCASIONS.id and asked == "occasion":
        _ask_state(ctx, "occasion_more")
        return
    choice = ctx.choice or ""
    prefix = f"{PREFIX}{state}:"
    code = choice[len(prefix) :] if choice.startswith(prefix) else None
    found: dict[str, object] = {}
    if code is None and ctx.choice is None and ctx.text:
        if await _what_if(ctx, asked, REASK[asked]):
            return
        found = _read(ctx, ctx.text)
        # "gk tau" who gave it or why: that is "Lainnya", which the verdict then handles.
        code = "lainnya" if _unknown_first(ctx.text) else own_code(state, ctx.text, found)
    if code is None or code not in CODE_SETS[state]:
        unsure = state == "giver" and _names_unsure_giver(ctx.text or "")
        friend = state == "giver" and not unsure and bool(FRIEND.search(plain(ctx.text or "")))
        problem = UNSURE_GIVER if unsure else FRIEND_GIVER if friend else REASK[asked]
        await _not_read(ctx, asked, problem)
        return
    key = DATA_KEYS[state]
    _firm(ctx, key, code)
    if key == "object_type":
        ctx.session.data.pop("description", None)
        if "description" in found:
            ctx.session.data["description"] = found["description"]
    noted = _keep_facts(ctx, ctx.text, found, own=key) if found else []
    _show_noted(ctx, noted, own=key)
    await _advance(ctx)


def _names_unsure_giver(text: str) -> bool:
    """Whether a typed giver is one whose relation is asked, never guessed ("pak kades")."""
    matches = find_words(text, WORD_TABLES["giver"])
    return bool(matches) and all(not m.code for m in matches)


def _unknown_first(text: str) -> bool:
    """ "gk tau", or a message that starts by saying so ("ga tau jg sih, tiba2 dateng bawa
    duit 1 jt"): the question's answer is unknown, the rest is read for other facts."""
    first = re.split(r"[,.;!?]", text, maxsplit=1)[0]
    return is_unknown(text) or (first != text and is_unknown(first))


def own_code(state: str, text: str, found: Mapping[str, object]) -> str | None:
    """The code a typed text gives the question on screen: its words for the buttons first
    ("bos saya"), the story reader's reading when those name none or two; in a longer
    message the story reader first ("kado nikahan dari vendor": the giver after "dari")."""
    typed = typed_code(state, text)
    read = found.get(DATA_KEYS[state])
    story = read if isinstance(read, str) and read in CODE_SETS[state] else None
    if len(plain(text).split()) >= STORY_MIN_WORDS + 1:
        if story is None and state == "giver" and "occasion" in found:
            # "dapet amplop pas nikahan anak saya": a story that does not say who gave it.
            return None
        if story is None and state == "giver" and typed in denied_givers(text) | own_posts(text):
            # "..., eh bukan dr vendor": denied; "krn sy kadis": the reporter's own post.
            return None
        return story or typed
    return typed or story


async def _take_value(ctx: Context) -> None:
    """Stores the value (or "unknown") and asks for the date."""
    if ctx.choice == VALUE_UNKNOWN or (ctx.choice is None and is_unknown(ctx.text)):
        _firm(ctx, "value_rp", None)
        await _advance(ctx)
        return
    if await _what_if(ctx, "value", BAD_VALUE):
        return
    value = _rupiah(ctx.text)
    found = _read(ctx, ctx.text) if ctx.text else {}
    if value is None and isinstance(found.get("value_rp"), int):
        value = int(str(found["value_rp"]))  # "kira2 800rb dari vendor"
    if value is None:
        await _not_read(ctx, "value", BAD_VALUE)
        return
    _firm(ctx, "value_rp", value)
    noted = _keep_facts(ctx, ctx.text, found, own="value_rp")
    _show_noted(ctx, noted, own="value_rp")
    await _advance(ctx)


def _rupiah(text: str) -> int | None:
    """A positive amount in whole rupiah, also one said with words around it ("400rb aja",
    "totalnya sekitar 1,2 jt"), or None (none, or two different amounts)."""
    money = parse_money(text)
    if money is None:
        amounts = {found.value.value for found in find_money(text)}
        return amounts.pop() if len(amounts) == 1 and min(amounts) > 0 else None
    return money.value if money.value > 0 else None


async def _take_date(ctx: Context) -> None:
    """Stores the date received and gives the verdict; a date whose year was guessed is
    confirmed first, and a period ("pas lebaran") is asked about (its holiday offered)."""
    today = ctx.today
    offered = ctx.session.data.pop("date_offer", None)
    if ctx.choice == DATE_TODAY:
        found: DateRead | None = DateRead(today, 0, 0, full=True)
    elif ctx.choice == DATE_YESTERDAY:
        found = DateRead(date.fromordinal(today.toordinal() - 1), 0, 0, full=True)
    elif ctx.choice == DATE_OFFER and isinstance(offered, str):
        found = DateRead(date.fromisoformat(offered), 0, 0, full=True)
    else:
        if await _what_if(ctx, "date", BAD_DATE):
            return
        named = ctx.services.policy.calendar.holiday_name
        said = ctx.text if plain(ctx.text) not in REPORT_WORDS | NOT_FACTS else ""
        found = (
            read_date(said, today, whole=True, holiday=named, hour=ctx.local_now.hour)
            if said
            else None
        )
    facts = _read(ctx, ctx.text) if ctx.choice is None and ctx.text else {}
    if found is None and "received_date" in facts:
        # "kmrn dr rekanan", "tgl 28 pas kondangan": the date inside a longer answer.
        _firm(ctx, "received_date", facts["received_date"])
        ctx.session.data["date_check"] = bool(facts.get("date_check"))
        ctx.session.data["date_named"] = facts.get("date_named")
        noted = _keep_facts(ctx, ctx.text, facts, own="received_date")
        _show_noted(ctx, noted, own="received_date")
        await _advance(ctx)
        return
    if found is None:
        await _not_read(ctx, "date", BAD_DATE)
        return
    if found.future or (found.day is not None and found.day > today):
        ctx.say(FUTURE_DATE)
        _ask_state(ctx, "date")
        return
    if found.vague or found.day is None:
        _ask_vague_date(ctx, found)
        return
    _firm(ctx, "received_date", found.day.isoformat())
    # "10 Desember" typed on 2 December: last year's, or a slip? "pas lebaran": that day?
    # Never guessed silently: confirmed before the verdict.
    ctx.session.data["date_check"] = bool(found.guessed_year or found.holiday)
    ctx.session.data["date_named"] = found.holiday
    noted = _keep_facts(ctx, ctx.text, facts, own="received_date") if facts else []
    _show_noted(ctx, noted, own="received_date")
    await _advance(ctx)


def _ask_vague_date(ctx: Context, found: DateRead) -> None:
    """Asks for the day of a period, offering the date of the holiday it names."""
    calendar = ctx.services.policy.calendar
    holiday = found.holiday
    day = holiday_date(holiday, ctx.today, calendar.holiday_name) if holiday else None
    if holiday and day is not None:
        ctx.session.data["date_offer"] = day.isoformat()
        ctx.session.state = "date"
        ctx.ask(
            f"{holiday} terakhir jatuh pada {tanggal(day, weekday=True)}. "
            "Tanggal berapa tepatnya pemberian itu diterima?",
            (Choice(DATE_OFFER, tanggal(day)), *_buttons("date"), BACK),
        )
        return
    ctx.say(VAGUE_DATE)
    _ask_state(ctx, "date")


async def _take_date_confirm(ctx: Context) -> None:
    """Takes "ya" or "bukan" for a date whose year was guessed."""
    said = {DATE_OK: "ya", DATE_NOT: "tidak"}.get(ctx.choice or "")
    said = said or (yes_no(ctx.text) if ctx.choice is None else None)
    if said == "ya":
        ctx.session.data.pop("date_check", None)
        await _advance(ctx)
        return
    ctx.session.data.pop("received_date", None)
    ctx.session.data.pop("date_check", None)
    retyped = said == "tidak" and ctx.choice is None and "received_date" in _read(ctx, ctx.text)
    if (said is None and ctx.text) or retyped:
        # A new date typed instead of yes or no, or after it ("bukan, tgl 20 kmrn").
        await _take_date(ctx)
        return
    ctx.say("Baik. Ketik tanggalnya lengkap dengan tahun, misalnya 10/12/2026.")
    _ask_state(ctx, "date")


async def _take_year_total(ctx: Context) -> None:
    """Stores the total from the same giver over the period asked, and decides."""
    typed_only = plain(ctx.text) in ONLY_THIS_WORDS or typed_skip(ctx.text) or ctx.text == "-"
    if ctx.choice == ONLY_THIS or (ctx.choice is None and typed_only):
        ctx.session.data["year_total_rp"] = ctx.session.data.get("value_rp") or 0
        await _decide(ctx)
        return
    if ctx.choice is None and is_unknown(ctx.text):
        # "gatau", "lupa": the limit cannot be checked; never a re-ask loop.
        ctx.session.data["year_total_unknown"] = True
        await _decide(ctx)
        return
    value = _rupiah(ctx.text)
    if value is None:
        if not await _typed_question(ctx):
            ctx.say(BAD_VALUE)
        _ask_state(ctx, "year_total")
        return
    ctx.session.data["year_total_rp"] = value
    await _decide(ctx)


async def _take_coi(ctx: Context) -> None:
    """Stores whether there is a conflict of interest and decides."""
    answers = {"cek:coi:ya": "ya", "cek:coi:tidak": "tidak", "cek:coi:ragu": "ragu"}
    typed = typed_coi(ctx.text) if ctx.choice is None else None
    if typed is None and ctx.choice is None and ctx.text and not _hypothetical(ctx.text):
        typed = read_coi(ctx.text)  # "lagi ngurus izin usaha", "ga ada urusan kerja"
    if typed is not None:
        ctx.session.data["coi"] = typed
        await _decide(ctx)
        return
    if ctx.choice not in answers:
        await _not_read(ctx, "coi", REASK["coi"])
        return
    ctx.session.data["coi"] = answers[ctx.choice]
    await _decide(ctx)


def typed_coi(text: str) -> str | None:
    """ "ya", "tidak" or "ragu" for a typed answer to the conflict-of-interest question.

    A hedged "ada" counts as yes and a hedged "tidak" as unsure: the safer reading each way."""
    words = plain(text).split()
    if not words:
        return None
    pairs = set(itertools.pairwise(words))
    unsure_pair = any(a in NO | {"belum", "kurang"} and b == "yakin" for a, b in pairs)
    if is_unknown(text) or unsure_pair or UNSURE_WORDS & set(words) - HEDGES:
        return "ragu"
    said = yes_no(text, COI_WORDS)
    if HEDGES & set(words):
        return "ya" if said == "ya" else "ragu"
    return said


def facts_from(data: Mapping[str, object]) -> Facts:
    """The check's answers as evaluator facts."""
    coi = data.get("coi")
    value = data.get("value_rp")
    total = data.get("year_total_rp")
    return Facts(
        giver_relation=str(data["giver_relation"]),
        occasion=str(data["occasion"]),
        object_type=str(data["object_type"]),
        value_rp=value if isinstance(value, int) else None,
        received=date.fromisoformat(str(data["received_date"])),
        year_total_rp=total if isinstance(total, int) else None,
        conflict_of_interest=None if coi in (None, "ragu") else coi == "ya",
        coi_unsure=coi == "ragu",
        year_total_unknown=bool(data.get("year_total_unknown")),
    )


_GOLD = re.compile(r"\b(?:emas|logam mulia|antam)\b", re.IGNORECASE)
GOLD_NOTE = (
    'Emas (logam mulia): belum ada sumber yang menegaskan apakah termasuk "alat tukar '
    'lainnya", yang tidak dikecualikan; paling aman laporkan.'
)


async def _decide(ctx: Context) -> None:
    rules = _rules(ctx)
    facts = facts_from(ctx.session.data)
    if rules is None:
        verdict = Verdict("consult", None, None, "Aturan pengecualian belum dimuat di bot ini.")
    else:
        outcome = evaluate(rules, facts)
        if isinstance(outcome, str):
            _ask_state(ctx, outcome)
            return
        verdict = outcome
    if verdict.kind == "exempt" and _GOLD.search(str(ctx.session.data.get("description", ""))):
        # The FAQ (voucher-emoney) says the same: whether gold is a means of exchange, which
        # the colleague letter excludes, no source settles.
        verdict = dataclasses.replace(verdict, notes=(*verdict.notes, GOLD_NOTE))
    ctx.session.state = "done"
    ctx.session.data["verdict"] = verdict.kind
    # The unconfirmed lettering is said once per conversation, not under every verdict.
    lettering = verdict.version_note if not ctx.session.memo.get(LETTERING_SHOWN) else None
    if lettering:
        ctx.session.memo[LETTERING_SHOWN] = True
    text = verdict_text(
        verdict, facts, ctx.services.policy, ctx.today, rules=rules, lettering=lettering
    )
    ctx.ask(text, _after(verdict))


def _after(verdict: Verdict) -> tuple[Choice, ...]:
    if verdict.kind == "must_report":
        return choices((REPORT, "Lapor sekarang"), (AGAIN, "Cek pemberian lain"), (MENU, "Menu"))
    if verdict.kind == "consult":
        # Reporting is the safe choice while the UPPG is asked (at most three buttons: WhatsApp).
        return choices(
            (REPORT, "Lapor sekarang"), (CONTACT, "Kontak UPPG"), (AGAIN, "Cek pemberian lain")
        )
    return choices((AGAIN, "Cek pemberian lain"), (MENU, "Menu"))


def basis_line(verdict: Verdict, rules: RuleSet | None) -> str:
    """The one dated basis line: the article, and which gifts that version of the rules judges."""
    if verdict.version is None or rules is None:
        return f"Dasar: {verdict.basis}."
    return f"Dasar: {verdict.basis} (untuk {rules.period_text(verdict.version)})."


def deadline_lines(received: date, policy: Policy, today: date) -> list[str]:
    """The reporting deadlines of a gift that must be reported, as of today."""
    kpk = kpk_due(received, policy)
    if today > kpk and policy.kpk_deadline_workdays != STATUTE_WORKDAYS:
        # A stricter local figure: the statute's 30 days are stated as the statute's.
        return [
            f"Batas {policy.kpk_deadline_workdays} hari kerja ke KPK yang dipakai UPPG "
            f"({tanggal(kpk, short=True)}) sudah lewat. Tetap laporkan segera: Pasal 12C "
            f"UU 20/2001 melindungi laporan dalam {STATUTE_WORKDAYS} hari kerja; lewat itu "
            "Pasal 12B tetap berlaku, dan menurut PerKPK 1/2026 laporan terlambat dapat "
            "ditetapkan menjadi milik negara."
        ]
    if today > kpk:
        return [
            f"Batas {policy.kpk_deadline_workdays} hari kerja ({tanggal(kpk, short=True)}) "
            "sudah lewat. Tetap laporkan "
            "segera: Pasal 12B UU 20/2001 tetap berlaku, dan menurut PerKPK 1/2026 laporan "
            "terlambat dapat ditetapkan menjadi milik negara."
        ]
    uppg = uppg_due(received, policy)
    lines = [
        f"Lapor ke UPPG paling lambat {tanggal(uppg, weekday=True)} "
        f"({policy.uppg_deadline_workdays} hari kerja).",
        f"Batas ke KPK: {tanggal(kpk, weekday=True)} "
        f"({statute_days(policy.kpk_deadline_workdays, 'Pasal 12C UU 20/2001')}).",
    ]
    if today > uppg:
        lines.append("Batas ke UPPG sudah lewat: laporkan hari ini juga.")
    left = workdays_left(today, kpk, policy)
    if left <= DIRECT_TO_KPK_WORKDAYS:
        lines.append(
            f"Tinggal {left} hari kerja sampai batas {policy.kpk_deadline_workdays} hari kerja: "
            "laporkan juga langsung "
            "ke KPK lewat GOL (gol.kpk.go.id)."
        )
    return lines


def judged_line(facts: Facts) -> str:
    """What the verdict was given on, so a misread answer shows."""
    parts = [
        vocab.GIVER_RELATIONS.get(facts.giver_relation, facts.giver_relation),
        vocab.OCCASIONS.get(facts.occasion, facts.occasion),
        vocab.OBJECT_TYPES.get(facts.object_type, facts.object_type),
        rupiah(facts.value_rp) if facts.value_rp is not None else "nilai belum diketahui",
        f"diterima {tanggal(facts.received, weekday=True)}",
    ]
    return "Yang dinilai: " + " · ".join(parts) + "."


def verdict_text(
    verdict: Verdict,
    facts: Facts,
    policy: Policy,
    today: date,
    *,
    rules: RuleSet | None = None,
    lettering: str | None = None,
) -> str:
    """The verdict as the user reads it: result, why, the dated basis, what to do.

    `lettering` is the unverified-lettering note, passed only the first time in a
    conversation."""
    lines: list[str] = []
    if verdict.kind == "must_report":
        lines += ["Hasil: WAJIB LAPOR.", verdict.reason]
    elif verdict.kind == "exempt":
        lines += ["Hasil: TIDAK WAJIB LAPOR, bila semua syarat ini terpenuhi:"]
        lines += [f"• {c}" for c in verdict.conditions]
        lines.append(verdict.reason)
    else:
        lines += ["Hasil: KONSULTASIKAN KE UPPG.", verdict.reason]
    lines.append(basis_line(verdict, rules))
    lines += list(verdict.notes)
    if lettering:
        lines.append(lettering)
    if verdict.kind == "must_report":
        lines += deadline_lines(facts.received, policy, today)
        if facts.object_type == "makanan":
            lines.append(PERISHABLE)
    elif verdict.kind == "consult":
        # The deadlines run while the UPPG is asked: a consult must not let them pass.
        lines.append(CONSULT_DEADLINES)
        lines += deadline_lines(facts.received, policy, today)
    elif verdict.kind == "exempt":
        lines.append("Bila ada syarat yang tidak terpenuhi, pemberian itu wajib dilaporkan.")
    lines.append(judged_line(facts))
    return "\n".join(lines)


def prefill(data: Mapping[str, object]) -> dict[str, object]:
    """The answers in the shape the declaration flow reads from memo["lapor_prefill"]."""
    # Every fact the check has (all of them after a verdict; some when the reporter asks to
    # report before the check is done).
    keys = ("giver_relation", "occasion", "object_type", "received_date")
    out: dict[str, object] = {key: data[key] for key in keys if data.get(key) is not None}
    if isinstance(data.get("value_rp"), int):
        out["value_rp"] = data["value_rp"]
    told = data.get(TOLD)
    if isinstance(told, list) and told:
        # What the reporter told: the declaration reads it (description, name, place) and
        # keeps it as the chronology; the answers above stay as the check has them.
        out["story"] = "\n".join(str(t) for t in told)[:TOLD_LIMIT]
    return out


REPORT_BEFORE_VERDICT = "Baik, kita langsung buat laporannya dengan yang sudah Anda sebutkan."
NOT_NOW = "Baik. Bila nanti ingin melapor atau bertanya, pilih menu di bawah."
REPORT_WORDS = {"lapor", "lapor sekarang", "mau lapor", "ok lapor", "oke lapor", "laporkan"}
REPORT_WORDS |= {"ya lapor", "iya lapor", "siap lapor", "langsung lapor", "lapor aja", "lapor saja"}
# Typed at a question, these tell nothing about the gift ("sekarang" is no date received).
NOT_FACTS = {"sekarang", "ya sekarang", "lanjut sekarang", "ya lanjutkan", "lanjutkan"}


def _wants_to_report(text: str) -> bool:
    """A typed yes (or "lapor sekarang") under a verdict that says the gift must be reported."""
    said = plain(text)
    return said in REPORT_WORDS or (len(said.split()) <= 3 and yes_no(text) == "ya")


async def _after_verdict(ctx: Context) -> None:
    """Handles the buttons under the verdict; typed text goes to the FAQ."""
    choice = ctx.choice
    must = ctx.session.data.get("verdict") == "must_report"
    if choice is None and must and _wants_to_report(ctx.text):
        choice = REPORT  # "iya", "ok lapor": the answer to "Lapor sekarang"
    # "Lapor sekarang" is offered under "wajib lapor" and under "konsultasikan".
    reportable = must or ctx.session.data.get("verdict") == "consult"
    if choice is None and len(plain(ctx.text).split()) <= 3 and yes_no(ctx.text) == "tidak":
        ctx.session.reset_flow()  # "gak", "nanti saja": no question for the FAQ
        await menu.show_menu(ctx, NOT_NOW)
        return
    if choice == REPORT and reportable:
        ctx.session.memo[PREFILL_KEY] = prefill(ctx.session.data)
        ctx.session.reset_flow()
        await declaration.FLOW.start(ctx)
        return
    if choice == AGAIN:
        await start(ctx)
        return
    ctx.session.reset_flow()
    if choice == CONTACT:
        entry = await ctx.services.faq.get("uppg-kontak")
        await menu.show_menu(ctx, entry.answer if entry and entry.answer else texts.FAQ_UNKNOWN)
        return
    if choice is None and ctx.text:
        await ask.answer(ctx)
        return
    await menu.show_menu(ctx)


async def _take_giver(ctx: Context) -> None:
    """Stores who gave it and asks the occasion."""
    await _take_code(ctx, "giver")


async def _take_occasion(ctx: Context) -> None:
    """Stores the occasion and asks what was given; "Lainnya (lomba, dll.)" shows the rest."""
    await _take_code(ctx, "occasion")


async def _take_more_occasion(ctx: Context) -> None:
    """Stores an occasion from the second page and asks what was given."""
    await _take_code(ctx, "occasion", asked="occasion_more")


async def _take_object(ctx: Context) -> None:
    """Stores what was given and asks its value."""
    await _take_code(ctx, "object")


# Which step takes the answer in each state.
TRANSITIONS: dict[str, Step] = {
    "giver": _take_giver,
    "occasion": _take_occasion,
    "occasion_more": _take_more_occasion,
    "object": _take_object,
    "value": _take_value,
    "date": _take_date,
    "date_confirm": _take_date_confirm,
    "year_total": _take_year_total,
    "coi": _take_coi,
    "done": _after_verdict,
}


async def handle(ctx: Context) -> None:
    """Takes the answer to the current question."""
    state = ctx.session.state or "giver"
    if ctx.choice == BACK.id and state in PREVIOUS:
        _ask_state(ctx, PREVIOUS[state])
        return
    step = TRANSITIONS.get(state, _after_verdict)
    if step is not _after_verdict and ctx.choice is None and plain(ctx.text) in REPORT_WORDS:
        # "lapor sekarang" before the verdict: the declaration, with what was told so far.
        ctx.session.memo[PREFILL_KEY] = prefill(ctx.session.data)
        ctx.session.reset_flow()
        ctx.say(REPORT_BEFORE_VERDICT)
        await declaration.FLOW.start(ctx)
        return
    if step is not _after_verdict and ctx.choice is None and smalltalk.complains(ctx.text):
        # "bot gak guna" at a question: an apology with the UPPG's contact and the same
        # question again (its "gak" answers nothing).
        ctx.say(await ask.form_apology(ctx))
        _ask_state(ctx, state)
        return
    if await _correct(ctx, state):
        return
    await step(ctx)


FLOW = Flow(name=NAME, start=start, handle=handle, resume=resume)
