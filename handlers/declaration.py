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

from bot.messages import choices
from handlers import ask, declaration_help, menu, parsing, smalltalk, vocab
from handlers import declaration_parsers as dp
from handlers import declaration_steps as ds
from handlers.answers import IDENTITY_KEYS, AnswerKey, Answers
from handlers.context import Context
from handlers.declaration_ask import (
    BACK,
    KEEP,
    SKIP,
    STEP_BY_STEP,
    UNKNOWN,
    advance,
    ask_again,
    ask_step,
    invalid,
    typed_edit,
)
from handlers.declaration_files import answer_attachments, is_caption, keep_files
from handlers.declaration_fix import read_correction
from handlers.declaration_identity import Reading
from handlers.declaration_more import fields_in, keep_note, read_at_choice, store_fields
from handlers.declaration_read import read_reply, story_has_content, wants_steps
from handlers.declaration_review import (
    EDIT_WORDS,
    answer_summary,
    answer_understood,
    back,
    open_edit,
)
from handlers.declaration_save import after_store, drop_draft, put, store
from handlers.declaration_store import answers, local_today, unknown_giver_details
from handlers.flow import Flow
from handlers.session import Session
from handlers.typed import (
    BUT,
    asks,
    find_words,
    is_unknown,
    looks_like_question,
    plain,
    same_as_before,
    typed_skip,
    without_preamble,
    yes_no,
)

NAME = "lapor"
RESUME = choices(("lapor:resume", "Lanjutkan draf"), ("lapor:restart", "Mulai baru"))
RESTART = choices(("lapor:restart:ya", "Ya, mulai baru"), ("lapor:resume", "Tidak, lanjutkan draf"))
PREFILL_KEYS = ("giver_relation", "occasion", "object_type", "value_rp", "received_date")
RESTART_WORDS = {"baru", "mulai baru", "ulang", "dari awal", "mulai dari awal", "buat baru"}
RESUME_WORDS = {"lanjut", "lanjutkan", "lanjutkan saja", "lanjutkan draf", "teruskan", "terus"}
DRAFT_WAITING = "Anda masih punya draf laporan yang belum selesai."
STORY_UNCLEAR = "Ceritanya belum saya pahami."
NOTHING_TO_READ = (
    "Maaf, pesan itu (misalnya stiker atau pesan suara) belum bisa saya baca. "
    "Mohon ketik jawabannya."
)


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


def _expired_text(ctx: Context) -> str:
    days = ctx.services.policy.draft_ttl_days
    return f"Draf laporan Anda sudah lebih dari {days} hari tidak dilanjutkan, jadi sudah dihapus."


async def _expire(ctx: Context) -> None:
    await drop_draft(ctx)
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
            await drop_draft(ctx)
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
    ports = ctx.services.declarations
    existed, profile = await ports.start_fresh(ctx.user_key) if ports else (False, None)
    if existed and lost_draft_note:
        # Only a draft whose session is gone (Redis lost it) gets here: a parked one is
        # offered back above, so this sentence is true when it is said.
        ctx.say("Draf laporan Anda sebelumnya tidak dapat kami temukan lagi, jadi kita mulai baru.")
    ctx.session.reset_flow()
    ctx.session.flow = NAME
    ctx.session.started_at = ctx.now.isoformat(timespec="seconds")
    ctx.session.data = {"id": uuid.uuid4().hex, "a": {}}
    _touch(ctx)
    a = answers(ctx)
    if isinstance(prefill, dict):
        _apply_prefill(a, prefill, local_today(ctx))
        if "received_date" in a and ports is not None:
            await ports.track_draft(
                user_key=ctx.user_key,
                channel=ctx.incoming.channel,
                chat_id=ctx.incoming.chat_id,
                received_date=date.fromisoformat(a["received_date"]),
            )
    consent = ctx.session.memo.get("consent_at")
    if profile:
        # A returning reporter: the saved identity is used and shown back, not asked again.
        for key in IDENTITY_KEYS:
            if profile.get(key) or key in ("nip", "email"):
                put(a, key, profile.get(key) or None)
        ctx.session.data["profile"] = str(profile.get("name") or "-")
        consent = consent or profile.get("consent_at")
    if consent:
        a["consent"] = consent
        ctx.session.memo["consent_at"] = consent
    ctx.say("Baik, kita buat laporan gratifikasi. Ketik /batal kapan saja untuk membatalkan.")
    told = prefill.get("story") if isinstance(prefill, dict) else None
    if isinstance(told, str) and told.strip():
        await _begin_with_story(ctx, told)
        return
    advance(ctx, None)


async def _begin_with_story(ctx: Context, told: str) -> None:
    """Reads the story typed before the form began (at the menu) as the story's answer;
    before consent it is kept, said so, and read once the reporter agrees."""
    if not answers(ctx).get("consent"):
        ctx.session.data["pending_story"] = told[:4000]
        ctx.say(STORY_KEPT)
        advance(ctx, None)
        return
    await _read_told_story(ctx, told, after=None)


async def _read_told_story(ctx: Context, told: str, *, after: str | None) -> None:
    """Stores a story typed earlier as the story's answer, or asks the step after `after`."""
    story = ds.BY_KEY["story"]
    parsed = story.parser(ctx, told) if story.parser is not None else None
    if isinstance(parsed, Reading) and story_has_content(parsed, ctx):
        for key in PREFILL_KEYS:
            if key in answers(ctx):
                # Answered in "Cek wajib lapor" (and perhaps corrected there): kept as is.
                parsed.values.pop(cast(AnswerKey, key), None)
        ctx.incoming = replace(ctx.incoming, text=told, choice=None)
        await store(ctx, story, parsed)
        return
    advance(ctx, after)


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
            put(a, cast(AnswerKey, key), value)


def _codes(key: str) -> dict[str, str]:
    options = ds.BY_KEY[key].options
    return options({}) if options is not None else {}


async def resume(ctx: Context) -> None:
    """Asks the current question again (after a FAQ answer, a stale button, ...)."""
    if _expired(ctx):
        await _expire(ctx)
        return
    state = ctx.session.state
    if state == "resume":
        ctx.ask(DRAFT_WAITING, RESUME, free_text=False)
    elif state == "restart":
        _ask_restart(ctx)
    else:
        ask_again(ctx)


async def cancel(ctx: Context) -> None:
    """Forgets the tracked draft when the reporter cancels."""
    await drop_draft(ctx)


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
        if answers(ctx).get("consent"):
            await keep_files(ctx)
        else:
            # Nothing personal is stored before the privacy notice is agreed to (UU 27/2022):
            # the file is not kept, and asked for again at the attachments step.
            later = int(ctx.session.data.get("files_later") or 0)
            ctx.session.data["files_later"] = later + len(ctx.incoming.attachments)
            ctx.say(FILES_BEFORE_CONSENT)
        if not ctx.text or is_caption(ctx.text):
            # "ini fotonya" says what the file is: no answer to the question on screen.
            await resume(ctx)
            return
    if not ctx.text and not choice and not ctx.incoming.attachments:
        # A sticker, a voice note, a location: nothing to read, nothing lost.
        ctx.say(NOTHING_TO_READ)
        await resume(ctx)
        return
    if choice == BACK.id:
        await back(ctx)
        return
    if state == "understood":
        await answer_understood(ctx)
        return
    if state == "summary":
        await answer_summary(ctx)
        return
    step = ds.BY_KEY.get(state)
    if step is None:
        advance(ctx, None)
        return
    await _answer_step(ctx, step)


async def _answer_step(ctx: Context, step: ds.Step) -> None:
    """Reads the reply to a step: buttons, "Lewati", "Tidak tahu", a question or an answer."""
    choice = ctx.choice or ""
    if step.key == "attachments":
        await answer_attachments(ctx, step)
        return
    if choice == KEEP.id and step.key in answers(ctx):
        ctx.session.data.pop("keep", None)
        await after_store(ctx, step, None)
        return
    if step.key == "story" and (choice == STEP_BY_STEP.id or wants_steps(ctx.text)):
        await store(ctx, step, Reading({"story": False}))
        return
    if step.optional and (choice == SKIP.id or typed_skip(ctx.text)):
        await store(ctx, step, Reading({step.key: None}))
        return
    typed_unknown = bool(ctx.text) and (is_unknown(ctx.text) or typed_skip(ctx.text))
    if step.unknown and (choice == UNKNOWN.id or typed_unknown):
        # "lewati" where "Tidak tahu" is the way past: the same answer. Who gave it unknown:
        # what else cannot be known of the giver is not asked.
        unasked = unknown_giver_details(answers(ctx)) if step.key == "giver_name" else {}
        await store(ctx, step, Reading({step.key: None, **unasked}))
        return
    if step.parser is not None and not step.optional and ctx.text and typed_skip(ctx.text):
        # "skip" at a question the report cannot do without: say so, with its help.
        invalid(ctx, step, dp.Invalid(f"Bagian ini wajib diisi. {step.help}".strip()))
        return
    if step.unknown_other and step.other and typed_unknown:
        # "ga tau", "ga ada" at the occasion: no occasion to name, said as such (in the
        # reporter's words when there are a few: "gak ada acara khusus").
        said = " ".join(ctx.text.split())[:200] if len(plain(ctx.text).split()) >= 3 else ""
        other = said or step.unknown_other
        await store(ctx, step, Reading({step.key: "lainnya", step.other: other}))
        return
    if step.key == "compensation" and ctx.text and is_unknown(ctx.text):
        # "ga tau" at the compensation question: no request, the answer that commits to
        # nothing (an approved request cannot be withdrawn), said so and changeable.
        ctx.session.data["note"] = COMPENSATION_UNSURE
        await store(ctx, step, Reading({"compensation": False}))
        return
    if not step.unknown and step.help and ctx.text and is_unknown(ctx.text):
        # "gak tau" where an answer is needed: how to answer anyway (an estimate, ...).
        ctx.say(step.help)
        ask_step(ctx, step)
        return
    if step.parser is not None and ctx.text and _greeting(ctx.text):
        # "halo pak" is no name: greeted back, and the same question again (one message).
        ask_step(ctx, step, problem="Halo! Kita lanjutkan laporan Anda.")
        return
    if ctx.text and not ctx.choice and smalltalk.complains(ctx.text):
        # "bot gak guna" at any question: no answer to it (not a "no" at the consent), an
        # apology with the UPPG's contact, and the same question again; nothing is lost.
        ask_step(ctx, step, problem=await ask.form_apology(ctx))
        return
    if ctx.text and not ctx.choice and await _change_asked(ctx, step):
        return
    if step.key in IDENTITY_KEYS and ctx.text and same_as_before(ctx.text):
        # "sama kayak tadi" at the reporter's post or unit: the earlier value, shown.
        await _same_as_before(ctx, step)
        return
    if step.key == "consent" and not ctx.choice and consent_rest(ctx.text):
        # "iya tapi ...", "boleh, tp sy mau tanya dulu ...": the rest is read, not dropped.
        await _consent_with_more(ctx, step, consent_rest(ctx.text))
        return
    if step.key == "consent" and _told_before_consent(ctx):
        # The story typed before agreeing: kept (in the session only) and read once agreed.
        ctx.session.data["pending_story"] = ctx.text[:4000]
        ask_step(ctx, step, problem=STORY_KEPT)
        return
    if step.key == "consent" and ctx.session.data.get("pending_story"):
        read = read_reply(ctx, step)
        if isinstance(read, Reading) and read.values.get("consent") == "ya":
            await _consent_then_story(ctx, step, read)
            return
    if ctx.text and not ctx.choice and step.key != "story" and not ctx.session.data.get("edit"):
        fixed = read_correction(ctx, step)
        if fixed is not None:
            # "eh nilainya tadi salah, bukan 500rb tapi 750rb" at another question: the
            # earlier answer changed and shown, then this question again.
            await _store_correction(ctx, *fixed)
            return
    read = read_reply(ctx, step)
    if read == "question":
        await _answer_question(ctx, step)
        return
    if step.key == "value_ok" and read is None and ctx.text:
        # "Rp750.000, benar?" answered with the right amount instead of "Bukan".
        value = ds.BY_KEY["value_rp"].parser
        retyped = value(ctx, ctx.text) if value is not None else None
        if isinstance(retyped, Reading):
            await store(ctx, ds.BY_KEY["value_rp"], retyped)
            return
    if step.key == "date_ok" and read is None and ctx.text:
        date_parser = ds.BY_KEY["received_date"].parser
        found = date_parser(ctx, ctx.text) if date_parser is not None else None
        if isinstance(found, Reading | dp.Invalid):
            await _retyped_date(ctx, found)
            return
    if step.key == "story" and isinstance(read, Reading) and not story_has_content(read, ctx):
        # "saya mau lapor", a stray word: not a story, and no reason to switch to steps.
        invalid(ctx, step, dp.Invalid(STORY_UNCLEAR))
        return
    if read is None and step.key not in ("consent", "value_ok", "date_ok") and ctx.text:
        elsewhere = _retyped_elsewhere(ctx, step)
        if elsewhere is not None:
            key, found = elsewhere
            if key in answers(ctx):
                # "1,5jt" at the date question: the amount, changed (and confirmed again).
                await store(ctx, ds.BY_KEY[key], found)
            else:
                # "tadi siang" at the giver's address: the date, kept and shown, then the
                # question on screen again.
                await _store_correction(ctx, ds.BY_KEY[key], found, said="Saya catat")
            return
    if read is None and step.options is not None and step.key != "consent" and ctx.text:
        # Typed text that picks no button: what it says is read, or kept as a note.
        await read_at_choice(ctx, step)
        return
    if not isinstance(read, Reading):
        invalid(ctx, step, read if isinstance(read, dp.Invalid) else None)
        return
    await store(ctx, step, read)


async def _store_correction(
    ctx: Context, target: ds.Step, read: Reading, said: str = "Saya ubah"
) -> None:
    """Stores a corrected earlier answer, says what changed, and asks what is next (the
    question on screen, or first the confirmation of a changed amount or date)."""
    for key, value in read.values.items():
        own = ds.BY_KEY.get(key)
        if own is not None:
            await own.store(ctx, value)
        else:
            put(answers(ctx), key, value)
    keys = [k for k in read.values if k in ds.BY_KEY and ds.BY_KEY[k].counted]
    lines = ds.shown_lines(keys, answers(ctx))
    if lines:
        ctx.session.data["note"] = f"{said}:\n" + "\n".join(lines)
    advance(ctx, None)


COMPENSATION_UNSURE = (
    "Saya catat: tidak meminta kompensasi. Bila KPK menetapkan objek menjadi milik negara, "
    'objek diserahkan dan tidak Anda tebus. Ingin mengubahnya? Pilih "Ubah jawaban" di '
    "ringkasan, atau konfirmasi ke UPPG."
)
CHANGE_LATER = (
    'Jawaban yang sudah diisi dapat diubah di ringkasan sebelum dikirim ("Ubah jawaban"), '
    'atau ketik misalnya "ubah nilai". Pertanyaan sebelumnya: tekan "Kembali".'
)
_CHANGE_VERBS = ("ubah ", "ganti ", "edit ", "koreksi ", "ralat ", "perbaiki ")


async def _change_asked(ctx: Context, step: ds.Step) -> bool:
    """ "ubah jawaban" typed at a question is no answer: how to change one is said; "ubah
    nilai" opens that answer (then the form goes on where it was)."""
    said = plain(ctx.text)
    if said in EDIT_WORDS - {"salah"}:
        ask_step(ctx, step, problem=CHANGE_LATER)
        return True
    if not said.startswith(_CHANGE_VERBS) or len(said.split()) > 4:
        return False
    named = typed_edit(ctx, "summary", ctx.text)
    if named is None or named.key == step.key or named.key not in answers(ctx):
        return False
    await open_edit(ctx, named, "summary")
    return True


_NAMED_VALUE = re.compile(
    r"^(?:nilai(?:nya)?|harga(?:nya)?|tanggal(?:nya)?|tgl(?:nya)?)"
    r"(?:\s+(?:jadi|menjadi|sebenarnya|itu|yang\s+benar|yg\s+benar))?\s*[:=]?\s*",
    re.IGNORECASE,
)


def _retyped_elsewhere(ctx: Context, step: ds.Step) -> tuple[str, Reading] | None:
    """A message that is only an amount or only a date, typed at another question that
    could not read it: the answer to that question (also a change of an earlier one)."""
    # "eh salah, nilainya 750rb": a correction, the field named before the value.
    text = _NAMED_VALUE.sub("", without_preamble(ctx.text), count=1)
    today = local_today(ctx)
    whole_amount = parsing.parse_money(text) is not None
    day = parsing.read_date(text, today, whole=True, hour=ctx.local_now.hour)
    whole_date = day is not None and not any(
        c.isalpha() for c in text[: day.start] + text[day.end :]
    )
    for key, alone in (("value_rp", whole_amount), ("received_date", whole_date)):
        other = ds.BY_KEY[key]
        if not alone or key == step.key or other.parser is None:
            continue
        found = other.parser(ctx, text)
        if isinstance(found, Reading) and key in found.values:
            return key, found
    return None


def _greeting(text: str) -> bool:
    """Only a greeting ("halo pak", "assalamualaikum"), not a holiday named as one ("lebaran")."""
    holiday = any(m.code for m in find_words(text, vocab.OCCASION_WORDS))
    return not holiday and smalltalk.classify(text) == "greeting"


FILES_BEFORE_CONSENT = (
    "Terima kasih. Fotonya belum saya simpan karena pemberitahuan data pribadi di bawah "
    "belum Anda baca. Setelah Anda lanjutkan, fotonya saya minta lagi di langkah lampiran."
)
STORY_KEPT = (
    "Cerita Anda sudah saya simpan dan langsung saya baca setelah Anda melanjutkan dari "
    "pemberitahuan ini."
)


def _told_before_consent(ctx: Context) -> bool:
    """A story (five words or more, not starting with a yes or no) typed at the consent."""
    words = plain(ctx.text).split()
    if ctx.choice or len(words) < 5 or yes_no(" ".join(words[:2])) is not None:
        return False
    return not asks(ctx.text)


async def _same_as_before(ctx: Context, step: ds.Step) -> None:
    """Takes the value of the reporter's previous declaration (the saved profile), or the
    answer already given here, and says which; with neither, asks for the value."""
    ports = ctx.services.declarations
    profile = await ports.load_profile(ctx.user_key) if ports is not None else None
    earlier = (profile or {}).get(step.key)
    value = earlier or answers(ctx).get(step.key)
    label = step.label[0].lower() + step.label[1:]
    if not value:
        problem = f"Belum ada {label} dari laporan sebelumnya. Mohon tulis {label} Anda."
        ask_step(ctx, step, problem=problem)
        return
    shown = ds.mask_nik(str(value)) if step.key == "nik" else str(value)
    where = "dari laporan Anda sebelumnya" if earlier else "seperti jawaban tadi"
    ctx.session.data["note"] = f"Baik, {label} {where}: {shown}"
    await store(ctx, step, Reading({step.key: value}))


def consent_rest(text: str) -> str:
    """What follows a yes and "tapi" at the consent ("iya tapi <rest>"), or ""."""
    match = BUT.search(text.casefold())
    if match is None or yes_no(text[: match.start()]) != "ya":
        return ""
    return text[match.end() :].strip(" ,.")


# "sy mau tanya dulu ...": what follows is a question, whatever its form.
_WANTS_TO_ASK = re.compile(
    r"^(?:(?:saya|sy|aku|sya)\s+)?(?:mau|ingin|pengen|pingin|boleh|izin)\s+"
    r"(?:tanya|nanya|bertanya|menanyakan)(?:\s+(?:dulu|dl|sebentar|bentar|sedikit))?\b[\s,:]*",
    re.IGNORECASE,
)


async def _consent_with_more(ctx: Context, consent: ds.Step, rest: str) -> None:
    """A yes with more after "tapi": a question is answered and the consent asked again in
    short (consent after the answer is informed); anything else is the yes, and the rest is
    read as the story, or for the fields it names, or kept as a note."""
    asking = _WANTS_TO_ASK.match(rest)
    question = rest[asking.end() :].strip() if asking else rest
    if asking or asks(rest) or looks_like_question(rest):
        if not question:
            ctx.session.data["consent_brief"] = True
            ask_step(ctx, consent, problem="Silakan, apa yang ingin Anda tanyakan?")
            return
        ctx.incoming = replace(ctx.incoming, text=question)
        await _answer_question(ctx, consent)
        return
    await ds.BY_KEY["consent"].store(ctx, "ya")
    story = ds.BY_KEY["story"]
    ctx.incoming = replace(ctx.incoming, text=rest, choice=None)
    parsed = story.parser(ctx, rest) if story.parser is not None else None
    if isinstance(parsed, Reading) and story_has_content(parsed, ctx):
        await store(ctx, story, parsed)
        return
    found = fields_in(ctx, rest, None)
    if found:
        await store_fields(ctx, story, found)
    elif (note := keep_note(ctx, rest)) is not None:
        ctx.session.data["note"] = f'Catatan Anda saya simpan untuk kronologi: "{note}"'
    advance(ctx, consent.key)


async def _answer_question(ctx: Context, step: ds.Step) -> None:
    """Answers a question typed at a step, then asks the step again (the privacy notice in
    short: it was just read)."""
    await declaration_help.answer(ctx, step, ds.BY_KEY)
    if step.key == "consent":
        ctx.session.data["consent_brief"] = True
    ask_step(ctx, step)


async def _consent_then_story(ctx: Context, consent: ds.Step, read: Reading) -> None:
    """Stores the consent, then reads the story typed before it as the story's answer."""
    told = str(ctx.session.data.pop("pending_story", ""))
    await ds.BY_KEY["consent"].store(ctx, "ya")
    await _read_told_story(ctx, told, after=consent.key)


async def _retyped_date(ctx: Context, found: Reading | dp.Invalid) -> None:
    if isinstance(found, dp.Invalid):
        invalid(ctx, ds.BY_KEY["received_date"], found)
        return
    await store(ctx, ds.BY_KEY["received_date"], found)


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
