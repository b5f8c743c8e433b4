"""Encryption of personal data at rest (NIK, address, phone), with a Fernet key from settings."""

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
