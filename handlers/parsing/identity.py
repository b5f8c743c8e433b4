"""Identity numbers and contacts: NIK, NIP (or NI PPPK), phone and e-mail, alone or in a sentence.

`find_numbers` reads every number in a message ("NIK: 3201 0115 0590 0011, hp 0812-...") and
says what it looks like, so a NIK is never taken for a name or a phone number; the `parse_*`
functions read a message that is only that value. Nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers.parsing.text import MAX_INPUT, Found, lowered, make_date

# Province codes (kode wilayah) of Kemendagri, including the Papua provinces of 2022.
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)


def _digits(text: str) -> str:
    """Keeps the digits of a number typed with spaces, dots or dashes; "" for anything else."""
    compact = re.sub(r"[\s.\-]", "", text)
    return compact if compact.isdigit() and compact.isascii() else ""


def nik_problem(text: str) -> str | None:
    """What is wrong with a NIK (in Indonesian), or None when it is plausible."""
    digits = _digits(text)
    if len(digits) != 16:
        return "NIK harus 16 angka."
    if int(digits[:2]) not in PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        return "Kode wilayah pada NIK (6 angka pertama) tidak dikenal."
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40  # women: day of birth + 40
    # 2000 is a leap year, so 29 February is accepted whatever the real year.
    if make_date(2000, month, day) is None:
        return "Tanggal lahir pada NIK (angka ke-7 sampai 12) tidak valid."
    if digits[12:] == "0000":
        return "Nomor urut pada NIK (4 angka terakhir) tidak valid."
    return None


def parse_nik(text: str) -> str | None:
    """The 16 digits of a plausible NIK, or None."""
    return _digits(text) if nik_problem(text) is None else None


def nip_problem(text: str, today: date | None = None) -> str | None:
    """What is wrong with an 18-digit NIP (in Indonesian), or None when it is plausible."""
    digits = _digits(text)
    if len(digits) != 18:
        return "NIP harus 18 angka."
    born = make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    this_year = (today or date.today()).year
    if born is None or not 1940 <= born.year <= this_year - 15:
        return "Tanggal lahir pada NIP (8 angka pertama) tidak valid."
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    # An NI PPPK has "21" where a NIP has the month of appointment.
    if tmt_month not in (*range(1, 13), 21) or not born.year + 15 <= tmt_year <= this_year + 1:
        return "TMT pada NIP (angka ke-9 sampai 14) tidak valid."
    if digits[14] not in "12":
        return "Kode jenis kelamin pada NIP (angka ke-15) harus 1 atau 2."
    if digits[15:] == "000":
        return "Nomor urut pada NIP (3 angka terakhir) tidak valid."
    return None


def parse_nip(text: str, today: date | None = None) -> str | None:
    """The 18 digits of a plausible NIP, or None."""
    return _digits(text) if nip_problem(text, today) is None else None


def parse_phone(text: str) -> str | None:
    """An Indonesian phone number as +62...: from "0812-3456-7890", "+62 812 ...", "62812..."."""
    compact = re.sub(r"[\s.\-()]", "", text)
    if compact.startswith("+"):
        compact = compact[1:]
        if not compact.startswith("62"):
            return None
    if not compact.isdigit() or not compact.isascii():
        return None
    if compact.startswith("62"):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    elif compact.startswith("8"):
        national = compact
    else:
        return None
    # Mobile numbers start with 8; landlines with an area code (21 Jakarta, 274 Yogyakarta).
    if not national or national[0] not in "23456789" or not 8 <= len(national) <= 12:
        return None
    return "+62" + national


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def parse_email(text: str) -> str | None:
    """A lower-cased e-mail address, or None ("<budi@contoh.go.id>." and "budi @ x.id" too)."""
    candidate = re.sub(r"\s*@\s*", "@", text.strip()).strip("<>()[].,;:'\" ")
    if len(candidate) > 200 or not _EMAIL.fullmatch(candidate) or ".." in candidate:
        return None
    return candidate.lower()


# --- numbers and addresses inside a longer message --------------------------------------------

NIK, NIP, PHONE, OTHER = "nik", "nip", "phone", "other"

# The label typed in front of a number ("NIK:", "nip.", "no hp", "wa"), by the kind it names.
_LABELS = re.compile(
    r"(?:\b(?P<nik>nik|no\.?\s*ktp|nomor\s+ktp|ktp)"
    r"|\b(?P<nip>nip|ni\s*pppk|nipppk|nippk|nrp|nomor\s+induk\s+pegawai)"
    r"|\b(?P<phone>hp|no\.?\s*hp|nomor\s+hp|handphone|ponsel|wa|whatsapp|no\.?\s*wa|telp|telepon"
    r"|tlp|tel|nomor\s+telepon|kontak|no\.?\s*telp|cp))"
    r"(?:\s+(?:saya|sy|aku|anda|nya))?[\s.:=\-]*$"
)
_RUN = re.compile(r"(?<![\w@/])(?:\+\s?)?\(?\d+\)?(?:[ .\-]{1,2}\(?\d+\)?)*(?![\w@/])")


@dataclass(frozen=True)
class NumberRead:
    """One number in a message: its digits, what it looks like, and the label before it."""

    kind: str  # NIK, NIP, PHONE or OTHER
    digits: str
    start: int
    end: int
    label: str | None = None  # the kind its label named ("nik" for "NIK: 1234")


def _label_before(low: str, start: int) -> tuple[str | None, int]:
    match = _LABELS.search(low[max(0, start - 30) : start])
    if match is None:
        return None, start
    kind = next(k for k in (NIK, NIP, PHONE) if match.group(k))
    return kind, max(0, start - 30) + match.start()


def _kind(digits: str, typed: str) -> str:
    if len(digits) == 16 and digits[0] != "0":
        return NIK
    if len(digits) == 18 and digits[0] in "12":
        return NIP
    if parse_phone(typed) is not None:
        return PHONE
    return OTHER


def _split_run(digits_groups: list[tuple[str, int, int]]) -> list[tuple[str, int, int]] | None:
    """A NIK and a NIP typed one after the other with only spaces between them."""
    if sum(len(g[0]) for g in digits_groups) not in (32, 34, 36):
        return None  # every cut has this total: a long run of digits is no NIK and NIP
    for cut in range(1, len(digits_groups)):
        left = "".join(g[0] for g in digits_groups[:cut])
        right = "".join(g[0] for g in digits_groups[cut:])
        if {len(left), len(right)} <= {16, 18} and len(left) + len(right) in (32, 34, 36):
            return [
                (left, digits_groups[0][1], digits_groups[cut - 1][2]),
                (right, digits_groups[cut][1], digits_groups[-1][2]),
            ]
    return None


def find_numbers(text: str) -> list[NumberRead]:
    """Every number of six digits or more in a message, with what it looks like."""
    low = lowered(text)
    found: list[NumberRead] = []
    for run in _RUN.finditer(low):
        typed = run.group()
        digits = re.sub(r"\D", "", typed)
        if len(digits) < 6 and _label_before(low, run.start())[0] is None:
            continue
        pieces = [(digits, run.start(), run.end())]
        if len(digits) > 18 and not typed.lstrip().startswith(("+", "0", "62")):
            groups = [
                (m.group(), run.start() + m.start(), run.start() + m.end())
                for m in re.finditer(r"\d+", typed)
            ]
            pieces = _split_run(groups) or pieces
        for number, start, end in pieces:
            label, _ = _label_before(low, start)
            kind = _kind(number, text[start:end])
            if label is not None and kind == OTHER:
                kind = label  # "NIK: 12345" is a (wrong) NIK, not some other number
            found.append(NumberRead(kind, number, start, end, label))
    return found


def label_start(text: str, number: NumberRead) -> int:
    """Where the label of a number begins (its own start when it has none)."""
    return _label_before(lowered(text), number.start)[1]


_EMAIL_IN_TEXT = re.compile(
    r"(?:(?:e-?mail|surel|email\s+saya|e-mail\s+saya)\s*[:.=\-]?\s*)?<?"
    r"[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}>?",
    re.IGNORECASE,
)


def find_email(text: str) -> Found[str] | None:
    """The first e-mail address in a message (with its "email:" label in the span)."""
    for match in _EMAIL_IN_TEXT.finditer(text[:MAX_INPUT]):
        value = parse_email(re.sub(r"^(?i:e-?mail|surel)\w*\s*(?:saya)?\s*[:.=\-]?", "", match[0]))
        if value is not None:
            return Found(value, match.start(), match.end())
    return None
