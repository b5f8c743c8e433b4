"""Attachment storage on disk (AttachmentPort): photos and documents reporters send.

Files are stored by content hash under settings.effective_attachment_dir; the storage key is
the path relative to that directory, and is what DeclarationAttachment.storage_key holds.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
from pathlib import Path

from bot.messages import Attachment
from handlers.ports import AttachmentRejected, StoredFile

ACCEPTED_PREFIXES = ("image/",)
ACCEPTED_TYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FileStore:
    """Saves attachments by content hash and reads them back for delivery."""

    def __init__(self, root: Path, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def _mime(self, attachment: Attachment) -> str:
        if attachment.mime_type:
            return attachment.mime_type
        if attachment.kind == "photo":
            return "image/jpeg"
        guessed, _ = mimetypes.guess_type(attachment.name)
        return guessed or "application/octet-stream"

    async def save(self, attachment: Attachment) -> StoredFile:
        """Downloads (through the channel) and stores a file; raises AttachmentRejected."""
        limit_mb = self.max_bytes // (1024 * 1024)
        if attachment.size is not None and attachment.size > self.max_bytes:
            raise AttachmentRejected(f"Maaf, berkas terlalu besar (maksimal {limit_mb} MB).")
        mime = self._mime(attachment)
        if not (mime.startswith(ACCEPTED_PREFIXES) or mime in ACCEPTED_TYPES):
            raise AttachmentRejected(
                "Maaf, jenis berkas itu tidak dapat diterima.\n"
                "Kirim foto (JPG/PNG) atau dokumen PDF, Word, atau Excel."
            )
        if attachment.download is None:
            raise AttachmentRejected("Maaf, berkas tidak dapat diunduh. Silakan kirim ulang.")
        data = await attachment.download()
        if len(data) > self.max_bytes:
            raise AttachmentRejected(f"Maaf, berkas terlalu besar (maksimal {limit_mb} MB).")
        digest = hashlib.sha256(data).hexdigest()
        suffix = Path(attachment.name).suffix.lower()[:10] or (
            mimetypes.guess_extension(mime) or ""
        )
        key = f"{digest[:2]}/{digest}{suffix}"
        await asyncio.to_thread(self._write, key, data)
        return StoredFile(
            key=key, name=attachment.name, mime_type=mime, size=len(data), sha256=digest
        )

    def _write(self, key: str, data: bytes) -> None:
        path = self.path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(path)

    def path(self, key: str) -> Path:
        """The file of a storage key; refuses keys that would leave the store."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError("storage key outside the attachment directory")
        return path

    async def load(self, key: str) -> bytes:
        return await asyncio.to_thread(self.path(key).read_bytes)

    def attachment(self, kind: str, name: str, key: str, mime_type: str | None) -> Attachment:
        """An outgoing Attachment whose bytes are read from the store on demand."""

        async def download() -> bytes:
            return await self.load(key)

        return Attachment(
            kind="photo" if kind == "photo" else "document",
            name=name,
            ref=key,
            mime_type=mime_type,
            download=download,
        )
