"""Attachment files encrypted on disk (AES-256-GCM, a key derived from DATA_ENCRYPTION_KEY).

bot.store.attachments.SealedBlobStore applies it to every declaration attachment.

A photo of a gift or an invitation letter names people and addresses, so the file store holds
only ciphertext: MAGIC, the id of the key (8 bytes), a random 12-byte nonce, then the
encrypted bytes with their tag (files of the first format, MAGIC_V1, have no key id). The
storage key is the associated data, so a file moved under another key does not decrypt. Files
are bounded by MAX_ATTACHMENT_BYTES and already whole in memory when they arrive, so each is
sealed in one piece, in a thread (never on the event loop). New files are sealed with the
current key; files sealed with a previous key (DATA_ENCRYPTION_OLD_KEYS) still open.

A file written before encryption has no MAGIC and is read as it is (transparently);
`seal_existing` encrypts such files in place and re-seals files of a previous key with the
current one (the worker runs it daily, `gratibot keys rotate` once). Concern evidence (keys
under "concerns/") is encrypted already with its concern's own key and is left alone.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.crypto import Cipher

log = logging.getLogger(__name__)

MAGIC = b"GRTF2\n"
MAGIC_V1 = b"GRTF1\n"
KEY_ID_BYTES = 8
NONCE_BYTES = 12
HEADER = len(MAGIC) + KEY_ID_BYTES
CONCERNS_PREFIX = "concerns/"
PURPOSE = "gratibot attachment files v1"


class FileSealer:
    """Seals file bytes under the current key and opens them under any key of the cipher."""

    def __init__(self, cipher: Cipher) -> None:
        secrets = cipher.derive_all(PURPOSE)
        self._aeads = [AESGCM(secret) for secret in secrets]
        # A key's id says which key sealed a file without decrypting it (not the key: a
        # hash of it under a purpose of its own).
        self._ids = [_key_id(secret) for secret in secrets]

    def seal(self, key: str, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + self._ids[0] + nonce + self._aeads[0].encrypt(nonce, data, key.encode())

    def is_current(self, head: bytes) -> bool:
        """Whether a file whose first HEADER bytes are `head` is sealed with the current key."""
        return head.startswith(MAGIC) and head[len(MAGIC) : HEADER] == self._ids[0]

    def open(self, key: str, raw: bytes) -> bytes:
        """The clear bytes; a file stored before encryption (no MAGIC) as it is.
        Raises cryptography's InvalidTag for a wrong key or an altered file."""
        return self._open(key, raw)[0]

    def _open(self, key: str, raw: bytes) -> tuple[bytes, int]:
        """The clear bytes and the index of the key that opened them (-1: never sealed)."""
        if raw.startswith(MAGIC):
            key_id, start = raw[len(MAGIC) : HEADER], HEADER
            candidates = [i for i, found in enumerate(self._ids) if found == key_id]
        elif raw.startswith(MAGIC_V1):
            start, candidates = len(MAGIC_V1), list(range(len(self._aeads)))
        else:
            return raw, -1
        nonce, body = raw[start : start + NONCE_BYTES], raw[start + NONCE_BYTES :]
        for index in candidates:
            try:
                return self._aeads[index].decrypt(nonce, body, key.encode()), index
            except InvalidTag:
                continue
        raise InvalidTag

    def renewed(self, key: str, raw: bytes) -> bytes | None:
        """The file sealed with the current key, or None when it is so already."""
        if self.is_current(raw[:HEADER]):
            return None
        data, _ = self._open(key, raw)
        return self.seal(key, data)


def _key_id(secret: bytes) -> bytes:
    return hmac.new(secret, b"gratibot file key id", hashlib.sha256).digest()[:KEY_ID_BYTES]


@dataclass
class SealReport:
    """What `seal_existing` did: files sealed from clear, re-sealed from an old key, left."""

    sealed: int = 0
    renewed: int = 0
    current: int = 0
    unreadable: int = 0


def seal_existing(root: Path, cipher: Cipher) -> SealReport:
    """Encrypts with the current key every attachment file under root that is still in clear
    or sealed with a previous key. Each goes through a temporary file and a rename, so a
    crash leaves either version; running it again continues where it stopped."""
    sealer = FileSealer(cipher)
    report = SealReport()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        key = path.relative_to(root).as_posix()
        if key.startswith(CONCERNS_PREFIX):
            continue
        with path.open("rb") as handle:
            if sealer.is_current(handle.read(HEADER)):
                # The daily pass reads a few bytes of each file, not the file.
                report.current += 1
                continue
        raw = path.read_bytes()
        try:
            renewed = sealer.renewed(key, raw)
        except InvalidTag:
            # No configured key opens it: a retired key, or a damaged file. Never rewritten.
            report.unreadable += 1
            continue
        if renewed is None:
            report.current += 1
            continue
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(renewed)
        if not path.exists():
            # Removed meanwhile (retention): never bring it back.
            temporary.unlink()
            continue
        os.replace(temporary, path)
        if raw.startswith((MAGIC, MAGIC_V1)):
            report.renewed += 1
        else:
            report.sealed += 1
    if report.unreadable:
        log.error("%d attachment file(s) open with no configured key", report.unreadable)
    return report
