"""Files an officer attaches to a status change (KPK's SK, hand-over or payment proof, the
documentation of social aid): handed to the attachment store exactly as a file sent in the
chat, so the same checks apply (real type by content, size) and the same storage."""

from __future__ import annotations

import re
from pathlib import Path

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
        settings.effective_attachment_dir, max_bytes=settings.max_attachment_bytes
    )
    runtime.services.attachments = store
    return store


def attachment_path(root: Path, storage_key: str) -> Path | None:
    """The file of an attachment, or None when the key would leave the attachment folder."""
    base = root.resolve()
    path = (base / storage_key).resolve()
    return path if path.is_relative_to(base) and path.is_file() else None
