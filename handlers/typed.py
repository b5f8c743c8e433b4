"""What people type instead of pressing a button: yes/no, "nothing to give", everyday words.

Shared by the flows, so "gk", "-" and "kondangan" mean the same in every form. The synonym
tables per option live in handlers/vocab.py; this module matches them in typed text and tells
an answer from a question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from handlers import smalltalk, vocab

YES = {"y", "iya", "ya", "yes", "benar", "betul", "bener", "ok", "oke", "setuju", "boleh", "sip"}
YES |= {"iyah", "iyaa", "yaa", "yap", "yup", "yoi", "siap", "okay", "okey", "okeh", "oke deh"}
YES |= {"ya betul", "ya benar", "iya betul", "iya benar", "betul sekali", "benar sekali", "bnr"}
YES |= {"mau", "iya mau", "ya mau", "ya setuju", "iya setuju", "setuju sekali", "lanjut", "gas"}
YES |= {"ya boleh", "iya boleh", "sudah benar", "udah bener", "sudah betul", "cocok", "pas"}
# Javanese and Sundanese yes, typed by the same people: "nggih", "leres", "muhun".
YES |= {"nggih", "inggih", "enggih", "enggeh", "njih", "nggeh", "leres", "muhun", "sumuhun"}
YES |= {"iyo", "yo wis", "mangga", "tos leres", "sampun leres", "pun leres"}
NO = {"n", "no", "tidak", "tdk", "bukan", "salah", "gak", "gk", "g", "nggak", "enggak", "engga"}
NO |= {"ga", "ngga", "ndak", "tidak setuju", "nope", "nggk", "enggk", "tak", "jangan", "ogah"}
NO |= {"bukan itu", "salah itu", "tidak benar", "gak bener", "ga bener", "nggak bener", "keliru"}
NO |= {"tidak mau", "gak mau", "ga mau", "nggak mau", "tidak usah", "ga usah", "gak usah"}
NO |= {"nggak usah", "tidak perlu", "gak perlu", "ga perlu", "nggak perlu", "gausah", "gaperlu"}
NO |= {"mboten", "boten", "ora", "henteu", "hente", "teu", "sanes"}
# What people type on an optional step when they have nothing to give ("-", "gk ada").
SKIP_WORDS = {"-", "--", "lewat", "lewati", "skip", "kosong", "tidak ada", "tdk ada", "gak ada"}
SKIP_WORDS |= {"gk ada", "ga ada", "nggak ada", "ngga ada", "enggak ada", "belum ada"}
SKIP_WORDS |= {"tidak punya"}
SKIP_WORDS |= {"gak punya", "gk punya", "ga punya", "bukan pns", "saya bukan pns", "nihil"}
SKIP_WORDS |= {"selesai", "tidak ada foto", "gak ada foto", "gk ada foto"}
# Javanese and Sundanese: "ora duwe", "mboten gadhah", "teu gaduh", "teu aya".
SKIP_WORDS |= {"ora duwe", "ora ono", "ora ana", "mboten gadhah", "mboten wonten", "teu gaduh"}
SKIP_WORDS |= {"henteu gaduh", "teu aya", "henteu aya", "ndak ada", "ndak punya", "gada"}
# "I don't know": an answer to a question that allows it (the giver's address or position).
UNKNOWN_WORDS = {"tidak tahu", "tidak tau", "gak tau", "ga tau", "gatau", "gak tahu", "ga tahu"}
UNKNOWN_WORDS |= {"nggak tahu", "nggak tau", "ngga tau", "gk tau", "gk tahu", "tdk tahu", "tdk tau"}
UNKNOWN_WORDS |= {"enggak tahu", "kurang tahu", "kurang tau", "entah", "entahlah", "lupa"}
UNKNOWN_WORDS |= {"tidak diketahui", "belum tahu", "blm tau", "tidak ingat", "gak ingat"}
UNKNOWN_WORDS |= {"ga inget", "ndak tau"}
# Javanese and Sundanese: "mboten ngertos", "ora ngerti", "teu terang", "duka", "hilap".
UNKNOWN_WORDS |= {"mboten ngertos", "boten ngertos", "ora ngerti", "ra ngerti", "ora weruh"}
UNKNOWN_WORDS |= {"ndak ngerti", "gak ngerti", "lali", "kesupen", "teu terang", "teu nyaho"}
UNKNOWN_WORDS |= {"duka", "teu apal", "hilap", "teu emut"}
# The giver unknown: "ga kenal orangnya", "tidak ada nama pengirimnya".
UNKNOWN_WORDS |= {"ga kenal", "gak kenal", "gk kenal", "tidak kenal", "tdk kenal", "nggak kenal"}
UNKNOWN_WORDS |= {"tidak dikenal", "orang tidak dikenal", "anonim", "tanpa nama", "tidak ada nama"}
UNKNOWN_WORDS |= {"ga ada nama", "gak ada nama", "ga ada namanya", "tidak ada namanya"}
_NOT = r"(?:tidak|tdk|tak|ga|gak|gk|nggak|ngga|enggak|ndak|blm|belum)"
# The giver unknown, said inside a longer message ("dikirim kurir tanpa pengirim", "ga tau
# dari siapa", "dari hamba Allah"): nobody to ask a position or an institution about.
_GIVER_UNKNOWN = re.compile(
    rf"\b(?:tanpa\s+(?:nama\s+)?pengirim(?:nya)?|tanpa\s+nama|anonim|hamba\s+allah"
    rf"|{_NOT}\s+(?:ada|tertulis|tercantum|dicantumkan)\s+nama(?:\s+pengirim|\s+pemberi)?(?:nya)?"
    rf"|(?:gatau|gatahu|gtau|gktau|{_NOT}\s+(?:tau|tahu|jelas|diketahui))\s+(?:ini\s+|itu\s+)?"
    rf"(?:(?:dari|dr)\s+siapa|siapa\s+(?:yang\s+|yg\s+)?"
    rf"(?:pengirim|ngirim|mengirim|kirim|memberi|ngasih|kasih|pemberi)(?:nya)?)"
    rf"|entah\s+(?:dari|dr)\s+siapa|(?:pengirim|pemberi)(?:nya)?\s+{_NOT}\s+(?:jelas|diketahui|ketahuan"
    rf"|ada|dikenal|kenal|tau|tahu)|(?:orang|seseorang)\s+(?:yang\s+|yg\s+)?{_NOT}\s+(?:saya\s+)?"
    rf"(?:dikenal|kenal)|{_NOT}\s+kenal(?:\s+(?:orangnya|pengirimnya|pemberinya|siapa))?"
    # Only the name unknown: "namanya ga tau", "namanya lupa", "ga inget namanya".
    rf"|nama(?:nya)?\s+(?:{_NOT}\s+(?:tau|tahu|inget|ingat|jelas|diketahui)|lupa)"
    rf"|(?:lupa|{_NOT}\s+(?:tau|tahu|inget|ingat))\s+namanya)\b"
)


# "ga tau siapa" as a phrase of its own ("ada yg naro amplop di meja sy, ga tau siapa, isinya
# 1 jt"): read with its punctuation, as "ga tau siapa yg harus dihubungi" asks something else.
_WHO_UNKNOWN = re.compile(
    rf"\b{_NOT}\s+(?:tau|tahu)\s+siapa(?:\s+(?:orangnya|dia|ya))?\s*(?:[,.;!?\n]|$)"
)


def says_giver_unknown(text: str) -> bool:
    """Whether the message says who gave it is unknown ("paket tanpa pengirim")."""
    return bool(_GIVER_UNKNOWN.search(plain(text)) or _WHO_UNKNOWN.search(text.casefold()))


QUESTION_WORDS = {
    "apa",
    "apakah",
    "bagaimana",
    "gimana",
    "bolehkah",
    "boleh",
    "berapa",
    "kapan",
    "siapa",
    "kenapa",
    "mengapa",
    "dimana",
    "haruskah",
    "perlukah",
    "wajibkah",
    "gmn",
    "bgmn",
    "brp",
}
# Words that make a sentence of two or more words a question: "amplop nikah wajib lapor gk".
ASKING_WORDS = {"wajib", "harus", "perlu", "kalo", "kalau", "gimana", "bagaimana", "apa"}
# A sentence that starts with one of these asks something ("maksudnya ...", "kalau saya PPPK").
QUESTION_START = QUESTION_WORDS | {"maksudnya", "maksud", "artinya", "apaan", "knp", "gmana"}
QUESTION_START |= {"harus", "perlu", "wajib", "kalau", "kalo", "klo", "emang", "memang", "bisakah"}
QUESTION_START |= {"apakah", "mengapa", "bgaimana", "gimn", "sebaiknya", "mending", "trus", "terus"}
# ... unless it is a hedge in front of an answer: "kalau tidak salah tgl 20".
_HEDGE = re.compile(r"^(?:kalau|kalo|klo|kl)\s+(?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak)\s+salah\b")
# Phrases that ask whatever comes around them.
_ASKING = re.compile(
    r"\b(?:maksudnya|maksud nya|apa maksud|itu apa|apa itu|artinya|apa bedanya|bedanya apa"
    r"|apa sih|gimana sih|gimana caranya|bagaimana caranya|contohnya apa|misalnya apa"
    r"|apa saja|apa aja|maksudnya gimana|yang mana)\b"
)
# Tag questions: "pakai gelar gak", "nik itu yang di ktp kan".
_TAG = re.compile(r"\b(?:gak|ga|gk|nggak|ngga|nggk|enggak|tidak|kah|kan|bukan|ndak|nda)\s*$")


_MUST_REPORT = re.compile(r"\b(?:wajib|harus|perlu|mesti)\s+(?:di)?lapor(?:kan)?\b")
_REDUPLICATED = re.compile(r"\b([a-z]+)(?:-\1|2)\b")


def plain(text: str) -> str:
    """Lower-case words and numbers only: "Lapor!" -> "lapor"."""
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def looks_like_question(text: str) -> bool:
    """A typed question rather than an answer ("parsel wajib lapor?", "kalo telat gimana").

    Asked only of text that did not fit the question on screen, so a question word anywhere
    in two words or more is enough; a single word ("kondangan") is an answer, not a question.
    """
    lowered = _REDUPLICATED.sub(r"\1_2", text.casefold().strip())
    words = re.findall(r"[a-z_]+", lowered)
    if lowered.endswith("?") or bool(words and words[0] in QUESTION_WORDS):
        return True
    return len(words) >= 2 and any(word in QUESTION_WORDS | ASKING_WORDS for word in words)


def asks(text: str, *, long_answer: bool = False) -> bool:
    """Whether text typed at a free-text question is itself a question, not the answer.

    Stricter than looks_like_question: it runs before the answer is stored, so "Kalau tidak
    salah Pak Andi datang ..." stays an answer. For long answers (a chronology, a story) only
    a question mark or a short sentence that starts like a question counts.
    """
    # "kapan-kapan", "apa2": a reduplicated word is a vague answer, not a question.
    lowered = _REDUPLICATED.sub(r"\1_2", " ".join(text.casefold().split()))
    words = re.findall(r"[a-z0-9_]+", lowered)
    if not words:
        return False
    if lowered.rstrip(" .!").endswith("?"):
        return True
    if _HEDGE.match(lowered):
        return False
    short = len(words) <= (8 if long_answer else 12)
    if words[0] in QUESTION_START and short:
        return True
    if short and _MUST_REPORT.search(lowered) and _TAG.search(lowered):
        return True  # "parsel dari vendor wajib lapor ga"
    if long_answer:
        return False
    if _ASKING.search(lowered):
        return True
    tagged = len(words) >= 2 and bool(_TAG.search(lowered)) and words[-1] != "tidak"
    if tagged and (len(words) <= 4 or (len(words) <= 6 and "itu" in words[1:])):
        return True
    # "jabatan itu yang di SK ya": "X itu yang ... ya" checks what X means. A plain "ya" at
    # the end of an answer ("no wa 0812... ya") is politeness and stays an answer.
    checking = re.search(r"\bitu\s+(?:yang|yg|berarti|artinya|termasuk|sama\s+dengan)\b", lowered)
    return words[-1] in ("ya", "yah", "ya_2") and bool(checking) and len(words) <= 9


def asks_at_choice(text: str) -> bool:
    """A question typed at a question with buttons ("apa bedanya rekanan dan rekan kerja?").

    "Boleh", "mau" and "harus" start answers there ("boleh dirahasiakan"), so they do not count.
    """
    lowered = " ".join(text.casefold().split())
    words = re.findall(r"[a-z0-9]+", lowered)
    if len(words) < 2 or _HEDGE.match(lowered):
        return False
    if lowered.rstrip(" .!").endswith("?") or _ASKING.search(lowered):
        return True
    return words[0] in QUESTION_START - {"boleh", "mau", "harus", "perlu", "wajib", "sebaiknya"}


# A self-correction's opening ("eh tunggu, ...", "maaf, ralat: ..."): not part of the answer.
_PREAMBLE = re.compile(
    r"^(?:(?:eh|ehh|e|oh|oiya|oh\s+iya|eh\s+iya|maaf|mohon\s+maaf|sori|sorry|tunggu|bentar"
    r"|sebentar|ralat|koreksi|salah|maksud\s+saya|yang\s+benar|yg\s+benar)"
    r"[\s,.:;!-]+)+",
    re.IGNORECASE,
)


def without_preamble(text: str) -> str:
    """ "eh tunggu, CV Sedap Rasa" -> "CV Sedap Rasa" (the text itself without one)."""
    rest = _PREAMBLE.sub("", text.strip(), count=1)
    return rest if rest.strip() else text


_POLITE_END = re.compile(r"(?:\s+(?:aja|saja|dulu|deh|dong|ya|yah|pak|bu|kak|min|sih))+$")


def bare(text: str) -> str:
    """plain() without a polite ending: "kirim aja ya pak" -> "kirim"."""
    said = plain(text)
    return _POLITE_END.sub("", said) or said


def typed_skip(text: str) -> bool:
    """Whether typed text means "nothing to give here" ("-", "gk ada", "bukan PNS"), also
    with the thing named ("tidak punya email", "gak ada fotonya")."""
    said = " ".join(text.casefold().replace(".", " ").split())
    said = _POLITE_END.sub("", said) or said  # "skip aja", "lewati dulu ya pak"
    if said in SKIP_WORDS:
        return True
    words = plain(said).split()
    return any(
        " ".join(words[: len(w.split())]) == w and len(words) <= len(w.split()) + 2
        for w in SKIP_WORDS
        if len(w.split()) >= 2 and not w.startswith(("bukan", "saya"))
    )


# "sama kayak tadi", "sama dgn sebelumnya", "idem", "masih sama", "tidak berubah".
_SAME = re.compile(
    r"(?:masih\s+|tetap\s+|tetep\s+|ya\s+|iya\s+)?(?:sama|idem|ditto|dito|podo|sami)"
    r"(?:\s+(?:aja|saja|kayak|kaya|kyk|kek|seperti|spt|dengan|dgn|dg|sm|ama|yang|yg|tadi"
    r"|sebelumnya|sblmnya|sblm|sebelum|kemarin|kmrn|kemaren|lalu|laporan|lapor|dulu|terakhir"
    r"|pak|bu|ya|kok|nya|kaleh|kalih))*"
    r"|(?:tidak|tdk|ga|gak|gk|nggak|belum|blm)\s+(?:ada\s+yang\s+)?(?:berubah|ganti|pindah)"
    r"(?:\s+(?:kok|ya|pak|bu|masih\s+sama))*"
    r"|(?:pakai|pake|masih)\s+(?:yang|yg)\s+(?:lama|tadi|sebelumnya|kemarin|dulu)"
)


def same_as_before(text: str) -> bool:
    """Whether typed text means "the same as before" rather than giving a value."""
    return bool(_SAME.fullmatch(plain(text)))


def is_unknown(text: str) -> bool:
    """Whether typed text means "I don't know" ("gak tau", "tidak tahu alamatnya")."""
    said = plain(text)
    return said in UNKNOWN_WORDS or any(
        said.startswith(word + " ") and len(said.split()) <= len(word.split()) + 2
        for word in UNKNOWN_WORDS
    )


# --- synonyms of the options -------------------------------------------------------------------


@dataclass(frozen=True)
class WordMatch:
    """A phrase of a synonym table found in typed text: its code and where it was typed."""

    code: str
    start: int  # in words of plain(text)
    end: int


Index = dict[str, list[tuple[tuple[str, ...], str]]]
_INDEXES: dict[int, tuple[Mapping[str, Iterable[str]], Index]] = {}


def _index(table: Mapping[str, Iterable[str]]) -> Index:
    """The table's phrases by their first word, longest first (built once per table)."""
    cached = _INDEXES.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    index: Index = {}
    for code, words in table.items():
        for word in words:
            phrase = tuple(_tokens(word))
            if phrase:
                index.setdefault(phrase[0], []).append((phrase, code))
    for phrases in index.values():
        phrases.sort(key=lambda p: -len(p[0]))
    if isinstance(table, dict) and len(_INDEXES) < 256:
        _INDEXES[id(table)] = (table, index)  # module-level tables: kept for the process
    return index


def _tokens(text: str) -> list[str]:
    """Words of plain(text), a chat reduplication read as its word ("kue2" -> "kue",
    "buah2an" -> "buah"), unless the doubled word means something else ("oleh2")."""
    return [t if t in _DOUBLED_WORDS else _REDUPLICATION.sub(r"\1", t) for t in plain(text).split()]


# Doubled, these are words of their own: "oleh2" is souvenirs, "oleh" alone is "by".
_DOUBLED_WORDS = frozenset({"oleh2", "oleh2nya"})


# "kue2", "buah2an", "kue2nya": one word, typed with the chat's "2" for its repetition.
_REDUPLICATION = re.compile(r"^([a-z]{2,})2(?:an|nya)?$")


def find_words(text: str, table: Mapping[str, Iterable[str]]) -> list[WordMatch]:
    """The phrases of `table` in the text, left to right, the longest at each word, never
    overlapping: "orang tua murid" is one phrase, not "orang tua" and a stray "murid"."""
    tokens = _tokens(text)
    index = _index(table)
    found: list[WordMatch] = []
    start = 0
    while start < len(tokens):
        for phrase, code in index.get(tokens[start], ()):
            end = start + len(phrase)
            if tuple(tokens[start:end]) == phrase:
                found.append(WordMatch(code, start, end))
                start = end
                break
        else:
            start += 1
    return found


# "1 buah", "sebuah": a count, not fruit.
_COUNT = re.compile(r"\b(?:\d+|se|satu|dua|tiga|empat|lima|beberapa)\s*buah\b", re.IGNORECASE)


def without_counts(text: str) -> str:
    """The text with counts ("jam tangan 1 buah") blanked, so "buah" is read as fruit only
    when it is the fruit."""
    return _COUNT.sub(lambda m: " " * len(m[0]), text)


def meant_codes(text: str, table: Mapping[str, Iterable[str]], offered: Iterable[str]) -> set[str]:
    """The offered codes the text names through the table ("" marks words that mean none)."""
    allowed = set(offered)
    return {m.code for m in find_words(without_counts(text), table) if m.code and m.code in allowed}


def yes_no(text: str, table: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """ "ya" or "tidak" for a typed answer to a yes/no question, or None.

    The first yes/no word decides ("iya tolong dirahasiakan", "ga usah dirahasiakan"); a
    field's own words ("rahasiakan", "mau menebus") count as well.
    """
    if smalltalk.complains(text):
        return None  # "bot gak guna": a complaint about the bot, not a "no"
    words = {"ya": tuple(YES), "tidak": tuple(NO)}
    if table:
        words = {code: words.get(code, ()) + tuple(table.get(code, ())) for code in words}
    found = [m for m in find_words(text, words) if m.code]
    if found and found[0].code == "ya" and BUT.search(plain(text)):
        return None  # "iya tapi tanggalnya tgl 28": a correction, not a yes
    if found and found[0].start > 0 and asks(text):
        # "emang wajib lapor ya kalo ga tau dari siapa?": a question with a "ya" (or a "ga")
        # inside it answers nothing; a reply that opens with its yes or no still does.
        return None
    return found[0].code if found else None


BUT = re.compile(r"\b(?:tapi|tp|tpi|tetapi|namun|cuma|kecuali|hanya saja)\b")


def after_but(text: str) -> str:
    """What follows "tapi" in "iya tapi nomor hp salah" (the text itself without one)."""
    match = BUT.search(text.casefold())
    return text[match.end() :].strip(" ,.") if match else text


def typed_words_code(text: str, options: Mapping[str, str]) -> str | None:
    """The one offered code an everyday word in the text points to ("dari vendor")."""
    meant: set[str] = set()
    for table in vocab.OPTION_WORDS.values():
        if set(table) & set(options):
            meant |= meant_codes(text, table, options)
    return meant.pop() if len(meant) == 1 else None


# Kept for callers that look a single word up: every option word, by the code it means.
TYPED_WORDS: dict[str, str] = {
    plain(word): code
    for table in vocab.OPTION_WORDS.values()
    for code, words in table.items()
    if code and code not in ("ya", "tidak")
    for word in words
}
