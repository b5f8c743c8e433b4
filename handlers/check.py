"""The "Cek wajib lapor" check: a few questions, then a ruled verdict with its legal basis.

Asks who gave it, the occasion (the less common ones on a second page), what it was, its value
and the date received; then, only when the rule that applies needs it, whether there is a
conflict of interest and the total from the same giver over the year. The verdict comes from
handlers/exemptions.py with the rule version in force on the date received. "Wajib lapor"
offers to start a declaration with these answers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from datetime import date

from bot.messages import Choice, choices
from handlers import ask, declaration, menu, texts, vocab
from handlers.context import Context
from handlers.deadlines import (
    DIRECT_TO_KPK_WORKDAYS,
    kpk_due,
    uppg_due,
    workdays_left,
)
from handlers.exemptions import Facts, RuleSet, Verdict, evaluate, span_text
from handlers.flow import Flow, Step
from handlers.formatting import rupiah, tanggal
from handlers.parsing import parse_date, parse_money
from handlers.ports import Policy
from handlers.typed import NO, TYPED_WORDS, YES, looks_like_question, plain

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
PICK_BUTTON = "Silakan pilih salah satu tombol di bawah."

UNKNOWN_VALUE = {"tidak tahu", "tidak tau", "gak tau", "ga tau", "gatau", "entah", "nggak tahu"}
UNKNOWN_VALUE |= {"gk tau", "gk tahu", "tdk tahu", "tdk tau", "ngga tau", "nggak tau", "lupa"}
# Typed at the year-total question: there was no other gift from that giver.
ONLY_THIS_WORDS = {"hanya ini", "hanya yang ini", "cuma ini", "cuma itu", "baru ini", "itu saja"}
ONLY_THIS_WORDS |= {"ini saja", "itu aja", "ini aja", "baru sekali", "sekali", "satu kali"}
ONLY_THIS_WORDS |= {"tidak ada", "tdk ada", "gak ada", "gk ada", "ga ada", "nggak ada", "belum"}
ONLY_THIS_WORDS |= {"belum pernah", "tidak ada lagi", "gak ada lagi", "-", "0", "nol"}
# Typed at the conflict-of-interest question, beyond yes and no.
COI_YES = {"ada", "ya ada", "iya ada", "ada urusan", "punya", "iya punya", "rekanan", "vendor"}
COI_NO = {"tidak ada", "tdk ada", "gak ada", "gk ada", "ga ada", "nggak ada", "ngga ada"}
COI_NO |= {"enggak ada", "tidak punya", "gak punya", "ga punya", "tidak ada urusan", "bukan"}

CODE_SETS: dict[str, Mapping[str, str]] = {
    "giver": vocab.GIVER_RELATIONS,
    "occasion": vocab.OCCASIONS,
    "object": vocab.OBJECT_TYPES,
}
DATA_KEYS = {"giver": "giver_relation", "occasion": "occasion", "object": "object_type"}


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
    if state == "value":
        return choices((VALUE_UNKNOWN, "Tidak tahu nilainya"))
    if state == "date":
        return choices((DATE_TODAY, "Hari ini"), (DATE_YESTERDAY, "Kemarin"))
    if state == "coi":
        return COI_CHOICES
    return ()


def _question(ctx: Context, state: str) -> str:
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
    """Begins the check and asks who gave the gift."""
    ctx.session.reset_flow()
    ctx.session.flow = NAME
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")
    _ask_state(ctx, "giver")


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


def _label_parts(label: str) -> list[str]:
    """ "Kegiatan resmi/narasumber" -> ["kegiatan resmi", "narasumber"] (for word matching)."""
    return [plain(part) for part in label.split("/") if plain(part)]


def typed_code(state: str, text: str) -> str | None:
    """The one code a typed answer names: its label or part of it ("narasumber"), or an
    everyday word for it ("vendor", "kondangan", "amplop"). The longest phrase found wins
    ("promosi jabatan" over "promosi"); "Lainnya" only when nothing else fits; None when
    nothing, or two things equally, fit."""
    typed = plain(text)
    if not typed:
        return None
    padded = f" {typed} "
    options = CODE_SETS[state]
    phrases = [(plain(code), code) for code in options]
    phrases += [(part, code) for code, label in options.items() for part in _label_parts(label)]
    phrases += [(word, code) for word, code in TYPED_WORDS.items() if code in options]
    best: dict[str, int] = {}
    for phrase, code in phrases:
        if f" {phrase} " in padded:
            best[code] = max(best.get(code, 0), len(phrase.split()))
    if len(best) > 1:
        best.pop("lainnya", None)
    if not best:
        return None
    longest = max(best.values())
    found = [code for code, size in best.items() if size == longest]
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
    if code is None and ctx.choice is None:
        code = typed_code(state, ctx.text)
    if code is None or code not in CODE_SETS[state]:
        if not await _typed_question(ctx):
            ctx.say(PICK_BUTTON)
        _ask_state(ctx, asked)
        return
    ctx.session.data[DATA_KEYS[state]] = code
    _ask_state(ctx, STEPS[STEPS.index(state) + 1])


async def _take_value(ctx: Context) -> None:
    """Stores the value (or "unknown") and asks for the date."""
    if ctx.choice == VALUE_UNKNOWN or ctx.text.casefold() in UNKNOWN_VALUE:
        ctx.session.data["value_rp"] = None
        _ask_state(ctx, "date")
        return
    value = _rupiah(ctx.text)
    if value is None:
        if not await _typed_question(ctx):
            ctx.say(BAD_VALUE)
        _ask_state(ctx, "value")
        return
    ctx.session.data["value_rp"] = value
    _ask_state(ctx, "date")


def _rupiah(text: str) -> int | None:
    """A positive amount in whole rupiah, or None."""
    money = parse_money(text)
    return money.value if money is not None and money.value > 0 else None


async def _take_date(ctx: Context) -> None:
    """Stores the date received and gives the verdict (or asks what the rule still needs)."""
    today = ctx.now.date()
    if ctx.choice == DATE_TODAY:
        received: date | None = today
    elif ctx.choice == DATE_YESTERDAY:
        received = date.fromordinal(today.toordinal() - 1)
    else:
        received = parse_date(ctx.text, today)
    if received is None:
        if not await _typed_question(ctx):
            ctx.say(BAD_DATE)
        _ask_state(ctx, "date")
        return
    if received > today:
        ctx.say(FUTURE_DATE)
        _ask_state(ctx, "date")
        return
    ctx.session.data["received_date"] = received.isoformat()
    await _decide(ctx)


async def _take_year_total(ctx: Context) -> None:
    """Stores the total from the same giver over the period asked, and decides."""
    said = " ".join(ctx.text.casefold().split()).rstrip(".!")
    if ctx.choice == ONLY_THIS or (ctx.choice is None and said in ONLY_THIS_WORDS):
        ctx.session.data["year_total_rp"] = ctx.session.data.get("value_rp") or 0
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
    if typed is not None:
        ctx.session.data["coi"] = typed
        await _decide(ctx)
        return
    if ctx.choice not in answers:
        if not await _typed_question(ctx):
            ctx.say(PICK_BUTTON)
        _ask_state(ctx, "coi")
        return
    ctx.session.data["coi"] = answers[ctx.choice]
    await _decide(ctx)


UNSURE_WORDS = {"ragu", "mungkin", "entah", "entahlah", "tau", "tahu", "kurang", "bingung"}
UNSURE_WORDS |= {"gatau", "gatahu", "gktau", "gktahu", "ntah"}
HEDGES = {"sepertinya", "kayaknya", "kayanya", "rasanya", "mungkin", "barangkali"}
NEGATIONS = NO | {"belum", "kurang"}


def _word(word: str) -> str:
    """ "iyaa" -> "iya", "tidakk" -> "tidak", "ragu2" -> "ragu": chat spelling undone."""
    return re.sub(r"(.)\1+$", r"\1", word.rstrip("2"))


def typed_coi(text: str) -> str | None:
    """ "ya", "tidak" or "ragu" for a typed answer to the conflict-of-interest question.

    A hedged "ada" counts as yes and a hedged "tidak" as unsure: the safer reading each way."""
    words = [_word(w) for w in plain(text).split()]
    if not words:
        return None
    said = " ".join(words)
    pairs = set(itertools.pairwise(words))
    if UNSURE_WORDS & set(words) - {"mungkin"} or any(
        a in NEGATIONS and b == "yakin" for a, b in pairs
    ):
        return "ragu"
    says_yes = said in COI_YES or said in YES or bool({"ada", "ya", "iya", "punya"} & set(words))
    says_no = said in COI_NO or said in NO or words[0] in NO or bool(NO & set(words))
    if HEDGES & set(words):
        return "ya" if says_yes and not says_no else "ragu"
    if says_no:
        return "tidak"
    if says_yes:
        return "ya"
    return None


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
    ctx.session.state = "done"
    ctx.session.data["verdict"] = verdict.kind
    # The unconfirmed lettering is said once per conversation, not under every verdict.
    lettering = verdict.version_note if not ctx.session.memo.get(LETTERING_SHOWN) else None
    if lettering:
        ctx.session.memo[LETTERING_SHOWN] = True
    text = verdict_text(
        verdict, facts, ctx.services.policy, ctx.now.date(), rules=rules, lettering=lettering
    )
    ctx.ask(text, _after(verdict))


def _after(verdict: Verdict) -> tuple[Choice, ...]:
    if verdict.kind == "must_report":
        return choices((REPORT, "Lapor sekarang"), (AGAIN, "Cek pemberian lain"), (MENU, "Menu"))
    if verdict.kind == "consult":
        return choices((CONTACT, "Kontak UPPG"), (AGAIN, "Cek pemberian lain"), (MENU, "Menu"))
    return choices((AGAIN, "Cek pemberian lain"), (MENU, "Menu"))


def basis_line(verdict: Verdict, rules: RuleSet | None) -> str:
    """The one dated basis line: the article, and which gifts that version of the rules judges."""
    if verdict.version is None or rules is None:
        return f"Dasar: {verdict.basis}."
    return f"Dasar: {verdict.basis} (untuk {rules.period_text(verdict.version)})."


def deadline_lines(received: date, policy: Policy, today: date) -> list[str]:
    """The reporting deadlines of a gift that must be reported, as of today."""
    kpk = kpk_due(received, policy)
    if today > kpk:
        return [
            f"Batas 30 hari kerja ({tanggal(kpk, short=True)}) sudah lewat. Tetap laporkan "
            "segera: Pasal 12B UU 20/2001 tetap berlaku, dan menurut PerKPK 1/2026 laporan "
            "terlambat dapat ditetapkan menjadi milik negara."
        ]
    uppg = uppg_due(received, policy)
    lines = [
        f"Lapor ke UPPG paling lambat {tanggal(uppg, weekday=True)} "
        f"({policy.uppg_deadline_workdays} hari kerja).",
        f"Batas ke KPK: {tanggal(kpk, weekday=True)} "
        f"({policy.kpk_deadline_workdays} hari kerja, Pasal 12C UU 20/2001).",
    ]
    if today > uppg:
        lines.append("Batas ke UPPG sudah lewat: laporkan hari ini juga.")
    left = workdays_left(today, kpk, policy)
    if left <= DIRECT_TO_KPK_WORKDAYS:
        lines.append(
            f"Tinggal {left} hari kerja sampai batas 30 hari kerja: laporkan juga langsung "
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
    elif verdict.kind == "exempt":
        lines.append("Bila ada syarat yang tidak terpenuhi, pemberian itu wajib dilaporkan.")
    lines.append(judged_line(facts))
    return "\n".join(lines)


def prefill(data: Mapping[str, object]) -> dict[str, object]:
    """The answers in the shape the declaration flow reads from memo["lapor_prefill"]."""
    out: dict[str, object] = {
        "giver_relation": data["giver_relation"],
        "occasion": data["occasion"],
        "object_type": data["object_type"],
        "received_date": data["received_date"],
    }
    if isinstance(data.get("value_rp"), int):
        out["value_rp"] = data["value_rp"]
    return out


async def _after_verdict(ctx: Context) -> None:
    """Handles the buttons under the verdict; typed text goes to the FAQ."""
    choice = ctx.choice
    if choice == REPORT and ctx.session.data.get("verdict") == "must_report":
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
    await step(ctx)


FLOW = Flow(name=NAME, start=start, handle=handle, resume=resume)
