"""The Ed25519 key that signs receipts: RECEIPT_SIGNING_KEY, or one generated under var/.

A key id (the first 16 hex digits of SHA-256 over the public key) is printed on each receipt,
so a verifier knows which key signed it, and the public key itself can be published.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from bot.config import Settings

log = logging.getLogger(__name__)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def new_private_key_text() -> str:
    """A fresh private key in the RECEIPT_SIGNING_KEY format."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    key = Ed25519PrivateKey.generate()
    return _b64(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


@dataclass(frozen=True)
class Signer:
    """Signs with the current key; verifies with it and with the earlier public keys."""

    private: Ed25519PrivateKey
    earlier: tuple[Ed25519PublicKey, ...] = ()

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    @property
    def public_text(self) -> str:
        return _b64(public_bytes(self.public))

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    def verify(self, signature: bytes, data: bytes, signed_by: str) -> bool:
        """Whether one of our keys (the one named by its id) made this signature."""
        for key in (self.public, *self.earlier):
            if key_id(key) != signed_by:
                continue
            try:
                key.verify(signature, data)
                return True
            except InvalidSignature:
                return False
        return False


def _private_key(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_unb64(text))


def signer_from_settings(settings: Settings) -> Signer:
    """The configured key, or in development a key generated once under var/."""
    earlier = tuple(
        Ed25519PublicKey.from_public_bytes(_unb64(k))
        for k in settings.receipt_verify_keys.split(",")
        if k.strip()
    )
    if settings.receipt_signing_key is not None:
        return Signer(_private_key(settings.receipt_signing_key.get_secret_value()), earlier)
    if settings.environment == "production":
        raise RuntimeError("RECEIPT_SIGNING_KEY must be set in production")
    path = settings.var_dir / "receipt.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return Signer(_private_key(path.read_text()), earlier)
        with os.fdopen(fd, "w") as handle:
            handle.write(new_private_key_text())
        log.warning("generated a development receipt signing key at %s", path)
    return Signer(_private_key(path.read_text()), earlier)
