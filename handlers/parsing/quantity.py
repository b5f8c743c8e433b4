"""A value given per item ("30 nasi kotak, per kotak 35rb", "4 botol @ 125 ribu"): the total.

`unit_total` looks among the amounts of a message for one marked as a price per item (per,
@, tiap, masing-masing, "satu dusnya", "35rb/kotak") and for the one count of items the
message names; the total is their product. Nothing is guessed: two counts, or none, give no
total (the form then asks the value), and what was multiplied is returned to be shown back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.parsing.dates import MONTHS
from handlers.parsing.money import MAX_RUPIAH, Money
from handlers.parsing.text import Found, lowered, without_spans, wordset

# Before an amount: "per kotak", "per-orang", "@", "tiap botol", "masing2", "satu dusnya",
# "sekotaknya", "harga satuannya".
# The things counted in "sekotaknya", "satu dusnya", "sebotol": one of them.
_ITEMS = (
    r"(?:kotak|dus|box|botol|buah|biji|bungkus|paket|lembar|pcs|unit|set|pasang|porsi|kg|liter"
    r"|ekor|karung|keranjang|kaleng|toples|slop|bks|potong|tiket|voucher|orang)"
)
_PER_BEFORE = re.compile(
    rf"(?:\bper[\s-]+[a-z]+(?:nya)?|@|\b(?:tiap|setiap)\s+[a-z]+(?:nya)?"
    rf"|\bmasing(?:2|-masing|\s+masing)|\bmsg2|\bsatu\s+{_ITEMS}nya|\bse{_ITEMS}nya"
    r"|\bharga\s+satuan(?:nya)?|\bsatuannya"
    # "kaosnya 1 harga 75rb", "satunya seharga 50rb": the price of one.
    r"|\b(?:1|satu)(?:nya)?(?=\s+(?:harga|hrg|seharga)\b))"
    r"(?:\s+(?:harganya|hrg|harga|seharga|senilai|sekitar|kira2|kira-kira|kira|rp\.?))*\s*$"
)
# After an amount: "35rb per kotak", "35rb/kotak", "125 ribu sebotol", "500 ribu masing2".
_PER_AFTER = re.compile(
    rf"^\s*(?:per[\s-]+[a-z]+|/\s*[a-z]+|(?:satu\s+|se){_ITEMS}(?:nya)?\b"
    r"|masing(?:2|-masing|\s+masing)|msg2|(?:untuk\s+|buat\s+)?(?:tiap|setiap)\s+[a-z]+"
    # "isi 50rb 10 lembar": bills of 50rb, ten of them.
    r"|(?=\d{1,4}\s*(?:lembar|lbr)\b))"
)
_WORD_COUNTS = {
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "selusin": 12,
}
# A count is a number and the thing counted ("30 nasi kotak", "dua botol", "3 lembar"), not a
# time, a date, an age, an address, a class or a size.
_COUNT = re.compile(rf"(?<![\w.,/:-])(\d{{1,4}}|{'|'.join(_WORD_COUNTS)})\s+([a-z]+)")
_NOT_COUNTED = wordset(
    """
    hari hr malam jam menit detik minggu mgg pekan bulan bln tahun thn th tahunan persen
    kali x lalu kemarin kemaren kmrn yll yang yg lebih an
    """
) | frozenset(MONTHS)
# People are no count of items: "1 jt per orang, kami 5 orang" is the reporter's own 1 jt (the
# value is asked, the price per person shown back), never 5 jt.
_NOT_COUNTED |= wordset(
    """
    orang org pegawai staf staff guru peserta anggota teman temen kawan pejabat karyawan
    kepala petugas panitia pns asn honorer orng
    """
)
_COUNT_BEFORE = re.compile(
    r"\b(?:kelas|no|nomor|nmr|rt|rw|jl|jalan|gang|gg|blok|lantai|lt|ruang|sdn|sd|smp|smpn|sma"
    r"|sman|smk|smkn|mi|mts|tgl|tanggal|tahun|thn|jam|pukul|umur|usia|kamar|pintu|loket|hp"
    r"|wa|kav|nik|nip|pos|angkatan|periode|ke)\s*$"
)


# "30 x 35rb", "30 kotak x 35 ribu", "4 botol kali 125rb": the count said with the product.
_TIMES_BEFORE = re.compile(r"(?<![\w.,])(\d{1,4})(?:\s+[a-z]+){0,2}\s*(?:x|×|\*|kali)\s*$")


@dataclass(frozen=True)
class UnitTotal:
    """The total of `count` items at `unit` each, and where the unit price was typed."""

    total: Money
    count: int
    unit: int
    unit_found: Found[Money]


_PER_PERSON = re.compile(r"(?:per|tiap|setiap|/)[\s-]*(?:orang|org|orng|kepala|pegawai|peserta)\b")


def per_item(text: str, amount: Found[Money]) -> bool:
    """Whether an amount found in `text` is a price per item. An amount per person ("1 jt
    per orang") is each one's share, the reporter's own gift: no price per item."""
    low = lowered(text)
    before = _PER_BEFORE.search(low[max(0, amount.start - 40) : amount.start])
    after = _PER_AFTER.match(low[amount.end : amount.end + 30])
    said = (before[0] if before else "") + " " + (after[0] if after else "")
    return bool(before or after) and not _PER_PERSON.search(said)


def counts(text: str, skip: list[tuple[int, int]]) -> list[int]:
    """The counts of items a message names, outside the spans in `skip` (amounts, dates)."""
    low = without_spans(lowered(text), skip)
    found = []
    for match in _COUNT.finditer(low):
        # The word just before the number only ("kelas 2 ..."): searching the whole text
        # before each count took time growing with the square of its length.
        before = _COUNT_BEFORE.search(low, max(0, match.start() - 40), match.start())
        if match[2] in _NOT_COUNTED or before:
            continue
        number = _WORD_COUNTS.get(match[1]) or int(match[1])
        if 2 <= number <= 10_000:
            found.append(number)
    return found


def unit_total(
    text: str,
    amounts: list[Found[Money]],
    skip: Sequence[tuple[int, int]] = (),
) -> UnitTotal | None:
    """The total of a price per item and the one count named, or None."""
    low = lowered(text)
    for amount in amounts:
        times = _TIMES_BEFORE.search(low[max(0, amount.start - 40) : amount.start])
        if times and len(amounts) == 1 and int(times[1]) >= 2:
            count, price = int(times[1]), amount.value.value
            return UnitTotal(Money(count * price, False), count, price, amount)
    per = [a for a in amounts if per_item(text, a)]
    if len({a.value.value for a in per}) != 1:
        return None
    unit = per[0]
    named = set(counts(text, [*skip, *((a.start, a.end) for a in amounts)]))
    if len(named) != 1:
        return None
    count = named.pop()
    total = count * unit.value.value
    if total > MAX_RUPIAH:
        return None
    return UnitTotal(Money(total, False), count, unit.value.value, unit)
