"""Helpers shared by the value finders: spans in a message, and what is left around a value.

Every finder gets the message as typed and returns the value with the span it came from, so
the same code reads a whole answer ("kira2 800 ribu") and a fragment of a longer story. What
is left after the value decides whether the message was only that answer: hedges ("kayaknya"),
labels ("NIK:") and polite words ("pak") do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_INPUT = 4000  # longer messages are cut before reading: no pattern sees more than this


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value read from part of a message: text[start:end] is where it was typed."""

    value: T
    start: int
    end: int


def lowered(text: str) -> str:
    """Lower case with every character kept in place, so spans match the typed text."""
    text = text[:MAX_INPUT]
    low = text.lower()
    if len(low) == len(text):
        return low  # the common case: no letter changed length ("İ" does)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def wordset(text: str) -> frozenset[str]:
    """The words of a text block, for word lists kept readable in the source."""
    return frozenset(text.split())


# Words around an answer that are not part of it: hedges, politeness, "saya", labels' glue.
FILLER_WORDS = wordset(
    """
    kira kira2 kurang lebih kurleb sekitar kisaran mungkin kayaknya kayanya sepertinya
    rasanya seingat ingat saya sy aku kalau kalo klo kl tidak tdk gak ga gk nggak ngga salah
    pak bu bapak ibu mas mbak mba kak min admin ya iya yah deh dong sih kok aja saja nya
    yang yg adalah ialah yaitu yakni itu ini tsb tersebut nomor no nomer nmr nomornya
    sesuai di pada tanggal tgl tanggalnya hari jam pukul pkl wib wita wit cuma hanya
    sekitaran perkiraan taksiran estimasi
    """
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def leftover(text: str, spans: Iterable[tuple[int, int]], extra: Iterable[str] = ()) -> str:
    """The words of `text` outside `spans` that are not fillers (or in `extra`), joined."""
    keep = list(text[:MAX_INPUT])
    for start, end in spans:
        for index in range(max(start, 0), min(end, len(keep))):
            keep[index] = " "
    ignored = FILLER_WORDS | set(extra)
    words = _WORD.findall(lowered("".join(keep)))
    return " ".join(w for w in words if w not in ignored)


def words(text: str) -> list[str]:
    """Lower-case words and numbers of a message."""
    return _WORD.findall(lowered(text))


def squeeze(text: str) -> str:
    """One space between words, no spaces or stray punctuation at either end."""
    return " ".join(text.split()).strip(" ,;:-–—")


def without_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans blanked out (positions stay where they were)."""
    chars = list(text[:MAX_INPUT])
    for start, end in spans:
        for index in range(max(start, 0), min(end, len(chars))):
            chars[index] = " "
    return "".join(chars)


EMOJI_OR_SYMBOL = re.compile(r"^[\W_\d]*$", re.UNICODE)


def has_letters(text: str, at_least: int = 2) -> bool:
    """Whether the text holds at least this many letters (emoji and digits are not letters)."""
    return sum(1 for c in text if c.isalpha()) >= at_least


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day (31 February, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
