"""Attachments of declarations: checked (size, real file type) and stored by a keyed hash.

`AttachmentStore` implements the flows' AttachmentPort on top of a `BlobStore`; the local
directory is one BlobStore, and an object-storage bucket can be another later. Declaration
files are encrypted at rest (`SealedBlobStore`, bot/store/sealed_files.py).

A file is named by a keyed hash of its content (HMAC-SHA256 under a lookup secret,
bot.crypto), so the same file is still stored once, and a file name no longer confirms that a
known document is in the store (a plain SHA-256 name did: anyone could hash a leaked letter
and look for it). Files stored under their plain SHA-256 are moved by
bot/store/attachment_names.py.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import os
import re
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from bot.crypto import Cipher
from bot.messages import Attachment
from bot.store.sealed_files import FileSealer
from handlers.ports import AttachmentRejected, StoredFile

# ISO BMFF brands of HEIF/HEIC photos (iPhones send these).
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes really are (jpg, png, webp, heic, pdf), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "image/heic"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _too_large(max_bytes: int) -> AttachmentRejected:
    return AttachmentRejected(f"ukurannya lebih dari {max_bytes / (1024 * 1024):g} MB.")


async def checked_download(attachment: Attachment, max_bytes: int) -> tuple[bytes, str]:
    """The file's bytes and real type, within max_bytes; raises AttachmentRejected with a
    message for the user (too large, empty, not downloadable, not a photo or PDF)."""
    if attachment.size is not None and attachment.size > max_bytes:
        raise _too_large(max_bytes)
    if attachment.download is None:
        raise AttachmentRejected("berkasnya tidak dapat diunduh. Silakan kirim ulang.")
    data = await attachment.download()
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise AttachmentRejected("berkasnya kosong.")
    mime = sniff(data)
    if mime is None:
        raise AttachmentRejected(
            "jenisnya tidak didukung. Kirim foto (jpg, png, webp, heic) atau PDF."
        )
    return data, mime


class BlobStore(Protocol):
    """Where file bytes live, by key: a directory today, object storage later."""

    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> bool: ...


class LocalBlobStore:
    """Files under one directory; writes go through a temporary file and a rename."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("attachment key outside the store")
        return path

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> bool:
        """Removes a file; False when it was not there."""
        path = self._path(key)

        def remove() -> bool:
            try:
                path.unlink()
            except FileNotFoundError:
                return False
            return True

        return await asyncio.to_thread(remove)


class SealedBlobStore:
    """A BlobStore whose files are encrypted at rest; reads give the clear bytes (a file
    stored before encryption is read as it is). Sealing runs in a thread."""

    def __init__(self, inner: BlobStore, cipher: Cipher) -> None:
        self.inner = inner
        self.sealer = FileSealer(cipher)

    async def put(self, key: str, data: bytes) -> None:
        await self.inner.put(key, await asyncio.to_thread(self.sealer.seal, key, data))

    async def get(self, key: str) -> bytes:
        raw = await self.inner.get(key)
        return await asyncio.to_thread(self.sealer.open, key, raw)

    async def exists(self, key: str) -> bool:
        return await self.inner.exists(key)

    async def delete(self, key: str) -> bool:
        return await self.inner.delete(key)


NAMES = "gratibot attachment names v1"
HASHES = "gratibot attachment hashes v1"
# The key a file had under its plain SHA-256, before keyed names.
LEGACY_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}")
# What a row records of a file not yet moved from its plain-SHA-256 name (migration 0016):
# that SHA-256 encrypted, deterministically (AES-SIV), so the rows of one file share one key.
REFERENCES = "gratibot legacy attachment references v1"
REFERENCE_PREFIX = "legacy/"
_REFERENCE_AD = [b"gratibot legacy attachment reference"]


def legacy_reference(references: bytes, sha256: str) -> str:
    """The storage key a row records for a file still under its plain SHA-256 (hex): the
    SHA-256 sealed with AES-SIV under `references` (Cipher.lookup(REFERENCES)), the same for
    the same file, so retention's "does another row still use it" keeps working."""
    sealed = AESSIV(references).encrypt(bytes.fromhex(sha256), _REFERENCE_AD)
    return REFERENCE_PREFIX + base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def referenced_sha256(references: bytes, key: str) -> str | None:
    """The plain SHA-256 behind a legacy reference, or None for any other key."""
    if not key.startswith(REFERENCE_PREFIX):
        return None
    body = key[len(REFERENCE_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return AESSIV(references).decrypt(raw, _REFERENCE_AD).hex()
    except (binascii.Error, ValueError, InvalidTag):
        return None


def row_key(cipher: Cipher, key: str, sha256: str) -> str:
    """The storage key to record in a row for a stored file's key and its content's SHA-256:
    a plain-SHA-256 key (a draft begun before the upgrade) becomes its legacy reference, never
    stored as it is. (A keyed name has the same shape: it is told apart by the content.)"""
    if LEGACY_KEY.fullmatch(key) and key.rsplit("/", 1)[1] == sha256:
        return legacy_reference(cipher.lookup(REFERENCES), sha256)
    return key


def file_key(names: bytes, sha256: str) -> str:
    """The storage key of a file whose SHA-256 (hex) is sha256: a keyed hash of it."""
    name = hmac.new(names, sha256.encode(), hashlib.sha256).hexdigest()
    return f"{name[:2]}/{name}"


def content_hmac(cipher: Cipher, sha256: str) -> str:
    """What an attachment row records of its file's content (DeclarationAttachment.
    content_hmac): HMAC-SHA256 of the SHA-256 (hex) under a lookup secret of its own, so it
    outlives a key rotation, is the same for the same content (a file is still recognised),
    and confirms nothing to someone who hashes a known document. Keying the SHA-256 rather
    than the bytes lets migration 0015 convert every row, whether or not its file is still
    there. The plain SHA-256 itself never leaves the process and the encrypted session."""
    return hmac.new(cipher.lookup(HASHES), sha256.encode(), hashlib.sha256).hexdigest()


class AttachmentStore:
    """The AttachmentPort: downloads through the channel, checks, stores once per content
    under a keyed name (`names`: the secret, Cipher.lookup(NAMES))."""

    def __init__(
        self, blobs: BlobStore, *, max_bytes: int, names: bytes, references: bytes | None = None
    ) -> None:
        self.blobs = blobs
        self.max_bytes = max_bytes
        self.names = names
        # Cipher.lookup(REFERENCES): to follow a row's legacy reference to its file.
        self.references = references

    def legacy_sha256(self, key: str) -> str | None:
        """The plain SHA-256 a key names a file by, when it is a legacy key or reference."""
        if LEGACY_KEY.fullmatch(key):
            return key.rsplit("/", 1)[1]
        if self.references is None:
            return None
        return referenced_sha256(self.references, key)

    def key_of(self, sha256: str) -> str:
        return file_key(self.names, sha256)

    async def save(self, attachment: Attachment) -> StoredFile:
        """Downloads and stores a file; raises AttachmentRejected with a message for the user."""
        data, mime = await checked_download(attachment, self.max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        key = self.key_of(digest)
        if not await self.blobs.exists(key):
            await self.blobs.put(key, data)
        return StoredFile(
            key=key,
            name=attachment.name or "lampiran",
            mime_type=mime,
            size=len(data),
            sha256=digest,
        )

    async def read(self, key: str) -> bytes:
        """The bytes of a stored file (for the dashboard and forwarding). A row's legacy
        reference reads the file under its plain-SHA-256 name until it is moved, then under
        its keyed name; so does a plain-SHA-256 key (a draft begun before the move)."""
        sha256 = self.legacy_sha256(key)
        if sha256 is None:
            return await self.blobs.get(key)
        old = key if LEGACY_KEY.fullmatch(key) else f"{sha256[:2]}/{sha256}"
        try:
            return await self.blobs.get(old)
        except FileNotFoundError:
            return await self.blobs.get(self.key_of(sha256))

    async def delete(self, key: str) -> bool:
        """Removes a stored file (retention); the caller checks no attachment still uses it.
        A legacy reference removes the file under its plain-SHA-256 name and its keyed one."""
        sha256 = self.legacy_sha256(key)
        if sha256 is None or not key.startswith(REFERENCE_PREFIX):
            return await self.blobs.delete(key)
        old = await self.blobs.delete(f"{sha256[:2]}/{sha256}")
        return await self.blobs.delete(self.key_of(sha256)) or old

    def attachment(self, kind: str, name: str, key: str, mime_type: str | None) -> Attachment:
        """An outgoing Attachment whose bytes are read from the store when it is sent."""

        async def download() -> bytes:
            return await self.read(key)

        return Attachment(
            kind="photo" if kind == "photo" else "document",
            name=name,
            ref=key,
            mime_type=mime_type,
            download=download,
        )


class LocalAttachmentStore(AttachmentStore):
    """The embedded default: files under settings.effective_attachment_dir, encrypted."""

    def __init__(self, root: Path, *, max_bytes: int, cipher: Cipher) -> None:
        super().__init__(
            SealedBlobStore(LocalBlobStore(root), cipher),
            max_bytes=max_bytes,
            names=cipher.lookup(NAMES),
            references=cipher.lookup(REFERENCES),
        )
