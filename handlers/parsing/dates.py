"""Dates as people type them: "kemarin sore", "tgl 28", "Senin lalu", "3 Des 26", "17/11".

`read_date` finds the date in a message (the whole answer, or a fragment of a story) and says
how sure it is: typed in full (day, month and year) or not, still to come, only a period
("awal bulan ini", "pas lebaran"), or a day and month that are still to come this year, which
the form asks about instead of moving it to last year in silence. `parse_date` is the short
form for callers that only want a day. Nothing here raises, whatever the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.parsing.text import lowered, make_date

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
        ("agustus", "august", "agu", "agt", "ags", "aug", "agus"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop", "novem"),
        ("desember", "december", "des", "dec", "desem"),
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
    "jumaat": 4,
    "friday": 4,
    "sabtu": 5,
    "saturday": 5,
    "minggu": 6,
    "ahad": 6,
    "sunday": 6,
}

# Holidays people date a gift by, and how the `holidays` package names them in Indonesian.
HOLIDAY_WORDS: dict[str, str] = {
    "lebaran haji": "Idul Adha",
    "idul adha": "Idul Adha",
    "iduladha": "Idul Adha",
    "idul kurban": "Idul Adha",
    "lebaran": "Idul Fitri",
    "idul fitri": "Idul Fitri",
    "idulfitri": "Idul Fitri",
    "hari raya": "Idul Fitri",
    "natal": "Natal",
    "tahun baru imlek": "Imlek",
    "imlek": "Imlek",
    "tahun baru islam": "Tahun Baru Islam",
    "tahun baru": "Tahun Baru Masehi",
    "nyepi": "Nyepi",
    "waisak": "Waisak",
    # Days of a fixed date (FIXED_DAYS), national holidays or not.
    "hari guru": "Hari Guru",
    "hari guru nasional": "Hari Guru",
    "17an": "17 Agustus",
    "17 an": "17 Agustus",
    "17 agustusan": "17 Agustus",
    "agustusan": "17 Agustus",
    "tujuhbelasan": "17 Agustus",
    "hari kemerdekaan": "17 Agustus",
    "hut ri": "17 Agustus",
    "malam tahun baru": "Malam tahun baru",
    "malam taun baru": "Malam tahun baru",
    "malam natal": "Malam Natal",
}
# The named days that fall on the same date every year: (month, day).
FIXED_DAYS: dict[str, tuple[int, int]] = {
    "Hari Guru": (11, 25),  # Hari Guru Nasional (Keppres 78/1994); not a day off
    "17 Agustus": (8, 17),
    "Malam tahun baru": (12, 31),
    "Malam Natal": (12, 24),
    "Natal": (12, 25),
    "Tahun Baru Masehi": (1, 1),
}

# "Minggu lalu" usually means "last week", not "last Sunday": a guessed date would move the
# deadline, so the date is asked again ("hari Minggu lalu" still means Sunday).
VAGUE_DATES = {"minggu lalu", "minggu kemarin", "minggu kemaren", "pekan lalu", "bulan lalu"}


@dataclass(frozen=True)
class DateRead:
    """What a message says about a day.

    day: the day meant (None for a period or a day still to come without a date).
    full: typed with day, month and year, so there is nothing to confirm.
    future: the day (or the word: besok, lusa, minggu depan) is still to come.
    vague: a period, not a day ("awal bulan ini", "minggu lalu", "pas lebaran").
    guessed_year: a day and month still to come this year, read as last year: ask about it.
    holiday: the holiday the date was named by ("Idul Fitri"): with a day, the holiday's
    latest date, to be shown back ("pas lebaran"); without one, a date to offer.
    """

    day: date | None
    start: int
    end: int
    full: bool = False
    future: bool = False
    vague: bool = False
    guessed_year: bool = False
    holiday: str | None = None


def _alternation(words: list[str]) -> str:
    escaped = (re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return "|".join(escaped)


_MON = _alternation(list(MONTHS))
_WD = _alternation(list(WEEKDAYS))
_PAST = r"(?:\s+(?:kemarin|kemaren|kmrn|kmarin|kmaren|lalu|yang\s+lalu|yg\s+lalu|ini))?"
_TOD = r"(?:\s+(?:pagi|siang|sore|malam|subuh|petang))?"
_TIME = (
    r"(?:\s*,?\s*(?:jam|pukul|pkl)\.?\s*\d{1,2}(?:[.:]\d{2})?"
    r"(?:\s*(?:wib|wita|wit|pagi|siang|sore|malam))?)?"
)
_DAY_PREFIX = rf"(?:(?:hari\s+)?(?P<wd>{_WD})\s*,?\s*)?(?:(?:tgl|tanggal|tang)\.?\s*)?"
_COUNT = r"\d{1,4}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh"
_COUNT_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7}
_COUNT_WORDS |= {"delapan": 8, "sembilan": 9, "sepuluh": 10}
_NO_AMOUNT = r"(?!\s*(?:rb|ribu|jt|juta|k\b|%|\d))"

_ISO = re.compile(r"(?<![\d.,/])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/])")
_NUMERIC_YEAR = re.compile(
    rf"{_DAY_PREFIX}(?<![\d.,/])(?P<d>\d{{1,2}})[/.\-](?P<mo>\d{{1,2}})[/.\-]"
    rf"(?P<y>\d{{4}}|\d{{2}})(?![\d.,/]){_TIME}"
)
_NUMERIC = re.compile(
    rf"{_DAY_PREFIX}(?<![\d.,/])(?P<d>\d{{1,2}})[/\-](?P<mo>\d{{1,2}})(?![\d/]){_PAST}"
)
_DAY_MONTH = re.compile(
    rf"{_DAY_PREFIX}(?<![\d.,/])(?P<d>\d{{1,2}})\s*-?\s*(?P<mo>{_MON})\b\.?"
    rf"(?:\s*'?(?P<y>\d{{4}}|\d{{2}}){_NO_AMOUNT}\b)?{_PAST}{_TOD}{_TIME}"
)
_MONTH_DAY = re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_DAY_OF_MONTH = re.compile(
    rf"(?:\b(?:tgl|tanggal|tang)\.?\s*(\d{{1,2}})\b(?!\s*[/.\-]\d){_PAST}"
    rf"|(?<![\d.,/])(\d{{1,2}})\s+(?:kemarin|kemaren|kmrn|lalu)\b){_TOD}{_TIME}"
)
_AGO = re.compile(
    rf"\b(?:({_COUNT})\s*|se)(hari|hr|minggu|mgg|pekan|bulan|bln|tahun|thn)\s+"
    r"(?:yang\s+|yg\s+)?(?:lalu|kemarin|kemaren|yll|yl)\b"
)
_WEEKDAY = re.compile(
    rf"\b(?:hari\s+)?({_WD})\b(?!\s+depan)(?:\s+(kemarin|kemaren|kmrn|kmarin|lalu|yang\s+lalu|yg\s+lalu"
    rf"|kemarin\s+lalu))?{_TOD}"
)
# A weekday in a schedule, not a day that passed: after "tiap/setiap", or beside another
# weekday ("sabtu minggu", "senin-jumat", "sabtu sm minggu").
_LINK = r"\s*(?:[-/&,]|\b(?:dan|sm|sama|sampai|sd|s/d|hingga|atau|ato)\b)?\s*"
_SCHEDULE_BEFORE = re.compile(
    rf"(?:\b(?:tiap|setiap|tiap2|saban|unggal|saben)\s+(?:hari\s+)?|\b(?:{_WD}){_LINK})$"
)
_SCHEDULE_AFTER = re.compile(rf"^{_LINK}(?:hari\s+)?(?:{_WD})\b")


def _schedule(low: str, start: int, end: int) -> bool:
    """Whether the weekday at low[start:end] names a schedule ("tiap sabtu")."""
    return bool(_SCHEDULE_BEFORE.search(low[:start]) or _SCHEDULE_AFTER.match(low[end:]))


_WORDS: dict[str, int] = {
    "hari ini": 0,
    "sekarang": 0,
    "barusan": 0,
    "baru saja": 0,
    "tadi": 0,
    "tadi pagi": 0,
    "tadi siang": 0,
    "tadi sore": 0,
    "tadi malam": 1,
    "pagi tadi": 0,
    "siang tadi": 0,
    "sore tadi": 0,
    "malam tadi": 1,
    "td pagi": 0,
    "td siang": 0,
    "td sore": 0,
    "semalam": 1,
    "kemarin": 1,
    "kemaren": 1,
    "kmrn": 1,
    "kmarin": 1,
    "kmrin": 1,
    "kmaren": 1,
    "kemarin lusa": 2,
    "lusa kemarin": 2,
    "kemaren lusa": 2,
    "kmrn lusa": 2,
    "kmarin lusa": 2,
    "today": 0,
    "yesterday": 1,
}
# Javanese and Sundanese words typed in Indonesian chat: "wingi sore", "kamari", "tadi enjing".
_WORDS.update({"wingi": 1, "dek wingi": 1, "dhek wingi": 1, "kamari": 1, "kapungkur": 1})
_WORDS.update({"tadi enjing": 0, "mau esuk": 0, "mau awan": 0, "mau sore": 0, "wau enjing": 0})
for _word in ("kemarin", "kemaren", "kmrn", "kmarin", "kmrin", "kmaren", "wingi", "kamari"):
    for _part in ("pagi", "siang", "sore", "malam", "subuh", "petang", "sonten", "enjing", "dalu"):
        _WORDS[f"{_word} {_part}"] = 1
# A part of the day said with "tadi" ("tadi pagi", "td siang", "sore tadi"): typed after
# midnight and before dawn (NIGHT_ENDS, local time), the reporter means the day that just
# ended; the date is shown back with its weekday, so a wrong reading costs one correction.
NIGHT_ENDS = 4
EARLIER_TODAY = frozenset(
    w
    for w in _WORDS
    if _WORDS[w] == 0 and w.split()[0] in ("tadi", "td", "mau", "wau") and " " in w
) | {"pagi tadi", "siang tadi", "sore tadi"}
_RELATIVE = re.compile(rf"\b(?:{_alternation(list(_WORDS))})\b")
_FUTURE = re.compile(
    rf"\b(?:besok|bsk|esok|lusa|nanti|minggu\s+depan|pekan\s+depan|bulan\s+depan|tahun\s+depan"
    rf"|(?:{_WD})\s+depan|\d{{1,3}}\s+hari\s+lagi)\b"
)
_VAGUE = re.compile(
    r"\b(?:minggu\s+(?:lalu|kemarin|kemaren|kmrn)|pekan\s+(?:lalu|kemarin)"
    r"|bulan\s+(?:lalu|kemarin|kemaren|kmrn)|tahun\s+(?:lalu|kemarin)"
    r"|(?:awal|akhir|pertengahan|tengah|penghujung)\s+(?:bulan|tahun|minggu|pekan)"
    r"(?:\s+(?:ini|lalu|kemarin|kemaren))?"
    r"|beberapa\s+(?:hari|minggu|pekan|bulan)\s+(?:yang\s+|yg\s+)?lalu|kapan\s+hari"
    r"|kapan-kapan|kapan2|dulu|waktu\s+itu|entah\s+kapan"
    r"|lupa(?:\s+tanggal(?:nya)?)?|gak\s+ingat|tidak\s+ingat|ga\s+inget|lupa\s+tgl)\b"
)
_HOLIDAY_PREFIX = r"(?:pas|waktu|wkt|saat|ketika|sewaktu|menjelang|jelang|sebelum|sesudah|setelah)"
_HOLIDAY = re.compile(
    rf"\b({_HOLIDAY_PREFIX}\s+)?(?:hari\s+)?({_alternation(list(HOLIDAY_WORDS))})\b"
    r"(?:\s+(?P<when>kemarin|kemaren|lalu|kmrn|yang\s+lalu|yg\s+lalu|tahun\s+ini"
    r"|tahun\s+lalu|tahun\s+kemarin|thn\s+lalu))?"
)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _weekday_agrees(match: re.Match[str], day: date) -> bool:
    """ "Senin 17 November 2026" when the 17th is a Tuesday: shown back for confirmation."""
    named = match.groupdict().get("wd")
    return named is None or WEEKDAYS[named] == day.weekday()


def _with_year(match: re.Match[str], day: date | None, today: date) -> DateRead | None:
    if day is None:
        return None
    full = _weekday_agrees(match, day)
    return DateRead(day, match.start(), match.end(), full=full, future=day > today)


def _without_year(match: re.Match[str], month: int, day: int, today: date) -> DateRead | None:
    """A day and month without a year: this year, or last year if that is still to come."""
    this_year = make_date(today.year, month, day)
    if this_year is None and not (month == 2 and day == 29):
        return None
    if this_year is not None and this_year <= today:
        return DateRead(this_year, match.start(), match.end())
    last_year = make_date(today.year - 1, month, day)
    if last_year is None:
        return None
    return DateRead(last_year, match.start(), match.end(), guessed_year=True)


def _day_of_month(match: re.Match[str], number: int, today: date) -> DateRead | None:
    """ "Tgl 28", "28 kemarin": the latest past day with that number (this month or before)."""
    if not 1 <= number <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(3):
        found = make_date(year, month, number)
        if found is not None and found <= today:
            return DateRead(found, match.start(), match.end())
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _months_back(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    for day in range(today.day, 0, -1):
        found = make_date(year, month + 1, day)
        if found is not None:
            return found
    return today


def _candidates(
    low: str,
    today: date,
    whole: bool,
    holiday: Callable[[date], str | None] | None,
    hour: int | None = None,
) -> list[tuple[int, DateRead]]:
    """Every reading of the text with its rank (lower wins: the more specific form)."""
    found: list[tuple[int, DateRead]] = []

    def add(rank: int, read: DateRead | None) -> None:
        if read is not None:
            found.append((rank, read))

    for m in _ISO.finditer(low):
        add(0, _with_year(m, make_date(int(m[1]), int(m[2]), int(m[3])), today))
    for m in _NUMERIC_YEAR.finditer(low):
        add(0, _with_year(m, make_date(_year(m["y"]), int(m["mo"]), int(m["d"])), today))
    for m in _DAY_MONTH.finditer(low):
        month, number = MONTHS[m["mo"]], int(m["d"])
        if m["y"]:
            add(0, _with_year(m, make_date(_year(m["y"]), month, number), today))
        else:
            add(1, _without_year(m, month, number, today))
    for m in _MONTH_DAY.finditer(low):
        add(0, _with_year(m, make_date(int(m[3]), MONTHS[m[1]], int(m[2])), today))
    for m in _NUMERIC.finditer(low):
        add(1, _without_year(m, int(m["mo"]), int(m["d"]), today))
    for m in _DAY_OF_MONTH.finditer(low):
        add(2, _day_of_month(m, int(m[1] or m[2]), today))
    if whole:
        bare = re.fullmatch(r"\s*(?:tgl|tanggal)?\.?\s*(\d{1,2})\s*\.?\s*", low)
        if bare:
            add(2, _day_of_month(bare, int(bare[1]), today))
        short = re.fullmatch(r"\s*td\s*", low)  # chat shorthand for "tadi"
        if short:
            add(5, DateRead(today, short.start(), short.end()))
    for m in _AGO.finditer(low):
        count = 1 if m[1] is None else _COUNT_WORDS.get(m[1]) or int(m[1])
        unit = m[2]
        if unit in ("bulan", "bln"):
            add(3, DateRead(_months_back(today, count), m.start(), m.end()))
        elif unit in ("tahun", "thn"):
            add(3, DateRead(_months_back(today, 12 * count), m.start(), m.end()))
        else:
            days = count * (1 if unit in ("hari", "hr") else 7)
            if days <= 3660:
                add(3, DateRead(today - timedelta(days=days), m.start(), m.end()))
    for m in _WEEKDAY.finditer(low):
        if m[1] == "minggu" and not m[0].startswith("hari") and (m[2] or not whole):
            # "minggu lalu" is last week (a period, below); in a story "dua minggu" is no day.
            continue
        if not m[2] and _schedule(low, m.start(), m.end()):
            continue  # "ngajar tiap sabtu", "sabtu minggu", "senin-jumat": a schedule
        back = (today.weekday() - WEEKDAYS[m[1]]) % 7
        if back == 0 and m[2]:
            back = 7
        add(4, DateRead(today - timedelta(days=back), m.start(), m.end()))
    for m in _RELATIVE.finditer(low):
        word = " ".join(m[0].split())
        if word == "semalam" and re.search(r"(?:inap|nginap|hotel|menginap)\s+$", low[: m.start()]):
            continue  # "menginap semalam": one night, not last night
        if word == "tadi" and not whole and not _tadi_today(low, m.start(), m.end(), hour):
            continue
        back = _WORDS[word]
        if hour is not None and hour < NIGHT_ENDS and word in EARLIER_TODAY:
            back = 1  # "tadi pagi" typed at 00:30: the morning of the day that just ended
        add(5, DateRead(today - timedelta(days=back), m.start(), m.end()))
    for m in _VAGUE.finditer(low):
        add(6, DateRead(None, m.start(), m.end(), vague=True))
    for m in _HOLIDAY.finditer(low):
        if m[1] or m["when"] or whole:
            add(*_holiday(m, today, holiday))
    for m in _FUTURE.finditer(low):
        if not re.search(
            r"(?:kemarin|kemaren|kmrn|kmarin)\s+$", low[: m.start()]
        ):  # "kemarin lusa"
            add(7, DateRead(None, m.start(), m.end(), future=True))
    return found


# "tadi" in a story is a time today only where it opens what happened ("tadi dikasih
# martabak", "sy tadi dpt amplop"); after a thing it points back ("barang yang tadi",
# "amplop tadi"). Typed after midnight it may be the evening before: not read, asked.
_TADI_BEFORE = re.compile(r"(?:^|[,.;!?]|\b(?:saya|sy|aku|gue|gw|kami|baru|nah|jadi|jd))\s*$")
_TADI_AFTER = re.compile(
    r"\s*(?:saya|sy|aku|gue|gw|kami|ada|dikasih|dikasi|dksh|diberi|dpt|dapat|dapet|ngasih|kasih"
    r"|dateng|datang|dtg|pas|waktu|wkt|pd|pada|nerima|terima|menerima|dikirim|dikirimi|dititipi"
    r"|nitip|mampir|ketemu|ditelpon|di|ke|kedatangan|didatangi|disamperin)\b"
)


def _tadi_today(low: str, start: int, end: int, hour: int | None) -> bool:
    if hour is not None and hour < NIGHT_ENDS:
        return False
    if re.search(r"\b(?:yang|yg|yng|si)\s*$", low[:start]):
        return False  # "barang yg tadi sy simpan": the one spoken of
    return bool(_TADI_BEFORE.search(low[:start]) or _TADI_AFTER.match(low[end:]))


def _holiday(
    m: re.Match[str], today: date, holiday: Callable[[date], str | None] | None
) -> tuple[int, DateRead]:
    """ "pas lebaran", "hari guru kemarin", "natal tahun lalu": the holiday's latest date on
    or before today (or in the year said), ranked above "kemarin" in its own words; a
    holiday whose date is unknown here stays a period, its name kept to offer its date."""
    name = HOLIDAY_WORDS[" ".join(m[2].split())]
    when = " ".join((m["when"] or "").split())
    year = today.year if when == "tahun ini" else None
    if when.startswith(("tahun", "thn")) and when != "tahun ini":
        year = today.year - 1
    day = named_day(name, today, holiday, year=year)
    if day is not None:
        return 3, DateRead(day, m.start(), m.end(), holiday=name)
    if year == today.year and (name in FIXED_DAYS or holiday is not None):
        return 7, DateRead(None, m.start(), m.end(), future=True, holiday=name)  # still to come
    return 6, DateRead(None, m.start(), m.end(), vague=True, holiday=name)


def named_day(
    name: str,
    today: date,
    holiday: Callable[[date], str | None] | None,
    *,
    year: int | None = None,
) -> date | None:
    """The latest date on or before today of a named day ("Hari Guru", "Idul Fitri"), in
    `year` when given; None when it is not known (a movable holiday without `holiday`, the
    function naming a day's national holiday) or still to come."""
    last = today if year is None else min(today, date(year, 12, 31))
    fixed = FIXED_DAYS.get(name)
    if fixed is not None:
        found = make_date(last.year, *fixed)
        if found is not None and found > last:
            found = make_date(last.year - 1, *fixed)
    elif holiday is not None and last.year >= (year or 0):
        found = holiday_date(name, last, holiday)
    else:
        found = None
    if found is None or found > today or (year is not None and found.year != year):
        return None
    return found


def read_date(
    text: str,
    today: date,
    *,
    whole: bool = False,
    holiday: Callable[[date], str | None] | None = None,
    hour: int | None = None,
) -> DateRead | None:
    """The date a message names, or None. With `whole` the message is the answer to "kapan?",
    so a bare "28" or "td" is read too; in a story those could be anything else. `holiday`
    names a day's national holiday (handlers.workdays.WorkCalendar.holiday_name): with it a
    movable holiday ("pas lebaran") is read as its latest date, to be confirmed. `hour` is
    the reporter's local hour: before dawn, "tadi pagi" (or siang, sore) is yesterday's."""
    low = lowered(text)
    found = _candidates(low, today, whole, holiday, hour)
    if not found:
        return None
    # A real day beats a period or a future word ("katanya besok datang lagi" in a story),
    # but not a day read inside the period's own words: "minggu kmrn" is last week, not
    # yesterday ("hari minggu kmrn", a longer match, is still last Sunday).
    periods = [(d.start, d.end) for _, d in found if d.vague]
    found = [
        (rank, d)
        for rank, d in found
        if d.vague or not any(s <= d.start and d.end <= e for s, e in periods)
    ]
    days = [item for item in found if item[1].day is not None]
    pool = days or found
    _, best = min(pool, key=lambda item: (item[0], item[1].start - item[1].end, item[1].start))
    return best


def parse_date(text: str, today: date) -> date | None:
    """A past or future day from a message that is only a date, or None (no future check:
    "17/12/2026" is returned as typed; a year-less day still to come is last year's)."""
    found = read_date(text, today, whole=True)
    if found is None or found.vague:
        return None
    return found.day


def holiday_date(name: str, today: date, holiday: Callable[[date], str | None]) -> date | None:
    """The latest day on or before today of the holiday named `name` ("Idul Fitri"), looking
    back a little over a year; `holiday` names the national holiday of a day."""
    for back in range(400):
        day = today - timedelta(days=back)
        title = holiday(day) or ""
        if name.casefold() in title.casefold() and not title.startswith("Hari kedua"):
            return day
    return None
