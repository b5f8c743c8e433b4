"""The parser of each free-text step of a declaration: what the reply gives, or what is wrong.

A parser returns a Reading (the step's value and any other field the same message gave), an
Invalid with the reason for the reporter, or None when nothing could be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from handlers import formatting, parsing, vocab
from handlers.answers import AnswerKey, Answers
from handlers.context import Context
from handlers.declaration_identity import (
    Reading,
    clean_text,
    looks_like_address,
    read_giver,
    read_identity,
    vague_address,
)
from handlers.declaration_store import answers, local_today, receiving, unknown_giver_details
from handlers.declaration_story import PLACE_WORDS, StoryRead, read_story
from handlers.parsing import DateRead, find_numbers
from handlers.parsing.identity import NIK
from handlers.parsing.quantity import unit_total
from handlers.typed import (
    NO,
    SKIP_WORDS,
    UNKNOWN_WORDS,
    YES,
    find_words,
    plain,
    says_giver_unknown,
    without_counts,
    yes_no,
)


@dataclass(frozen=True)
class Invalid:
    """A reply that could not be used, with the reason for the user."""

    message: str


Parser = Callable[[Context, str], Reading | Invalid | None]


def _nik_in(text: str) -> bool:
    return any(n.kind == NIK or len(n.digits) == 16 for n in find_numbers(text))


# "nik sy", "nik saya", "nikku": the number is the reporter's own, not the giver's.
_OWN_NIK = re.compile(r"\bnik\s*(?:ku|nya\s+(?:sy|saya|aku)|sy|saya|aku|gw|gue|sya)\b", re.I)


def parse_text(key: AnswerKey, min_len: int, max_len: int) -> Parser:
    """Free text for one field; a NIK-like number never goes into it."""

    def parse(ctx: Context, text: str) -> Reading | Invalid | None:
        cleaned = clean_text(text)
        if _nik_in(cleaned):
            identity = read_identity(text, "name", local_today(ctx))
            if "nik" in identity.values and (len(identity.values) >= 2 or _OWN_NIK.search(text)):
                # The reporter's identity typed a question early ("nik sy 3201..."): kept for
                # its own steps (shown back), and this question is asked again.
                return Reading(dict(identity.values))
            return Invalid("Mohon jangan menulis NIK di sini; NIK cukup di data diri Anda.")
        contact = _contact_only(ctx, text)
        if contact is not None:
            # "wa 0812...", "dedi@gmail.com" alone: the reporter's own contact, typed a
            # question early; kept for its step (shown back), and this question asked again.
            return Reading(contact, {key: CONTACT_KEPT})
        if len(cleaned) < min_len or sum(c.isalpha() for c in cleaned) < min(min_len, 2):
            return Invalid("Jawabannya terlalu pendek.")
        if len(cleaned) > max_len:
            return Invalid(f"Jawabannya terlalu panjang (maksimal {max_len} huruf).")
        return Reading({key: cleaned})

    return parse


CONTACT_KEPT = "Itu saya catat sebagai kontak Anda sendiri."
_CONTACT_KEYS = frozenset({"phone", "email"})


def _contact_only(ctx: Context, text: str) -> dict[AnswerKey, object] | None:
    """A phone number or e-mail address typed with nothing else but its label ("wa 0812 ...",
    "email: budi@..."), never text for another field; None when the text says more."""
    if not find_numbers(text) and "@" not in text:
        return None
    identity = read_identity(text, "name", local_today(ctx))
    found = set(identity.values)
    return dict(identity.values) if found and found <= _CONTACT_KEYS else None


def parse_place(ctx: Context, text: str) -> Reading | Invalid | None:
    """Where the gift was given, without a leading "di" ("di kantor", "dirumah" -> "rumah")."""
    place = re.sub(r"^\s*(?:di|ke|pada)\s+", "", text, flags=re.I)
    glued = re.match(r"^\s*(?:di|ke)([a-z]+)\b", place, flags=re.I)
    if glued and glued[1].casefold() in PLACE_WORDS:
        place = place[glued.start(1) :]  # "dirumah", "dikantor": typed without the space
    return parse_text("received_place", 2, 300)(ctx, place)


def parse_long_text(key: AnswerKey, min_len: int, max_len: int) -> Parser:
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


def parse_identity(key: AnswerKey) -> Parser:
    """The reporter's identity: one message may give several fields ("Nama ..., NIK ...")."""

    def parse(ctx: Context, text: str) -> Reading | Invalid | None:
        vague = key == "address" and vague_address(text)  # "di rumah": asked for in full
        if key in IDENTITY_ASKED and not vague and _answers_another_question(text):
            # "iya rahasiakan", "masih saya simpan": an answer to a button question, no name;
            # kept for that question, and this one asked again.
            asked = f"Yang saya tanyakan sekarang {IDENTITY_ASKED[key]}."
            others = worded_answers(text)
            return Reading(others, problems={key: asked}) if others else Invalid(asked)
        reading = read_identity(text, key, local_today(ctx))
        if not reading.values and not reading.problems:
            problem = _identity_problem(key, text, local_today(ctx))
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


# Who brings a gift without giving it: "kurir", "ojol".
_CARRIER = re.compile(
    r"^\s*(?:kurir|kurirnya|ojol|ojek|gojek|grab|driver|jne|jnt|j&t|pos)\W*$", re.I
)


def parse_giver_name(ctx: Context, text: str) -> Reading | Invalid | None:
    if _nik_in(text):
        return Invalid("Mohon jangan menulis NIK di sini.")
    if _CARRIER.match(text):
        return Invalid(
            'Kurir hanya mengantar. Siapa pengirimnya? Bila tidak tahu, tekan "Tidak tahu".'
        )
    if says_giver_unknown(text):
        # "dikirim kurir tanpa pengirim", "ga kenal, katanya dari PT Maju": the name unknown,
        # and what else cannot be known is not asked (an institution said with it is kept).
        said = read_giver(text, whole=False)
        if "giver_name" not in said.values:
            unasked = unknown_giver_details(cast(Answers, {**answers(ctx), **said.values}))
            said.values = {"giver_name": None, **said.values, **unasked}
            return said
    reading = read_giver(text, whole=True)
    relation = {m.code for m in find_words(text, vocab.GIVER_RELATION_WORDS) if m.code}
    if len(relation) == 1 and relation != {"lainnya"}:
        reading.values["giver_relation"] = relation.pop()
    if "giver_name" not in reading.values and reading.values:
        stored = answers(ctx)
        if all(stored.get(k) == v for k, v in reading.values.items()):
            # The same post or company typed again at "Siapa nama beliau?": it is all the
            # reporter knows of the giver, so it stands as the name ("Pak Camat").
            reading.values["giver_name"] = _named_by_post(text, reading.values)
            return reading
        # "Pak Camat", "orang PT Maju": the post or the company is kept, the name asked once.
        asked = "Siapa nama beliau?\n" + ASKED_INSTEAD
        return Reading(reading.values, {"giver_name": asked})
    return reading if "giver_name" in reading.values else None


# Ends a narrower question that replaces the step's own when asked again.
ASKED_INSTEAD = (
    "Bila hanya tahu jabatan atau kantornya, ketik lagi seperti tadi; "
    'bila tidak tahu, tekan "Tidak tahu".'
)
_TITLE = re.compile(r"\s*(pak|bapak|bu|ibu|mas|mbak|bang|kang|teh|koh|cik)\b", re.IGNORECASE)


def _named_by_post(text: str, values: dict[AnswerKey, object]) -> str:
    """The giver named by what is known of them: "Pak Camat", else the company."""
    position = values.get("giver_position")
    if position:
        title = _TITLE.match(text)
        return f"{title[1].capitalize()} {position}" if title else str(position)
    return str(values.get("giver_institution") or clean_text(text))[:200]


# Words that only name what follows ("nama vendornya ..."), no position.
_LABEL_WORDS = {"nama", "namanya", "vendornya", "vendor", "perusahaannya", "perusahaan", "nya"}
_LABEL_WORDS |= {"pemberinya", "pemberi", "instansinya", "instansi", "kantornya", "itu", "dari"}
_LABEL_WORDS |= {"dr", "yang", "yg", "adalah", "yaitu", "ialah", "di", "pada", "tokonya"}


POSITION_ASKED = "Yang saya tanyakan sekarang jabatan atau pekerjaannya."
INSTITUTION_ASKED = "Yang saya tanyakan sekarang instansi atau perusahaan pemberinya."


def parse_giver_position(ctx: Context, text: str) -> Reading | Invalid | None:
    """The whole answer is the position, less an institution typed with it; an address
    typed here is the giver's address (kept, and the position asked again)."""
    if looks_like_address(text) and "giver_address" not in answers(ctx):
        return Reading(
            {"giver_address": clean_text(text)[:300]}, {"giver_position": POSITION_ASKED}
        )
    other = _answer_to_another(text, "giver_position", POSITION_ASKED)
    if other is not None:
        return other
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
    if institution and not set(plain(position).split()) - _LABEL_WORDS:
        # "nama vendornya CV Sedap Rasa": the institution, and no position yet.
        return Reading({"giver_institution": institution}, {"giver_position": POSITION_ASKED})
    found = parse_text("giver_position", 2, 200)(ctx, position)
    if isinstance(found, Reading) and institution:
        found.values["giver_institution"] = institution
    return found


def parse_giver_institution(ctx: Context, text: str) -> Reading | Invalid | None:
    other = _answer_to_another(text, "giver_institution", INSTITUTION_ASKED)
    if other is not None:
        return other
    reading = read_giver(text, whole=False)
    institution = reading.values.get("giver_institution") or clean_text(text)
    return parse_text("giver_institution", 2, 200)(ctx, str(institution))


IDENTITY_ASKED = {
    "name": "nama lengkap Anda",
    "jabatan": "jabatan Anda",
    "unit_kerja": "unit kerja Anda",
    "address": "alamat tempat tinggal Anda",
}


def _answers_another_question(text: str) -> bool:
    """Whether short text is an answer to one of the button questions (a yes/no, where the
    gift is now, ...): then it is no name, position or address."""
    words = text.split()
    if len(words) > 6:
        return False
    if len(words) <= 3 and yes_no(" ".join(words[:1])) is not None:
        return True  # "iya rahasiakan", "ok", "tidak perlu"
    return any(m.code for table in WORDED.values() for m in find_words(text, table))


# The button questions whose answers are typed in words of their own, anywhere in the form.
WORDED: dict[AnswerKey, vocab.WordTable] = {
    "object_location": vocab.OBJECT_LOCATION_WORDS,
    "confidential": vocab.CONFIDENTIAL_WORDS,
    "compensation": vocab.COMPENSATION_WORDS,
}
_BARE = YES | NO | SKIP_WORDS | UNKNOWN_WORDS


def worded_answers(text: str) -> dict[AnswerKey, str]:
    """The button questions text answers in their own words ("masih saya simpan", "jangan
    disebar", "mau menebus"), one code each; a bare yes or no ("ga perlu") names none."""
    tokens = plain(text).split()
    found: dict[AnswerKey, str] = {}
    for key, table in WORDED.items():
        codes = {
            m.code
            for m in find_words(without_counts(text), table)
            if m.code and " ".join(tokens[m.start : m.end]) not in _BARE
        }
        if len(codes) == 1:
            found[key] = codes.pop()
    return found


def _answer_to_another(text: str, key: AnswerKey, asked: str) -> Reading | Invalid | None:
    """ "masih saya simpan" at a question about the giver: where the gift is, typed a question
    early; kept for that question, and this one asked again (None: the text is no such answer)."""
    if looks_like_address(text) or not _answers_another_question(text):
        return None
    others = worded_answers(text)
    return Reading(others, problems={key: asked}) if others else Invalid(asked)


ASK_GIVER_ADDRESS = "Yang saya tanyakan sekarang alamat pemberinya."


def _relation_only(text: str) -> str | None:
    """The giver's relation when that is all the text says ("vendor", "rekanan kantor")."""
    words = plain(text).split()
    found = find_words(text, vocab.GIVER_RELATION_WORDS)
    if len(found) == 1 and found[0].code and found[0].end - found[0].start >= len(words) - 1:
        return found[0].code
    return None


def _date_or_amount_only(ctx: Context, text: str) -> bool:
    """ "tadi siang", "1,5jt": a date or an amount typed alone, no address."""
    if parsing.parse_money(text) is not None:
        return True
    day = parsing.read_date(text, local_today(ctx), whole=True)
    return day is not None and not any(c.isalpha() for c in text[: day.start] + text[day.end :])


def parse_giver_address(ctx: Context, text: str) -> Reading | Invalid | None:
    other = _answer_to_another(text, "giver_address", ASK_GIVER_ADDRESS)
    if other is not None:
        return other
    if not looks_like_address(text):
        if _date_or_amount_only(ctx, text):
            return None  # read as the date or the value it is (declaration._retyped_elsewhere)
        relation = _relation_only(text)
        if relation is not None and relation != "lainnya":
            # "vendor" at the address: the relation, kept (and shown), the address asked again.
            return Reading(
                {"giver_relation": relation}, problems={"giver_address": ASK_GIVER_ADDRESS}
            )
    found = parse_text("giver_address", 4, 300)(ctx, text)
    typed_here = isinstance(found, Reading) and "giver_address" in found.values
    if typed_here and not (looks_like_address(text) or len(text.split()) >= 2):
        return Invalid("Mohon tulis alamatnya, misalnya nama jalan dan kotanya.")
    return found


def parse_money(ctx: Context, text: str) -> Reading | Invalid | None:
    foreign = parsing.find_foreign(text)
    if foreign is not None:
        return Invalid(
            f"Mohon tulis perkiraan nilai {foreign.value} dalam rupiah "
            "(dengan kurs atau harga hari ini)."
        )
    total = unit_total(text, parsing.find_money(text))
    if total is not None:
        # "30 kotak, per kotak 35rb", "30 x 35rb": the total, shown back with its product.
        ctx.session.data["note"] = (
            f"Saya hitung: {total.count} × {formatting.rupiah(total.unit)} = "
            f"{formatting.rupiah(total.total.value)}."
        )
        return Reading({"value_rp": total.total})
    found = parsing.find_money(text, whole=True)
    values = {f.value.value for f in found}
    if len(values) > 1:
        return Invalid("Ada lebih dari satu nilai. Mohon tulis satu perkiraan nilai totalnya.")
    if not found:
        return None
    money = found[0].value
    if money.value == 0:
        return Invalid("Nilainya harus lebih dari nol. Bila tidak tahu pasti, tulis perkiraan.")
    if money.value < 1000:
        # "300" for a gift is most likely 300 ribu: shown in words and confirmed, never assumed.
        money = parsing.Money(money.value, False)
    return Reading({"value_rp": money})


STORY_IDENTITY: tuple[AnswerKey, ...] = ("jabatan", "unit_kerja", "name", "nik", "phone", "email")
# Where a story says that what follows is the reporter's own ("hp saya ...", "NIK: ...",
# "nama sy ..."): a phone or e-mail is read from there on only, never from the giver's part
# ("pak Andi (hp 0812...) ngasih ..." is the giver's number), and a name only after "nama sy"
# (whatever else follows "email saya ..." would be taken for one).
_MINE = r"\s*(?:sy|saya|aku|gue|gw|ku)\b"
_OWN_CONTACT = re.compile(
    r"\b(?:(?:hp|handphone|no\.?\s*hp|nomor(?:\s+hp|\s+wa)?|no\.?\s*wa|wa|whatsapp|telp|telepon|"
    rf"email|e-mail|surel|kontak){_MINE}|nik\b)",
    re.IGNORECASE,
)
_OWN_NAME = re.compile(rf"\bnama{_MINE}", re.IGNORECASE)


def own_identity(text: str, today: date) -> dict[AnswerKey, object]:
    """The reporter's name, NIK, phone and e-mail told in a story, from where it says they are
    the reporter's own; a NIK wherever it is (a gift story names no other)."""
    if not any(c.isdigit() for c in text) and "@" not in text:
        return {}
    found: dict[AnswerKey, object] = {}
    whole = read_identity(text, "name", today).values
    if "nik" in whole:
        found["nik"] = whole["nik"]
    for mark, keys in ((_OWN_CONTACT, ("nik", "phone", "email")), (_OWN_NAME, ("name",))):
        at = mark.search(text)
        if at is not None:
            own = read_identity(text[at.start() :], "name", today).values
            found.update({k: v for k, v in own.items() if k in keys})
    return found


FUTURE_DATE = "Tanggal itu belum lewat. Tanggal diterima tidak boleh di masa depan."


def parse_received_date(ctx: Context, text: str) -> Reading | Invalid | None:
    today = local_today(ctx)
    named = ctx.services.policy.calendar.holiday_name
    found = parsing.read_date(text, today, whole=True, holiday=named, hour=ctx.local_now.hour)
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
    verb = "ditolak" if not receiving(answers(ctx)) else "diterima"
    if found.holiday:
        day = parsing.holiday_date(found.holiday, local_today(ctx), calendar.holiday_name)
        if day is not None:
            # Offered as a button too: one press when it was the day itself.
            ctx.session.data["offer"] = formatting.tanggal(day)
            return (
                f"{found.holiday} terakhir jatuh pada {formatting.tanggal(day, weekday=True)}. "
                f"Tanggal berapa tepatnya pemberian itu {verb}?"
            )
    return "Mohon tulis tanggalnya (hari yang tepat) agar batas waktunya benar."


def parse_story(ctx: Context, text: str) -> Reading | Invalid | None:
    story = read_story(
        text, local_today(ctx), ctx.services.policy.calendar.holiday_name, hour=ctx.local_now.hour
    )
    ctx.session.data["story_meta"] = {
        "value_exact": story.value_exact,
        "foreign": story.foreign,
        "unit": list(story.unit) if story.unit else None,
        "parts": list(story.parts),
        "date_guessed": bool(story.date and story.date.guessed_year),
        "date_future": bool(story.date and story.date.future),
        "date_vague": bool(story.date and (story.date.vague or story.date.day is None)),
    }
    for key, value in own_identity(text, local_today(ctx)).items():
        story.reading.values.setdefault(key, value)
    own = [k for k in STORY_IDENTITY if k in story.reading.values]
    if own:
        # The reporter's own post or identity told in the story: shown back with the rest
        # (and forgotten with it by "Ceritakan ulang").
        kept = ctx.session.data.get("story_ids") or []
        ctx.session.data["story_ids"] = list(dict.fromkeys([*kept, *own]))
    return _with_story_flags(story)


def _with_story_flags(story: StoryRead) -> Reading:
    reading = story.reading
    reading.values["story"] = True
    return reading
