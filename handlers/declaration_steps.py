"""The questions of a declaration, in order, as plain data; one store function per step.

The engine (handlers/declaration.py) walks STEPS: it asks the first step that applies and has
no answer yet, reads the reply with the step's parser (or its buttons and their synonyms), and
calls the store function of every field the reply gave. "Kembali", "Lewati", the story's
show-back and "Ubah ..." in the summary all work from this one table.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from handlers import formatting, parsing, vocab
from handlers.answers import AnswerKey, Answers, FileRef
from handlers.context import Context
from handlers.deadlines import kpk_due
from handlers.declaration_identity import (
    Reading,
    clean_text,
    looks_like_address,
    read_giver,
    read_identity,
)
from handlers.declaration_story import StoryRead, read_story
from handlers.parsing import DateRead, Money, find_numbers
from handlers.parsing.identity import NIK
from handlers.typed import find_words

END = "__end__"  # a store function's way to say "the flow is over"


@dataclass(frozen=True)
class Invalid:
    """A reply that could not be used, with the reason for the user."""

    message: str


Parser = Callable[[Context, str], Reading | Invalid | None]
Store = Callable[[Context, Any], Awaitable[str | None]]  # None, END, or a step key to go to


def answers(ctx: Context) -> Answers:
    return cast(Answers, ctx.session.data.setdefault("a", {}))


def _always(a: Answers) -> bool:
    return True


def _penerimaan(a: Answers) -> bool:
    return a.get("report_type") != "penolakan"


def _compensation_applies(a: Answers) -> bool:
    """Keeping the object by paying its value: not for cash, nor what is gone or returned."""
    gone = a.get("object_location") in ("bantuan_sosial", "dikembalikan", "habis")
    return _penerimaan(a) and a.get("object_type") != "uang" and not gone


# The occasions whose reason is not the occasion itself: asked when the story did not say it.
REASON_OCCASIONS = ("terima_kasih", "kunjungan_dinas", "lainnya")


def _reason_applies(a: Answers) -> bool:
    return a.get("occasion") in REASON_OCCASIONS


@dataclass(frozen=True)
class Step:
    """One question: where its answer goes, how it is asked, read, shown and stored."""

    key: AnswerKey
    label: str
    prompt: str | Callable[[Context], str]
    store: Store
    parser: Parser | None = None  # None: answered with the buttons (and their synonyms)
    options: Callable[[Answers], dict[str, str]] | None = None
    words: vocab.WordTable | None = None  # what people type for each option
    yes_no: bool = False  # options are "ya" / "tidak"
    other: AnswerKey | None = None  # text outside the options: "lainnya", the text kept here
    error: str = ""  # an example, shown after what was wrong
    optional: bool = False  # "Lewati"
    unknown: bool = False  # "Tidak tahu" is an answer (stored as None)
    counted: bool = True  # shown as "Langkah N/M" and in the summary
    when: Callable[[Answers], bool] = _always
    quick: tuple[str, ...] = ()  # buttons that type a common answer
    buttons: tuple[str, ...] = ()  # the options shown as buttons (all when empty)
    help: str = ""  # the answer to "X itu apa?" / "maksudnya?" at this question
    topics: tuple[str, ...] = ()  # words that name this field in a question
    long_answer: bool = False  # free text that may run long (a question needs a "?")


# --- parsers ---------------------------------------------------------------------------------


def _nik_in(text: str) -> bool:
    return any(n.kind == NIK or len(n.digits) == 16 for n in find_numbers(text))


def _text(key: AnswerKey, min_len: int, max_len: int) -> Parser:
    """Free text for one field; a NIK-like number never goes into it."""

    def parse(ctx: Context, text: str) -> Reading | Invalid | None:
        cleaned = clean_text(text)
        if _nik_in(cleaned):
            return Invalid("Mohon jangan menulis NIK di sini; NIK cukup di data diri Anda.")
        if len(cleaned) < min_len or sum(c.isalpha() for c in cleaned) < min(min_len, 2):
            return Invalid("Jawabannya terlalu pendek.")
        if len(cleaned) > max_len:
            return Invalid(f"Jawabannya terlalu panjang (maksimal {max_len} huruf).")
        return Reading({key: cleaned})

    return parse


def _place(ctx: Context, text: str) -> Reading | Invalid | None:
    """Where the gift was given, without a leading "di" ("di kantor" -> "kantor")."""
    return _text("received_place", 2, 300)(
        ctx, re.sub(r"^\s*(?:di|ke|pada)\s+", "", text, flags=re.I)
    )


def _long_text(key: AnswerKey, min_len: int, max_len: int) -> Parser:
    """A story-like answer: a NIK typed in it is left out of the stored text."""

    def parse(ctx: Context, text: str) -> Reading | Invalid | None:
        cleaned = clean_text(text)
        spans = [(n.start, n.end) for n in find_numbers(cleaned) if n.kind == NIK]
        if spans:
            cleaned = clean_text(parsing.text.without_spans(cleaned, spans))
        if len(cleaned) < min_len:
            return Invalid("Jawabannya terlalu pendek.")
        return Reading({key: cleaned[:max_len]})

    return parse


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ctx.services.policy.timezone).date()


def _identity(key: AnswerKey) -> Parser:
    """The reporter's identity: one message may give several fields ("Nama ..., NIK ...")."""

    def parse(ctx: Context, text: str) -> Reading | Invalid | None:
        reading = read_identity(text, key, _today(ctx))
        if not reading.values and not reading.problems:
            problem = _identity_problem(key, text, _today(ctx))
            return Reading(problems={key: problem}) if problem else None
        return reading

    return parse


def _identity_problem(key: AnswerKey, text: str, today: date) -> str | None:
    """What is wrong with a number typed alone at its own question ("12345" for the NIK)."""
    if not any(c.isdigit() for c in text) and key != "email":
        return None
    if key == "nik":
        return parsing.nik_problem(text)
    if key == "nip":
        return parsing.nip_problem(text, today)
    if key == "phone":
        return "Nomor HP tidak dikenali."
    if key == "email" and "@" in text:
        return "Alamat e-mail tidak dikenali."
    return None


def _giver_name(ctx: Context, text: str) -> Reading | Invalid | None:
    if _nik_in(text):
        return Invalid("Mohon jangan menulis NIK di sini.")
    reading = read_giver(text, whole=True)
    relation = {m.code for m in find_words(text, vocab.GIVER_RELATION_WORDS) if m.code}
    if len(relation) == 1 and relation != {"lainnya"}:
        reading.values["giver_relation"] = relation.pop()
    if "giver_name" not in reading.values:
        return Invalid("Mohon tulis nama pemberinya.") if reading.values else None
    return reading


def _giver_position(ctx: Context, text: str) -> Reading | Invalid | None:
    """The whole answer is the position, less an institution typed with it."""
    reading = read_giver(text, whole=False)
    institution = reading.values.get("giver_institution")
    position = clean_text(text)
    if institution:
        org = next(
            (s for s in reading.spans if institution.casefold() in text[s[0] : s[1]].casefold()),
            None,
        )
        if org is not None:
            position = clean_text(text[: org[0]] + text[org[1] :])
            position = re.sub(r"\s+(?:di|dari|pada|dr)$", "", position, flags=re.IGNORECASE)
    found = _text("giver_position", 2, 200)(ctx, position)
    if isinstance(found, Reading) and institution:
        found.values["giver_institution"] = institution
    return found


def _giver_institution(ctx: Context, text: str) -> Reading | Invalid | None:
    reading = read_giver(text, whole=False)
    institution = reading.values.get("giver_institution") or clean_text(text)
    return _text("giver_institution", 2, 200)(ctx, str(institution))


def _giver_address(ctx: Context, text: str) -> Reading | Invalid | None:
    if not looks_like_address(text) and _answers_another_question(text):
        # "masih saya simpan": where the gift is, typed a question early.
        return Invalid("Yang saya tanyakan sekarang alamat pemberinya.")
    found = _text("giver_address", 4, 300)(ctx, text)
    if isinstance(found, Reading) and not (looks_like_address(text) or len(text.split()) >= 2):
        return Invalid("Mohon tulis alamatnya, misalnya nama jalan dan kotanya.")
    return found


def _answers_another_question(text: str) -> bool:
    """Whether short text is an answer to one of the button questions (a yes/no, where the
    gift is now, ...): then it is no name, position or address."""
    if len(text.split()) > 6:
        return False
    tables = (vocab.OBJECT_LOCATION_WORDS, vocab.CONFIDENTIAL_WORDS, vocab.COMPENSATION_WORDS)
    return any(m.code for table in tables for m in find_words(text, table))


def _money(ctx: Context, text: str) -> Reading | Invalid | None:
    foreign = parsing.find_foreign(text)
    if foreign is not None:
        return Invalid(
            f"Mohon tulis perkiraan nilai {foreign.value} dalam rupiah "
            "(dengan kurs atau harga hari ini)."
        )
    found = parsing.find_money(text, whole=True)
    values = {f.value.value for f in found}
    if len(values) > 1:
        return Invalid("Ada lebih dari satu nilai. Mohon tulis satu perkiraan nilai totalnya.")
    if not found:
        return None
    if found[0].value.value == 0:
        return Invalid("Nilainya harus lebih dari nol. Bila tidak tahu pasti, tulis perkiraan.")
    return Reading({"value_rp": found[0].value})


FUTURE_DATE = "Tanggal itu belum lewat. Tanggal diterima tidak boleh di masa depan."


def _date(ctx: Context, text: str) -> Reading | Invalid | None:
    today = _today(ctx)
    found = parsing.read_date(text, today, whole=True)
    if found is None:
        return None
    if found.future:
        return Invalid(FUTURE_DATE)
    if found.vague or found.day is None:
        return Invalid(vague_date_message(ctx, found))
    return Reading({"received_date": found})


def vague_date_message(ctx: Context, found: DateRead) -> str:
    """Asks for the day of a period ("awal bulan ini"), offering a named holiday's date."""
    calendar = ctx.services.policy.calendar
    verb = "ditolak" if not _penerimaan(answers(ctx)) else "diterima"
    if found.holiday:
        day = parsing.holiday_date(found.holiday, _today(ctx), calendar.holiday_name)
        if day is not None:
            # Offered as a button too: one press when it was the day itself.
            ctx.session.data["offer"] = formatting.tanggal(day)
            return (
                f"{found.holiday} terakhir jatuh pada {formatting.tanggal(day, weekday=True)}. "
                f"Tanggal berapa tepatnya pemberian itu {verb}?"
            )
    return "Mohon tulis tanggalnya (hari yang tepat) agar batas waktunya benar."


def _story(ctx: Context, text: str) -> Reading | Invalid | None:
    story = read_story(text, _today(ctx))
    ctx.session.data["story_meta"] = {
        "value_exact": story.value_exact,
        "foreign": story.foreign,
        "date_guessed": bool(story.date and story.date.guessed_year),
        "date_future": bool(story.date and story.date.future),
        "date_vague": bool(story.date and (story.date.vague or story.date.day is None)),
    }
    return _with_story_flags(story)


def _with_story_flags(story: StoryRead) -> Reading:
    reading = story.reading
    reading.values["story"] = True
    return reading


# --- store functions (one per step) ----------------------------------------------------------


async def store_report_type(ctx: Context, value: Any) -> str | None:
    """Stores penerimaan or penolakan."""
    answers(ctx)["report_type"] = str(value)
    return None


async def store_consent(ctx: Context, value: Any) -> str | None:
    """Remembers consent, or ends the flow politely without it."""
    if value != "ya":
        return END
    moment = ctx.now.isoformat(timespec="seconds")
    answers(ctx)["consent"] = moment
    ctx.session.memo["consent_at"] = moment
    return None


async def store_story(ctx: Context, value: Any) -> str | None:
    """Records whether the reporter told a story (True) or chose step by step (False)."""
    answers(ctx)["story"] = bool(value)
    return None


async def store_name(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's name."""
    answers(ctx)["name"] = str(value)
    return None


async def store_nik(ctx: Context, value: Any) -> str | None:
    """Stores the NIK (16 digits)."""
    answers(ctx)["nik"] = str(value)
    return None


async def store_nip(ctx: Context, value: Any) -> str | None:
    """Stores the NIP or NI PPPK (None when the reporter has none)."""
    answers(ctx)["nip"] = str(value) if value else None
    return None


async def store_jabatan(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's position."""
    answers(ctx)["jabatan"] = str(value)
    return None


async def store_unit_kerja(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's work unit."""
    answers(ctx)["unit_kerja"] = str(value)
    return None


async def store_address(ctx: Context, value: Any) -> str | None:
    """Stores the reporter's address."""
    answers(ctx)["address"] = str(value)
    return None


async def store_phone(ctx: Context, value: Any) -> str | None:
    """Stores the phone number (+62...)."""
    answers(ctx)["phone"] = str(value)
    return None


async def store_email(ctx: Context, value: Any) -> str | None:
    """Stores the e-mail address (None when skipped)."""
    answers(ctx)["email"] = str(value) if value else None
    return None


async def store_confidential(ctx: Context, value: Any) -> str | None:
    """Stores whether the reporter's identity is to be kept confidential."""
    answers(ctx)["confidential"] = value == "ya"
    return None


async def store_giver_name(ctx: Context, value: Any) -> str | None:
    """Stores the giver's name ("Tidak diketahui" when the reporter does not know it)."""
    answers(ctx)["giver_name"] = str(value) if value else UNKNOWN_GIVER
    return None


async def store_giver_position(ctx: Context, value: Any) -> str | None:
    """Stores the giver's position (None: not known)."""
    answers(ctx)["giver_position"] = str(value) if value else None
    return None


async def store_giver_institution(ctx: Context, value: Any) -> str | None:
    """Stores the giver's institution (None: a private person)."""
    answers(ctx)["giver_institution"] = str(value) if value else None
    return None


async def store_giver_address(ctx: Context, value: Any) -> str | None:
    """Stores the giver's address (None: not known)."""
    answers(ctx)["giver_address"] = str(value) if value else None
    return None


async def store_giver_relation(ctx: Context, value: Any) -> str | None:
    """Stores the giver's relation to the reporter."""
    answers(ctx)["giver_relation"] = str(value)
    return None


async def store_occasion(ctx: Context, value: Any) -> str | None:
    """Stores the occasion; a reason asked only for some occasions is dropped for others."""
    a = answers(ctx)
    a["occasion"] = str(value)
    if value != "lainnya":
        a.pop("occasion_other", None)
    return None


async def store_reason(ctx: Context, value: Any) -> str | None:
    """Stores the reason for the gift (None: not known)."""
    answers(ctx)["reason"] = str(value) if value else None
    return None


async def store_object_type(ctx: Context, value: Any) -> str | None:
    """Stores the object type; drops the answers that no longer apply to it."""
    a = answers(ctx)
    a["object_type"] = str(value)
    if value != "lainnya":
        a.pop("object_type_other", None)
    if value != "makanan" and a.get("object_location") == "bantuan_sosial":
        a.pop("object_location")  # only food goes to social aid: ask again
    if not _compensation_applies(a):
        a.pop("compensation", None)
    return None


async def store_description(ctx: Context, value: Any) -> str | None:
    """Stores the description of the object."""
    answers(ctx)["description"] = str(value)
    return None


async def store_value(ctx: Context, value: Any) -> str | None:
    """Stores the amount; it needs confirming when it was not typed in full."""
    a = answers(ctx)
    money = value if isinstance(value, Money) else Money(int(value), True)
    a["value_rp"] = money.value
    if money.exact:
        a["value_ok"] = True
    else:
        a.pop("value_ok", None)
    return None


async def store_value_ok(ctx: Context, value: Any) -> str | None:
    """Confirms the amount, or forgets it so that it is asked again."""
    a = answers(ctx)
    if value == "ya":
        a["value_ok"] = True
        return None
    a.pop("value_rp", None)
    a.pop("value_ok", None)
    return "value_rp"


async def store_received_date(ctx: Context, value: Any) -> str | None:
    """Stores the date (to be confirmed unless typed in full) and tracks the draft."""
    a = answers(ctx)
    found = value if isinstance(value, DateRead) else None
    received = found.day if found is not None else date.fromisoformat(str(value))
    if received is None:
        return None
    a["received_date"] = received.isoformat()
    if found is None or (found.full and not found.guessed_year):
        a["date_ok"] = True
        await _date_checked(ctx, received)
    else:
        a.pop("date_ok", None)
        ctx.session.data["date_guessed"] = found.guessed_year
    return None


async def store_date_ok(ctx: Context, value: Any) -> str | None:
    """Confirms the date (with its checks), or forgets it so that it is asked again."""
    a = answers(ctx)
    ctx.session.data.pop("date_guessed", None)
    if value == "ya" and "received_date" in a:
        a["date_ok"] = True
        await _date_checked(ctx, date.fromisoformat(a["received_date"]))
        return None
    a.pop("received_date", None)
    a.pop("date_ok", None)
    return "received_date"


async def _date_checked(ctx: Context, received: date) -> None:
    """Warns when a confirmed date is past the legal window, and tracks the draft."""
    policy = ctx.services.policy
    if _penerimaan(answers(ctx)) and _today(ctx) > kpk_due(received, policy):
        ctx.say(
            "Catatan: tanggal itu sudah lebih dari 30 hari kerja yang lalu.\n"
            "Laporan tetap bisa dikirim; penjelasannya ada di tanda terima nanti."
        )
    ports = ctx.services.declarations
    if ports is not None:
        await ports.track_draft(
            user_key=ctx.user_key,
            channel=ctx.incoming.channel,
            chat_id=ctx.incoming.chat_id,
            received_date=received,
        )


async def store_received_place(ctx: Context, value: Any) -> str | None:
    """Stores where the gift was given."""
    answers(ctx)["received_place"] = str(value)
    return None


async def store_chronology(ctx: Context, value: Any) -> str | None:
    """Stores the chronology."""
    answers(ctx)["chronology"] = str(value)
    return None


async def store_object_location(ctx: Context, value: Any) -> str | None:
    """Stores where the object is now; drops the compensation answer when it cannot apply."""
    a = answers(ctx)
    a["object_location"] = str(value)
    if not _compensation_applies(a):
        a.pop("compensation", None)
    return None


async def store_compensation(ctx: Context, value: Any) -> str | None:
    """Stores whether the reporter wants to keep the object by paying its value."""
    answers(ctx)["compensation"] = value == "ya"
    return None


async def store_attachments(ctx: Context, value: Any) -> str | None:
    """Keeps the files collected so far as the answer."""
    answers(ctx)["attachments"] = [cast(FileRef, f) for f in value or []]
    return None


# --- prompts that depend on earlier answers --------------------------------------------------


def _controller(ctx: Context) -> str:
    """The data controller and how to reach it, on one line ("UPPG Inspektorat, Telepon: ...")."""
    name, contact = ctx.services.uppg() if ctx.services.uppg else ("UPPG Inspektorat", "")
    lines = [line.strip() for line in contact.splitlines()[1:] if line.strip()]
    return f"{name} ({'; '.join(lines)})" if lines else f"{name}, di kantor Inspektorat"


def _consent_prompt(ctx: Context) -> str:
    policy = ctx.services.policy
    return (
        "Sebelum mulai, mohon baca pemberitahuan data pribadi ini (UU 27/2022 tentang "
        "Pelindungan Data Pribadi):\n"
        "• Data: identitas Anda (nama, NIK, NIP, jabatan, unit kerja, alamat, HP, e-mail), "
        "data pemberi, dan rincian pemberian.\n"
        "• Dasar: pemenuhan kewajiban hukum, yaitu kewajiban melaporkan gratifikasi "
        "(UU 20/2001 Pasal 12C).\n"
        "• Tujuan: memproses laporan Anda dan meneruskannya ke KPK.\n"
        "• Yang melihat: Anda, petugas UPPG, dan KPK bila diteruskan.\n"
        f"• Disimpan {policy.retention_years} tahun; NIK, alamat dan nomor HP terenkripsi.\n"
        "• Hak Anda: melihat, memperbaiki, dan meminta penghapusan data sejauh diizinkan "
        "undang-undang.\n"
        f"• Pengendali data: {_controller(ctx)}.\n\n"
        "Apakah Anda setuju?"
    )


STORY_PROMPT = (
    "Ceritakan singkat pemberiannya dalam satu pesan: dari siapa (nama, jabatan, instansi), "
    "apa, kira-kira berapa nilainya, kapan, di mana, dan alasannya. Bila Anda menolaknya, "
    "tulis juga.\n"
    'Contoh: "Kemarin Pak Andi, direktur PT Maju Jaya (rekanan), memberi parsel kue '
    'kira-kira 1,5 jt di kantor sebagai ucapan terima kasih."\n'
    "Lebih suka ditanya satu per satu? Tekan Isi per langkah."
)


UNKNOWN_GIVER = "Tidak diketahui"


def _giver(ctx: Context) -> str:
    name = answers(ctx).get("giver_name")
    return str(name) if name and name != UNKNOWN_GIVER else "pemberi"


def _value_ok_prompt(ctx: Context) -> str:
    value = int(answers(ctx).get("value_rp") or 0)
    return f"{formatting.rupiah(value)} ({parsing.terbilang(value)} rupiah), benar?"


def _date_prompt(ctx: Context) -> str:
    verb = "ditolak" if not _penerimaan(answers(ctx)) else "diterima"
    return (
        f"Kapan pemberian itu {verb}?\n"
        "Contoh: hari ini, kemarin sore, tgl 28, 3 hari lalu, atau 17/11/2026"
    )


def _date_ok_prompt(ctx: Context) -> str:
    a = answers(ctx)
    day = date.fromisoformat(a.get("received_date") or _today(ctx).isoformat())
    shown = formatting.tanggal(day, weekday=True)
    if ctx.session.data.get("date_guessed"):
        this_year = formatting.tanggal(day.replace(year=day.year + 1))
        return f"Tanggal {this_year} belum lewat. Maksud Anda {shown}, benar?"
    return f"{shown}, benar?"


def _value_prompt(ctx: Context) -> str:
    foreign = (ctx.session.data.get("story_meta") or {}).get("foreign")
    if foreign:
        return (
            f"Anda menyebut {foreign}. Berapa kira-kira nilainya dalam rupiah?\n"
            "Pakai kurs atau harga hari ini, misalnya 1,6 jt."
        )
    return "Berapa perkiraan nilainya dalam rupiah?"


def _attachments_prompt(ctx: Context) -> str:
    megabytes = ctx.services.policy.max_attachment_bytes / (1024 * 1024)
    return (
        "Kirim foto pemberian atau dokumen pendukung "
        f"(jpg, png, webp, heic, pdf; maks. {megabytes:g} MB per berkas). "
        "Boleh lebih dari satu.\nTidak ada? Tekan Lewati."
    )


def _locations(a: Answers) -> dict[str, str]:
    if a.get("object_type") == "makanan":
        return vocab.OBJECT_LOCATIONS
    # Passing a gift on as social aid is for perishable food only.
    return {k: v for k, v in vocab.OBJECT_LOCATIONS.items() if k != "bantuan_sosial"}


def _fixed(options: dict[str, str]) -> Callable[[Answers], dict[str, str]]:
    return lambda a: options


COMPENSATION_WARNING = (
    "Perhatian: permintaan kompensasi yang sudah disetujui KPK tidak dapat ditarik kembali."
)

STEPS: tuple[Step, ...] = (
    Step(
        "consent",
        "Persetujuan",
        _consent_prompt,
        store_consent,
        options=_fixed({"ya": "Ya, saya setuju", "tidak": "Tidak setuju"}),
        yes_no=True,
        counted=False,
        help="Tanpa persetujuan ini laporan tidak dapat kami simpan. Anda tetap dapat melapor "
        "langsung ke UPPG atau ke KPK (Gratifikasi Online).",
        topics=("persetujuan", "setuju", "data pribadi"),
    ),
    Step(
        "story",
        "Cerita",
        STORY_PROMPT,
        store_story,
        _story,
        counted=False,
        long_answer=True,
        help="Cukup ceritakan dengan kata-kata Anda sendiri, seperti bercerita ke teman. "
        "Yang belum tersebut akan saya tanyakan satu per satu.",
        topics=("cerita", "ceritakan"),
    ),
    Step(
        "report_type",
        "Jenis laporan",
        "Apa jenis laporan Anda?\n"
        "• Penerimaan: Anda sudah menerima pemberian.\n"
        "• Penolakan: Anda menolak pemberian.",
        store_report_type,
        options=_fixed(vocab.REPORT_TYPES),
        words=vocab.REPORT_TYPE_WORDS,
        help="Penerimaan: pemberian sudah Anda terima. Penolakan: Anda menolaknya. "
        "Keduanya dapat dilaporkan.",
        topics=("jenis laporan", "penerimaan", "penolakan"),
    ),
    Step(
        "giver_name",
        "Nama pemberi",
        "Siapa yang memberi? Tulis nama, jabatan dan instansinya bila tahu.\n"
        "Contoh: Andi Wijaya, Direktur PT Maju Jaya",
        store_giver_name,
        _giver_name,
        error="Contoh: Andi Wijaya, Direktur PT Maju Jaya",
        unknown=True,
        help="Tulis nama orang yang memberi. Bila tidak tahu nama lengkapnya, tulis nama "
        "panggilannya, misalnya Pak Andi.",
        topics=("nama pemberi", "pemberi", "pemberinya"),
    ),
    Step(
        "giver_position",
        "Jabatan pemberi",
        lambda ctx: f"Apa jabatan atau pekerjaan {_giver(ctx)}?",
        store_giver_position,
        _giver_position,
        error="Contoh: Direktur, staf pemasaran, kepala sekolah",
        unknown=True,
        help="Jabatan atau pekerjaan pemberi, misalnya Direktur PT atau staf pemasaran. "
        "Bila tidak tahu, tekan Tidak tahu.",
        topics=("jabatan pemberi", "pekerjaan"),
    ),
    Step(
        "giver_institution",
        "Instansi pemberi",
        lambda ctx: f"Dari instansi atau perusahaan apa {_giver(ctx)}?\nPerorangan? Tekan Lewati.",
        store_giver_institution,
        _giver_institution,
        error="Contoh: PT Maju Jaya",
        optional=True,
        unknown=True,
        help="Kantor, perusahaan atau organisasi pemberi. Bila pemberi perorangan, tekan Lewati.",
        topics=("instansi pemberi", "perusahaan"),
    ),
    Step(
        "giver_address",
        "Alamat pemberi",
        lambda ctx: f"Di mana alamat {_giver(ctx)} (kantor atau rumah)?",
        store_giver_address,
        _giver_address,
        error="Contoh: Jl. Sudirman No. 10, Bandung",
        unknown=True,
        help="Alamat pemberi termasuk isi minimal laporan menurut UU 30/2002 Pasal 16. "
        "Alamat kantornya pun cukup. Bila tidak tahu, tekan Tidak tahu.",
        topics=("alamat pemberi", "alamatnya"),
    ),
    Step(
        "giver_relation",
        "Hubungan pemberi",
        lambda ctx: f"Apa hubungan {_giver(ctx)} dengan Anda atau kantor Anda?",
        store_giver_relation,
        options=_fixed(vocab.GIVER_RELATIONS),
        words=vocab.GIVER_RELATION_WORDS,
        help="Pilih yang paling dekat: rekanan atau vendor kantor, atasan, bawahan, rekan "
        "kerja, keluarga, atau masyarakat yang Anda layani.",
        topics=("hubungan", "hubungannya"),
    ),
    Step(
        "occasion",
        "Peristiwa",
        "Dalam rangka apa pemberian itu?\n"
        "Tidak ada di tombol? Ketik saja acaranya, misalnya lomba, doorprize, atau pelantikan.",
        store_occasion,
        options=_fixed(vocab.OCCASIONS),
        # The rarer occasions are typed, not shown: ten buttons fit a WhatsApp list.
        buttons=tuple(c for c in vocab.OCCASIONS if c not in vocab.MORE_OCCASIONS[:-1]),
        words=vocab.OCCASION_WORDS,
        other="occasion_other",
        help="Acara atau keperluan saat pemberian diberikan, misalnya lebaran, pernikahan, "
        "kunjungan dinas. Bila tidak ada di tombol, ketik saja acaranya.",
        topics=("rangka", "peristiwa", "acara", "acaranya"),
    ),
    Step(
        "reason",
        "Alasan pemberian",
        "Apa alasan pemberian itu, menurut pemberi atau menurut Anda?\n"
        "Contoh: ucapan terima kasih karena izinnya sudah terbit",
        store_reason,
        _text("reason", 3, 500),
        error="Contoh: ucapan terima kasih karena izinnya sudah terbit",
        unknown=True,
        when=_reason_applies,
        help="Alasan pemberian termasuk isi laporan di formulir UPPG. Tulis yang Anda "
        "ketahui; bila tidak tahu, tekan Tidak tahu.",
        topics=("alasan", "alasannya"),
    ),
    Step(
        "object_type",
        "Jenis objek",
        "Apa jenis pemberiannya?",
        store_object_type,
        options=_fixed(vocab.OBJECT_TYPES),
        words=vocab.OBJECT_TYPE_WORDS,
        other="object_type_other",
        help="Bentuk pemberiannya: uang (termasuk transfer), barang, makanan, voucher atau "
        "tiket, fasilitas seperti hotel, atau diskon dan pinjaman.",
        topics=("jenis", "jenis pemberian", "objek"),
    ),
    Step(
        "description",
        "Uraian objek",
        "Jelaskan pemberiannya secara singkat.",
        store_description,
        _long_text("description", 3, 1000),
        error="Contoh: parsel berisi kue kering dan sirup, 1 paket",
        long_answer=True,
        help="Cukup singkat: apa, berapa banyak, mereknya bila ada. Contoh: jam tangan "
        "merek Seiko, 1 buah.",
        topics=("uraian", "detail", "jelaskan", "rinci"),
    ),
    Step(
        "value_rp",
        "Perkiraan nilai",
        _value_prompt,
        store_value,
        _money,
        error="Contoh: 1.500.000, 1,5 jt, atau 500rb",
        help="Tulis perkiraan nilai dalam rupiah. Bila tidak tahu pasti, perkirakan harga "
        "pasarnya, misalnya 500rb. Untuk mata uang asing atau emas, hitung dengan kurs "
        "atau harga hari ini.",
        topics=("nilai", "nilainya", "harga", "harganya", "rupiah", "perkiraan"),
    ),
    Step(
        "value_ok",
        "Nilai benar",
        _value_ok_prompt,
        store_value_ok,
        options=_fixed({"ya": "Ya, benar", "tidak": "Bukan, ulangi"}),
        yes_no=True,
        counted=False,
        when=lambda a: "value_rp" in a,
    ),
    Step(
        "received_date",
        "Tanggal",
        _date_prompt,
        store_received_date,
        _date,
        error="Contoh: kemarin, tgl 28, 17/11/2026, atau 17 November 2026",
        quick=("Hari ini", "Kemarin"),
        help="Tanggal Anda menerima (atau menolak) pemberian; batas waktu lapor dihitung "
        "dari tanggal ini. Bila lupa, tulis tanggal yang paling mendekati.",
        topics=("tanggal", "tanggalnya", "tgl", "kapan", "hari"),
    ),
    Step(
        "date_ok",
        "Tanggal benar",
        _date_ok_prompt,
        store_date_ok,
        options=_fixed({"ya": "Ya, benar", "tidak": "Bukan, ulangi"}),
        yes_no=True,
        counted=False,
        when=lambda a: "received_date" in a,
    ),
    Step(
        "received_place",
        "Tempat",
        "Di mana pemberian itu terjadi?",
        store_received_place,
        _place,
        error="Contoh: di kantor Dinas Pendidikan",
        help="Tempat pemberian diserahkan, misalnya di kantor, di rumah, atau di restoran.",
        topics=("tempat", "lokasi", "tempatnya"),
    ),
    Step(
        "chronology",
        "Kronologi",
        "Ceritakan singkat kronologinya: siapa memberi, kapan, dan bagaimana.",
        store_chronology,
        _long_text("chronology", 10, 2000),
        error="Contoh: Pak Andi datang ke kantor membawa parsel setelah rapat proyek.",
        long_answer=True,
        help="Urutan kejadiannya secara singkat: siapa datang, kapan, apa yang diberikan, "
        "dan apa yang dikatakan.",
        topics=("kronologi", "kronologinya"),
    ),
    Step(
        "object_location",
        "Posisi objek",
        "Di mana objek pemberian itu sekarang?",
        store_object_location,
        options=_locations,
        words=vocab.OBJECT_LOCATION_WORDS,
        when=_penerimaan,
        help="Posisi objek saat ini: masih Anda simpan, dititipkan ke UPPG, disalurkan "
        "sebagai bantuan sosial (makanan), dikembalikan, atau sudah habis terpakai.",
        topics=("posisi", "sekarang", "disimpan", "titip"),
    ),
    Step(
        "compensation",
        "Kompensasi",
        "Bila KPK menetapkannya milik negara, apakah Anda ingin tetap memiliki objek ini "
        f"dengan membayar nilainya (kompensasi)?\n{COMPENSATION_WARNING}",
        store_compensation,
        options=_fixed({"ya": "Ya", "tidak": "Tidak"}),
        words=vocab.COMPENSATION_WORDS,
        yes_no=True,
        when=_compensation_applies,
        help="Kompensasi: bila KPK menetapkan objek menjadi milik negara, Anda dapat tetap "
        "memilikinya dengan menyetor nilainya ke kas negara. "
        f"{COMPENSATION_WARNING}",
        topics=("kompensasi", "tebus", "menebus", "bayar"),
    ),
    Step(
        "name",
        "Nama",
        "Sekarang data diri Anda. Siapa nama lengkap Anda (sesuai KTP)?\n"
        "Boleh sekalian NIK, NIP, jabatan dan unit kerja dalam satu pesan, misalnya:\n"
        '"Budi Santoso, NIK 3201011505900001, NIP 199005152015031001, Analis Keuangan '
        'di Dinas Pendidikan"',
        store_name,
        _identity("name"),
        error="Contoh: Budi Santoso",
        help="Tulis nama lengkap sesuai KTP. Gelar boleh ditulis, boleh tidak; nama "
        "panggilan saja belum cukup.",
        topics=("nama", "nama lengkap", "gelar", "nama panggilan"),
    ),
    Step(
        "nik",
        "NIK",
        "Berapa NIK Anda? (16 angka di KTP)",
        store_nik,
        _identity("nik"),
        error="Contoh: 3201011505900001",
        help="NIK (Nomor Induk Kependudukan) adalah 16 angka di KTP Anda. Laporan "
        "gratifikasi wajib memuat identitas pelapor; NIK disimpan terenkripsi.",
        topics=("nik", "ktp", "nomor induk kependudukan"),
    ),
    Step(
        "nip",
        "NIP",
        "Berapa NIP Anda? (18 angka)\nPPPK boleh menulis NI PPPK. Honorer atau bukan ASN? "
        "Tekan Lewati.",
        store_nip,
        _identity("nip"),
        error="Contoh: 199005152015031001",
        optional=True,
        help="NIP adalah 18 angka nomor induk PNS. PPPK juga ASN dan wajib melapor; tulis "
        "NI PPPK Anda. Honorer atau pegawai non-ASN cukup tekan Lewati.",
        topics=("nip", "pppk", "ni pppk", "honorer", "nomor induk pegawai"),
    ),
    Step(
        "jabatan",
        "Jabatan",
        "Apa jabatan Anda?",
        store_jabatan,
        _identity("jabatan"),
        error="Contoh: Analis Keuangan",
        help="Tulis jabatan Anda seperti di SK, misalnya Staf Bagian Umum atau Kepala Seksi "
        "Perencanaan. Singkatan boleh; tidak harus lengkap.",
        topics=("jabatan", "jabatannya", "posisi saya"),
    ),
    Step(
        "unit_kerja",
        "Unit kerja",
        "Di unit kerja atau perangkat daerah mana Anda bertugas?",
        store_unit_kerja,
        _identity("unit_kerja"),
        error="Contoh: Dinas Pendidikan",
        help="Unit kerja adalah kantor atau perangkat daerah tempat Anda bertugas, misalnya "
        "Dinas Pendidikan, Bappeda, atau Kecamatan Cibinong.",
        topics=("unit kerja", "unit", "opd", "perangkat daerah", "instansi saya"),
    ),
    Step(
        "address",
        "Alamat",
        "Di mana alamat tempat tinggal Anda?",
        store_address,
        _identity("address"),
        error="Contoh: Jl. Merdeka No. 5, RT 01/RW 02, Kel. Sukamaju",
        help="Alamat tempat tinggal Anda (sesuai KTP atau domisili). Disimpan terenkripsi "
        "dan hanya untuk UPPG dan KPK.",
        topics=("alamat", "domisili", "alamat rumah"),
    ),
    Step(
        "phone",
        "Nomor HP",
        "Berapa nomor HP/WhatsApp Anda?",
        store_phone,
        _identity("phone"),
        error="Contoh: 0812 3456 7890",
        help="Nomor HP yang dapat dihubungi UPPG, sebaiknya yang ada WhatsApp-nya. "
        "Disimpan terenkripsi.",
        topics=("hp", "nomor hp", "wa", "whatsapp", "telepon", "nomor"),
    ),
    Step(
        "email",
        "E-mail",
        "Apa alamat e-mail Anda?\nTidak ada? Tekan Lewati.",
        store_email,
        _identity("email"),
        error="Contoh: nama@contoh.go.id",
        optional=True,
        help="E-mail tidak wajib; UPPG dapat memakainya untuk mengirim kabar. Tidak punya? "
        "Tekan Lewati.",
        topics=("email", "e mail", "surel"),
    ),
    Step(
        "confidential",
        "Identitas dirahasiakan",
        "Ingin identitas Anda dirahasiakan?\n"
        "UPPG menjaga kerahasiaan pelapor, kecuali untuk proses peradilan "
        "atau atas persetujuan Anda.",
        store_confidential,
        options=_fixed({"ya": "Ya, rahasiakan", "tidak": "Tidak perlu"}),
        words=vocab.CONFIDENTIAL_WORDS,
        yes_no=True,
        help="Bila dirahasiakan, UPPG tidak membuka nama Anda kepada pihak lain, termasuk "
        "di rekap dan ekspor. Laporan tetap atas nama Anda (tidak anonim).",
        topics=("rahasia", "dirahasiakan", "kerahasiaan", "anonim"),
    ),
    Step(
        "attachments",
        "Lampiran",
        _attachments_prompt,
        store_attachments,
        error="Silakan kirim foto atau dokumen, lalu tekan Selesai. Tidak ada? Tekan Lewati.",
        optional=True,
        help="Foto pemberian atau dokumen pendukung membantu UPPG, tetapi tidak wajib. "
        "Tidak ada foto bukan alasan untuk tidak melapor.",
        topics=("foto", "lampiran", "dokumen", "bukti"),
    ),
)
BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}
IDENTITY_STEPS = ("name", "nik", "nip", "jabatan", "unit_kerja", "address", "phone", "email")


def applicable(a: Answers) -> list[Step]:
    return [step for step in STEPS if step.when(a)]


def counted(a: Answers) -> list[Step]:
    return [step for step in applicable(a) if step.counted]


def first_missing(a: Answers) -> Step | None:
    """The first question that applies and has no answer yet (None: go to the summary)."""
    return next((step for step in applicable(a) if step.key not in a), None)


def mask_nik(nik: str) -> str:
    return nik[:4] + "********" + nik[-4:] if len(nik) == 16 else nik


def shown(step: Step, a: Answers) -> str:
    """An answer as the summary shows it."""
    value: Any = a.get(step.key)
    if step.key in ("giver_position", "giver_address", "reason") and step.key in a and not value:
        return "Tidak tahu"
    if value is None or value == "":
        return "-"
    if step.key == "nik":
        return mask_nik(str(value))
    if step.key == "value_rp":
        return formatting.rupiah(int(value))
    if step.key == "received_date":
        return formatting.tanggal(date.fromisoformat(value), weekday=True)
    if step.key == "attachments":
        return f"{len(value)} berkas" if value else "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if step.options is not None:
        label = step.options(a).get(str(value), str(value))
        other = a.get(step.other) if step.other else None
        return f"{label}: {other}" if value == "lainnya" and other else label
    return str(value)
