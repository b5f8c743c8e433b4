"""Pure parsers for what people type in a declaration: money, dates, NIK, NIP, phone, e-mail.

Every parser returns None for input it cannot read and never raises, whatever the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# --- money ---------------------------------------------------------------------------------

MAX_RUPIAH = 10**15  # a thousand trillion: anything above is a typo

_MULTIPLIERS: dict[str, int] = {
    "k": 1_000,
    "rb": 1_000,
    "rbu": 1_000,
    "ribu": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "m": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "t": 1_000_000_000_000,
    "triliun": 1_000_000_000_000,
}
_DIGIT_WORDS: dict[str, int] = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
# "se-" words: one of something.
_SE_WORDS: dict[str, str] = {
    "sepuluh": "puluh",
    "sebelas": "belas",
    "seratus": "ratus",
    "seribu": "ribu",
    "sejuta": "juta",
    "semiliar": "miliar",
    "semilyar": "milyar",
}
_SMALL_SCALES = {"belas": 1, "puluh": 10, "ratus": 100}  # belas: "dua belas" = 2 + 10
_FILLERS = {"rp", "idr", "rupiah", "sekitar", "kurang", "lebih", "kira", "senilai", "sebesar"}
_MONEY_TOKEN = re.compile(r"\d[\d.,]*|[a-z]+")


@dataclass(frozen=True)
class Money:
    """A parsed amount; `exact` when it was typed as a full number (no "jt", no words)."""

    value: int
    exact: bool


def _decimal(token: str, *, scaled: bool) -> Decimal | None:
    """Reads "1.500.000", "1.500.000,00", "1,5", "1.5", "1,500,000" as a number."""
    token = token.rstrip(".,")
    if not token:
        return None
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        # The separator that comes last is the decimal one.
        decimal_sep = "," if token.rfind(",") > token.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        whole, _, frac = token.rpartition(decimal_sep)
        if whole.count(decimal_sep) or not re.fullmatch(rf"\d{{1,3}}(\{group_sep}\d{{3}})*", whole):
            return None
        text = whole.replace(group_sep, "") + "." + frac
    elif dots or commas:
        sep = "." if dots else ","
        parts = token.split(sep)
        grouped = all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
        if len(parts) > 2:
            if not grouped:
                return None
            text = "".join(parts)
        elif grouped and (sep == "." or not scaled):
            # "1.500" is 1500; "1,500" is 1500 alone but 1,5 in "1,500 juta" (comma = decimal).
            text = "".join(parts)
        else:
            text = parts[0] + "." + parts[1]
    else:
        text = token
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_money(text: str) -> Money | None:
    """Rupiah from "Rp 1.500.000", "1,5 jt", "500rb", "2 juta 250 ribu", "satu juta", ..."""
    cleaned = text.casefold().replace("rp.", " ").replace("-", " ")
    if len(cleaned) > 200:
        return None
    leftover = _MONEY_TOKEN.sub(" ", cleaned)
    if leftover.strip(" \t\n:±~"):
        return None
    tokens = [t for t in _MONEY_TOKEN.findall(cleaned) if t not in _FILLERS]
    if not tokens:
        return None
    expanded: list[str] = []
    for token in tokens:
        if token in _SE_WORDS:
            expanded += ["satu", _SE_WORDS[token]]
        else:
            expanded.append(token)
    total = Decimal(0)
    small = Decimal(0)  # the part below the next multiplier, e.g. 250 in "250 ribu"
    unit: Decimal | None = None  # the last number read, waiting for puluh/ratus/ribu...
    last_multiplier = 10**18
    exact = True
    for index, token in enumerate(expanded):
        if token[0].isdigit():
            scaled = index + 1 < len(expanded) and expanded[index + 1] in _MULTIPLIERS
            number = _decimal(token, scaled=scaled)
            if number is None or unit is not None or small:
                return None
            unit = number
        elif token in _DIGIT_WORDS:
            if unit is not None:
                return None
            unit, exact = Decimal(_DIGIT_WORDS[token]), False
        elif token in ("belas", "puluh", "ratus"):
            if unit is None or unit != unit.to_integral_value() or not 0 < unit < 10:
                return None
            small += unit * _SMALL_SCALES[token] + (10 if _SMALL_SCALES[token] == 1 else 0)
            unit, exact = None, False
        elif token in _MULTIPLIERS:
            multiplier = _MULTIPLIERS[token]
            amount = small + (unit or 0)
            if amount <= 0 or multiplier >= last_multiplier:
                return None
            total += amount * multiplier
            small, unit, last_multiplier, exact = Decimal(0), None, multiplier, False
        else:
            return None
    total += small + (unit or 0)
    if total != total.to_integral_value():
        # Sen (cents) only when they are zero: "1.500.000,00".
        if not exact and total >= 1000:
            total = total.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        else:
            return None
    value = int(total)
    if not 0 <= value <= MAX_RUPIAH:
        return None
    return Money(value=value, exact=exact)


_WORD_DIGITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def _words_below_1000(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += ["seratus"] if hundreds == 1 else [_WORD_DIGITS[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_WORD_DIGITS[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_WORD_DIGITS[tens], "puluh"]
        if ones:
            words.append(_WORD_DIGITS[ones])
    elif rest:
        words.append(_WORD_DIGITS[rest])
    return words


def terbilang(n: int) -> str:
    """An amount in Indonesian words: 1500000 -> "satu juta lima ratus ribu"."""
    if n == 0:
        return "nol"
    words: list[str] = []
    for name, size in (("triliun", 10**12), ("miliar", 10**9), ("juta", 10**6), ("ribu", 1000)):
        count, n = divmod(n, size)
        if count == 1 and name == "ribu":
            words.append("seribu")
        elif count:
            words += [*_words_below_1000_or_more(count), name]
    words += _words_below_1000(n)
    return " ".join(words)


def _words_below_1000_or_more(n: int) -> list[str]:
    return terbilang(n).split() if n >= 1000 else _words_below_1000(n)


# --- dates ---------------------------------------------------------------------------------

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

WEEKDAYS: dict[str, int] = {
    "senin": 0,
    "monday": 0,
    "selasa": 1,
    "tuesday": 1,
    "rabu": 2,
    "wednesday": 2,
    "kamis": 3,
    "thursday": 3,
    "jumat": 4,
    "jum'at": 4,
    "friday": 4,
    "sabtu": 5,
    "saturday": 5,
    "minggu": 6,
    "ahad": 6,
    "sunday": 6,
}

_RELATIVE = {"hari ini": 0, "sekarang": 0, "tadi": 0, "today": 0, "kemarin": 1, "kemaren": 1}
_RELATIVE.update({"yesterday": 1, "kemarin lusa": 2, "lusa kemarin": 2})
_AGO = re.compile(r"(\d{1,4}|satu|dua|tiga|empat|lima) (hari|minggu|pekan) (?:yang |yg )?lalu")
_AGO_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5}
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2}) ([a-z']+)\.?(?: (\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z']+)\.? (\d{1,2})(?: (\d{4}))?")


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _without_year(month: int, day: int, today: date) -> date | None:
    """A day and month without a year: this year, or last year if that is still to come."""
    found = _make_date(today.year, month, day)
    if found is not None and found > today:
        found = _make_date(today.year - 1, month, day)
    return found


def _weekday(text: str, today: date) -> date | None:
    words = text.replace("hari ", "").split()
    if not words or words[0] not in WEEKDAYS or len(words) > 2:
        return None
    if len(words) == 2 and words[1] not in ("lalu", "kemarin", "kemaren", "last"):
        return None
    back = (today.weekday() - WEEKDAYS[words[0]]) % 7
    if back == 0 and len(words) == 2:
        back = 7
    return today - timedelta(days=back)


def parse_date(text: str, today: date) -> date | None:
    """A date from "hari ini", "kemarin", "3 hari lalu", "Senin lalu", "17/11/2026",
    "17-11-2026", "17 Nov 2026", "17 November", "November 17, 2026" (no future check here)."""
    cleaned = " ".join(text.casefold().replace(",", " ").split())
    if len(cleaned) > 60:
        return None
    cleaned = re.sub(r"^(tanggal|tgl\.?|pada|on) ", "", cleaned)
    cleaned = re.sub(r"^se(hari|minggu|pekan) ", r"1 \1 ", cleaned)
    if cleaned in _RELATIVE:
        return today - timedelta(days=_RELATIVE[cleaned])
    match = _AGO.fullmatch(cleaned)
    if match:
        count = _AGO_WORDS.get(match[1]) or int(match[1])
        days = count * (1 if match[2] == "hari" else 7)
        return today - timedelta(days=days) if days <= 3660 else None
    found = _weekday(cleaned, today)
    if found is not None:
        return found
    # "Senin 17 November 2026": a weekday in front of a full date is only decoration.
    first, _, rest = cleaned.partition(" ")
    if first in WEEKDAYS and rest:
        cleaned = rest
    match = _ISO.fullmatch(cleaned)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    match = _NUMERIC.fullmatch(cleaned)
    if match:
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            return _without_year(month, day, today)
        year = int(match[3])
        return _make_date(year + 2000 if year < 100 else year, month, day)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.fullmatch(cleaned)
        if match and match[month_group] in MONTHS:
            day, month = int(match[day_group]), MONTHS[match[month_group]]
            if match[3] is None:
                return _without_year(month, day, today)
            return _make_date(int(match[3]), month, day)
    return None


# --- identity numbers ----------------------------------------------------------------------

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
    if _make_date(2000, month, day) is None:
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
    born = _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    this_year = (today or date.today()).year
    if born is None or not 1940 <= born.year <= this_year - 15:
        return "Tanggal lahir pada NIP (8 angka pertama) tidak valid."
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12 or not born.year + 15 <= tmt_year <= this_year + 1:
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
    """A lower-cased e-mail address, or None."""
    candidate = text.strip()
    if len(candidate) > 200 or not _EMAIL.fullmatch(candidate) or ".." in candidate:
        return None
    return candidate.lower()
