"""Pure readers for what people type in a declaration, one module per kind of value.

money: rupiah amounts; dates: days; identity: NIK, NIP, phone and e-mail; text: the helpers
they share (spans, what is left around a value). Every reader finds its value in a fragment
of a longer message as well as in a message that is only the answer, and never raises.
"""

from handlers.parsing.dates import (
    MONTHS,
    VAGUE_DATES,
    WEEKDAYS,
    DateRead,
    holiday_date,
    parse_date,
    read_date,
)
from handlers.parsing.identity import (
    PROVINCES,
    NumberRead,
    find_email,
    find_numbers,
    nik_problem,
    nip_problem,
    parse_email,
    parse_nik,
    parse_nip,
    parse_phone,
)
from handlers.parsing.money import (
    MAX_RUPIAH,
    Money,
    find_foreign,
    find_money,
    parse_money,
    terbilang,
)
from handlers.parsing.text import Found, leftover

__all__ = [
    "MAX_RUPIAH",
    "MONTHS",
    "PROVINCES",
    "VAGUE_DATES",
    "WEEKDAYS",
    "DateRead",
    "Found",
    "Money",
    "NumberRead",
    "find_email",
    "find_foreign",
    "find_money",
    "find_numbers",
    "holiday_date",
    "leftover",
    "nik_problem",
    "nip_problem",
    "parse_date",
    "parse_email",
    "parse_money",
    "parse_nik",
    "parse_nip",
    "parse_phone",
    "read_date",
    "terbilang",
]
