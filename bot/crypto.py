"""Encryption of personal data at rest, with one Fernet key from settings (DATA_ENCRYPTION_KEY).

From that one key come: Fernet for short values (NIK, addresses, phone, e-mail, NIP, name,
the WhatsApp number a reply goes to), a blind index to find an encrypted NIP, pseudonyms that
stand in for WhatsApp numbers in Redis keys and user-key columns, and the file key of the
attachments. Each use has its own derived secret, so one never reveals another.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bot.config import Settings

log = logging.getLogger(__name__)


class Cipher:
    """Encrypts and decrypts short strings; None stays None."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._fernet = Fernet(key)
        # A separate key for blind indexes, derived from the same secret (never the Fernet
        # key itself): an index reveals nothing without the key and stays stable across runs.
        self._index_key = hmac.new(key, b"gratibot blind index v1", hashlib.sha256).digest()
        self._pseudonym_key = self.derive("gratibot pseudonym v1")

    @property
    def key(self) -> bytes:
        """The Fernet key itself, to hand to a worker process of this one (dashboard jobs)."""
        return self._key

    def index(self, value: str) -> str:
        """A keyed hash of a value to look it up by equality (e.g. a NIP kept encrypted)."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()

    def pseudonym(self, value: str) -> str:
        """A stable keyed hash standing in for a personal identifier (a WhatsApp number, a
        message id that embeds one) in keys and user-key columns: 32 hex digits, the same for
        the same value under the same key, and no way back to the value without the key."""
        return hmac.new(self._pseudonym_key, value.encode(), hashlib.sha256).hexdigest()[:32]

    def derive(self, purpose: str) -> bytes:
        """A 32-byte secret of its own for one purpose (HMAC-SHA256 of the purpose under the
        key), so one setting serves several uses without one use revealing another's."""
        return hmac.new(self._key, purpose.encode(), hashlib.sha256).digest()

    def encrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            # A wrong or rotated key: say so without printing the value.
            log.error("cannot decrypt a stored value: wrong DATA_ENCRYPTION_KEY?")
            raise


def cipher_from_settings(settings: Settings) -> Cipher:
    """The configured key, or in development a key generated once under var/."""
    if settings.data_encryption_key is not None:
        return Cipher(settings.data_encryption_key.get_secret_value().encode())
    if settings.environment == "production":
        raise RuntimeError("DATA_ENCRYPTION_KEY must be set in production")
    path: Path = settings.var_dir / "data.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
        log.warning("generated a development encryption key at %s", path)
    return Cipher(path.read_bytes().strip())
