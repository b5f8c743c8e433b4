"""Reading a bribery concern's story as people type it: when, how they know, who is involved.

The concern flow asks only what the story does not already say, and shows back what it read
("Saya catat: waktu sekitar Oktober 2026; Anda mendengar langsung."), so a sender never has to
learn the bot's words. Everything here is plain text in, plain text out; nothing is logged.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.formatting import MONTHS, tanggal
from handlers.parsing.dates import read_date
from handlers.parsing.text import lowered

_MONTH_WORDS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "jan"),
        ("februari", "pebruari", "feb", "peb"),
        ("maret", "mar"),
        ("april", "apr"),
        ("mei",),
        ("juni", "jun"),
        ("juli", "jul"),
        ("agustus", "agu", "agt", "agus", "ags"),
        ("september", "sept", "sep"),
        ("oktober", "okt", "october"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "des", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTH_WORDS[_name] = _number
_MONTH_ALT = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_PART = r"(?:(?P<part>awal|akhir|pertengahan|tengah|penghujung)\s+(?:bulan\s+)?)?"
_MONTH = re.compile(
    rf"\b{_PART}(?:bulan\s+|bln\s+)?(?P<month>{_MONTH_ALT})\b\.?"
    r"(?:\s+(?:tahun\s+|thn\s+|th\s+)?(?P<year>20\d\d|'?\d\d(?!\d)))?"
)
_LAST = r"(?:lalu|kemarin|kemaren|kmrn|kmaren|yang\s+lalu|yg\s+lalu)"
_LAST_MONTH = re.compile(rf"\b{_PART}bulan\s+{_LAST}\b")
_LAST_YEAR = re.compile(rf"\b{_PART}(?:tahun|thn)\s+{_LAST}\b")
_LAST_WEEK = re.compile(rf"\b(?:minggu|pekan)\s+{_LAST}\b")
_THIS_MONTH = re.compile(rf"\b{_PART}bulan\s+ini\b")
_YEAR = re.compile(r"\b(?P<since>sejak|dari|mulai)?\s*(?:tahun\s+|thn\s+|th\s+)?(?P<year>20\d\d)\b")
_PARTS = {"tengah": "pertengahan", "penghujung": "akhir"}


def _month_back(today: date, months: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def _month_words(part: str | None, year: int, month: int) -> str:
    part = _PARTS.get(part or "", part or "")
    return f"sekitar {part + ' ' if part else ''}{MONTHS[month - 1]} {year}"


def read_when(text: str, today: date, *, whole: bool = False) -> str | None:
    """When the text says it happened, in words to show back ("sekitar Oktober 2026",
    "Senin, 30 November 2026"), or None. With `whole` the text answers "Kapan?", so a vague
    "dulu" or "lupa" is read too; in a story only a real time counts."""
    low = lowered(text)  # read_date's spans are in it
    day = read_date(text, today, whole=whole)
    if day is not None and (day.future or (day.day is not None and day.day > today)):
        day = None  # "besok dia minta lagi": what is to come is not when it happened
    month = _MONTH.search(low)
    if month:
        number = _MONTH_WORDS[month["month"]]
        if day is not None and day.day is not None and day.day.month == number:
            return tanggal(day.day, weekday=True)  # "tgl 20 oktober": the day itself
        typed = month["year"]
        if typed:
            year = (
                int(typed.lstrip("'")) % 100 + 2000 if len(typed.lstrip("'")) == 2 else int(typed)
            )
        else:
            year = today.year if number <= today.month else today.year - 1
        return _month_words(month["part"], year, number)
    if day is not None and day.day is not None:
        if re.search(r"\b(?:minggu|pekan|bulan|tahun|thn)\b", low[day.start : day.end]):
            return f"sekitar {tanggal(day.day)}"  # "2 minggu lalu": an estimate, not a day
        return tanggal(day.day, weekday=True)
    found = _LAST_MONTH.search(low)
    if found:
        return _month_words(found["part"], *_month_back(today, 1))
    found = _THIS_MONTH.search(low)
    if found:
        return _month_words(found["part"], today.year, today.month)
    if _LAST_WEEK.search(low):
        monday = today - timedelta(days=today.weekday() + 7)
        sunday = monday + timedelta(days=6)
        first = f"{monday.day}" if monday.month == sunday.month else tanggal(monday)
        return f"minggu lalu ({first}–{tanggal(sunday)})"
    found = _LAST_YEAR.search(low)
    if found:
        part = _PARTS.get(found["part"] or "", found["part"] or "")
        return f"sekitar {part + ' ' if part else ''}tahun {today.year - 1}"
    found = _YEAR.search(low)
    if found and int(found["year"]) <= today.year:
        return f"{'sejak' if found['since'] else 'sekitar'} tahun {found['year']}"
    if day is not None and (whole or day.holiday):
        return " ".join(low[day.start : day.end].split())  # "pas lebaran", "dulu"
    return None


# How the sender knows, from the words they use. Each reading is shown back as "Anda ...".
HOW_SELF = "mengalami sendiri"
HOW_SAW = "melihat langsung"
HOW_HEARD = "mendengar langsung"
HOW_TOLD = "mendengar dari orang lain"
HOW_PAPER = "dari dokumen atau bukti"
_I = r"(?:saya|sy|aku|aq|gw|gue|gua|ane|kami|kita|kuring|abdi|kula)"  # Sundanese, Javanese too
# "sendiri" also in Javanese and Sundanese: "dewe", "dhewe", "piyambak", "sorangan".
_OWN = (
    r"(?:sendiri|langsung|lgsg|lgsung|lsg|dgn\s+mata\s+kepala\s+sendiri|pake\s+mata\s+sendiri"
    r"|dewe|dhewe|dewek|piyambak|sorangan)"
)
_FROM = r"(?:dari|dr|drpd|daripada|kata|dri)"
_HOW_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        HOW_TOLD,
        re.compile(
            rf"\b(?:(?:dengar|denger|dgr|dengernya|dengarnya|tau|tahu|taunya|tahunya|info|infonya"
            rf"|kabar|kabarnya|cerita|dapat\s+info|dpt\s+info|dapet\s+info)\s+{_FROM}\s+\w+"
            r"|kata\s+(?:teman|temen|tmn|orang|org|rekan|kawan|warga|pegawai|staf|staff)\w*"
            r"|katanya|kabarnya|infonya|gosip\w*|rumor|isu\w*|desas.desus|diceritain|diceritakan"
            r"|dikasih\s+tau|dikasi\s+tau|dikasih\s+tahu|diberi\s+tahu|diberitahu|dikabari"
            r"|(?:menurut|cerita)\s+(?:teman|temen|rekan|orang|kawan)\w*"
            # "dari rekanan" is the vendor the money came from, not a colleague who told.
            r"|(?:dari|dr)\s+(?:teman|temen|tmn|rekan(?!an)|kawan|orang\s+dalam)\w*"
            rf"|(?:teman|temen|tmn|rekan|kawan|orang|warga)\w*\s+(?:{_I}\s+)?(?:yang\s+|yg\s+)?"
            r"(?:cerita|bilang|ngasih\s+tau|kasih\s+tau|lapor|ngadu|curhat))\b"
        ),
    ),
    (
        HOW_SELF,
        re.compile(
            rf"\b(?:(?:ng|me|di)?alami\w*\s*{_OWN}?|(?:ng|me)alamin\w*|{_I}\s+(?:sendiri\s+)?"
            r"(?:yang\s+|yg\s+)?(?:dimintai|dimintain|dimintain|diminta|dipalak|diperas|dipaksa"
            r"|disuruh\s+(?:bayar|setor|kasih|ngasih)|ditagih|korban\w*)"
            rf"|{_I}\s+(?:sendiri\s+)?(?:yang\s+|yg\s+)?(?:bayar|setor|nyetor|ngasih|kasih|kasi"
            r"|memberi)\s+(?:uang|duit|fee|amplop|setoran)"
            rf"|(?:kena|jadi\s+korban)\s+(?:sendiri|{_I}))\b"
        ),
    ),
    (
        HOW_SAW,
        re.compile(
            # Javanese "weruh", "ndelok", Sundanese "ningali" (to see).
            rf"\b(?:(?:lihat|liat|melihat|ngeliat|ngelihat|lht|liad|weruh|ndelok|delok|ningali)"
            rf"\s+{_OWN}"
            rf"|{_I}\s+(?:lihat|liat|melihat|ngeliat|ngelihat|lht|saksikan|menyaksikan)"
            r"|menyaksikan|nyaksiin|saksi\s+mata|di\s+depan\s+mata|depan\s+mata"
            rf"|{_I}\s+(?:jadi\s+)?saksi\w*)\b"
        ),
    ),
    (
        HOW_HEARD,
        re.compile(
            rf"\b(?:(?:dengar|denger|dgr|mendengar|ngedenger|dengarkan)\s+{_OWN}"
            r"|(?:ikut|hadir)\s+(?:di\s+)?(?:rapat|pertemuan)(?:nya)?)\b"
        ),
    ),
    (
        HOW_PAPER,
        re.compile(
            r"\b(?:ada\s+bukti\w*|bukti\w*\s+(?:ada|transfer|tf|chat|wa|foto|rekaman)"
            r"|dokumen\w*|kuitansi\w*|kwitansi\w*|nota\w*|screenshot\w*|ss\w*an|ss|tangkapan\s+layar"
            r"|rekaman\w*|(?:grup|group|grub)\s+(?:wa|whatsapp|telegram)|chat\w*\s+(?:wa|whatsapp)"
            r"|pesan\s+(?:wa|whatsapp)|mutasi\s+rekening|rekening\s+koran|bukti"
            # A letter as the source ("ada suratnya", "lewat surat edaran"), not the service
            # asked for ("ngurus surat tanah", "tanda tangan surat").
            r"|(?:ada|dari|dr|lewat|via|punya|pegang|nyimpen|simpan)\s+surat\w*"
            r"|surat\s+(?:edaran|perintah|memo|tugas)|suratnya\s+(?:ada|sy|saya))\b"
        ),
    ),
)


def _their_claim(low: str, match: re.Match[str]) -> bool:
    """A match that is no way of knowing. A bare "katanya" after the story has begun
    ("bendahara motong 10%, katanya buat setoran ke kapus") reports what the person
    involved said, not hearsay; "katanya kabid minta fee" at the start is hearsay."""
    if match.group(0) == "katanya":
        return len(low[: match.start()].split()) > 2
    # "ga ada bukti pak", "tanpa kwitansi": no evidence, so no way of knowing from one.
    return bool(_NO_PAPER.search(low[: match.start()]))


_NO_PAPER = re.compile(
    r"\b(?:tanpa|(?:ga|gak|gk|nggak|ngga|enggak|tidak|tdk|belum|blm|ndak)(?:\s+(?:ada|punya|pake))?)"
    r"\s*$"
)


def read_how(text: str) -> list[str]:
    """How the sender knows, as the text says it (possibly several ways), or []."""
    low = " ".join(text.casefold().split())
    found: list[tuple[int, str]] = []
    for words, pattern in _HOW_PATTERNS:
        match = next((m for m in pattern.finditer(low) if not _their_claim(low, m)), None)
        if match and not any(w == words for _, w in found):
            found.append((match.start(), words))
    ways = [words for _, words in sorted(found)]
    if HOW_TOLD in ways and HOW_HEARD in ways:
        ways.remove(HOW_HEARD)  # "sy denger dari temen": told, not heard first hand
    return ways


# Who is involved: a position, a unit or a person called by title ("kabid", "pak camat").
_ROLES = (
    r"kabid|kabag|kasubag|kasubbag|kasubbid|kasubid|kasie|kasi|kadis|kadin|kaban|kakan|kapus"
    r"|kepala(?:\s+\w+)?|kades|lurah|camat|sekdes|sekda|sekcam|sekdis|sekretaris|bupati"
    r"|wali\s*kota|walikota|gubernur|direktur|dirut|manajer|manager|atasan|bos|bendahara|ppk|pptk"
    r"|pejabat|petugas|pegawai|staf|staff|oknum|panitia|pokja|auditor|pemeriksa|inspektur|polisi"
    r"|anggota\s+dewan|dprd|kontraktor|rekanan|vendor|pengusaha|calo|operator|asn|pns|honorer"
    r"|ketua|koordinator|korlap|mandor|kepsek|kapolsek|kapolres|kanit|kasat|satpam|penyidik"
    r"|juru\s+\w+|pimpinan|pimpro|kadiv|kacab|supervisor|mantri|bidan|dokter|guru|dosen"
    r"|(?:pak|bu|bpk|bapak|ibu|mas|mbak|mba|bang|kak)\s+[a-z]{2,}"
)
_NOT_OBJECT = r"(?!\s+(?:uang|duit|amplop|fee|hadiah|tau|tahu|barang|parsel|setoran|rp|\d))"
# "petugasnya", "bendaharanya", "kepseknya": the role with -nya is the same person.
_WHO = re.compile(rf"\b(?:{_ROLES})(?:nya)?{_NOT_OBJECT}\b")
_STOP = {"di", "yg", "yang", "ke", "dari", "dr", "sama", "dan", "itu", "ini", "tersebut", "kami"}
_STOP |= {"minta", "meminta", "mintain", "nerima", "menerima", "terima", "bilang", "udah", "sudah"}
_STOP |= {"suka", "selalu", "pernah", "juga", "tu", "nya", "mau", "malah", "kasih", "ngasih"}
_STOP |= {"memberi", "narik", "menarik", "memungut", "mungut", "malak", "memeras", "ada", "tidak"}
_STOP |= {"ga", "gak", "lewat", "pas", "saat", "waktu", "setiap", "tiap", "untuk", "buat", "utk"}
# Verbs and time words that follow a person, not a unit ("kepsek setor", "bendahara motong").
_STOP |= {"setor", "nyetor", "menyetor", "disetor", "motong", "memotong", "potong", "dipotong"}
_STOP |= {"nagih", "menagih", "tagih", "ngambil", "mengambil", "ambil", "nyuruh", "menyuruh"}
_STOP |= {"suruh", "nawarin", "menawarkan", "nawari", "janji", "ngajak", "mengajak", "datang"}
_STOP |= {"dateng", "sering", "langsung", "lgsg", "kemarin", "kmrn", "kemaren", "tadi", "pernah"}


# "kasi" is also how people type "kasih" (give): "sy kasi aja", "harus kasi ke dia" give; "kasi
# perizinan", "sm kasi" name the head of a section. "ibu saya", "bapak sy": the sender's own.
_GIVE_BEFORE = {"sy", "saya", "aku", "aq", "gw", "gue", "gua", "ane", "kami", "kita", "dia"}
_GIVE_BEFORE |= {"trus", "terus", "lalu", "harus", "hrs", "mesti", "mau", "disuruh", "suruh"}
_GIVE_BEFORE |= {"tinggal", "udah", "sudah", "sdh", "udh", "jadi", "jd", "akhirnya", "ya", "tp"}
_GIVE_AFTER = {"aja", "saja", "ke", "kpd", "kepada", "sama", "sm", "buat", "utk", "untuk", "dia"}
_GIVE_AFTER |= {"lagi", "dong", "deh", "kok", "tp", "tapi", "biar", "supaya", "agar", "semua"}
_GREETED = {
    "mohon",
    "izin",
    "ijin",
    "permisi",
    "maaf",
    "tolong",
    "mo",
    "pengen",
    "ingin",
    "numpang",
}
_OWN_PEOPLE = {"saya", "sy", "aku", "aq", "gw", "gue", "kami", "kita", "ku", "mu", "nya", "dia"}


def _not_involved(low: str, match: re.Match[str]) -> bool:
    words = match.group(0).split()
    before = low[: match.start()].split()[-1:]
    after = low[match.end() :].split()[:1]
    if words == ["kasi"]:
        return bool(set(before) & _GIVE_BEFORE or set(after) & _GIVE_AFTER)
    # "assalamualaikum pak, mau lapor": the bot greeted, nobody named.
    return len(words) == 2 and words[1] in _OWN_PEOPLE | _STOP | _GREETED


# The sender's own role: "sy guru honorer, kepsek minta setoran" names the kepsek; "sy guru"
# is who is telling. A role right after I/we (with "ini", "sebagai", "seorang"... between).
_SELF = {"saya", "sy", "aku", "aq", "gw", "gue", "gua", "ane", "kami", "kita"}
_SELF_FILLER = {"ini", "sebagai", "sbg", "seorang", "cuma", "cm", "hanya", "hny", "jadi", "jd"}
_SELF_FILLER |= {"adalah", "kerja", "bekerja", "mengabdi", "tenaga", "salah", "satu", "seorg"}


def _own_roles(low: str, matches: list[re.Match[str]]) -> set[int]:
    """The matches that are the sender's own role: right after a first-person word (with
    fillers between), or right after such a role in the same clause ("sy guru honorer")."""
    own: set[int] = set()
    for i, match in enumerate(matches):
        before = low[: match.start()].split()
        while before and before[-1] in _SELF_FILLER:
            before.pop()
        after_self = bool(before) and before[-1] in _SELF
        after_own = i - 1 in own and not low[matches[i - 1].end() : match.start()].strip()
        if after_self or after_own:
            own.add(i)
    return own


# Words naming a kind of unit, whose name follows ("bagian perizinan", "bidang bina marga").
_UNIT_WORDS = {"bagian", "bag", "bidang", "bid", "seksi", "sub", "subbag", "subbid", "unit"}
_UNIT_WORDS |= {"loket", "dinas", "kantor", "badan", "urusan", "divisi", "poli", "ruang"}


def read_who(text: str) -> str | None:
    """Who the story says is involved, in its own words ("kabid", "kasi perizinan"), or None."""
    # Punctuation stays as "|": a clause ends there ("sy staf, kabid minta" names the kabid).
    low = " ".join(
        "|" if t in ",.;:!?" else t for t in re.findall(r"[\w']+|[,.;:!?]", text.casefold())
    )
    matches = list(_WHO.finditer(low))
    own = _own_roles(low, matches)
    match = next(
        (m for i, m in enumerate(matches) if i not in own and not _not_involved(low, m)), None
    )
    if not match:
        return None
    words = match.group(0).split()
    named = words[-1].endswith("nya") and bool(_WHO.fullmatch(words[-1][:-3]))
    if named:
        words[-1] = words[-1][:-3]  # "petugasnya" -> "petugas": -nya already says which one
    # A unit named right after the position ("kasi perizinan", "petugas loket"): one word.
    rest = low[match.end() :].split()
    if (
        len(words) == 1
        and not named
        and rest
        and rest[0] not in _STOP
        and rest[0] != "|"
        and not rest[0].isdigit()
    ):
        words.append(rest[0])
        # "staf bagian perizinan", "petugas loket ktp": the unit's own name comes next.
        if rest[0] in _UNIT_WORDS and len(rest) > 1 and rest[1] not in _STOP | {"|"}:
            words.append(rest[1])
    while len(words) > 1 and words[-1] in _STOP:
        words.pop()
    return " ".join(words)


def how_words(how: str) -> str:
    """ "dari dokumen atau bukti" -> "mengetahuinya dari dokumen atau bukti", to follow "Anda"."""
    return f"mengetahuinya {how}" if how.startswith("dari ") else how


def recorded(when: str | None, how: str | None, who: str | None) -> str:
    """ "Saya catat: yang terlibat kabid; waktu sekitar Oktober 2026; Anda mendengar
    langsung." (only what is known), or ""."""
    parts = []
    if who:
        parts.append(f"yang terlibat {who}")
    if when:
        parts.append(f"waktu {when}")
    if how:
        parts.append(f"Anda {how_words(how)}")
    return f"Saya catat: {'; '.join(parts)}." if parts else ""


# Questions people ask in the middle of telling a concern, answered by this channel's own
# rules (the gratification FAQ would say a self-report cannot be anonymous, which is true of
# a self-report, not of a concern).
_NOT = r"(?:ga|gak|gk|nggak|ngga|enggak|tidak|tdk|tak|belum|blm)"
_ANSWERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b(?:{_NOT}\s+(?:inget|ingat|tau|tahu)\s+(?:tanggal|tgl|kapan|waktu|harinya)"
            r"|lupa\s+(?:tanggal|tgl|kapan|waktu|harinya))"
        ),
        'Tidak apa-apa. Perkiraan pun boleh, misalnya "awal November". '
        'Bila benar-benar tidak tahu, pilih "Tidak tahu".',
    ),
    (
        re.compile(
            r"\b(?:(?:harus|wajib|perlu|mesti)\s+(?:ada\s+|pakai\s+|pake\s+)?bukti"
            rf"|{_NOT}\s+(?:ada|punya)\s+bukti|tanpa\s+bukti)"
        ),
        "Bukti tidak wajib. Ceritakan saja yang Anda ketahui.\n"
        "Bila ada, bukti dapat dikirim sekarang, atau nanti dengan kode laporan Anda.",
    ),
    (
        re.compile(
            r"\b(?:lacak|dilacak|terlacak|melacak|ketahuan|ketauan|kelihatan|keliatan|terlihat"
            r"|tau\s+siapa|tahu\s+siapa|nomor\s+(?:saya|sy|hp)|anonim\w*|identitas|nama\s+(?:saya|sy)"
            r"|tanpa\s+nama)"
        ),
        "Laporan tanpa identitas disimpan tanpa catatan siapa pengirimnya: nomor HP atau akun "
        "chat Anda tidak disimpan bersama laporan, dan data lokasi serta data pembuat di foto "
        "atau dokumen kami hapus.\n"
        "Agar tetap anonim, jangan tulis nama atau nomor Anda sendiri di cerita, dan simpan "
        "kode laporan Anda baik-baik.\n"
        "Bila Anda mencantumkan identitas, identitas itu disimpan terenkripsi dan dirahasiakan.",
    ),
    (
        re.compile(
            r"\b(?:siapa\s+(?:yang\s+|yg\s+)?(?:baca|membaca|lihat|liat|melihat|terima|menerima"
            r"|pegang|megang|periksa|memeriksa|urus|ngurus|proses)|dibaca\s+(?:oleh\s+)?siapa"
            r"|ke\s+siapa|sampai\s+ke\s+mana|sampe\s+ke\s+mana|dikirim\s+ke"
            # "atasan sy tau ga?", not "atasan sy minta setoran ..., ini suap ga?"
            r"|atasan\s+(?:\w+\s+){0,2}(?:tau|tahu|baca|membaca|lihat|liat|dikasih\s+tau"
            r"|diberi\s+tahu|dikabari))"
        ),
        "Laporan ini hanya dibaca fungsi kepatuhan anti penyuapan. Orang yang Anda laporkan "
        "tidak diberi tahu siapa pelapornya; bila Anda mencantumkan identitas, identitas itu "
        "dirahasiakan.",
    ),
    (
        re.compile(
            r"\b(?:dipecat|dimutasi|dibalas|balas\s+dendam|pembalasan|diancam|ancam\w*|takut"
            r"|dilindungi|perlindungan|aman\s+(?:ga|gak|gk|nggak|tidak|kah|kan)|aman\s+nggak"
            r"|bahaya|resiko|risiko)\b"
        ),
        "Pelapor dengan iktikad baik dilindungi dari pembalasan (SNI ISO 37001:2016 klausul 8.9).\n"
        "Bila setelah melapor Anda mengalami tekanan atau pembalasan, sampaikan juga lewat "
        "kode laporan Anda.",
    ),
    (
        re.compile(
            r"\b(?:(?:kalau|kalo|klo|bila|jika)\s+(?:ternyata\s+)?(?:salah|keliru|tidak\s+terbukti"
            rf"|{_NOT}\s+terbukti|{_NOT}\s+benar)|{_NOT}\s+yakin|belum\s+pasti|fitnah)"
        ),
        "Laporan dengan iktikad baik tetap dilindungi walaupun nanti tidak terbukti.\n"
        "Sampaikan apa adanya; tulis juga bagian yang belum Anda yakini.",
    ),
    (
        re.compile(
            r"\b(?:setelah\s+ini|habis\s+ini|abis\s+ini|diproses|diproses\w*|ditindaklanjuti"
            r"|tindak\s+lanjut\w*|berapa\s+lama|prosesnya|kapan\s+(?:ada\s+)?(?:kabar|jawaban|hasil)"
            r"|dikabari|dihubungi|kode(?!\s+etik))\b"
        ),
        "Setelah dikirim, Anda menerima kode laporan, yang ditampilkan sekali saja. Fungsi "
        "kepatuhan menilai laporan dan, bila perlu, memeriksanya.\n"
        "Ketik kode itu kapan saja, dari akun chat mana pun, untuk melihat status, membaca "
        "pertanyaan mereka, dan menambah keterangan. Kami tidak mengirim pesan kepada Anda.",
    ),
    (
        re.compile(r"\b(?:gratifikasi|hadiah\s+(?:yang|yg)\s+(?:saya|sy)\s+terima)\b"),
        "Lapor gratifikasi untuk hadiah yang Anda terima sendiri. Lapor dugaan suap untuk "
        "suap, pungutan, atau permintaan uang oleh orang lain.\n"
        'Untuk hadiah yang Anda terima, pakai menu "Lapor gratifikasi" setelah ini.',
    ),
)


def answer(question: str) -> str | None:
    """This channel's answer to a question typed mid-concern ("kalau anonim bisa dilacak
    ga?", "siapa yg baca laporan ini?"), or None for anything else."""
    low = " ".join(re.findall(r"[\w']+", question.casefold()))
    for pattern, text in _ANSWERS:
        if pattern.search(low):
            return text
    return None
