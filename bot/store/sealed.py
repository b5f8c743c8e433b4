"""Columns encrypted by their type: the reporter's name, NIP and e-mail, the free text of a
declaration and of its thread (UU 27/2022 PDP).

A `Sealed` column is written encrypted with the database's cipher (DATA_ENCRYPTION_KEY) and
read back decrypted, so every reader (dashboard, exports, PDF, cards, receipts) sees the value
and the database never does. The cipher belongs to the engine (`bind_cipher`, done by
`Database`): one process may hold databases of several keys (tests do). Writing a sealed column
through an engine without a cipher raises rather than storing the value in clear.

Encrypted values cannot be compared in SQL (each encryption differs): a NIP is found by its
blind index (Declaration.nip_index), a name by the index of its words and their beginnings
(`word_index`).
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from typing import Any

from sqlalchemy import JSON, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.types import TypeDecorator

from bot.crypto import Cipher

# Every Fernet token starts so (version byte 0x80, then a timestamp far below 2^40).
FERNET_PREFIX = "gAAAAA"

_ciphers: weakref.WeakKeyDictionary[Dialect, Cipher] = weakref.WeakKeyDictionary()


class NoCipher(RuntimeError):
    """A sealed column was used on an engine that has no cipher bound."""


def bind_cipher(engine: AsyncEngine, cipher: Cipher) -> None:
    """Makes `cipher` the key of the sealed columns on this engine."""
    _ciphers[engine.sync_engine.dialect] = cipher


def _cipher(dialect: Dialect) -> Cipher:
    cipher = _ciphers.get(dialect)
    if cipher is None:
        raise NoCipher("this database has no DATA_ENCRYPTION_KEY bound (bot.store.sealed)")
    return cipher


def cipher_for(session: AsyncSession) -> Cipher:
    """The cipher bound to the engine a session works on (for a keyed hash written beside
    sealed columns, e.g. bot.store.attachments.content_hmac)."""
    return _cipher(session.get_bind().dialect)


class Sealed(TypeDecorator[str]):
    """Text encrypted at rest; None stays None."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _cipher(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(FERNET_PREFIX):
            # None, or a row written before the column was sealed (migration 0011 seals
            # them all; this keeps a half-upgraded copy readable).
            return value
        return _cipher(dialect).decrypt(value)


# The keys of a details document (audit entries, status changes) that hold what someone typed:
# an officer's message to the reporter, an internal note, a reason, who received a gift passed
# on as social aid (it may name a person; migration 0016).
TEXT_KEYS = ("message", "internal_note", "reason", "aid_recipient")


class SealedTexts(TypeDecorator[dict[str, Any]]):
    """A JSON document whose free-text values (TEXT_KEYS) are sealed at rest, the other
    values (statuses, dates, counts, numbers) left readable; read back in clear."""

    impl = JSON
    cache_ok = True

    def process_bind_param(
        self, value: dict[str, Any] | None, dialect: Dialect
    ) -> dict[str, Any] | None:
        if not value or not any(isinstance(value.get(k), str) for k in TEXT_KEYS):
            return value
        cipher = _cipher(dialect)
        return {
            k: cipher.encrypt(v)
            if k in TEXT_KEYS and isinstance(v, str) and not v.startswith(FERNET_PREFIX)
            else v
            for k, v in value.items()
        }

    def process_result_value(
        self, value: dict[str, Any] | None, dialect: Dialect
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            return value
        sealed = [k for k in TEXT_KEYS if str(value.get(k, "")).startswith(FERNET_PREFIX)]
        if not sealed:
            return value  # nothing sealed (or an entry written before migration 0014)
        cipher = _cipher(dialect)
        return {k: cipher.decrypt(v) if k in sealed else v for k, v in value.items()}


_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a name as a search compares them: case and accents folded."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(plain)


# A word is found by any beginning at least this long ("wulan" finds Wulandari).
MIN_PREFIX = 3


def word_hash(cipher: Cipher, word: str) -> str:
    return cipher.index(f"word:{word}")[:16]


def word_index(cipher: Cipher, text: str | None) -> str | None:
    """The blind index of a name: the keyed hash of each word and of each of its beginnings
    of MIN_PREFIX letters or more, space-separated and space-framed, so
    `contains(" <hash of a typed word> ")` finds the name without revealing it. (It shows
    which names share a word or a beginning, to someone holding the table: the price of
    searching a name that is kept encrypted.)"""
    if not text:
        return None
    pieces = [
        word[:end] for word in words(text) for end in [*range(MIN_PREFIX, len(word)), len(word)]
    ]
    hashes = dict.fromkeys(word_hash(cipher, piece) for piece in pieces)
    return f" {' '.join(hashes)} " if hashes else None
