"""Encryption of personal data at rest, with Fernet keys from settings (DATA_ENCRYPTION_KEY).

From the current key come: Fernet for short values (NIK, addresses, phone, e-mail, NIP, name,
the WhatsApp number a reply goes to) and the file key of the attachments. During a key rotation
(`gratibot keys rotate`, bot/store/rekey.py) the previous keys (DATA_ENCRYPTION_OLD_KEYS) are
still read, never written: MultiFernet encrypts with the first key and decrypts with any.

Keyed hashes that must stay the same across a rotation come from the *lookup secrets*: the
blind index that finds an encrypted NIP or name, the pseudonyms that stand in for WhatsApp
numbers in Redis keys and user-key columns, the salt of a concern's receipt code (stored only as
a hash, so it can never be recomputed), the wrong-code counters and the names of attachment
files. They are derived from the installation's first key; DATA_LOOKUP_KEY holds them on their
own (`gratibot keys new` prints it), so the first key can be retired. Each use has its own
derived secret, so one never reveals another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.config import Settings

log = logging.getLogger(__name__)

# The keyed hashes already stored before lookup secrets were kept apart: each was derived
# straight from the first key (HMAC-SHA256 of the purpose), so DATA_LOOKUP_KEY carries each
# one as it is. Any later purpose derives from ROOT.
LEGACY_LOOKUPS = (
    "gratibot blind index v1",
    "gratibot pseudonym v1",
    "concern receipt code",
    "concern code attempts",
)
ROOT = "gratibot lookup root v1"
LOOKUP_PREFIX = "lk1:"
_SLOT = 32


class BadKey(ValueError):
    """A key setting that cannot be used (not a Fernet key, a damaged DATA_LOOKUP_KEY)."""


@dataclass(frozen=True)
class KeyRing:
    """The keys of one Cipher, as plain bytes (picklable: handed to worker processes).
    keys: current first, then the previous ones still read. lookup: DATA_LOOKUP_KEY or None."""

    keys: tuple[bytes, ...]
    lookup: bytes | None = None


def lookup_secret(first_key: bytes) -> bytes:
    """DATA_LOOKUP_KEY for an installation whose first key was first_key."""
    parts = [hmac.new(first_key, p.encode(), hashlib.sha256).digest() for p in LEGACY_LOOKUPS]
    parts.append(hmac.new(first_key, ROOT.encode(), hashlib.sha256).digest())
    return (LOOKUP_PREFIX + base64.urlsafe_b64encode(b"".join(parts)).decode()).encode()


def _lookup_table(secret: bytes) -> dict[str, bytes]:
    text = secret.decode().strip()
    try:
        if not text.startswith(LOOKUP_PREFIX):
            raise ValueError
        raw = base64.urlsafe_b64decode(text[len(LOOKUP_PREFIX) :])
    except (ValueError, binascii.Error):
        raise BadKey(
            "DATA_LOOKUP_KEY is not a lookup key (`gratibot keys new` prints one)"
        ) from None
    if len(raw) != _SLOT * (len(LEGACY_LOOKUPS) + 1):
        raise BadKey("DATA_LOOKUP_KEY is cut short (`gratibot keys new` prints one)")
    slots = [raw[i : i + _SLOT] for i in range(0, len(raw), _SLOT)]
    return {**dict(zip(LEGACY_LOOKUPS, slots, strict=False)), ROOT: slots[-1]}


def _fernet(key: bytes) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, binascii.Error):
        raise BadKey(
            "a data key is not a Fernet key (urlsafe base64 of 32 bytes; "
            "`gratibot keys new` makes one)"
        ) from None


class Cipher:
    """Encrypts and decrypts short strings; None stays None."""

    def __init__(
        self, key: bytes, *, old_keys: Sequence[bytes] = (), lookup: bytes | None = None
    ) -> None:
        self.ring = KeyRing((key, *old_keys), lookup)
        self._fernets = [_fernet(k) for k in self.ring.keys]
        self._fernet = MultiFernet(self._fernets)
        # No separate lookup key: the oldest key given is the installation's first.
        self.lookup_key = lookup if lookup is not None else lookup_secret(self.ring.keys[-1])
        self._lookups = _lookup_table(self.lookup_key)
        self._index_key = self.lookup("gratibot blind index v1")
        self._pseudonym_key = self.lookup("gratibot pseudonym v1")

    @classmethod
    def of(cls, ring: KeyRing) -> Cipher:
        return cls(ring.keys[0], old_keys=ring.keys[1:], lookup=ring.lookup)

    @property
    def key(self) -> bytes:
        """The current Fernet key (the one every new value is encrypted with)."""
        return self.ring.keys[0]

    def index(self, value: str) -> str:
        """A keyed hash of a value to look it up by equality (e.g. a NIP kept encrypted)."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()

    def pseudonym(self, value: str) -> str:
        """A stable keyed hash standing in for a personal identifier (a WhatsApp number, a
        message id that embeds one) in keys and user-key columns: 32 hex digits, the same for
        the same value under the same lookup secrets, and no way back without them."""
        return hmac.new(self._pseudonym_key, value.encode(), hashlib.sha256).hexdigest()[:32]

    def lookup(self, purpose: str) -> bytes:
        """The 32-byte secret of a keyed hash that must survive a key rotation."""
        found = self._lookups.get(purpose)
        if found is not None:
            return found
        return hmac.new(self._lookups[ROOT], purpose.encode(), hashlib.sha256).digest()

    def derive(self, purpose: str) -> bytes:
        """A 32-byte secret of the current key for one purpose (HMAC-SHA256 of the purpose):
        an encryption key that a rotation replaces (see `derive_all` for reading)."""
        return hmac.new(self.key, purpose.encode(), hashlib.sha256).digest()

    def derive_all(self, purpose: str) -> list[bytes]:
        """The same secret under every key, current first (to open what older keys sealed)."""
        return [hmac.new(k, purpose.encode(), hashlib.sha256).digest() for k in self.ring.keys]

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
            # A wrong or retired key: say so without printing the value.
            log.error("cannot decrypt a stored value: wrong DATA_ENCRYPTION_KEY?")
            raise

    def is_current(self, token: str) -> bool:
        """Whether a token is encrypted with the current key already."""
        try:
            self._fernets[0].decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, token: str) -> str | None:
        """The token encrypted with the current key; None when no key of this cipher opens
        it (not ours: a concern's own key, or text that merely looks like a token)."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            return None


def _keys(text: str | None) -> list[bytes]:
    return [part.strip().encode() for part in (text or "").split(",") if part.strip()]


def cipher_from_settings(settings: Settings) -> Cipher:
    """The configured keys, or in development a key generated once under var/."""
    old = _keys(secret_text(settings.data_encryption_old_keys))
    lookup = secret_text(settings.data_lookup_key)
    lookup_bytes = lookup.strip().encode() if lookup and lookup.strip() else None
    if settings.data_encryption_key is not None:
        key = settings.data_encryption_key.get_secret_value().strip().encode()
        return Cipher(key, old_keys=old, lookup=lookup_bytes)
    if settings.environment == "production":
        raise RuntimeError("DATA_ENCRYPTION_KEY must be set in production")
    path: Path = settings.var_dir / "data.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
        log.warning("generated a development encryption key at %s", path)
    return Cipher(path.read_bytes().strip(), old_keys=old, lookup=lookup_bytes)


def secret_text(value: object) -> str | None:
    """The text of a SecretStr setting, or None."""
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter is not None else None
