"""Attachment files encrypted on disk (AES-256-GCM, a key derived from DATA_ENCRYPTION_KEY).

bot.store.attachments.SealedBlobStore applies it to every declaration attachment.

A photo of a gift or an invitation letter names people and addresses, so the file store holds
only ciphertext: MAGIC, a random 12-byte nonce, then the encrypted bytes with their tag. The
storage key is the associated data, so a file moved under another key does not decrypt. Files
are bounded by MAX_ATTACHMENT_BYTES and already whole in memory when they arrive, so each is
sealed in one piece, in a thread (never on the event loop).

A file written before encryption has no MAGIC and is read as it is (transparently), and
`seal_existing` encrypts such files in place (`gratibot attachments seal`). Concern evidence
(keys under "concerns/") is encrypted already with its concern's own key and is left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.crypto import Cipher

MAGIC = b"GRTF1\n"
NONCE_BYTES = 12
CONCERNS_PREFIX = "concerns/"


class FileSealer:
    """Seals and opens file bytes under one derived key."""

    def __init__(self, cipher: Cipher) -> None:
        self._aead = AESGCM(cipher.derive("gratibot attachment files v1"))

    def seal(self, key: str, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, key.encode())

    def open(self, key: str, raw: bytes) -> bytes:
        """The clear bytes; a file stored before encryption (no MAGIC) as it is.
        Raises cryptography's InvalidTag for a wrong key or an altered file."""
        if not raw.startswith(MAGIC):
            return raw
        start = len(MAGIC) + NONCE_BYTES
        return self._aead.decrypt(raw[len(MAGIC) : start], raw[start:], key.encode())


def seal_existing(root: Path, cipher: Cipher) -> int:
    """Encrypts in place every attachment file under root still in clear; returns how many.
    Each goes through a temporary file and a rename, so a crash leaves either version."""
    sealer = FileSealer(cipher)
    done = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        key = path.relative_to(root).as_posix()
        if key.startswith(CONCERNS_PREFIX):
            continue
        data = path.read_bytes()
        if data.startswith(MAGIC):
            continue
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(sealer.seal(key, data))
        os.replace(temporary, path)
        done += 1
    return done
