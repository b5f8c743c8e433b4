"""Reads the facts of "Cek wajib lapor" from whatever is typed at any of its questions.

"dapet kado nikahan dari vendor, isinya rice cooker kira2 800rb" answers four questions at
once. The declaration's story reader (handlers/declaration_story.py) reads it, with the same
parsers and synonym tables as every step, and this module keeps what the check asks about:
who gave it, the occasion, the object, the value, the date received and whether the giver
has business with the reporter's work. What was read is shown back in one line
("Saya catat: ..."), so a wrong reading costs one correction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from handlers import vocab
from handlers.declaration_story import read_story
from handlers.formatting import rupiah, tanggal
from handlers.parsing import Money, find_money
from handlers.typed import WordMatch, find_words, plain

# The session keys of the facts, in the order they are shown back.
FACT_KEYS = ("giver_relation", "occasion", "object_type", "value_rp", "received_date", "coi")

_NOT = r"(?:tidak|tdk|tak|ga|gak|gk|nggak|ngga|enggak|engga|ndak|nda|bukan|tanpa)"
# "ga ada acara apa2", "tidak dalam rangka apa pun": no occasion, which the check reads as
# "Lainnya" (the story reader keeps that code for the step itself).
_NO_OCCASION = re.compile(rf"\b{_NOT}\s+(?:ada\s+)?(?:acara|dalam\s+rangka)\b")
# Whether the giver has business with the reporter's work, said in the story itself.
_COI_NO = re.compile(
    rf"\b{_NOT}\s+(?:ada\s+|punya\s+)?(?:urusan|hubungan\s+(?:kerja|dinas|pekerjaan)"
    r"|konflik\s+kepentingan|kepentingan)\b"
)
_COI_YES = re.compile(
    r"\b(?:ada|punya|lagi\s+ada|sedang\s+ada|masih\s+ada)\s+(?:urusan|konflik\s+kepentingan)\b"
    r"|\b(?:lagi|sedang|sdg|masih|akan|mau)\s+(?:ngurus|mengurus|urus|ngajuin|mengajukan)"
    r"\s+(?:izin|ijin|perizinan|perijinan|tender|lelang|proyek|kontrak)\b"
)


def read_coi(text: str) -> str | None:
    """ "ya" or "tidak" when the text says whether the giver has business with the
    reporter's work ("lagi ngurus izin", "ga ada urusan kerja"); None when it does not say."""
    said = plain(text)
    if _COI_NO.search(said):
        return "tidak"
    return "ya" if _COI_YES.search(said) else None


# Words after which a relation is the giver's: "dari vendor", "sm warga", "pemberinya atasan";
# weaker: the first word, or after "ngasih"/"yg" ("temen kantor ngasih ...", "yg ngasih bos").
_GIVER_CUES = {"dari", "dr", "oleh", "sama", "sm", "ama", "pemberi", "pemberinya", "pihak"}
# Javanese "saking/kaliyan", Sundanese "ti/ku" ("dipasihan artos ku pamohon"), English.
_GIVER_CUES |= {"saking", "kaliyan", "ti", "ku", "from", "by"}
_WEAK_CUES = {"dikasih", "dikasi", "diberi", "ngasih", "ngasi", "yg", "yang", "si", "itu"}
SHORT_ANSWER = 3  # words: "temen kantor", "dr pemkab sebelah"


# The giving verb after a relation also makes it the giver's: "ada warga ngasih buah2an",
# "tetangga sebelah nganterin kue" ("sebelah", "saya" may come between).
_GIVING = {"ngasih", "ngasi", "kasih", "kasi", "ngasihin", "memberi", "memberikan", "ngirim"}
_GIVING |= {"ngirimin", "mengirim", "mengirimkan", "kirim", "nganter", "nganterin", "mengantar"}
_GIVING |= {"bawain", "membawakan", "nitip", "menitipkan", "ngado", "ngirimi"}
_BETWEEN = {"saya", "sy", "aku", "kami", "sebelah", "itu", "tsb", "tersebut", "tadi", "td"}


def _gives_after(tokens: list[str], end: int) -> bool:
    after = tokens[end : end + 2]
    return bool(after) and (
        after[0] in _GIVING or (len(after) == 2 and after[0] in _BETWEEN and after[1] in _GIVING)
    )


def _negated(tokens: list[str], start: int) -> bool:
    """ "bukan vendor", "bukan dr vendor", "bkn dari vendor": the relation said is denied."""
    before = tokens[max(0, start - 2) : start]
    if before and before[-1] in _DENY:
        return True
    return len(before) == 2 and before[0] in _DENY and before[1] in _GIVER_CUES


# The words that deny the relation after them ("eh bukan dr vendor, dr temen").
_DENY = {"bukan", "bkn", "bukannya", "sanes"}


def _relation_matches(text: str) -> tuple[list[str], list[WordMatch]]:
    tokens = plain(text).split()
    matches = [
        m
        for m in find_words(text, vocab.GIVER_RELATION_WORDS)
        if m.code and " ".join(tokens[m.start : m.end]) not in vocab.NO_RELATION_IN_STORY
    ]
    return tokens, matches


def denied_givers(text: str) -> set[str]:
    """The relations a message says the giver is not ("bukan dari vendor")."""
    tokens, matches = _relation_matches(text)
    return {str(m.code) for m in matches if _negated(tokens, m.start)}


# The reporter's own post ("krn sy kadis", "sy sebagai kabid"): no giver's relation.
_SELF = {"saya", "sy", "aku", "gw", "gue", "sebagai", "selaku", "sbg"}
_AS = {"jd", "jadi", "sbg", "sebagai", "selaku", "kan", "ini", "itu", "skrg", "sekarang"}


def own_posts(text: str) -> set[str]:
    """The relations a message names as the reporter's own post ("krn sy kadis")."""
    tokens, matches = _relation_matches(text)
    return {
        str(m.code)
        for m in matches
        if (m.start >= 1 and tokens[m.start - 1] in _SELF)
        or (m.start >= 2 and tokens[m.start - 2] in _SELF and tokens[m.start - 1] in _AS)
    }


# A correction inside a message ("dr vendor kmrn, eh bukan dr vendor tp dr tmn kuliah",
# "2jt eh salah 1,5jt"): what follows it is what the reporter means.
_CORRECTS_MID = re.compile(
    r"[\s,.;:!-](?:e+h+|ups|eits)[\s,]+(?=(?:salah|keliru|bukan|bkn|maksudnya|maksud\s+(?:saya|sy))\b)"
    r"|[\s,.;:!-](?:ralat|koreksi)\b",
    re.IGNORECASE,
)


def corrected_tail(text: str) -> str | None:
    """What follows the last correction inside a message, as typed ("bukan dr vendor tp dr
    tmn kuliah", its "bukan" kept), or None."""
    found = list(_CORRECTS_MID.finditer(text))
    return text[found[-1].end() :] if found else None


def _giver_said(text: str) -> str | None:
    """The relation said as the giver's: after "dari"/"sama" first, else a word that opens
    the message ("bos sy kasih voucher") or that a giving verb follows ("ada warga ngasih");
    "anak saya nikahan" alone names no giver."""
    tokens, said = _relation_matches(text)
    matches = [m for m in said if not _negated(tokens, m.start)]
    strong = {m.code for m in matches if m.start and tokens[m.start - 1] in _GIVER_CUES}
    if strong:
        return strong.pop() if len(strong) == 1 else None
    weak = {
        m.code
        for m in matches
        if m.start == 0 or tokens[m.start - 1] in _WEAK_CUES or _gives_after(tokens, m.end)
    }
    return weak.pop() if len(weak) == 1 else None


# Occasions named by words that say nothing else: a doorprize is "undian" whatever the event.
# Not "profesi" ("honor ngajar" at a bimtek is an official activity), "koperasi" ("korpri"),
# "penghargaan" or "promosi" ("prestasi", "logo"): their words also describe other gifts.
SPECIAL_OCCASIONS = frozenset({"undian", "lomba", "investasi"})


def _special_occasion(text: str) -> str | None:
    """A doorprize, a prize, a dividend ("doorprize kulkas pas jalan sehat hut korpri"): the
    kind of gift its own exemption letter judges, over the event it came at."""
    codes = [m.code for m in find_words(text, vocab.OCCASION_WORDS) if m.code in SPECIAL_OCCASIONS]
    # Two of them: the one said first is the gift ("doorprize ... pas hut korpri").
    return codes[0] if codes else None


def read_facts(
    text: str,
    today: date,
    holiday: Callable[[date], str | None] | None = None,
    *,
    hour: int | None = None,
) -> dict[str, object]:
    """The check's facts a typed text states, by session key.

    A date is kept only when it is a day that has passed; "date_check" marks one whose year
    was guessed or that a holiday names (confirmed before the verdict, "date_named" the
    holiday). A vague or future date, two amounts, a foreign currency: not read, asked."""
    story = read_story(text, today, holiday, hour=hour)
    values = story.reading.values
    found: dict[str, object] = {}
    for key in ("occasion", "object_type"):
        code = values.get(key)
        if isinstance(code, str) and code:
            found[key] = code
    special = _special_occasion(text)
    if special is not None:
        found["occasion"] = special
    # Who gave it decides the verdict ("keluarga" is exempt): in a longer message only a
    # relation said as the giver's counts ("dari vendor", "temen kantor ngasih ..."), never
    # "pas nikahan anak saya"; a short answer ("mertua") is the giver.
    tail = corrected_tail(text)
    relation = _giver_said(tail) if tail else None
    relation = relation or _giver_said(text)
    if relation in own_posts(text):
        relation = None  # "krn sy kadis": the reporter's post
    story_relation = values.get("giver_relation")
    if relation is None and len(plain(text).split()) <= SHORT_ANSWER:
        relation = story_relation if isinstance(story_relation, str) else None
    if relation in denied_givers(text):
        relation = None  # "bukan vendor": said to be not the giver
    if relation:
        found["giver_relation"] = relation
    if "occasion" not in found and _NO_OCCASION.search(plain(text)):
        found["occasion"] = "lainnya"
    money = values.get("value_rp")
    if isinstance(money, Money) and money.value > 0:
        found["value_rp"] = money.value
    elif tail:
        # "2jt eh salah 1,5jt": the amount after the correction.
        amounts = {m.value.value for m in find_money(tail)}
        if len(amounts) == 1 and min(amounts) > 0:
            found["value_rp"] = amounts.pop()
    when = story.date
    passed = when is not None and when.day is not None and when.day <= today
    if when is not None and when.day is not None and passed and not (when.future or when.vague):
        found["received_date"] = when.day.isoformat()
        if when.guessed_year or when.holiday:
            found["date_check"] = True
            found["date_named"] = when.holiday
    coi = read_coi(text)
    if coi is not None:
        found["coi"] = coi
    description = values.get("description")
    if isinstance(description, str) and "object_type" in found:
        # "parsel wajib lapor gak": the question is no part of what was given.
        description = _ASKED.split(description)[0].strip(" ,.?")
        if len(description) >= 3:
            found["description"] = description
    return found


# A message that puts an earlier answer right: "eh salah, dr temen kantor", "ralat: 2jt",
# "maksudnya kemarin", "bukan dr vendor". What it says replaces even an answer typed to its
# own question (no other message does). Only at its start: "kalau ga salah kemarin" is a
# hedge, not a correction.
_CORRECTS = re.compile(
    r"^(?:e+h+|ups|eits|maaf|sorry|sori|ralat|koreksi|salah|keliru|bukan|bkn|sanes"
    r"|maksudnya|maksud\s+(?:saya|sy|aku|ku)|ya?n?g\s+bene?a?r(?:nya)?)\b"
)


def corrects(text: str) -> bool:
    """Whether a message opens by correcting what was said before ("eh salah, ...")."""
    return bool(_CORRECTS.match(plain(text)))


_ASKED = re.compile(
    r"\s(?:wajib|harus|hrs|perlu|apakah|apa|boleh|gimana|gmn|bagaimana|lapor|dilaporkan)\b.*",
    re.IGNORECASE,
)


def _short(label: str) -> str:
    """ "Pernikahan/upacara adat atau agama" -> "pernikahan": the label as said in a line."""
    return label.split("/")[0].lower()


def fact_text(key: str, data: Mapping[str, object]) -> str | None:
    """One fact as shown back: "pemberi rekanan/vendor", "nilai Rp800.000"."""
    value = data.get(key)
    if key == "giver_relation" and isinstance(value, str):
        return f"pemberi {vocab.GIVER_RELATIONS.get(value, value).lower()}"
    if key == "occasion" and isinstance(value, str):
        if value == "lainnya":
            return "tanpa acara tertentu"
        return f"acara {_short(vocab.OCCASIONS.get(value, value))}"
    if key == "object_type" and isinstance(value, str):
        shown = f"bentuk {vocab.OBJECT_TYPES.get(value, value).lower()}"
        description = data.get("description")
        return f"{shown} ({description})" if isinstance(description, str) else shown
    if key == "value_rp" and isinstance(value, int):
        return f"nilai {rupiah(value)}"
    if key == "received_date" and isinstance(value, str):
        return f"diterima {tanggal(date.fromisoformat(value), weekday=True)}"
    if key == "coi" and value in ("ya", "tidak"):
        return "ada urusan dengan pekerjaan Anda" if value == "ya" else "tidak ada urusan kerja"
    return None


def noted_line(keys: list[str], data: Mapping[str, object]) -> str | None:
    """ "Saya catat: pemberi rekanan/vendor, acara pernikahan, nilai Rp800.000." or None."""
    parts = [fact_text(key, data) for key in FACT_KEYS if key in keys]
    shown = [part for part in parts if part]
    return f"Saya catat: {', '.join(shown)}." if shown else None
