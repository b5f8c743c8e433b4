"""Amounts in rupiah as people type them: "Rp 1.500.000", "1,5 jt", "satu setengah juta".

`parse_money` reads a message that is only an amount; `find_money` finds the amounts inside a
longer one ("isinya kira2 800 ribu, diantar ke rumah"). `find_foreign` spots a value given in
another currency or in gold, which the form asks again as a rupiah estimate. Nothing raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from handlers.parsing.text import Found, lowered

MAX_RUPIAH = 10**15  # a thousand trillion: anything above is a typo

_MULTIPLIERS: dict[str, int] = {
    "k": 1_000,
    "rb": 1_000,
    "rbu": 1_000,
    "ribu": 1_000,
    "rebu": 1_000,
    "ewu": 1_000,  # Javanese
    "jt": 1_000_000,
    "juta": 1_000_000,
    "yuta": 1_000_000,  # Javanese spelling
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
_FILLERS |= {"kira2", "kurleb", "seharga", "kisaran", "an"}
_MONEY_TOKEN = re.compile(r"\d[\d.,]*|kira2|[a-z]+")


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


_HUNDREDS_ABOUT = re.compile(r"\b(\d{1,3})\s?an\b(?!\s*(?:k|rb|rbu|ribu|rebu|jt|juta)\b)")


def parse_money(text: str) -> Money | None:
    """Rupiah from "Rp 1.500.000", "1,5 jt", "500rb", "2 juta 250 ribu", "satu juta", ..."""
    cleaned = text.casefold().replace("rp.", " ").replace("-", " ").replace("+", " ")
    if len(cleaned) > 200:
        return None
    # "500rban", "1 jutaan", "300an ribu": about that much. "1/2 juta": half a million.
    cleaned = re.sub(r"(rb|ribu|rebu|jt|juta)\s?an\b", r"\1", cleaned)
    # "300an" with no unit: some hundreds of thousands, as a gift's value is typed in chat.
    cleaned = re.sub(
        r"\b(\d{1,3})\s?an\b(?!\s*(?:k|rb|rbu|ribu|rebu|jt|juta)\b)", r"\1 ribu", cleaned
    )
    cleaned = re.sub(r"(\d)an\b", r"\1", cleaned)
    cleaned = re.sub(r"(?<![\d.,])1/2(?![\d/])", " setengah ", cleaned)
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
    tenths = False  # after "koma": the next digit word is the first decimal
    for index, token in enumerate(expanded):
        if token[0].isdigit():
            scaled = index + 1 < len(expanded) and expanded[index + 1] in _MULTIPLIERS
            number = _decimal(token, scaled=scaled)
            if number is None or unit is not None or small:
                return None
            unit = number
        elif token in _DIGIT_WORDS and tenths:
            if unit is None:
                return None
            unit, tenths = unit + Decimal(_DIGIT_WORDS[token]) / 10, False
        elif token in _DIGIT_WORDS:
            if unit is not None:
                return None
            unit, exact = Decimal(_DIGIT_WORDS[token]), False
        elif token == "koma":  # noqa: S105 (a number word, not a secret)
            if unit is None or tenths or unit != unit.to_integral_value():
                return None
            tenths = True
        elif token == "setengah":  # noqa: S105
            if index == len(expanded) - 1 and index and expanded[index - 1] in _MULTIPLIERS:
                # "sejuta setengah", "dua juta setengah": half of the unit just said.
                total += Decimal(last_multiplier) / 2
                exact = False
                continue
            # "setengah juta", "satu setengah juta", "dua setengah juta".
            if small or (unit is not None and unit != unit.to_integral_value()):
                return None
            unit, exact = (unit or Decimal(0)) + Decimal("0.5"), False
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
    if tenths:
        return None
    rest = small + (unit or 0)
    if 10**6 <= last_multiplier < 10**18 and rest:
        # "2 juta 500", "dua juta lima ratus", "1 jt 200": said, the thousands after the
        # millions drop their "ribu" (2.500.000, never 2.000.500). One digit ("2 juta 5")
        # could be 2,5 juta as well: not read, asked again.
        if not 10 <= rest <= 999 or rest != rest.to_integral_value():
            return None
        rest *= last_multiplier // 1000
    total += rest
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


# --- amounts inside a longer message ---------------------------------------------------------

_SPAN_TOKEN = re.compile(r"rp\.?|idr|\d[\d.,]*(?:/\d)?|kira2|[a-z]+")
_NUMBER_WORDS = set(_DIGIT_WORDS) | set(_SE_WORDS) | set(_SMALL_SCALES) | {"setengah", "koma"}
_UNITS = set(_MULTIPLIERS) | {"rbuan", "ribuan", "jutaan", "rban", "jtan", "an"}
_CURRENCY = {"rp", "rp.", "idr", "rupiah"}
# The most words one amount takes ("satu miliar dua ratus tiga puluh empat juta lima ratus
# enam puluh tujuh ribu delapan ratus sembilan puluh rupiah" is 19).
MAX_AMOUNT_TOKENS = 24
_GLUE = re.compile(r"[\s:]*")  # what may stand between two tokens of one amount
# A number followed by what it counts is no part of an amount: "50rb 10 lembar" is ten bills
# of 50rb (parsing.quantity), never Rp50.010.
_COUNTED_AFTER = re.compile(
    r"\s*(?:lembar|lbr|buah|bh|pcs|biji|ekor|botol|dus|kotak|unit|bungkus|paket|orang|org|kali"
    r"|x)\b"
)
_GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+([.,]\d{2})?[.,]?")


def _money_token(token: str) -> bool:
    return token[0].isdigit() or token in _NUMBER_WORDS | _UNITS | _CURRENCY


# "sejuta", "semiliar": one of a unit that is only ever money in a gift's story.
_SE_UNITS = {"sejuta", "semiliar", "semilyar"}
# "sejutaan", "seratusan ribu": about one of them (read as the word without "an").
_SE_ABOUT = re.compile(r"\b(se(?:juta|ratus|ribu|puluh|miliar|milyar))an\b")


def _marked(tokens: list[str]) -> bool:
    """An amount in a story needs a sign that it is money: Rp, a unit, or grouped digits."""
    if any(t in _CURRENCY or t in _MULTIPLIERS or t in _UNITS or t in _SE_UNITS for t in tokens):
        return True
    return any(_GROUPED.fullmatch(t) for t in tokens if t[0].isdigit())


def _inside_word(tokens: list[tuple[str, int, int]], index: int) -> bool:
    """A digit glued to the word before it ("buah2an", "kue2", "oleh2"): the chat's sign of
    a repeated word, no amount ("rp500rb" is one: Rp before it)."""
    if index == 0 or not tokens[index][0][0].isdigit():
        return False
    before, _, end = tokens[index - 1]
    glued = end == tokens[index][1] and before.isalpha()
    return glued and before not in _CURRENCY | _VALUE_WORDS


# Words an amount typed without a space still follows ("senilai2jt", "harganya500rb").
_VALUE_WORDS = {"harga", "harganya", "seharga", "senilai", "nilai", "nilainya", "sekitar"}
_VALUE_WORDS |= {"kira", "isi", "isinya", "total", "totalnya", "sktr", "kurleb", "cuma", "hanya"}


def find_money(text: str, *, whole: bool = False) -> list[Found[Money]]:
    """The amounts typed in a message, in order. Outside `whole` (the message is the answer to
    "berapa nilainya?") an amount needs Rp, a unit or grouped digits: "SDN 2" is no amount."""
    low = _SE_ABOUT.sub(lambda m: m[1] + "  ", lowered(text))  # positions kept
    tokens = [(m.group(), m.start(), m.end()) for m in _SPAN_TOKEN.finditer(low)]
    found: list[Found[Money]] = []
    index = 0
    while index < len(tokens):
        if (
            not _money_token(tokens[index][0])
            or tokens[index][0] in _UNITS - {"k", "m", "t"}
            or _inside_word(tokens, index)
        ):
            index += 1
            continue
        end = index
        # An amount is a few words at most: a run of numbers ("1 1 1 ..." pasted 2,000 times)
        # is read a window at a time, else each start reads the whole run (minutes of CPU).
        stop = min(len(tokens), index + MAX_AMOUNT_TOKENS)
        while (
            end + 1 < stop
            and _money_token(tokens[end + 1][0])
            and _GLUE.fullmatch(low[tokens[end][2] : tokens[end + 1][1]])
            and not _COUNTED_AFTER.match(low, tokens[end + 1][2])
        ):
            end += 1
        match = _longest_amount(low, tokens, index, end, whole=whole)
        if match is None:
            index += 1
            continue
        money, last = match
        found.append(Found(money, tokens[index][1], tokens[last][2]))
        index = last + 1
    return found


def _longest_amount(
    low: str, tokens: list[tuple[str, int, int]], first: int, last: int, *, whole: bool
) -> tuple[Money, int] | None:
    if not whole and not _marked([t[0] for t in tokens[first : last + 1]]):
        return None  # no shorter run of these words is marked either
    for end in range(last, first - 1, -1):
        words = [t[0] for t in tokens[first : end + 1]]
        if words[-1] in _CURRENCY or not (whole or _marked(words)):
            continue
        if len(words) == 1 and words[0] in _NUMBER_WORDS - _SE_UNITS and not whole:
            continue
        money = parse_money(low[tokens[first][1] : tokens[end][2]])
        if money is not None and (money.value > 0 or whole):
            return money, end
    return None


# A number is tried from its first digit only ("(?<!\d)(?<!\d[.,])"): the same matches, while
# trying it from every digit of a long run ("1.1.1. ...") took time growing with its square.
_START = r"(?<!\d)(?<!\d[.,])"
_FOREIGN = re.compile(
    r"(?:\b(?:usd|us\$|sgd|myr|eur|jpy|sar|aud|gbp|cny)\s?\d[\d.,]*|[$€£¥]\s?\d[\d.,]*"
    rf"|{_START}\d[\d.,]*\s?(?:dolar|dollar|usd|sgd|ringgit|myr|euro|eur|yen|jpy|riyal|real|sar"
    r"|won|yuan|rmb|baht|pound|gbp|aud|dirham)\b"
    # "20 dolar singapura", "50 dollar AS": which dollar it is belongs to the value.
    r"(?:(?<=dolar|ollar)\s+(?:singapura|singapore|sg|as|amerika|us|australia|hongkong|hk|brunei"
    r"|taiwan|kanada|selandia\s+baru)\b)?"
    r"|\b(?:emas|logam mulia|antam)\b[^.,;]{0,20}?\d[\d.,]*\s?(?:gram|gr|g)\b"
    rf"|{_START}\d[\d.,]*\s?(?:gram|gr|g)\s(?:emas|logam mulia|antam)\b)"
)


def find_foreign(text: str) -> Found[str] | None:
    """A value in another currency or in gold ("100 dolar", "emas 5 gram"), as typed."""
    match = _FOREIGN.search(lowered(text))
    if match is None:
        return None
    return Found(text[match.start() : match.end()], match.start(), match.end())
