"""The "Cek wajib lapor" check: a few questions, then a ruled verdict with its legal basis.

Asks who gave it, the occasion, what it was, its value and the date received; then, only when
the rule that applies needs it, the year's total from the same giver and whether there is a
conflict of interest. The verdict comes from handlers/exemptions.py with the rule version in
force on the date received. "Wajib lapor" offers to start a declaration with these answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.messages import Choice, choices
from handlers import ask, declaration, menu, texts, vocab
from handlers.context import Context
from handlers.exemptions import Facts, RuleSet, Verdict, evaluate
from handlers.flow import Flow, Step
from handlers.formatting import rupiah, tanggal
from handlers.parsing import parse_date, parse_money
from handlers.ports import Policy
from handlers.typed import NO, YES, looks_like_question, plain, typed_words_code

NAME = "cek"
PREFIX = "cek:"
PREFILL_KEY = "lapor_prefill"

# The order of the questions; "year_total" and "coi" are asked only when a rule needs them.
STEPS = ("giver", "occasion", "object", "value", "date")

VALUE_UNKNOWN = "cek:value:unknown"
DATE_TODAY = "cek:date:today"
DATE_YESTERDAY = "cek:date:yesterday"
COI_CHOICES = choices(
    ("cek:coi:ya", "Ya, ada urusan"),
    ("cek:coi:tidak", "Tidak ada"),
    ("cek:coi:ragu", "Tidak yakin"),
)
# KPK circulars (e.g. SE B/3956/GTF.00.02/01-13/05/2019): perishable food may go to social aid.
PERISHABLE = (
    "Makanan yang mudah rusak dan tidak bisa dikembalikan boleh disalurkan ke panti "
    "atau pihak yang membutuhkan. Dokumentasikan, lalu laporkan."
)
BACK = Choice("cek:back", "Kembali")
# The question "Kembali" returns to, by the question on screen.
PREVIOUS = {
    "occasion": "giver",
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
    "object": "(3/5) Apa bentuk pemberiannya?",
    "value": ('(4/5) Berapa perkiraan nilainya?\nContoh: "750rb", "1,5 jt", atau "Rp2.000.000".'),
    "date": (
        "(5/5) Kapan pemberian itu diterima?\n"
        'Contoh: "hari ini", "kemarin", "17/11/2026", atau "17 Nov 2026".'
    ),
    "year_total": (
        "Berapa total semua pemberian dari pemberi yang sama tahun ini, "
        "termasuk yang ini?\n"
        'Contoh: "800rb". Bila hanya yang ini, ketik nilainya lagi.'
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

CODE_SETS: dict[str, Mapping[str, str]] = {
    "giver": vocab.GIVER_RELATIONS,
    "occasion": vocab.OCCASIONS,
    "object": vocab.OBJECT_TYPES,
}
DATA_KEYS = {"giver": "giver_relation", "occasion": "occasion", "object": "object_type"}


def _buttons(state: str) -> tuple[Choice, ...]:
    if state in CODE_SETS:
        return tuple(Choice(f"{PREFIX}{state}:{c}", label) for c, label in CODE_SETS[state].items())
    if state == "value":
        return choices((VALUE_UNKNOWN, "Tidak tahu nilainya"))
    if state == "date":
        return choices((DATE_TODAY, "Hari ini"), (DATE_YESTERDAY, "Kemarin"))
    if state == "coi":
        return COI_CHOICES
    return ()


def _ask_state(ctx: Context, state: str) -> None:
    ctx.session.state = state
    buttons = _buttons(state) + ((BACK,) if state in PREVIOUS else ())
    ctx.ask(QUESTIONS[state], buttons, free_text=state not in CODE_SETS and state != "coi")


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


def typed_code(state: str, text: str) -> str | None:
    """The one code whose label contains the typed word(s): "vendor", "keluarga", "uang"."""
    typed = " ".join(text.casefold().replace("/", " ").split())
    if not typed:
        return None
    found = [
        code
        for code, label in CODE_SETS[state].items()
        if typed == code
        or f" {typed} " in f" {' '.join(label.casefold().replace('/', ' ').split())} "
    ]
    if len(found) == 1:
        return found[0]
    return typed_words_code(typed, CODE_SETS[state])


async def _take_code(ctx: Context, state: str) -> None:
    """Stores the pressed (or typed) code and asks the next question."""
    choice = ctx.choice or ""
    prefix = f"{PREFIX}{state}:"
    code = choice[len(prefix) :] if choice.startswith(prefix) else None
    if code is None and ctx.choice is None:
        code = typed_code(state, ctx.text)
    if code is None or code not in CODE_SETS[state]:
        if not await _typed_question(ctx):
            ctx.say(PICK_BUTTON)
        _ask_state(ctx, state)
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
    """Stores the year's total from the same giver and decides."""
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
    said = plain(ctx.text)
    if ctx.choice is None and (said in YES or said in NO):
        ctx.session.data["coi"] = "ya" if said in YES else "tidak"
        await _decide(ctx)
        return
    if ctx.choice not in answers:
        if not await _typed_question(ctx):
            ctx.say(PICK_BUTTON)
        _ask_state(ctx, "coi")
        return
    ctx.session.data["coi"] = answers[ctx.choice]
    await _decide(ctx)


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
    text = verdict_text(verdict, facts, ctx.services.policy, ctx.now.date())
    ctx.ask(text, _after(verdict))


def _after(verdict: Verdict) -> tuple[Choice, ...]:
    if verdict.kind == "must_report":
        return choices((REPORT, "Lapor sekarang"), (AGAIN, "Cek pemberian lain"), (MENU, "Menu"))
    if verdict.kind == "consult":
        return choices((CONTACT, "Kontak UPPG"), (AGAIN, "Cek pemberian lain"), (MENU, "Menu"))
    return choices((AGAIN, "Cek pemberian lain"), (MENU, "Menu"))


def _rule_line(verdict: Verdict) -> str:
    if verdict.version is None:
        return ""
    return (
        f"Aturan yang berlaku pada tanggal diterima: {verdict.version.title} "
        f"(untuk pemberian sejak {verdict.version.applies_from.strftime('%d/%m/%Y')})."
    )


def deadline_lines(received: date, policy: Policy, today: date) -> list[str]:
    """The two reporting deadlines in working days from the date received, and lateness."""
    calendar = policy.calendar
    uppg = calendar.add_workdays(received, policy.uppg_deadline_workdays)
    kpk = calendar.add_workdays(received, policy.kpk_deadline_workdays)
    uppg_text, kpk_text = tanggal(uppg, weekday=True), tanggal(kpk, weekday=True)
    lines = [
        f"Batas lapor ke UPPG ({policy.uppg_deadline_workdays} hari kerja): {uppg_text}.",
        f"Batas lapor ke KPK ({policy.kpk_deadline_workdays} hari kerja): {kpk_text}.",
    ]
    if today > kpk:
        lines.append(
            "Batas 30 hari kerja sudah lewat. Tetap laporkan segera: sejak 20 Jan 2026 laporan "
            "terlambat dapat ditetapkan menjadi milik negara (PerKPK 1/2026)."
        )
    elif today > uppg:
        lines.append("Batas ke UPPG sudah lewat. Laporkan hari ini juga.")
    return lines


def verdict_text(verdict: Verdict, facts: Facts, policy: Policy, today: date) -> str:
    """The verdict as the user reads it: result, why, which rule, basis, what to do."""
    lines: list[str] = []
    if verdict.kind == "must_report":
        lines += ["Hasil: WAJIB LAPOR.", verdict.reason]
    elif verdict.kind == "exempt":
        lines += ["Hasil: TIDAK WAJIB LAPOR, bila semua syarat ini terpenuhi:"]
        lines += [f"• {c}" for c in verdict.conditions]
        lines.append(verdict.reason)
    else:
        lines += ["Hasil: KONSULTASIKAN KE UPPG.", verdict.reason]
    rule_line = _rule_line(verdict)
    if rule_line:
        lines.append(rule_line)
    lines.append(f"Dasar: {verdict.basis}")
    lines += list(verdict.notes)
    if verdict.kind == "must_report":
        lines += deadline_lines(facts.received, policy, today)
        if facts.object_type == "makanan":
            lines.append(PERISHABLE)
    elif verdict.kind == "exempt":
        lines.append("Bila ada syarat yang tidak terpenuhi, laporkan. Bila ragu, tanyakan UPPG.")
    if facts.value_rp is not None and verdict.kind != "exempt":
        lines.append(f"Nilai yang Anda sebut: {rupiah(facts.value_rp)}.")
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
    """Stores the occasion and asks what was given."""
    await _take_code(ctx, "occasion")


async def _take_object(ctx: Context) -> None:
    """Stores what was given and asks its value."""
    await _take_code(ctx, "object")


# Which step takes the answer in each state.
TRANSITIONS: dict[str, Step] = {
    "giver": _take_giver,
    "occasion": _take_occasion,
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
