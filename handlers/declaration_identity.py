"""Reads who someone is from one message: the reporter's identity, or the giver.

"Nama saya Rina Marlina, NIK 3201011505900011, NIP ..., staf di Bappeda" fills five fields;
"Pak Hendra, marketing CV Sumber Rejeki" fills the giver's name, position and institution.
Numbers are read first (handlers/parsing/identity.py), so a NIK never ends up in a name or any
other plain-text field; what is left is split at labels ("jabatan:") and commas and each piece
is told apart by what it looks like (an address starts with "Jl.", a unit with "Dinas").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from handlers.answers import AnswerKey
from handlers.parsing import find_email, find_numbers, nik_problem, nip_problem, parse_phone
from handlers.parsing.identity import NIK, NIP, PHONE
from handlers.parsing.text import (
    FILLER_WORDS,
    has_letters,
    lowered,
    squeeze,
    without_spans,
    wordset,
)


@dataclass
class Reading:
    """What one message gave: values by answer key, and what was wrong with a field."""

    values: dict[AnswerKey, Any] = field(default_factory=dict)
    problems: dict[AnswerKey, str] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the values were typed


# --- what a piece of text looks like -----------------------------------------------------------

UNIT_WORDS = wordset(
    """
    dinas badan bappeda bapeda bappelitbangda inspektorat sekretariat setda setwan dprd kecamatan
    kelurahan desa puskesmas rsud rs rumah sakit sekolah sd sdn smp smpn sma sman smk smkn mi mts
    man bagian bidang seksi subbagian subbag kantor satpol satpol-pp disdik dinkes dishub dukcapil
    disdukcapil bpbd bkpsdm bkd bpkad bapenda bppkad kominfo diskominfo dpmptsp dlh dpupr pupr
    disperindag disnaker dinsos dispenduk bpkd kesbangpol upt uptd unit biro kementerian kemenkes
    kemendikbud lembaga pemkab pemkot pemda pemprov kabupaten kota provinsi cabang kanwil opd
    perangkat direktorat bappenas bps polres polsek kejaksaan pengadilan universitas
    """
)
POSITION_WORDS = wordset(
    """
    staf staff kepala kasi kasie kasubag kasubbag kasubid kasubbid kabid kabag kadis kaur kasat
    sekretaris sekcam sekdes analis pengelola pengadministrasi bendahara camat lurah kades guru
    dosen dokter perawat bidan penyuluh auditor pranata fungsional pelaksana operator admin
    pengawas jfu jft ahli terampil pemeriksa verifikator pengolah penata plt plh direktur dirut
    manajer manager marketing sales owner pemilik komisaris ketua wakil koordinator supervisor
    mandor konsultan notaris karyawan pegawai kasir teller cs bos pimpinan bupati walikota sekda
    asisten perencana pustakawan arsiparis apoteker sanitarian nutrisionis widyaiswara agen
    ppk pptk kepsek supir sopir driver petugas pengusaha asn pns pppk
    """
)
ORG_PREFIXES = wordset(
    """
    pt cv ud pd tb toko bank koperasi kop yayasan dinas badan kantor rs rsud puskesmas klinik
    apotek sekolah sd sdn smp smpn sma sman smk smkn universitas univ kampus kementerian bumn
    firma perusahaan travel biro lembaga lsm asosiasi komunitas kelompok paguyuban pemkab pemkot
    pemda dprd polres polsek kejaksaan pengadilan bpn pln pdam telkom pertamina bri bni bca
    mandiri bjb btn bsi bpr kud desa kecamatan kelurahan bappeda inspektorat dispenda restoran
    hotel developer
    """
)
ADDRESS_START = re.compile(
    r"^(?:jl|jln|jalan|perum|perumahan|komp|komplek|kompleks|gg|gang|kp|kampung|dusun|dsn|desa"
    r"|rt|blok|griya|villa|vila|puri|taman|cluster|apartemen|apt|ruko|asrama|kav|kavling)\b\.?"
)
ADDRESS_INSIDE = re.compile(r"\b(?:rt\s*\.?\s*\d|rw\s*\.?\s*\d|no\.?\s*\d|blok\s+\w|kel\.|kec\.)")
HONORIFICS = wordset(
    """
    pak bapak bpk bp bu ibu mas mbak mba bang kak sdr sdri saudara saudari koh ci cik tuan nyonya
    ny om tante haji hj engkoh cici uda uni akang teteh kang teh abah umi pa
    """
)
TITLES = re.compile(
    r"^(?:(?:dr|drs|dra|ir|prof|h|hj|st|se|sh|mm|mt|apt|ns|kh|ust|ustadz)\.\s*)+", re.IGNORECASE
)
# What a giver is to the reporter ("kontraktor", "vendor"): no part of a name.
RELATION_WORDS = wordset(
    """
    vendor rekanan kontraktor penyedia supplier mitra konsultan pemborong developer atasan bos
    bawahan rekan kolega teman temen warga pemohon nasabah pasien tetangga saudara keluarga
    mertua istri suami anak adik kakak ipar paman bibi sepupu keponakan ponakan menantu ortu
    """
)
# Words that end a name or an institution typed in a sentence ("Pak Andi *kasih* parsel").
STOP_WORDS = wordset(
    """
    kasih ngasih ngasi memberi memberikan member beri diberi datang mengirim ngirim kirim dikirim
    yang di ke pada untuk buat berupa sebuah waktu saat pas kemarin kemaren kmrn tadi dan dengan
    sebagai karena krn katanya senilai seharga kira kira2 sekitar isi isinya tgl tanggal namanya
    bernama selaku adalah itu ini juga lalu terus kemudian menitipkan nitip titip membawa bawa
    bawain memberiku mengantar antar diantar dititipkan nganter nganterin sambil setelah sesudah
    sebelum ketika dalam rangka oleh dari atau serta tapi tetapi namun menawarkan menawari
    ditawari mau ingin minta meminta langsung sudah udah telah akan lagi hari jam pukul yg sama
    sm dgn utk dri dr tempat dpt dapat dapet mendapat mendapatkan menerima nerima terima
    dikasih dikasi dikirimi dititipi
    dtg dateng mampir anter nganterin ngasi ksh kasi lg td tdi
    bagi bagiin membagikan ceritanya gini begini
    """
)
# The reporter is no part of a giver's name ("mau lapor pak. [kemarin sore] sy didatengin").
STOP_WORDS |= wordset("sy saya aku gw gue kami kita")
# A name said unknown ("namanya ga tau", "namanya lupa") is no name: these stop it too.
STOP_WORDS |= wordset("ga gak gk nggak ngga enggak tidak tdk ndak lupa belum blm entah kurang")
# Javanese and Sundanese words that go on with the story ("pak kades *wonten* bale desa",
# "pa Ujang *ti* desa"): at, with, from, to, yesterday.
STOP_WORDS |= wordset("wonten teng ing kalih saking wingi sonten ku ti ka kamari mere masihan")
# Academic degrees typed after a name and a comma ("Drs. H. Ahmad Fauzi, M.Si").
DEGREE = re.compile(
    r"^(?:(?:s|m|d|a)\.?\s?(?:e|h|t|si|pd|kom|sos|ip|ked|kep|farm|ag|hum|ak|p|ikom|stat|psi|md|kes"
    r"|m|ap|ars|tr|tp|th|gz|ft|pt|ds|sn|i\.?kom)\.?|ph\.?\s?d\.?|mba|mm|amd|a\.md|dr|apt|ns|cpa)"
    r"(?:\s*,?\s*(?:(?:s|m|d|a)\.?\s?\w{1,4}\.?|ph\.?\s?d\.?|mba|mm))*\.?$",
    re.IGNORECASE,
)
NOT_A_NAME = wordset("saya aku kami nama lengkap nik nip jabatan alamat hp email ktp")
_LABEL = re.compile(
    r"\b(?P<name>nama\s+lengkap(?:\s+saya)?|nama\s+saya|nama)\b\s*(?:adalah|:|=|-)?\s*"
    r"|\b(?P<jabatan>jabatan(?:\s+saya)?)\b\s*(?:adalah|sebagai|:|=|-)?\s*"
    r"|\b(?P<unit_kerja>unit\s+kerja(?:\s+saya)?|instansi(?:\s+saya)?|opd|tempat\s+kerja"
    r"|kantor\s+saya|bekerja\s+di|bertugas\s+di|kerja\s+di|dinas\s+di)\b\s*(?:adalah|:|=|-)?\s*"
    r"|\b(?P<address>alamat(?:\s+rumah)?(?:\s+saya)?|tinggal\s+di|domisili)\b\s*(?:adalah|di|:|=|-)?\s*",
    re.IGNORECASE,
)
_NON_PNS = re.compile(
    r"\b(?:pppk|p3k|honorer|honor|non\s*asn|non\s*pns|bukan\s+pns|bukan\s+asn|thl|ptt"
    r"|tenaga\s+kontrak|kontrak|outsourcing|belum\s+pns|tidak\s+punya\s+nip|ga\s+punya\s+nip"
    r"|gak\s+punya\s+nip|gk\s+punya\s+nip|nggak\s+punya\s+nip|tdk\s+punya\s+nip|cpns)\b"
)


def _words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", lowered(text))


def looks_like_address(text: str) -> bool:
    low = lowered(text).strip()
    return bool(ADDRESS_START.match(low) or ADDRESS_INSIDE.search(low))


# Words that say what kind of place, not where it is: "rumah", "di rumah saya", "kos".
VAGUE_PLACE = wordset(
    """
    di rumah rumahku rmh kantor saya sy aku tempat tinggal domisili kos kost kosan kontrakan
    asrama mess dinas sendiri pribadi ortu orang tua mertua sekarang skrg yang ini sama
    """
)


def vague_address(text: str) -> bool:
    """An address that names no street, village or town: "rumah", "di rumah saya", "kantor"."""
    words = [w for w in _words_of(text) if w not in FILLER_WORDS or w in VAGUE_PLACE]
    return (len(words) < 2 and not looks_like_address(text)) or set(words) <= VAGUE_PLACE


def looks_like_unit(text: str) -> bool:
    words = _words_of(text)
    return bool(words) and (words[0] in UNIT_WORDS or (len(words) <= 2 and words[-1] in UNIT_WORDS))


def looks_like_position(text: str) -> bool:
    words = _words_of(text)
    return bool(words) and words[0] in POSITION_WORDS


def _title(text: str) -> str:
    """Names typed all in lower or upper case get capitals; mixed case stays as typed."""
    letters = [c for c in text if c.isalpha()]
    if letters and (all(c.islower() for c in letters) or all(c.isupper() for c in letters)):
        return re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), text)
    return text


# Words of a sentence that no name holds: two of them and the text is no name ("dia dateng
# ke kantor trus ngasih amplop" typed at the name question).
_SENTENCE_WORDS = wordset(
    """
    ke dari dan trus terus lalu kemudian ngasih kasih dikasih memberi diberi dateng datang
    saya sy aku udah sudah udh tidak tdk ga gak nggak yang yg di untuk buat karena krn tapi
    tp mau ingin amplop hadiah parsel lapor melapor laporan kantor rumah dengan dgn sama sm
    pas waktu kemarin kmrn tadi nolak menolak terima diterima nerima itu ini ada apa gimana
    gmn bagaimana kenapa kapan
    """
)


def name_problem(name: str) -> str | None:
    """Why a text cannot be a person's name (in Indonesian), or None."""
    if sum(w in _SENTENCE_WORDS for w in name.casefold().split()) >= 2:
        return "Sepertinya itu kalimat, bukan nama. Mohon tulis nama lengkap Anda saja."
    if re.search(r"\d", name):
        return "Nama tidak boleh berisi angka."
    if "@" in name:
        return "Itu seperti alamat e-mail, bukan nama."
    if has_letters(name, 1) and not has_letters(name, 2):
        return "Nama terlalu pendek. Tulis nama lengkap sesuai KTP."
    if not has_letters(name, 2):
        return "Mohon tulis nama dengan huruf."
    if len(name) > 120 or len(name.split()) > 10:
        return "Nama terlalu panjang. Tulis nama lengkap saja."
    return None


def clean_name(text: str) -> str:
    """A name as typed, without "saya", "nama saya", quotes or a trailing dot."""
    name = squeeze(text).strip("\"'“”.").strip()
    name = re.sub(r"^(?:nama\s+)?(?:saya|aku|sy)\s+(?:adalah\s+|bernama\s+)?", "", name, flags=re.I)
    name = re.sub(r"^nama\s*(?:lengkap)?\s*(?:saya)?\s*[:=-]?\s*", "", name, flags=re.I)
    return _title(squeeze(name))


def clean_text(text: str) -> str:
    """A free-text answer with spaces squeezed and a trailing dot or comma dropped."""
    return squeeze(text).rstrip(".,;").strip()


# --- the reporter -------------------------------------------------------------------------------

TEXT_KEYS: tuple[AnswerKey, ...] = ("name", "jabatan", "unit_kerja", "address")


def _numbers(text: str, today: date, reading: Reading, current: AnswerKey) -> list[tuple[int, int]]:
    """Reads NIK, NIP and phone; returns the spans to leave out of the text fields."""
    spans: list[tuple[int, int]] = []
    for number in find_numbers(text):
        label_at = _label_start(text, number.start)
        spans.append((label_at, number.end))
        kind = number.kind
        if number.label is None and current in ("nik", "nip") and kind in (NIK, NIP):
            # Typed at the NIK or NIP question without a label: meant for that question,
            # unless it is a valid number of the other kind (a NIP typed for the NIK).
            other = NIP if current == "nik" else NIK
            valid_other = (nip_problem if other == NIP else nik_problem)(number.digits) is None
            if not (kind == other and valid_other and other == NIP):
                kind = NIK if current == "nik" else NIP
        if kind == NIK or (kind not in (NIP, PHONE) and current == "nik"):
            problem = nik_problem(number.digits)
            if problem is None:
                reading.values["nik"] = number.digits
            elif number.label == NIK or current == "nik" or len(number.digits) == 16:
                reading.problems["nik"] = problem
        elif kind == NIP or (kind != PHONE and current == "nip"):
            problem = nip_problem(number.digits, today)
            if problem is None:
                reading.values["nip"] = number.digits
                if current == "nik" and "nik" not in reading.values:
                    reading.problems["nik"] = "Itu NIP (18 angka). NIK adalah 16 angka di KTP."
            elif number.label == NIP or current == "nip" or len(number.digits) == 18:
                reading.problems["nip"] = problem
        elif kind == PHONE:
            phone = parse_phone(text[number.start : number.end])
            if phone is not None:
                reading.values["phone"] = phone
            elif number.label == PHONE or current == "phone":
                reading.problems["phone"] = "Nomor HP tidak dikenali."
        elif number.label == PHONE or current == "phone":
            reading.problems["phone"] = "Nomor HP tidak dikenali."
    return spans


def _label_start(text: str, start: int) -> int:
    before = lowered(text[max(0, start - 30) : start])
    match = re.search(
        r"(?:\b(?:nik|no\.?\s*ktp|ktp|nip|ni\s*pppk|hp|no\.?\s*hp|nomor\s+hp|handphone|wa|whatsapp"
        r"|no\.?\s*wa|telp|telepon|tlp|nomor)(?:\s+(?:saya|sy|aku))?[\s.:=\-]*)$",
        before,
    )
    return start - (len(before) - match.start()) if match else start


def _pieces(text: str) -> list[tuple[AnswerKey | None, str]]:
    """The text split at labels ("jabatan:") and commas; each piece with its label's key."""
    pieces: list[tuple[AnswerKey | None, str]] = []
    labels = list(_LABEL.finditer(text))
    bounds: list[tuple[int, int, AnswerKey | None]] = [
        (m.start(), m.end(), cast(AnswerKey, next(k for k, v in m.groupdict().items() if v)))
        for m in labels
    ]
    cursor, key = 0, cast(AnswerKey | None, None)
    for start, end, label in [*bounds, (len(text), len(text), None)]:
        chunk = text[cursor:start]
        if key == "address":
            pieces.append(("address", chunk))  # an address keeps its commas
        else:
            for index, part in enumerate(re.split(r"[,;\n]|\s-\s", chunk)):
                pieces.append((key if index == 0 else None, part))
        cursor, key = end, label
    return [(k, squeeze(p)) for k, p in pieces if squeeze(p).strip(".")]


def _split_position_unit(text: str) -> tuple[str, str] | None:
    """ "staf di Bappeda", "Analis Keuangan pada Dinas Pendidikan": position and unit."""
    match = re.match(r"^(?P<pos>.+?)\s+(?:di|pada|@)\s+(?P<unit>.+)$", text, flags=re.I)
    if match and (looks_like_position(match["pos"]) or looks_like_unit(match["unit"])):
        return clean_text(match["pos"]), clean_text(match["unit"])
    return None


def read_identity(text: str, current: AnswerKey, today: date) -> Reading:
    """The reporter's fields in one message, typed as the answer to the step `current`."""
    text = text[:1000]  # an identity is short; longer text is no identity to read whole
    reading = Reading()
    spans = _numbers(text, today, reading, current)
    email = find_email(text)
    if email is not None:
        reading.values["email"] = email.value
        spans.append((email.start, email.end))
    elif current == "email" and "@" in text:
        reading.problems["email"] = "Alamat e-mail tidak dikenali."
    rest = without_spans(text, spans)
    if _NON_PNS.search(lowered(rest)) and "nip" not in reading.values:
        if current in ("nip", "name"):
            reading.values["nip"] = None
        rest = _NON_PNS.sub(" ", lowered(rest)) if current == "nip" else rest
    if current == "address":
        address = clean_text(re.sub(_LABEL, " ", rest, count=1) if _LABEL.match(rest) else rest)
        if has_letters(address, 3) and not vague_address(address):
            reading.values["address"] = address
        elif has_letters(address, 3):
            reading.problems["address"] = "Mohon tulis alamat lengkapnya."
        return reading
    for key, piece in _pieces(rest):
        _place_piece(reading, key, piece, current)
    return reading


def _place_piece(reading: Reading, key: AnswerKey | None, piece: str, current: AnswerKey) -> None:
    """Puts one piece of an identity message into the field it belongs to."""
    values = reading.values
    if key is None and "name" in values and DEGREE.match(piece):
        values["name"] = f"{values['name']}, {squeeze(piece)}"
        return
    if key is None:
        split = _split_position_unit(piece)
        if split is not None and ("jabatan" not in values or current == "jabatan"):
            values["jabatan"], values["unit_kerja"] = split
            return
        if looks_like_address(piece) and "address" not in values:
            key = "address"
        elif looks_like_unit(piece) and (current != "jabatan" or "jabatan" in values):
            key = "unit_kerja"
        elif looks_like_position(piece) and current != "unit_kerja":
            key = "jabatan"
        elif current in TEXT_KEYS and current not in values:
            key = current
        elif "name" not in values and current == "name":
            key = "name"
        else:
            return
    if key == "jabatan":
        split = _split_position_unit(piece)
        if split is not None:
            values["jabatan"], values["unit_kerja"] = split
            return
    if key in values:
        if key == "name" and DEGREE.match(piece):
            values["name"] = f"{values['name']}, {squeeze(piece)}"
        return
    if key == "name":
        name = clean_name(piece)
        if name and name.casefold() not in NOT_A_NAME:
            problem = name_problem(name)
            if problem is None:
                values["name"] = name
            else:
                reading.problems["name"] = problem
        return
    if key == "unit_kerja":
        piece = re.sub(r"^(?:di|pada)\s+", "", piece, flags=re.I)
    value = clean_text(piece)
    if has_letters(value, 2):
        values[key] = value


# --- the giver ----------------------------------------------------------------------------------

_HONORIFIC = re.compile(
    rf"\b(?:{'|'.join(sorted(HONORIFICS, key=len, reverse=True))})\.?\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
_NAMED = re.compile(r"\b(?:namanya|bernama|atas\s+nama|a\.n\.?|an\.)\s+", re.IGNORECASE)
# A name led by titles alone, typed with capitals ("H. Slamet dr CV Berkah", "Ir. H. Bambang
# Sutejo, MT"): the titles are kept. Case matters: "dr." in lower case is as often "dari".
_TITLED = re.compile(r"(?<![\w.])(?=(?:(?:Dr|Drs|Dra|Ir|Prof|H|Hj|KH)\.\s*)+[A-Z][a-z])")
_ORG = re.compile(
    rf"\b(?P<org>(?:{'|'.join(sorted(ORG_PREFIXES, key=len, reverse=True))})\b\.?)", re.IGNORECASE
)


def _words_until_stop(
    text: str, start: int, limit: int, also: frozenset[str] = frozenset()
) -> tuple[str, int]:
    """Up to `limit` words from `start` until a stop word or punctuation; text and its end.
    Words in `also` stop it too, except as the first word."""
    end = start
    tokens = re.finditer(r"[^\s,.;:()\[\]!?\"]+\.?|[,;:()\[\]!?\"]|\.(?=\s|$)", text[start:])
    for count, match in enumerate(tokens):
        token = match[0]
        if not re.match(r"[^\W_]", token) and not token[0].isdigit():
            break
        word = token.rstrip(".").casefold()
        if word in STOP_WORDS or count >= limit or (count and word in also):
            break
        end = start + match.end()
    return text[start:end].strip().rstrip("."), end


def _person_at(text: str, start: int) -> tuple[str, int]:
    """A name starting at `start`: titles kept ("Ir. Tono"), at most four words."""
    titles = TITLES.match(text[start:])
    offset = start + (titles.end() if titles else 0)
    # "Pak Andi PT ...", "Bu Ratna kepala sekolah", "pak Rudi kontraktor": the name stops at
    # an institution, a post or a relation.
    name, end = _words_until_stop(text, offset, 4, ORG_PREFIXES | POSITION_WORDS | RELATION_WORDS)
    words = name.split()
    while words and words[0].casefold().rstrip(".") in HONORIFICS:
        words.pop(0)  # "namanya pak Rudi"
    if words and words[0].casefold() in RELATION_WORDS:
        return "", end  # "bapak mertua sy", "pak kontraktor": who, not a name
    if words and words[0][:1].isupper():
        # "Pak Rudi yang ..." typed with capitals: the name ends at the first lower-case word.
        kept = [words[0]]
        for word in words[1:]:
            if not word[:1].isupper():
                break
            kept.append(word)
        if len(kept) < len(words):
            end = _end_of(text, offset, " ".join(kept))
        words = kept
    name = " ".join(words)
    return (_title((text[start:offset] + name).strip()) if name else ""), end


def _end_of(text: str, start: int, words: str) -> int:
    at = text.find(words.split()[-1], start)
    return at + len(words.split()[-1]) if at >= 0 else start


LEGAL_ENTITIES = ("pt", "cv", "ud", "pd", "tb", "bpr", "kud")
# Words for what a place is ("hotel 3 malam", "restoran"): an institution only when no
# company or giver introduced with "dari"/"oleh" is named in the same message.
PLACE_KINDS = frozenset({"hotel", "restoran", "toko", "travel", "kampus", "sekolah", "desa"})
# Institutions that are places: after "di" they say where it was given ("di kantor
# kecamatan", "di hotel Santika"), not whose ("marketing di PT Maju" stays the giver's).
PLACE_PREFIXES = (PLACE_KINDS - {"travel", "desa"}) | {"kantor", "rs", "rsud", "puskesmas"}
PLACE_PREFIXES |= {"klinik", "apotek"}


# What a giver is to an office ("rekanan dinas PU", "langganan proyek dinas perkim"): the
# office named after it is the one the giver serves (the reporter's side), not the giver's.
CLIENT_WORDS = frozenset(
    {"rekanan", "vendor", "mitra", "penyedia", "supplier", "kontraktor", "langganan", "pemborong"}
)
CLIENT_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(CLIENT_WORDS))})(?:nya)?"
    r"(?:\s+(?:di|ke|utk|untuk|buat|proyek|pengadaan|tetap|resmi|kantor|kami|kita))*\s+$",
    re.IGNORECASE,
)


def _institution(text: str) -> tuple[str, int, int] | None:
    found: list[tuple[int, str, int, int]] = []
    for match in _ORG.finditer(text):
        before = text[: match.start()]
        if re.search(r"\b(?:ke|kepada|untuk|buat|pada)\s+$", before, re.IGNORECASE):
            continue  # "diserahkan ke Inspektorat": where something went, not who gave
        at_place = re.search(r"\b(?:di|wonten|teng)\s+$", before, re.IGNORECASE)
        if at_place and match["org"].rstrip(".").casefold() in PLACE_PREFIXES:
            continue  # "td pagi di kantor kecamatan, pak Tono ...": where, not whose
        if match["org"].rstrip(".").casefold() in UNIT_WORDS and CLIENT_BEFORE.search(before):
            continue  # "rekanan dinas PU": the office the giver works for, not the giver's own
        prefix = match["org"].rstrip(".")
        rest, end = _words_until_stop(text, match.end(), 5)
        if not rest and prefix.casefold() not in ("bappeda", "inspektorat", "dprd", "pln", "pdam"):
            continue
        if prefix.casefold() == "dinas" and re.match(r"(?:luar|dalam)\b", rest, re.IGNORECASE):
            continue  # "waktu sy dinas luar": a trip, no office
        if re.match(r"\d+\s+(?:malam|hari|orang|kamar|pax|bintang|jam)\b", rest, re.IGNORECASE):
            continue  # "hotel 3 malam": how long, not which hotel ("SDN 3" is a name)
        words = rest.split()
        if words and words[0][:1].isupper():
            # "CV Berkah Abadi bade masihan": a name typed with capitals ends at the first
            # word in lower case (a number in it, "SDN 2", stays).
            run = 1
            while run < len(words) and (words[run][:1].isupper() or words[run][:1].isdigit()):
                run += 1
            if run < len(words):
                words = words[:run]
                end = _end_of(text, match.end(), " ".join(words))
        for at, word in enumerate(words[1:], start=1):
            if word.casefold() in CLIENT_WORDS - {"mitra"}:  # "PT Sinar Mitra" is a name
                # "cv maju jaya rekanan dinas pu" typed in lower case: the relation ends it.
                words = words[:at]
                end = _end_of(text, match.end(), " ".join(words))
                break
        while words and words[-1].casefold() in POSITION_WORDS | HONORIFICS:
            if words[-1].casefold() in HONORIFICS and not _name_follows(text, end):
                break  # "PT Sinar Mas di kantor": no one named after "Mas", it is the name's
            words.pop()
        if prefix.casefold() in LEGAL_ENTITIES:
            prefix = prefix.upper()
        given_by = bool(re.search(r"\b(?:dari|dr|oleh)\s+$", before, re.IGNORECASE))
        rank = 0 if given_by or prefix.casefold() in LEGAL_ENTITIES else 1
        rank += 1 if prefix.casefold() in PLACE_KINDS else 0
        found.append((rank, squeeze(f"{prefix} {' '.join(words)}"), match.start(), end))
    if not found:
        return None
    _, name, start, end = min(found, key=lambda f: (f[0], f[2]))
    for _, other, other_start, other_end in sorted(found, key=lambda f: f[2]):
        # "dr PT Bumi Raya sama PT Tirta": two companies gave it together; both are kept.
        if other_start > start and _JOINED.fullmatch(text[end:other_start]):
            name, end = f"{name} dan {other}", other_end
    return name, start, end


# What joins two givers' companies ("PT Bumi Raya sama PT Tirta", "CV A & CV B").
_JOINED = re.compile(r"\s*(?:,|&|\+|/)?\s*(?:dan|sama|sm|serta|bersama|dengan|dgn)?\s*", re.I)


def _name_follows(text: str, end: int) -> bool:
    """Whether a name is typed after `end` ("... pak Andi"), so a trailing honorific is his."""
    word = re.match(r"\s+([^\W\d_]+)", text[end:])
    return word is not None and word[1].casefold() not in STOP_WORDS


# A post that is not the giver's: who received it or whom it went to ("diterima staf sy",
# "dititipkan ke satpam", "lewat ajudan"), a room named after a post ("di ruang perawat"), or
# what someone hopes to become ("calon pegawai honorer").
_NOT_GIVERS_POST = re.compile(
    r"\b(?:diterima(?:\s+oleh)?|ditrima|diterimakan|nerima|menerima|ke|kepada|untuk|buat|utk|lewat|melalui|via"
    r"|dititipkan(?:\s+ke)?|dititipin(?:\s+ke)?|titip(?:\s+ke)?|nitip(?:\s+ke)?|ruang|ruangan"
    r"|meja|calon|kantor|rumah|rmh|balai|pendopo)\s+$",
    re.IGNORECASE,
)


def _position(text: str) -> tuple[str, int, int] | None:
    """A position word and the words that belong to it ("kepala sekolah", "Direktur Utama")."""
    for match in re.finditer(r"[^\W\d_]+", text):
        if match[0].casefold() not in POSITION_WORDS:
            continue
        if _NOT_GIVERS_POST.search(text[: match.start()]):
            continue
        words = [match[0]]
        end = match.end()
        for follow in re.finditer(r"\s+([^\W\d_]+)", text[end:]):
            if follow.start() != 0 and text[end : end + follow.start()].strip():
                break
            word = follow[1]
            low = word.casefold()
            organisation = low in ORG_PREFIXES and low not in ("sekolah", "dinas", "desa")
            # "pengusaha hotel", "juragan toko": a trade, no institution of its own
            organisation = organisation and words[0].casefold() not in ("pengusaha", "juragan")
            if low in STOP_WORDS or organisation or low in HONORIFICS:
                break  # ("pak sekdes pak,": the honorific said again is no part of the post)
            if words[0].islower() and word[:1].isupper():
                break  # "dokter Rina": a post typed in lower case, then a name

            trade = words[0].casefold() in ("kepala", "pengusaha", "juragan")
            if len(words) >= 3 or (low in ORG_PREFIXES and not trade):
                break
            words.append(word)
            end += follow.end()
            if words[0].casefold() == "kepala" and len(words) == 2:
                break
        return " ".join(words), match.start(), end
    return None


def read_giver(text: str, *, whole: bool) -> Reading:
    """The giver's name, position and institution in a message (a story, or the answer to
    "siapa yang memberi?" when `whole`)."""
    text = text[:1500]
    reading = Reading()
    values = reading.values
    taken: list[tuple[int, int]] = []
    person = _person(text)
    if person is not None:
        name, start, end = person
        head = name.split()[0].casefold()
        if head in ("rt", "rw") and len(name.split()) == 1:
            values["giver_position"] = f"Ketua {head.upper()}"  # "pa RT", "Pak RW": a post
        elif head in POSITION_WORDS:
            # "Pak Camat": a position, the name unknown; "bpk kepala sekolah SDN 3": the post
            # with the words that belong to it.
            post = _position(text[start:])
            if post is not None:  # ("bu dokter Maya": the post is "dokter", not the name)
                name, end = _title(post[0]), start + post[2]
            values["giver_position"] = name
        else:
            values["giver_name"] = name
        taken.append((start, end))
    position = _position(without_spans(text, taken))
    if position is not None and "giver_position" not in values:
        values["giver_position"] = position[0]
        taken.append((position[1], position[2]))
    org = _institution(without_spans(text, taken))
    if org is not None:
        values["giver_institution"] = org[0]
        taken.append((org[1], org[2]))
    if whole and "giver_name" not in values:
        rest = without_spans(text, taken)
        first = squeeze(re.split(r"[,;(\n]|\s-\s|\s+dari\s+|\s+dr\s+", rest)[0])
        name = clean_name(first)
        plain_words = {w.casefold().rstrip(".") for w in name.split()}
        if (
            name
            and name_problem(name) is None
            and len(name.split()) <= 5
            and not plain_words <= HONORIFICS | POSITION_WORDS | STOP_WORDS | NOT_A_NAME
        ):
            values["giver_name"] = _title(name)
    reading.spans = taken
    return reading


def _person(text: str) -> tuple[str, int, int] | None:
    """A person named with "namanya ...", an honorific ("Pak Andi", "bu lina") or titles
    ("H. Slamet"); of an honorific and titles, the first typed ("Dr. Ir. Hj. Siti ...")."""
    for patterns in ((_NAMED,), (_HONORIFIC, _TITLED)):
        matches = sorted((m for p in patterns for m in p.finditer(text)), key=lambda m: m.start())
        for match in matches:
            name, end = _person_at(text, match.end())
            if name:
                return name, match.start(), end
    return None
