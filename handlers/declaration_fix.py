"""A correction of an earlier answer typed at another question of the declaration.

"eh nilainya tadi salah, bukan 500rb tapi 750rb" typed at the reporter's name, or "nama
pemberinya salah, yang bener Pak Tomi Wijaya" at the giver's address: the message says it is
a correction (salah, bukan ..., yang bener ...) and names the field it corrects; the field's
own parser reads the new value from the words after the marker. Without both, the message is
an answer to the question on screen, as before.
"""

from __future__ import annotations

import re

from handlers import declaration_steps as ds
from handlers.answers import AnswerKey
from handlers.context import Context
from handlers.declaration_identity import Reading
from handlers.declaration_store import answers

# The words that name a field being corrected, anywhere in the message.
NAMED: tuple[tuple[AnswerKey, re.Pattern[str]], ...] = (
    ("value_rp", re.compile(r"\b(?:nilai|harga|nominal|jumlah)(?:nya)?\b", re.I)),
    ("received_date", re.compile(r"\b(?:tanggal|tgl|harinya)(?:nya)?\b", re.I)),
    (
        "giver_name",
        re.compile(r"\bnama\s+(?:pemberi|pengirim|yang\s+ngasih|yg\s+ngasih)(?:nya)?\b", re.I),
    ),
    ("received_place", re.compile(r"\b(?:tempat|lokasi)(?:nya)?\s+(?:pemberian|kejadian)?", re.I)),
)
# The message says an earlier answer was wrong.
_WRONG = re.compile(
    r"\b(?:salah|keliru|ralat|koreksi|bukan|yang\s+bene?r|yg\s+bene?r|harusnya|seharusnya)\b",
    re.I,
)
# The new value follows the last of these ("bukan 500rb tapi 750rb").
_NEW = re.compile(
    r"\b(?:tapi|tp|tetapi|melainkan|jadi|menjadi|yang\s+bene?r(?:nya)?|yg\s+bene?r(?:nya)?"
    r"|(?:se)?harusnya|mestinya|maksud\s+saya|maksudnya)\b\s*[:,]?\s*",
    re.I,
)
# Else it follows the field's name and "salah" ("tanggalnya salah, tgl 28").
_AFTER_WRONG = re.compile(r"\b(?:salah|keliru)\b\s*[:,.]?\s*", re.I)


def _new_value_text(text: str) -> str:
    marks = list(_NEW.finditer(text)) or list(_AFTER_WRONG.finditer(text))
    return text[marks[-1].end() :].strip() if marks else text


def read_correction(ctx: Context, step: ds.Step) -> tuple[ds.Step, Reading] | None:
    """The earlier answer a message corrects, read by that field's parser; None when the
    message is no correction of another answered field."""
    text = ctx.text or ""
    if not _WRONG.search(text) or len(text) > 300:
        return None
    a = answers(ctx)
    named = [key for key, words in NAMED if words.search(text)]
    if len(named) != 1 or named[0] == step.key or named[0] not in a:
        return None
    target = ds.BY_KEY[named[0]]
    if target.parser is None:
        return None
    new = _new_value_text(text)
    if not new:
        return None
    read = target.parser(ctx, new)
    if not isinstance(read, Reading) or read.values.get(target.key) is None:
        return None
    return target, read
