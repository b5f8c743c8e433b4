"""Personal data typed into free text, hidden before the text leaves the dashboard in a file.

A reporter may type a phone number, a WhatsApp number, a NIK or an e-mail address into any
answer ("kurirnya bisa dihubungi wa 0812..."). The detail page and the official PDF form show
the text as typed, for the logged-in officer; the list exports and the recap workbook, which
travel by e-mail and sit on shared drives, carry the text with those values replaced by a
visible marker. NIPs and other numbers (amounts, references) are kept: they are work data.
"""

from __future__ import annotations

import re

from handlers.parsing import find_numbers
from handlers.parsing.identity import NIK, PHONE

NIK_HIDDEN = "[NIK disembunyikan]"
PHONE_HIDDEN = "[nomor HP disembunyikan]"
EMAIL_HIDDEN = "[e-mail disembunyikan]"

# An address typed with spaces around the "@" ("budi @ contoh.id") counts too.
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
)


def masked(text: str) -> str:
    """The text with every NIK, phone number and e-mail address replaced by a marker."""
    text = _EMAIL.sub(EMAIL_HIDDEN, text)
    for number in reversed(find_numbers(text)):
        if number.kind == NIK or len(number.digits) == 16:
            hidden = NIK_HIDDEN
        elif number.kind == PHONE:
            hidden = PHONE_HIDDEN
        else:
            continue
        start, end = _without_stray_brackets(text, number.start, number.end)
        text = text[:start] + hidden + text[end:]
    return text


def _without_stray_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """A number read as "0812-3456)" of "(wa 0812-3456)" keeps its sentence's bracket."""
    span = text[start:end]
    if span.endswith(")") and span.count("(") < span.count(")"):
        end -= 1
    if span.startswith("(") and span.count("(") > span.count(")"):
        start += 1
    return start, end
