"""Reads the story a reporter tells first ("Kemarin Pak Andi dari PT Maju Jaya kasih parsel
lebaran, kira2 1,5 jt, di kantor") into the fields of the declaration.

Each field is read by the same code its own question uses: amounts and dates by
handlers/parsing, the giver by handlers/declaration_identity, the options by their synonym
tables in handlers/vocab.py. What could not be read is simply asked afterwards; what was read
is shown back for confirmation, so a wrong guess costs one correction, never a wrong report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any, cast

from handlers import vocab
from handlers.answers import AnswerKey, Answers
from handlers.declaration_identity import (
    CLIENT_BEFORE,
    CLIENT_WORDS,
    POSITION_WORDS,
    Reading,
    clean_text,
    looks_like_address,
    read_giver,
    read_identity,
)
from handlers.declaration_store import unknown_giver_details
from handlers.parsing import DateRead, find_foreign, find_money, find_numbers, read_date
from handlers.parsing.identity import NIK
from handlers.parsing.money import Money
from handlers.parsing.quantity import per_item, unit_total
from handlers.parsing.text import Found, lowered, squeeze, without_spans, wordset
from handlers.typed import WordMatch, find_words, plain, says_giver_unknown, without_counts

# When a story names several occasions, the event wins over the gesture: "parsel lebaran
# sebagai ucapan terima kasih" is a Lebaran gift; the thanks goes to the reason.
OCCASION_RANK: tuple[str, ...] = ("pernikahan", "musibah", "ulang_tahun", "hari_raya")
OCCASION_RANK += ("kunjungan_dinas", "terima_kasih", "lainnya")

# Where the gift was given: "di kantor ...", "ke rumah", "di ruang rapat".
PLACE_WORDS = wordset(
    """
    kantor rumah ruang ruangan restoran resto rm warung kafe cafe kedai hotel lobi lobby gedung
    aula balai sekolah kampus lokasi proyek acara masjid musala mushola gereja bandara stasiun
    terminal mall mal pasar lapangan parkiran area tempat meja pendopo pendapa kediaman rapat
    halaman depan pos gudang toko kios pabrik site sekretariat loket
    rmh kntr puskesmas pustu posyandu klinik apotek rs rsud kantin pantry kelas perpustakaan
    bale kelurahan kecamatan
    """
)
# Places often named after their owner ("warung sate pak Kumis", "RM Bu Ratna").
SHOP_WORDS = wordset("warung rm resto restoran kedai kafe cafe toko kios depot rumah makan")
_PLACE = re.compile(
    r"\b(?:(?P<verb>diantar|dikirim|dikirimkan|datang|mampir|dibawa|diantarkan|dititipkan)\s+"
    # "wonten", "teng", "ning", "nang": Javanese for "di".
    r"(?:langsung\s+)?ke|di|ke|wonten|teng|ning|nang)\s+(?P<place>[^\W\d_]+(?:\s+[\w.'/-]+){0,5})",
    re.IGNORECASE,
)
# Words that hedge an amount ("kira2 4 jt", "isinya kayaknya 200rb"): they belong to the value,
# so a place, a description or a reason typed before the amount ends at them.
HEDGES = (
    r"kira|kira2|kira-kira|kurang\s+lebih|kurleb|sekitar|sktr|kisaran|senilai|seharga|harganya"
    r"|nilainya|kayaknya|kayanya|kyknya|sepertinya|kira-kiranya|taksiran|ditaksir|sebesar"
    r"|sejumlah"
)
HEDGE_WORDS = wordset("kira kira2 sekitar sktr kisaran senilai seharga kayaknya kurleb")
# Where a place typed in a story ends: punctuation (not the dot of "Jl.", see _place_end), or
# a word that goes on with the story: a time, a giving or bringing verb ("ke kantor *bawa*
# parsel", "di resto *trus* dibayarin"), a link word.
_PLACE_END = re.compile(
    r"[,.;()!?]|\s(?:dan|lalu|terus|trus|trs|kemudian|sambil|untuk|buat|karena|krn|katanya"
    r"|sebagai|pada|tgl|tanggal|waktu|wkt|saat|pas|kemarin|kemaren|kmrn|tadi|td|semalam|semalem"
    r"|barusan|yang|yg|oleh"
    r"|dari|dr|berupa|isi|isinya|memberi|memberikan|kasih|ngasih|ngasi|kasi|ksh|bawa|membawa"
    r"|bawain|membawakan|nganter|nganterin|anter|antar|mengantar|mengantarkan|nitip|titip"
    r"|menitipkan|nitipin|dtg|datang|dateng|kirim|ngirim|mengirim|menyerahkan|nyerahin|setelah"
    r"|sesudah|habis|abis|kedatangan|didatangi|didatengin|ada|ketemu|bertemu|jam|pukul|sore"
    r"|pagi|siang|malam|malem|hari|minggu|senin|selasa|rabu|dibayarin|dibayari|dibayarkan|ditraktir"
    r"|dikasih|dikasi|diberi|diberikan|dikirimi|dapat|dapet|dpt|ucapan"
    rf"|kamis|jumat|sabtu|masih|msh|sudah|sdh|udah|udh|{HEDGES})\b",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(?:karena|krn|karna|soalnya|sebab|katanya|bilangnya|kata\s+beliau|sebagai|tanda|dalam\s+rangka"
    r"|alasannya|alasan(?:nya)?\s+(?:karena|untuk|buat)|ucapan|(?:untuk|buat)\s+(?:ucapan|tanda"
    r"|thr|hadiah|oleh|terima|balas|apresiasi|makasih|terimakasih|trimakasih|trims)"
    # What the giver wanted ("biar izin tokonya cepet keluar", "supaya menang tender"), not
    # "biar aja" or "biar sy yg lapor".
    r"|biar(?!\s+(?:aja|saja|lah|sy|saya|aku|gw|gue)\b)|supaya|spy|agar|sbg\s+pelicin"
    r"|pelicin|memperlancar|melancarkan|ngelancarin|nglancarin)\b",
    re.IGNORECASE,
)
# The whereabouts count in a story only when said as such: "masih saya simpan", "sudah habis".
_WHEREABOUTS_CUE = re.compile(
    r"\b(?:masih|msh|sudah|sdh|udah|udh|dah|telah|sekarang|skrg|skrng|skr|lalu|kemudian"
    r"|langsung|ditaruh|taruh|ditaro|taro|naruh|naro)\b"
)
# Said of the gift in a story, these tell what became of it without a cue: "kuenya dimakan
# bareng", "amplopnya dibalikin", "printernya ditaruh di kantor".
_DONE_WITH = wordset(
    """
    dimakan diminum dibalikin dikembaliin dikembalikan kembalikan balikin kembaliin ditaruh
    ditaro taruh
    """
)
# Where the description of the gift ends: punctuation, or the story going on (who, where,
# when, how much, why, what then: "plakat *setelah* sy jd narasumber").
_DESCRIPTION_END = re.compile(
    r"(?<!\d)[,.](?!\d)|[;()!?]|\s(?:dari|dr|oleh|sama|sm|di|ke|pada|waktu|wkt|saat|pas|kemarin"
    r"|kemaren|kmrn|tadi|td|semalam|semalem|barusan|harga|katanya|karena|krn|sebagai|sbg|untuk"
    r"|buat|kepada|tgl|tanggal"
    r"|dan\s+(?:saya|langsung)|lalu|terus|trus|kemudian|yang\s+saya|masih|sudah|udah|tapi|namun"
    # "jam" is a time ("jam 3"), not the watch of "parfum dan jam tangan".
    rf"|jam(?!\s+(?:tangan|dinding|weker|meja))|pukul|setelah|sesudah|sehabis|habis|abis|{HEDGES}"
    # Who paid is the giver, not part of the thing: "tiket pesawat sm hotel *dibayarin* PT ...".
    r"|dibayarin|dibayari|dibayarkan|dibayar|ditraktir"
    # How it came is the story going on: "amplop *dikasih* ke istri sy", "parsel *dititipkan*".
    r"|dikasih|dikasi|dikasihkan|diberikan|dititipkan|dititipin|dititip|diantar|diantarkan"
    r"|diantarin|dianterin|dikirim|dikirimkan|dikirimin|diserahkan|diserahin"
    # Javanese and Sundanese: "batik *kalih* Bu Endang", "amplop *ku* Pa Haji", "*wonten*".
    r"|kalih|saking|wonten|teng|ku|ti|ka|eusina|isine)\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"(?:\b(?:\d+|satu|dua|tiga|empat|lima|sebuah|sebungkus|sekotak|sepasang|seperangkat|"
    r"selembar|sebotol|sekeranjang|seikat|setumpuk)\s+(?:buah|unit|paket|kotak|dus|box|pcs|lembar"
    r"|botol|bungkus|keranjang|set|pasang|kg|karung|ekor|biji|butir|toples|slop|ikat|sisir|potong"
    r"|liter|porsi|gram|gr)?\s*)$",
    re.IGNORECASE,
)


_KEPT_BEFORE = re.compile(r"\b(?:masih|disimpan|simpan|sekarang|skrg|taruh|ditaruh)\s+(?:\w+\s+)?$")


# Words for a gift in general: they give way to a more specific object word in the same phrase.
# A parcel is a container: what it holds ("parsel isi sarung") says what kind of gift it is.
GENERIC_OBJECTS = frozenset({"kado", "hadiah", "bingkisan", "barang", "pemberian", "oleh oleh"})
GENERIC_OBJECTS |= {"oleh2", "oleh2nya"}
# A souvenir is said of what a thing is for: "cinderamata berupa jam tangan" is a watch (its
# content says its kind), but "cenderamata sm honor" are two things.
SOUVENIRS = frozenset({"cenderamata", "cinderamata", "suvenir", "souvenir", "kenang kenangan"})
PARCELS = frozenset({"parsel", "parcel", "hampers", "parsel lebaran", "parsel natal"})
GENERIC_OBJECTS |= PARCELS
_CONTENT_LATER = re.compile(
    r"\b(?:isinya|isine|isi|berisi|berisikan)\s+(?P<what>[^,.;()!?]{2,80})", re.IGNORECASE
)
_CONTENT = re.compile(
    r"\b(?:isi|isinya|isine|berisi|berisikan|berupa|yang\s+berisi)\b", re.IGNORECASE
)


# The reporter speaking of themself: "sy kasubag umum di dinkes", "saya guru di SDN 2",
# "Saya, kasubag umum di dinkes, menerima ...".
_SELF = re.compile(
    r"\b(?:saya|sy|aku|gue|gw|abdi|kula|kulo)(?:\s*,\s*|\s+)(?:(?:ini|sebagai|adalah|seorang|bekerja\s+sebagai|kerja\s+sebagai"
    r"|menjabat(?:\s+sebagai)?|jabatan(?:nya)?)\s+)?(?P<what>[^\W\d_]+[^,.;!?()\n]*)",
    re.IGNORECASE,
)
_SELF_END = re.compile(
    r"\s(?:dan|lalu|terus|kemudian|yang|yg|dapat|dapet|dpt|menerima|terima|dikasih|diberi"
    r"|kemarin|kmrn|tadi|tgl|tanggal|sejak|mau|ingin|sudah|udah|tapi|namun)\b",
    re.IGNORECASE,
)


def _reporter(text: str, today: date) -> tuple[dict[AnswerKey, Any], tuple[int, int]] | None:
    """The reporter's own position and unit, when the story says them ("sy staf di dinkes")."""
    at = 0
    # Tried from every "sy" ("suami sy dikasih hp krn *sy kabid*": the first one's words are
    # no post, the second's are).
    while (match := _SELF.search(text, at)) is not None:
        at = match.start() + 1
        what = match["what"]
        if what.split()[0].casefold() not in POSITION_WORDS:
            continue
        cut = _SELF_END.search(what)
        fragment = what[: cut.start()] if cut else what
        found = read_identity(fragment, "jabatan", today).values
        kept: dict[AnswerKey, Any] = {
            k: v for k, v in found.items() if k in ("jabatan", "unit_kerja")
        }
        if "jabatan" in kept:
            return kept, (match.start(), match.start("what") + len(fragment))
    return None


@dataclass
class StoryRead:
    """The fields a story gave, and what the form must still confirm or ask about."""

    reading: Reading = field(default_factory=Reading)
    date: DateRead | None = None  # as read: full, guessed year, future or vague
    value_exact: bool = False
    foreign: str | None = None  # "100 dolar": the value will be asked as a rupiah estimate
    several_values: bool = False
    # A price per item read from the story: (count, price); count 0 when no count was named.
    unit: tuple[int, int] | None = None
    # The prices of several things added up to the value ("parsel 500rb sama jam tangan
    # 2jt"): each price, in the order typed, shown back beside the total.
    parts: tuple[int, ...] = ()


def _first_code(text: str, table: vocab.WordTable, rank: tuple[str, ...] = ()) -> str | None:
    codes = [m.code for m in find_words(text, table) if m.code]
    if not codes:
        return None
    distinct = list(dict.fromkeys(codes))
    if len(distinct) > 1 and "lainnya" in distinct:
        distinct.remove("lainnya")  # "tidak ada ... seminar": the named one wins
    if len(distinct) == 1:
        return distinct[0]
    ranked = [code for code in rank if code in distinct]
    return ranked[0] if ranked else None


# A refusal the story says did not happen: "ga enak nolak", "ga bisa menolak", "sungkan
# menolak", "mau nolak tapi dipaksa", "tidak saya tolak". Blanked before the refusal words are
# looked for, so "sy terima krn ga enak nolak" is a gift received, not one refused.
_NO_REFUSAL = re.compile(
    r"\b(?:(?:ga|gak|gk|g|nggak|ngga|enggak|engga|ndak|tidak|tdk|tak|belum|blm|ora|teu)\s+"
    r"(?:(?:enak|bisa|bs|sempat|sempet|sanggup|kuasa|berani|tega|jadi|jd|mungkin|kuat|mau|"
    r"kepikiran|sampai|sampe|saya|sy|aku|gue|gw|kami)\s+)?"
    r"|(?:sulit|susah|sungkan|segan|pekewuh|sungkan|mau|ingin|pengen|pingin|pengin|niatnya|"
    r"niat|coba|mencoba|berusaha|sempat\s+mau|sebenarnya\s+mau|sebetulnya\s+mau|"
    r"rencananya|harusnya|seharusnya|mestinya|sdh\s+coba|sudah\s+coba|udah\s+coba)\s+)"
    r"(?:tolak|menolak|nolak|ditolak|menolaknya|nolaknya|tolaknya|nampik|menampik)\b",
    re.IGNORECASE,
)


# Taken in the end, whatever was tried first: "saya tolak tapi dia maksa, akhirnya saya terima".
_TAKEN_AFTER_ALL = re.compile(
    r"\b(?:akhirnya|akhirnye|ahirnya|terpaksa|jadinya|jadi|tetap|tetep|ujung2nya|ujungnya)\s+"
    r"(?:saya\s+|sy\s+|aku\s+|gue\s+|gw\s+|kami\s+)?"
    r"(?:terima|nerima|menerima|diterima|trima|ambil|diambil|ngambil|saya\s+terima)\b",
    re.IGNORECASE,
)


def _report_type(text: str) -> str | None:
    if _TAKEN_AFTER_ALL.search(text):
        return "penerimaan"
    text = _NO_REFUSAL.sub(" ", text)
    codes = {m.code for m in find_words(text, vocab.REPORT_TYPE_WORDS)}
    if "penolakan" in codes:
        return "penolakan"
    return "penerimaan" if "penerimaan" in codes else None


_CONTENT_END = re.compile(
    r"\s(?:harga|di|dari|dr|katanya|karena|krn|untuk|buat|waktu|saat|pas|kemarin|tadi|lalu"
    rf"|terus|kemudian|masih|sudah|udah|tapi|namun|{HEDGES}"
    # "isinya gatau", "isinya blm sy buka": what it holds is not known.
    r"|gatau|ga|gak|gk|tidak|tdk|belum|blm|entah)\b",
    re.IGNORECASE,
)


# A parcel's content typed as a list ("isinya wine 1 botol, coklat, kue kering."): the items
# after the first, each a few words that do not go on with the story ("isinya sirup, sy
# simpan" has one item). A word that looks like a verb ("dimakan", "langsung") ends the list.
_ITEM = re.compile(
    r",\s*(?:dan\s+|sama\s+|sm\s+)?(?P<item>[^\W\d_][\w ]{0,30}?)\s*(?=[,.;()!?\n]|$)"
)
_NOT_AN_ITEM = wordset(
    """
    sy saya aku gue gw dia beliau kami langsung sudah sdh udah udh masih msh skrg sekarang lalu
    terus trus trs tapi tp td tadi kemarin kmrn kemaren harga harganya total totalnya semua
    semuanya pokoknya dll dsb katanya tgl tanggal jam pukul hari minggu senin selasa rabu kamis
    jumat sabtu pagi siang sore malam malem
    """
)
_VERB_LIKE = re.compile(r"^(?:di|me|mem|men|meng|ng|ber|ter)\w{3,}$")


def _listed_after(text: str, at: int) -> tuple[str, int]:
    """The further items of a content list typed from `at`, and where they end."""
    items: list[str] = []
    while (match := _ITEM.match(text, at)) is not None:
        item = match["item"]
        cut = _CONTENT_END.search(f" {item}")  # "kurma dr vendor": the last item, "kurma"
        item = f" {item}"[: cut.start()] if cut else item
        words = item.casefold().split()
        if not words or len(words) > 3 or find_money(item):
            break
        if any(w in _NOT_AN_ITEM or _VERB_LIKE.match(w) or w in HEDGE_WORDS for w in words):
            break
        items.append(clean_text(item))
        if cut:
            break
        at = match.end()
    return "".join(f", {item}" for item in items), at


def _content_only(what: str) -> str:
    """What a parcel holds, without the amount or the story after it."""
    what = f" {what}"  # "isinya *kayaknya* 200rb": a first word may end it too
    cut = _CONTENT_END.search(what)
    what = what[: cut.start()] if cut else what
    amounts = find_money(what)
    if amounts:
        what = what[: amounts[0].start]
    return clean_text(what).rstrip(" @")  # "3 toples @ 150rb"


# Who "sama"/"sm" may introduce as the giver ("sama pak Budi", "sm rekanan"); before anything
# else, inside a parcel's content, it means "and" ("isi sirup sama kue kaleng").
_PERSON_AFTER = re.compile(
    r"\s*(?:pak|bu|bpk|bapak|ibu|mas|mbak|mba|om|tante|kak|bang|abang|teman|temen|rekan"
    r"|rekanan|vendor|pihak|orang|direktur|kepala|kades|camat|warga|wali|pengusaha|kontraktor"
    r"|beliau|dia|mereka|istri|suami|keluarga|sdr|saudara)\b",
    re.IGNORECASE,
)


def _and_in_content(text: str, at: int, end: re.Match[str]) -> bool:
    """Whether a "sama"/"sm" cut inside a parcel's content joins two of its items, or joins
    two things given ("pisang sesisir sm telor": the second names an object word too)."""
    if end.group().strip().lower() not in ("sama", "sm", "kalih"):  # Javanese "kalih": and, with
        return False
    rest = text[end.end() :]
    following = rest.split(maxsplit=1)
    if not following or following[0][:1].isupper() or _PERSON_AFTER.match(rest):
        return False
    if _CONTENT.search(text[at : end.start()]):
        return True
    item_end = _DESCRIPTION_END.search(rest)
    item = rest[: item_end.start()] if item_end else rest
    return any(m.code for m in find_words(without_counts(item), vocab.OBJECT_TYPE_WORDS))


# A thing named before the first object word and joined to it ("rokok 2 slop sama kopi",
# "kaos dan pie susu"): at the story's or a sentence's start, or after a giving verb. It is
# part of the description; its kind is not known, so the object type is asked.
_JOINED_BEFORE = re.compile(
    r"(?:^|[,.;:!?\n]\s*|\b(?:ngasih|ngasi|kasih|kasi|ksh|dikasih|dikasi|memberi|memberikan"
    r"|diberi|bawa|bawain|membawakan|dibawain|dapat|dapet|dpt|menerima|nerima|kirim|ngirim"
    r"|dikirim|dikirimi|diparingi|nitip|titip)\s+)"
    r"(?P<item>[^\W\d_][\w ]{1,30}?)\s+(?:sama|sm|dan|&|\+)\s+$",
    re.IGNORECASE,
)


def object_of(text: str) -> tuple[str | None, str | None]:
    """The object type and a short description starting at the first object word."""
    counted = without_counts(text)  # "2 buah jam tangan": the count is no fruit
    words = plain(counted).split()  # the words the matches' indices count
    matches = [
        m
        for m in find_words(counted, vocab.OBJECT_TYPE_WORDS)
        if m.code not in ("", "lainnya")
        # "rekanan katering kasih nasi tumpeng": the vendor's trade, not the gift
        and not (m.start and words[m.start - 1] in CLIENT_WORDS)
    ]
    if not matches:
        return None, None
    first = matches[0]
    phrase = " ".join(words[first.start : first.end])
    # Find the phrase in the typed text to keep its spelling and what follows it.
    at = _find_words_at(lowered(text), phrase)
    if at is None:
        return _object_code(matches, words, None), None
    end_match = _DESCRIPTION_END.search(text, at + len(phrase))
    while end_match and _and_in_content(text, at, end_match):
        end_match = _DESCRIPTION_END.search(text, end_match.end())
    end = end_match.start() if end_match else len(text)
    origin = _ORIGIN.match(text, end) if phrase in _SOUVENIRS else None
    if origin and not _PERSON_AFTER.match(origin["where"]):
        # "oleh-oleh dari Jogja berupa bakpia": the description goes on after the origin.
        end_match = _DESCRIPTION_END.search(text, origin.end())
        end = end_match.start() if end_match else len(text)
    end = _past_hedged_prices(text, end)
    priced = find_money(text[at:end])
    listed = any(_thing_follows(text[at + a.end : end]) for a in priced)
    if not listed:
        for amount in priced:
            # "parsel 1 juta": the value is its own field; "amplop isi 5 juta" keeps its
            # content. With a thing after the price ("honor 3 jt dan plakat", "parsel 500rb
            # sama jam tangan 2jt") every thing and its price stay in the description.
            if not re.search(r"\b(?:isi|isinya|berisi)\s*$", text[at : at + amount.start], re.I):
                end = at + amount.start
                break
    before = _QUANTITY.search(text[:at])
    start = before.start() if before else at
    joined = _JOINED_BEFORE.search(text[:start])
    if joined and not _joined_is_a_thing(joined["item"]):
        joined = None
    if joined:
        start = joined.start("item")
    description = clean_text(text[start:end]).rstrip(" @")  # "2 dus aqua @ 40rb"
    content = _CONTENT_LATER.search(text, end)
    items = _items_after(text, end) if phrase in GENERIC_OBJECTS else None
    if items:
        # "oleh2 dr bali, kaos sm pie susu": what the souvenirs were, listed after a comma.
        description, code = f"{description}, {items[0]}", items[1]
    elif _CONTENT.search(description):
        # "parsel isi kue kering, sirup, kurma": the rest of the list after the first item.
        description += _listed_after(text, end)[0]
        code = _object_code(matches, words, text[at:end])
    elif content:
        # "parsel ke rumah, isinya sirup sm kue2": the content said later in the story, up
        # to where the story goes on ("kue kue kira2 300an": the value is its own field), and
        # the rest of a list ("isinya sirup, biskuit, kurma").
        what = _content_only(content["what"])
        if what and content["what"].lstrip().startswith(what):
            what_end = content.start("what") + content["what"].find(what) + len(what)
            what += _listed_after(text, what_end)[0]
        description = f"{description}, isi {what}" if what else description
        code = _object_code(matches, words, f"{text[at:end]} isi {what}")
    else:
        code = _object_code(matches, words, text[at:end])
    if joined:
        code = None  # "rokok 2 slop sama kopi": the first thing's kind is not known
    if listed and len(_codes_in(description)) > 1:
        code = None  # "parsel 500rb sama jam tangan 2jt": two things of two kinds, asked
    # ("hp" is a thing too, said alone)
    return code, description if len(description) >= 3 or lowered(description) == phrase else None


def _past_hedged_prices(text: str, end: int) -> int:
    """Where a description ends when it stops at a hedged price that another thing follows
    ("parsel *kira2 500rb* sama jam tangan sekitar 2jt"): after the list, else at `end`."""
    while (hedge := re.match(rf"\s*(?:{HEDGES})\b\s*(?:rp\.?\s*)?", text[end:], re.I)) is not None:
        amounts = find_money(text[end + hedge.end() :])
        if not amounts or amounts[0].start != 0:
            break
        after = end + hedge.end() + amounts[0].end
        if not _thing_follows(text[after:]):
            break
        # The next thing, then its own price, hedged or not, up to where the story goes on.
        further = _FURTHER.match(text, after)
        assert further is not None  # _thing_follows matched it
        next_end = _DESCRIPTION_END.search(text, further.end())
        end = next_end.start() if next_end else len(text)
    return end


# Souvenirs are named with where they come from ("oleh2 dr bali", "oleh-oleh dari Jogja"):
# the place stays in the description, unless a person follows ("oleh2 dari pak Budi").
_SOUVENIRS = frozenset({"oleh2", "oleh2nya", "oleh oleh"})
_ORIGIN = re.compile(r"\s+(?:dari|dr|khas)\s+(?P<where>[^\W\d_]+)", re.IGNORECASE)


# The words that join one thing to the next ("dan", "sama", Javanese "kalih").
_AND = r"dan|sama|sm|&|\+|plus|kalih|serta"
# A further thing joined after a price: "honor 3 jt *dan plakat*".
_FURTHER = re.compile(
    rf"\s*,?\s*(?:{_AND})\s+(?P<item>[^\W\d_][^\W\d_ ]*"
    r"(?:\s+[^\W\d_]+){0,2})",
    re.IGNORECASE,
)


def _thing_follows(rest: str) -> bool:
    """Whether the text after a price goes on with another thing given ("dan plakat"), not a
    person ("sama pak Budi") or the story ("dan sy kembalikan")."""
    match = _FURTHER.match(rest)
    if match is None or _PERSON_AFTER.match(match["item"]):
        return False
    item = match["item"]
    return _names_a_thing(item) or _joined_is_a_thing(item)


def _items_after(text: str, end: int) -> tuple[str, str | None] | None:
    """The things a general word ("oleh2", "bingkisan") stands for, listed right after a
    comma ("oleh2 dr bali, kaos sm pie susu"): their description and object type."""
    # ("oleh2 dari pak Budi, bakpia 2 kotak": the giver blanked, only "dari" is left)
    listed = re.match(r"(?:\s+(?:dari|dr|oleh))?\s*,\s*(?P<what>[^.;!?\n]+)", text[end:])
    if listed is None or _CONTENT.match(listed["what"]):
        return None  # "parsel, isinya ...": the content, read as such
    what = listed["what"].lstrip()
    code, description = object_of(what)
    if description is None:
        return None
    if not what.startswith(description):
        # "kado pernikahan sy, *set* panci": a word or two before the thing belong to it.
        head = what[: what.find(description)] if description in what else None
        if head is None or not head.strip() or len(head.split()) > 2:
            return None
        if not _joined_is_a_thing(head.strip()):
            return None
        description = f"{head}{description}"
    return description, code


def _joined_is_a_thing(item: str) -> bool:
    """Whether the words joined before an object word name a thing, not a person or the
    story going on ("pak Budi sama istri", "sy sama teman")."""
    words = item.casefold().split()
    if _PERSON_AFTER.match(item) or _DESCRIPTION_END.search(f" {item}") or _CONTENT.search(item):
        return False
    return not any(w in _NOT_AN_ITEM or w in POSITION_WORDS or _VERB_LIKE.match(w) for w in words)


def _object_code(matches: list[WordMatch], words: list[str], phrase: str | None) -> str | None:
    """One object type from the object words of a story, or None when it names two."""
    codes = list(dict.fromkeys(m.code for m in matches))
    if len(codes) == 1:
        return codes[0]
    specific = [m for m in matches if " ".join(words[m.start : m.end]) not in GENERIC_OBJECTS]
    if phrase is not None and _CONTENT.search(phrase) and _codes_in(phrase) == set(codes):
        # "parsel isi kue kering": what follows the first word is its content; but a "kado
        # berupa amplop" is money (a generic first word gives way to what it contains).
        head = matches[0]
        head_words = " ".join(words[head.start : head.end])
        if head_words not in GENERIC_OBJECTS | SOUVENIRS:
            return head.code
        if head_words not in PARCELS and _unnamed_item(phrase):
            return None  # "kado isinya gelas sm bunga": of what kind the glass is, is asked
        contained = [m for m in specific if " ".join(words[m.start : m.end]) not in SOUVENIRS]
        if head_words not in PARCELS and len({m.code for m in contained}) > 1:
            return None  # "kado isinya mug sm bunga": two kinds
        return contained[0].code if contained else None
    if len({m.code for m in specific}) == 1:
        return specific[0].code
    return _ranked_object(codes)


def _unnamed_item(phrase: str) -> bool:
    """Whether a content list names a thing no object word names ("isi mug sm bunga")."""
    content = _CONTENT.split(phrase, maxsplit=1)[-1]
    items = re.split(r"\s*(?:,|&|\+|\b(?:sama|sm|dan)\b)\s*", content)
    return any(item.strip() and not _codes_in(item) for item in items)


def _codes_in(text: str) -> set[str]:
    return {m.code for m in find_words(without_counts(text), vocab.OBJECT_TYPE_WORDS) if m.code}


def _ranked_object(codes: list[str]) -> str | None:
    # "amplop dan parsel": two kinds; ask. "tiket pesawat + hotel" is read as one phrase.
    if set(codes) == {"voucher_tiket", "fasilitas"}:
        return "fasilitas"
    # "diskon 50% beli mobil", "pinjam duit 50jt": the discount or the loan is the gift, not
    # the thing bought or the money lent.
    if "diskon_pinjaman" in codes and set(codes) <= _DISCOUNTED:
        return "diskon_pinjaman"
    return None


_DISCOUNTED = frozenset({"diskon_pinjaman", "barang", "fasilitas", "makanan", "uang"})


# What was given, when no object word names it ("memberikan printer Epson L3210 ke bagian
# kami", "diparingi rokok 2 slop"): the words after the giving verb, up to where the story
# goes on; shown back as the description, the object's kind still asked.
_GIVEN = re.compile(
    r"\b(?:memberikan|memberi|ngasih|ngasi|kasih|kasi|dikasih|dikasi|diberi|diberikan|dikirimi"
    r"|dikirim|kirim|ngirim|mengirim|mengirimkan|dapat\s+kiriman|dapet\s+kiriman|dapat|dapet|dpt"
    r"|menerima|nerima|diparingi|diwenehi|dipasihan|dibere|nganterin|nganter|bawain|membawakan"
    r"|dibawain)"
    r"\s+(?:(?:saya|sy|aku|kami|abdi|kula|kulo|ke\s+saya|buat\s+saya|untuk\s+saya)\s+)?"
    r"(?P<what>[^\W\d_][^,.;()!?\n]{2,80})",
    re.IGNORECASE,
)
_GIVEN_END = re.compile(r"\s(?:ku|kalih|saking|ti|ka|teh|niku|punika)\b", re.IGNORECASE)
_NOT_A_THING = wordset(
    """
    dari dr oleh ke kepada pada di tanda ucapan sebagai karena buat bwt untuk utk yang yg itu
    ini sama sm dengan dgn secara langsung lagi juga lewat via melalui info kabar telepon
    """
)


def given_thing(text: str) -> str | None:
    """The thing given, read after the giving verb, when no object word named it."""
    for match in _GIVEN.finditer(text):
        what = match["what"]
        if what.split()[0].casefold() in _NOT_A_THING:
            continue
        # Looked for from a space before it, so a first word that goes on with the story
        # ("dikasih pak lurah *pas* sy jadi panitia", the giver blanked) leaves no thing.
        spaced = f" {what}"
        ends = [
            m.start() for m in (_DESCRIPTION_END.search(spaced), _GIVEN_END.search(spaced)) if m
        ]
        what = spaced[: min(ends)] if ends else what
        amounts = find_money(what)
        what = clean_text(what[: amounts[0].start] if amounts else what)
        if len(what) >= 3 and what.split()[0].casefold() not in _NOT_A_THING:
            return what
    return None


def _find_words_at(low: str, phrase: str) -> int | None:
    pattern = r"\b" + r"[^a-z0-9]+".join(re.escape(w) for w in phrase.split()) + r"\b"
    match = re.search(pattern, low)
    return match.start() if match else None


_OFFICE = re.compile(
    r"\bdinas\s+(?!luar\b|ke\b|di\b|dari\b|ini\b|itu\b|kemarin\b|tadi\b)[a-z]+",
    re.IGNORECASE,
)
_ME = {"saya", "sy", "aku", "kami"}
_WITH = {"sama", "sm", "dan", "dengan", "dgn", "bersama", "beserta", "ama"}


# "babi guling buat keluarga sy", "nitip ke atasan": whom it was for or went to; "resepsi
# nikahan adik sy": whose feast it was.
_FOR = {"buat", "bwt", "untuk", "utk", "ke", "kepada", "nikahan", "nikah", "pernikahan", "resepsi"}
_FOR |= {"kawinan", "ultah", "sunatan", "khitanan", "aqiqah", "akikah", "hajatan", "wisuda"}


def _companion(tokens: list[str], start: int) -> bool:
    """ "nawarin sy sama istri": someone with the reporter, not the giver; "buat keluarga
    sy": whom the gift was for."""
    if start >= 1 and tokens[start - 1] in _FOR:
        return True
    return start >= 2 and tokens[start - 1] in _WITH and tokens[start - 2] in _ME


# Someone's relative ("istri pak camat", "anak bu lurah"): the giver is the relative, whose
# name, post and relation to the reporter the story does not say; "pak camat" is neither the
# giver's name nor post, and "istri" is no family of the reporter's. Left out of the giver,
# so all of it is asked. (A messenger, "sopir pak Budi", gives on Pak Budi's behalf: read.)
_KIN_OF_OTHER = re.compile(
    r"\b(?:istri|istrinya|suami|suaminya|anak|anaknya|adik|adiknya|kakak|kakaknya|keponakan"
    r"|ponakan|menantu|mertua|ipar|cucu)\s+(?:dari\s+)?(?:pak|bu|bapak|ibu|bpk|bp|pa|mas|mbak"
    r"|mba|kak|om|tante|haji|hj)\.?\s+[^\W\d_]+"
    # "istri kepala dinas", "anak pak camat": a post's relative
    r"|\b(?:istri|suami|anak|adik|kakak|menantu|mertua)\s+(?:dari\s+)?(?:kepala\s+[^\W\d_]+|kadis"
    r"|kabid|kabag|camat|lurah|kades|bupati|walikota|wakil\s+bupati|sekda|direktur|dirut)\b",
    re.IGNORECASE,
)
# The reporter's relative who received it ("istri sy dikasih tas", "anak sy yg kelas 3 dikasih
# uang jajan"): whom it reached, not the giver's relation.
_KIN_RECEIVED = re.compile(
    r"\b(?:istri|suami|anak|adik|kakak|ibu|bapak|mertua|keluarga)\s+(?:saya|sy|aku|gue|gw)"
    r"(?:\s+(?:yg|yang)\s+[\w ]{1,20}?)?(?=\s+(?:dikasih|dikasi|diberi|dapat|dapet|dpt|menerima"
    r"|nerima|terima|dikirimi|dapat\s+kiriman)\b)",
    re.IGNORECASE,
)


_KIN = r"(?:istri|istriku|suami|suamiku|anak|adik|kakak|ibu|bapak|ayah|mertua|keluarga|ortu)"
_MINE = r"(?:saya|sy|aku|gue|gw)"
# The reporter's relative to whom it was given or for whom it was meant ("dikasih ke istri sy",
# "amplop buat suami sy", "nitip ke anak sy"), and the relative's own post said after it
# (", dia kabid", "yg kerja di dinkes"): whom it reached, never the giver, and no post of the
# giver's. Kept in the description ("amplop (diterima istri sy)").
_KIN_TO = re.compile(
    rf"\b(?P<to>ke|kepada|kpd|buat|bwt|untuk|utk)\s+(?P<kin>{_KIN}\s+{_MINE})\b"
    rf"|\b(?P<kin2>{_KIN}\s+{_MINE})(?=(?:\s+(?:yg|yang)\s+[\w ]{{1,20}}?)?"
    r"\s+(?:dikasih|dikasi|diberi|dapat|dapet|dpt|menerima|nerima|terima(?!\s*kasih)|dikirimi|dititipi|kebagian)\b)",
    re.IGNORECASE,
)
_KIN_POST = re.compile(
    r"\s*,?\s*(?:(?:dia|beliau|yg|yang)\s+)?(?:(?:adalah|sebagai|jadi|jd|menjabat|kerja|bekerja)"
    r"\s+)?(?P<post>[^\W\d_]+[^,.;!?()\n]*)",
    re.IGNORECASE,
)
_KIN_POST_END = re.compile(
    r"\s(?:dan|lalu|terus|trus|kemudian|dikasih|dikasi|diberi|dapat|dapet|dpt|dari|dr|oleh|sama"
    r"|sm|kemarin|kmrn|tadi|td|tgl|tanggal|pas|waktu|saat|katanya|krn|karena|tapi|namun)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KinReceived:
    """The reporter's relative the gift reached, as typed ("istri sy"), and where it and any
    post said of the relative were typed."""

    who: str
    meant: bool  # "buat istri sy": meant for them (not said to have been handed to them)
    spans: tuple[tuple[int, int], ...]


def _kin_received(text: str) -> KinReceived | None:
    match = _KIN_TO.search(text)
    if match is None:
        return None
    kin = "kin" if match["kin"] else "kin2"
    spans = [(match.start(), match.end())]
    who = clean_text(match[kin])
    post = _KIN_POST.match(text, match.end())
    if post is not None and post["post"].split()[0].casefold() in POSITION_WORDS:
        # "amplop buat suami sy, dia kabid": the husband's post, no giver's.
        cut = _KIN_POST_END.search(f" {post['post']}")
        end = post.start("post") + (cut.start() if cut else len(post["post"]))
        spans.append((post.start(), end))
        who = f"{who}, {clean_text(text[post.start('post') : end])}"
    meant = (match["to"] or "").casefold() in ("buat", "bwt", "untuk", "utk")
    return KinReceived(who, meant, tuple(spans))


# A day named after a post or a people ("hari guru", "hari ibu"): an occasion, no giver.
_NAMED_DAY = re.compile(
    r"\bhari\s+(?:guru|ibu|ayah|kartini|dokter|perawat|bidan|pahlawan|polisi|bhayangkara"
    r"|korpri|pers|santri|buruh|anak|pramuka|tni|pendidikan)(?:\s+nasional)?\b",
    re.IGNORECASE,
)


# Where the reporter was when someone else took the gift ("sy lg rapat jd diterima staf sy",
# "saya sedang dinas luar"): the reporter's own business, no occasion of the gift. Blanked
# before the occasion is read, so it is asked ("pas rapat dengan vendor" is still read).
_BUSY = re.compile(
    r"\b(?:saya|sy|aku|gue|gw)\s+(?:lagi|lg|sedang|sdg|lagi\s+ada|lg\s+ada|masih|msh|pas|lagi\s+di)"
    r"\s+(?:rapat|meeting|dinas\s+luar|dl|cuti|keluar|di\s+luar|tugas\s+luar|diklat|pelatihan)\b",
    re.IGNORECASE,
)


# The reporter away when the relative took it ("dikasih ke istri sy *pas sy dinas*"): no
# occasion of the gift.
_AWAY = re.compile(
    r"\b(?:pas|waktu|wkt|saat|ketika|sewaktu|selagi|pas\s+lagi)\s+(?:saya|sy|aku|gue|gw)"
    r"\s+(?:(?:lagi|lg|sedang|sdg|masih|msh)\s+)?(?:dinas(?:\s+luar(?:\s+kota)?)?|dl|tugas"
    r"(?:\s+luar)?|rapat|cuti|keluar\s+kota|di\s+luar\s+kota|pergi|ke\s+luar\s+kota)\b",
    re.IGNORECASE,
)


def _relation(text: str) -> str | None:
    """The giver's relation; with two ("anak saya nikahan ... dari atasan saya"), the one
    said after "dari"/"oleh" is the giver's."""
    tokens = plain(text).split()
    matches = [
        m
        for m in find_words(text, vocab.GIVER_RELATION_WORDS)
        if m.code
        and not _companion(tokens, m.start)
        and " ".join(tokens[m.start : m.end]) not in vocab.NO_RELATION_IN_STORY
    ]
    codes = {m.code for m in matches}
    if len(codes) <= 1:
        return codes.pop() if codes else None
    givers = {"dari", "dr", "oleh", "sama", "sm"}
    after = {m.code for m in matches if set(tokens[max(0, m.start - 2) : m.start]) & givers}
    return after.pop() if len(after) == 1 else None


# Abbreviations an address is typed with ("Jl. Melati 5", "Kec. Cibinong"): their dot ends
# neither a place nor an address.
_ABBREVIATIONS = {"jl", "jln", "no", "kel", "kec", "kab", "rt", "rw", "gg", "kp", "ds", "dsn"}
_ABBREVIATIONS |= {"prov", "blk", "lt", "komp", "perum"}


def _place_end(text: str, start: int) -> int:
    """Where the place typed from `start` ends (the text's end when nothing ends it)."""
    at = start
    while (end := _PLACE_END.search(text, at)) is not None:
        word = re.findall(r"(?<![^\W\d_])[^\W\d_]+$", text[: end.start()])
        if end.group() == "." and word and word[0].casefold() in _ABBREVIATIONS:
            at = end.end()  # "Jl." goes on: "di rumah saya di Jl. Melati 5"
            continue
        return end.start()
    return len(text)


def _places(text: str) -> Iterator[re.Match[str]]:
    """Every "di/ke <words>" of the text, also the ones inside another's words: in "ke sy di
    sekolah" the reader tries "sy" (no place) and then "sekolah"."""
    at = 0
    while (match := _PLACE.search(text, at)) is not None:
        yield match
        at = match.start() + 1


def _place(text: str) -> tuple[str, tuple[int, int]] | None:
    for match in _places(text):
        head = match["place"].split()[0].casefold()
        # "di kantornya", "ke rumahnya" are places too, and so is an address ("di Jl. Ahmad
        # Yani Gg. Mawar No. 3").
        named = head in PLACE_WORDS or head.removesuffix("nya") in PLACE_WORDS
        if not named and not looks_like_address(text[match.start("place") :]):
            continue
        before = lowered(text[: match.start()])
        if _KEPT_BEFORE.search(before):
            continue  # "masih di rumah": where the gift is now, not where it was given
        ours = re.match(r"[^\W\d_]+\s+(?:kami|kita)\b", match["place"], re.IGNORECASE)
        if ours and not match["verb"] and CLIENT_BEFORE.search(before):
            continue  # "rekanan pengadaan di kantor kami": whom the giver serves, no place
        start = match.start("place")
        end = _place_end(text, start + len(head))
        place = clean_text(text[start:end])
        if place.casefold() == "tempat":
            continue  # "saya tolak di tempat": on the spot, no place named
        if len(place) >= 3:
            return place, (match.start(), end)
    return None


# The hedge of an amount left at the end of a reason typed before it ("krn sy bantu lembur,
# kira2 4 jt" reads "krn sy bantu lembur, kira2"): it goes with the value, not the reason.
_HEDGE_AT_END = re.compile(rf"(?:[\s,]*\b(?:{HEDGES}|rp|harga|nilai)\b)+[\s,]*$", re.IGNORECASE)
_SAID = re.compile(
    r"^(?:katanya|bilangnya|kata\s+beliau|kata\s+dia|katane|cenah|jarene)\b\s*", re.I
)


_UNKNOWN_BEFORE = re.compile(
    r"\b(?:ga|gak|gk|nggak|tidak|tdk|belum|blm)\s+(?:tau|tahu|jelas|ketahuan)\s*,?\s*$", re.I
)


# The reporter's own taking or refusing right before "krn": what follows is their reason.
_WHY_TAKEN = re.compile(
    r"\b(?:sy|saya|aku|gue|gw|kami)\s+(?:\w+\s+)?(?:terima|nerima|menerima|ambil|tolak|nolak"
    r"|menolak|kembalikan|balikin)\s*,?\s*$",
    re.IGNORECASE,
)


def _reason(text: str, amounts: list[int]) -> tuple[str, tuple[int, int]] | None:
    """The reason given ("katanya buat thr") and where it was typed; it ends where an amount
    starts (`amounts`: where each was typed), the value being its own field."""
    match = _REASON.search(text)
    if match is None:
        return None
    if _UNKNOWN_BEFORE.search(text[: match.start()]):
        return None  # "isinya ga tau krn ga dibuka": why it is not known, no reason for a gift
    if _WHY_TAKEN.search(text[: match.start()]):
        return None  # "sy terima krn ga enak nolak": why the reporter took it, not why it was given
    # It ends at a sentence's end, at "tapi", "trus" and the like, or where the reporter or the
    # giver starts a clause of their own ("buat uang rokok, sy ga buka").
    end_match = re.search(
        r"[.!?;\n]|\s(?:tapi|tp|tpi|namun|lalu|kemudian|terus|trus|trs)\b"
        r"|,\s*(?:sy|saya|aku|gue|gw|dia|beliau|skrg|sekarang|dari|dr|oleh)\b"
        # "ucapan selamat pelantikan *dr CV Maju*": who sent it, no part of the reason.
        r"|\s(?:dari|dr|oleh)\s+(?=(?:pt|cv|ud|pak|bu|bpk|ibu|vendor|rekanan|kontraktor"
        r"|pihak|warga|pemohon|bank)\b)",
        text[match.start() :],
        re.IGNORECASE,
    )
    end = match.start() + (end_match.start() if end_match else len(text) - match.start())
    end = min([end, *(at for at in amounts if at > match.start())])
    reason = clean_text(text[match.start() : end])
    # "katanya sekitar 15jt" (the amount blanked), "utk lebaran katanya": a value, or the cue
    # alone, no reason.
    reason = _HEDGE_AT_END.sub("", _SAID.sub("", reason)).strip(" ,")
    if re.match(r"(?:dari|dr|oleh)\b", reason, re.IGNORECASE):
        return None  # "katanya dr pemohon sertifikat": who it was from, no reason
    return (reason[:300], (match.start(), end)) if len(reason) >= 4 else None


# "Alamat kantornya Jl. Pahlawan No. 7 Bogor": the giver's address said in the story (not
# "alamat saya", the reporter's own).
_ADDRESS_SAID = re.compile(
    r"\balamat(?:\s+(?:kantor|rumah|toko|usaha))?(?:nya)?(?!\s+(?:saya|sy|aku)\b)"
    r"\s*(?:di|:|adalah|yaitu|yakni)?\s*",
    re.IGNORECASE,
)


def _giver_address(text: str) -> str | None:
    for match in _ADDRESS_SAID.finditer(text):
        rest = re.split(r"[\n;]", text[match.end() :], maxsplit=1)[0]
        end = len(rest)
        for stop in re.finditer(r"[.!?](?:\s+|$)", rest):
            word = re.findall(r"[a-z]+$", rest[: stop.start()].casefold())
            if not word or word[0] not in _ABBREVIATIONS:
                end = stop.start()
                break
        address = clean_text(rest[:end])
        if looks_like_address(address) and len(address) <= 300:
            return address
    return None


_MEANT = wordset("mau akan ingin pengen pingin rencana rencananya harus perlu bakal")


def _whereabouts(text: str) -> str | None:
    tokens = plain(text).split()
    for match in find_words(text, vocab.OBJECT_LOCATION_WORDS):
        phrase = tokens[match.start : match.end]
        before = tokens[max(0, match.start - 4) : match.start]  # "sudah saya kasih ke panti"
        cued = any(w in ("masih", "msh", "sudah", "sdh", "udah", "telah") for w in phrase)
        meant = [w for w in before[-2:] if w in _MEANT]
        if meant and not cued and (before[-1] in _MEANT or before[-1] in _ME):
            # "sy mau balikin", "mau sy kembalikan": what the reporter means to do, not done yet
            continue
        if cued or _DONE_WITH & set(phrase) or any(_WHEREABOUTS_CUE.fullmatch(w) for w in before):
            return match.code
    return None


def _chronology(text: str) -> str:
    """The story as the chronology, with any NIK-like number left out of the plain text."""
    spans = [(n.start, n.end) for n in find_numbers(text) if n.kind == NIK or len(n.digits) >= 15]
    cleaned = without_spans(text, spans) if spans else text
    return squeeze(" ".join(cleaned.split()))[:CHRONOLOGY_LIMIT]


# The whole story is kept as the chronology, up to what one chat message can hold.
CHRONOLOGY_LIMIT = 4000
# A story is read from its first part (a long one is still kept whole as the chronology):
# every reader is linear, but a message is answered well within the event loop's patience.
READ_LIMIT = 1500


# Between two priced things ("parsel 500rb *sama jam tangan* 2jt"): a joining word, then the
# next thing, maybe hedged ("dan jam tangan kira2 2jt").
_NEXT_PRICED = re.compile(
    rf"\s*,?\s*(?:{_AND}|ditambah|tambah)\s+"
    r"(?P<item>[^\W\d_][\w ]{0,40}?)"
    rf"(?:\s+(?:{HEDGES}))?\s*(?:rp\.?)?\s*$",
    re.IGNORECASE,
)
# A price typed right after its thing ("parsel 500rb", "jam tangan kira2 2jt").
_PRICED_THING = re.compile(
    rf"(?P<item>[^\W\d_][\w ]{{0,40}}?)(?:\s+(?:{HEDGES}))?\s*(?:rp\.?)?\s*$", re.IGNORECASE
)
_TOTAL_WORDS = re.compile(
    r"\b(?:total|totalnya|semua|semuanya|jumlah|jumlahnya|seluruhnya)\b", re.I
)


def _names_a_thing(item: str) -> bool:
    """Whether the few words before a price name a thing given ("jam tangan", "uang
    transport"), by an object word among their last three."""
    words = item.split()[-3:]
    if not words:
        return False
    return any(m.code for m in find_words(without_counts(" ".join(words)), vocab.OBJECT_TYPE_WORDS))


def _itemized(text: str, amounts: list[Found[Money]]) -> list[Found[Money]] | None:
    """The prices of several things each typed after its thing and joined by "sama", "dan",
    "+" ("parsel 500rb sama jam tangan 2jt", "honor 1jt dan uang transport 300rb"): their sum
    is the value. None when no such list is typed, or a total is said besides."""
    if len(amounts) < 2 or _TOTAL_WORDS.search(text):
        return None  # "..., totalnya 1.950.000": see _said_total
    first = _PRICED_THING.search(text[: amounts[0].start])
    if first is None or not _names_a_thing(first["item"]):
        return None
    for before, after in pairwise(amounts):
        between = _NEXT_PRICED.match(text[before.end : after.start])
        if between is None or not _names_a_thing(between["item"]):
            return None
    return amounts


_TOTAL_BEFORE = re.compile(rf"{_TOTAL_WORDS.pattern}\s*(?:(?:{HEDGES})\s*)?(?:rp\.?\s*)?$", re.I)


def _said_total(text: str, amounts: list[Found[Money]]) -> Found[Money] | None:
    """The total said besides the prices ("batik 750rb sama tas 1,2jt, totalnya 1.950.000"),
    when the other amounts add up to it; None when they do not (the value is asked)."""
    totals = [a for a in amounts if _TOTAL_BEFORE.search(text[max(0, a.start - 25) : a.start])]
    if len(totals) != 1:
        return None
    others = sum(a.value.value for a in amounts if a is not totals[0])
    return totals[0] if others == totals[0].value.value else None


def _read_value(
    story: StoryRead, text: str, amounts: list[Found[Money]], dated: list[tuple[int, int]]
) -> None:
    """The value: the one amount named, or a price per item times the count of items ("30
    nasi kotak, per kotak 35rb"), or the total said beside a price per item; a price per
    item with no count is no total (the value is asked, the price shown back)."""
    values = story.reading.values
    per = [a for a in amounts if per_item(text, a)]
    totals = {a.value.value for a in amounts if a not in per}
    if per:
        found = unit_total(text, amounts, dated)
        if found is not None and (not totals or totals == {found.total.value}):
            values["value_rp"] = found.total
            story.unit = (found.count, found.unit)
            return
        if len(totals) == 1:
            amounts = [a for a in amounts if a not in per]  # "@ 35rb, totalnya 1.050.000"
        elif not totals:
            story.unit = (0, per[0].value.value)
            return
    distinct = {a.value.value for a in amounts}
    priced = _itemized(text, amounts) if not per and len(amounts) > 1 else None
    total = _said_total(text, amounts) if not per and len(amounts) > 2 else None
    if total is not None:
        values["value_rp"] = total.value
        story.value_exact = total.value.exact
        story.parts = tuple(a.value.value for a in amounts if a is not total)
    elif priced is not None:
        values["value_rp"] = Money(sum(a.value.value for a in priced), False)
        story.parts = tuple(a.value.value for a in priced)
    elif len(distinct) == 1:
        values["value_rp"] = amounts[0].value
        story.value_exact = amounts[0].value.exact
    elif len(distinct) > 1:
        story.several_values = True


# A time of day ("jam 10an", "pukul 14.30", "jam 2 siang") or the Independence Day feast
# ("17an"): no amount ("10an" alone is read as some ten thousand) and no watch ("jam").
# Not when an amount or a count follows: "jam 2jt" is a watch of two million.
_TIME = re.compile(
    r"\b(?:jam|jm|pukul|pkl)\s*\d{1,2}(?:[.:]\d{2})?(?!\d|[.,]\d)(?:\s?-?an\b)?"
    r"(?!\s*(?:buah|unit|biji|pcs|jt|juta|rb|ribu|rebu|k)\b)"
    r"|\b17\s?-?an\b(?!\s*(?:k|rb|ribu|rebu|jt|juta)\b)",
    re.IGNORECASE,
)


# When the gift was handed on or reported ("lgsg sy serahkan ke inspektorat hari ini", "baru
# sempat lapor tadi"): no date of receipt. Blanked before the date is read, so the day the
# story gave for the gift ("kmrn") is read, or the date is asked.
_HANDED_ON_WHEN = re.compile(
    r"\b(?:serahkan|serahin|diserahkan|nyerahin|kembalikan|kembaliin|balikin|dikembalikan"
    r"|dibalikin|laporkan|dilaporkan|laporin|baru\s+(?:sempat\s+|sempet\s+|bisa\s+)?lapor)\b"
    # ("mau lapor td pagi dpt parsel": the day of the gift, said after the wish to report)
    r"(?:\s+[^\s,.;!?]+){0,4}?\s+"
    r"(?P<when>hari\s+ini|td|tadi(?:\s+(?:pagi|siang|sore|malam|malem))?|barusan|skrg|sekarang)\b",
    re.IGNORECASE,
)


# Whom the message is addressed to ("bpk kepala dinas, sy lapor ...", "Pak, sy supir dinas",
# "bu bidan mau lapor"): an honorific, maybe with a post, then a comma and the reporter, or a
# wish to report. Not the giver: left out of the giver ("Pak Budi, kepala cabang ..." stays).
_ADDRESSEE = re.compile(
    r"^\W*(?:dear|hi|hello|halo|hai)?\s*(?:admin|min|mimin)\s*[,.!]|^\W*(?:(?:selamat\s+)?(?:pagi|siang|sore|malam)|assalamualaikum|halo|hai|permisi|punten)?"
    r"[\s,.!]*(?:pak|bu|bpk|bapak|ibu|mas|mbak|mba|kak|min|admin)\.?(?:\s+(?P<post>[^\W\d_]+"
    r"(?:\s+[^\W\d_]+)?))?(?:\s*[,.!]\s*(?=(?:saya|sy|aku|mau|ingin|izin|ijin|mohon)\b)"
    # "Pak sekdes pak, ...": the honorific said again closes a call, whatever follows.
    r"|\s+(?:pak|bu|bapak|ibu|mas|mbak|min)\s*[,.!]"
    r"|\s+(?=(?:mau|ingin|izin|ijin|mohon)\s+(?:lapor|melapor)))",
    re.IGNORECASE,
)


def _addressee(text: str) -> list[tuple[int, int]]:
    match = _ADDRESSEE.match(text)
    if match is None:
        return []
    post = match["post"]
    if post and post.split()[0].casefold() not in POSITION_WORDS:
        return []  # "Pak Budi, sy ...": a name may be the giver's; read as typed
    return [(match.start(), match.end())]


# Someone named as the one who received it ("pak kadis dpt karangan bunga", "bu camat
# dikasih parsel"): the reporter's boss or relative, not the giver.
_RECEIVER = re.compile(
    r"\b(?:pak|bu|bpk|bapak|ibu|mas|mbak)\s+[^\W\d_]+(?=\s+(?:dpt|dapat|dapet|menerima|nerima"
    r"|terima(?!\s*kasih)|dikasih|dikasi|diberi|dikirimi|kebagian)\b)",
    re.IGNORECASE,
)


# Thanks to the bot closing the message ("..., makasih bot", ". Terima kasih pak"): no
# occasion of the gift. After punctuation only, so "sbg terima kasih" stays the occasion.
_CLOSING_THANKS = re.compile(
    r"(?:^|[,.!?\n])\s*(?:terima\s*kasih|makasih|trims|tq|thx|thanks|nuhun|matur\s+nuwun)"
    r"(?:\s+(?:ya|yah|yaa|banyak|bot|min|admin|pak|bu|kak|bapak|ibu|sebelumnya|atas\s+\w+))*"
    r"\W*$",
    re.IGNORECASE,
)


# "temen sy yg sekarang kontraktor", "skrg masih sy simpan": what is so now, no day of the
# gift. Blanked before the date is read.
_NOW_STATE = re.compile(
    r"\b(?:yg|yang|dan|tapi|tp)\s+(?:sekarang|skrg|skrng|skr)\b"
    r"|\b(?:sekarang|skrg|skrng)\s+(?=(?:masih|msh|sudah|sdh|udah|udh|ada|jadi|jd|sy|saya)\b)",
    re.IGNORECASE,
)
# With whom the gift was eaten or shared ("udh dimakan bareng staf"): no giver.
_SHARED_WITH = re.compile(
    r"\b(?:dimakan|diminum|dibagi|dibagikan|dibagiin|makan|bagi|dinikmati)\s+(?:bareng|bersama"
    r"|rame2|ramai2|sama|sm|ke|dengan|dgn)(?:\s+(?:semua|para|teman2|temen2))?\s+(?:staf|staff"
    r"|teman|temen|pegawai|rekan|kawan|guru|perawat|karyawan|anak2|tim|keluarga)\w*",
    re.IGNORECASE,
)


def read_story(
    told: str,
    today: date,
    holiday: Callable[[date], str | None] | None = None,
    *,
    hour: int | None = None,
) -> StoryRead:
    """Every field the story states; `holiday` names a day's national holiday, so that
    "pas lebaran" is read as its date (handlers.parsing.read_date); `hour` is the reporter's
    local hour ("tadi pagi" typed after midnight is the day before)."""
    text = told[:READ_LIMIT]
    text = without_spans(text, [(m.start(), m.end()) for m in _CLOSING_THANKS.finditer(text)])
    text = without_spans(text, _addressee(text))
    story = StoryRead()
    values: dict[AnswerKey, Any] = story.reading.values
    report_type = _report_type(text)
    if report_type:
        values["report_type"] = report_type
    foreign = find_foreign(text)
    times = [(m.start(), m.end()) for m in _TIME.finditer(text)]
    untimed = without_spans(text, times)
    amounts = find_money(without_spans(untimed, [(foreign.start, foreign.end)] if foreign else []))
    masked = without_spans(text, [(a.start, a.end) for a in amounts])
    handed = [(m.start("when"), m.end("when")) for m in _HANDED_ON_WHEN.finditer(masked)]
    handed += [(m.start(), m.end()) for m in _NOW_STATE.finditer(masked)]
    when = read_date(without_spans(masked, handed), today, holiday=holiday, hour=hour)
    if when is not None:
        story.date = when
        if when.day is not None and not when.future:
            values["received_date"] = when
    _read_value(story, text, amounts, [(when.start, when.end)] if when else [])
    if "value_rp" not in values and not story.several_values and foreign is not None:
        story.foreign = foreign.value
    relative = _kin_received(text)
    theirs = list(relative.spans) if relative else []
    reporter = _reporter(without_spans(masked, theirs), today)
    if reporter is not None:
        # The reporter's own post is theirs, never the giver's; shown back like the rest.
        values.update(reporter[0])
        text = without_spans(text, [reporter[1]])
    # The date's words are no giver's: "pas hari guru kemarin" names no teacher, nor does
    # "kado hari guru" (a day named as the occasion, no date said).
    dated = [(when.start, when.end)] if when is not None else []
    days = [(m.start(), m.end()) for m in _NAMED_DAY.finditer(text)]
    kin = [(m.start(), m.end()) for m in _KIN_OF_OTHER.finditer(text)]
    place = _place(text)
    # "di warung sate pak Kumis": a person in the name of an eatery or a shop names the
    # place, not the giver.
    shop = [place[1]] if place and place[0].split()[0].casefold() in SHOP_WORDS else []
    # "pak kadis dpt karangan bunga": who received it is no giver; an amount is no part of a
    # name ("thr dr pt sinar mas 2jt").
    receivers = [(m.start(), m.end()) for m in _RECEIVER.finditer(text)]
    spent = [(a.start, a.end) for a in amounts]
    spent += [(m.start(), m.end()) for m in _SHARED_WITH.finditer(text)]
    giver = read_giver(
        without_spans(text, [*dated, *days, *kin, *shop, *receivers, *spent, *theirs]),
        whole=False,
    )
    values.update(giver.values)
    giver_unknown = "giver_name" not in values and says_giver_unknown(text)
    places = [(place[1][0], place[1][1])] if place else []
    # A position or institution ("kepala cabang", "Dinas Pendidikan") says nothing of the
    # relation or the occasion: those are read from the rest.
    kin += [(m.start(), m.end()) for m in _KIN_RECEIVED.finditer(text)]
    kin += theirs
    rest = without_spans(text, [*giver.spans, *kin, *([place[1]] if place else [])])
    relation = _relation(rest)
    if relation is None and _relation(text) == "rekanan":
        # "pak hendra direktur PT Bangun Karya (kontraktor jalan)": the giver's own words.
        relation = "rekanan"
    if relation:
        values["giver_relation"] = relation
    reason = _reason(masked, [a.start for a in amounts])
    # The occasion from the story around the reason; from the reason only when the rest names
    # none, and then the first one it names: in "buat makasih udah dirawat" the care is why
    # thanks are given, no illness of the reporter's.
    around = without_spans(rest, [reason[1]]) if reason else rest
    # "di Dinas Pendidikan": an office's name, no official visit.
    around = _OFFICE.sub(lambda m: " " * len(m[0]), around)
    around = _BUSY.sub(lambda m: " " * len(m[0]), around)
    if relative is not None:
        around = _AWAY.sub(lambda m: " " * len(m[0]), around)
    occasion = _first_code(around, vocab.OCCASION_WORDS, OCCASION_RANK)
    if occasion is None and reason is not None:
        named = [m.code for m in find_words(reason[0], vocab.OCCASION_WORDS) if m.code]
        occasion = named[0] if named else None
    if occasion and occasion != "lainnya":
        values["occasion"] = occasion
    # Where it was given and who gave it are no gift ("oleh2 bakpia di hotel", "pemilik toko
    # emas Sinar ngasih kalung emas"): the object is read without the place and the giver,
    # unless only they name one and no thing is said given ("nginep di hotel 3 malam").
    object_type, description = object_of(without_spans(text, [*times, *places, *giver.spans]))
    given = given_thing(without_spans(text, [*giver.spans, *dated, *places]))
    if object_type is None and description is None and given is None:
        object_type, description = object_of(without_spans(text, times))
    if object_type is None and reason is not None:
        # "voucher belanja 500rb, katanya buat thr": the THR is why, the voucher is what.
        object_type, _ = object_of(without_spans(text, [reason[1], *times]))
    if object_type:
        values["object_type"] = object_type
    if not description and not object_type:
        description = given
    if description and relative is not None:
        # Whom it reached is said with the gift, where the reporter sees it and can fix it.
        said = "untuk" if relative.meant else "diterima"
        description = f"{description} ({said} {relative.who})"
    if description:
        values["description"] = description
    if place:
        values["received_place"] = place[0]
    if reason:
        values["reason"] = reason[0]
    address = _giver_address(told[:READ_LIMIT])
    if address:
        values["giver_address"] = address
    where = _whereabouts(text)
    if where:
        values["object_location"] = where
    if giver_unknown:
        # "paket dari kurir tanpa pengirim": who gave it is unknown, and so is what the
        # form would ask about them (shown back as "Tidak diketahui", not asked).
        values["giver_name"] = None
        values.update(unknown_giver_details(cast(Answers, values)))
    values["chronology"] = _chronology(told)
    return story


def says_something(story: StoryRead) -> bool:
    """Whether the story gave more than its own text (else the form just asks step by step)."""
    return any(key != "chronology" for key in story.reading.values)
