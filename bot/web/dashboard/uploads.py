"""Files an officer attaches to a status change (KPK's SK, hand-over or payment proof, the
documentation of social aid): handed to the attachment store exactly as a file sent in the
chat, so the same checks apply (real type by content, size) and the same storage."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from starlette.datastructures import UploadFile

from bot.messages import Attachment
from bot.runtime import Runtime
from bot.store.attachments import LocalAttachmentStore
from handlers.ports import AttachmentPort


def _clean_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(name).name).strip(" .")
    return stem[:120] or "lampiran"


def upload_attachment(upload: UploadFile, *, max_bytes: int) -> Attachment:
    """The upload as an incoming attachment; never more than max_bytes + 1 are read, and the
    browser's file type is only a hint (the store looks at the bytes)."""

    async def download() -> bytes:
        return await upload.read(max_bytes + 1)

    return Attachment(
        kind="document",
        name=_clean_name(upload.filename or "lampiran"),
        mime_type=upload.content_type,
        size=upload.size,
        download=download,
    )


def files_of(runtime: Runtime) -> AttachmentPort:
    """The runtime's attachment store (the one the chat uses)."""
    if runtime.services.attachments is not None:
        return runtime.services.attachments
    settings = runtime.settings
    store = LocalAttachmentStore(
        settings.effective_attachment_dir,
        max_bytes=settings.max_attachment_bytes,
        cipher=runtime.cipher,
    )
    runtime.services.attachments = store
    return store


async def read_attachment(runtime: Runtime, storage_key: str) -> bytes | None:
    """The clear bytes of a stored attachment (files are encrypted on disk), or None when
    the file is gone or the key would leave the attachment folder."""
    settings = runtime.settings
    store = LocalAttachmentStore(
        settings.effective_attachment_dir,
        max_bytes=settings.max_attachment_bytes,
        cipher=runtime.cipher,
    )
    try:
        return await store.read(storage_key)
    except (ValueError, FileNotFoundError, IsADirectoryError):
        return None


def content_disposition(filename: str) -> str:
    """An attachment header for any file name (RFC 6266: non-ASCII names percent-encoded)."""
    quoted = quote(filename)
    if quoted == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*=utf-8''{quoted}"
