"""Files an officer attaches to a status change (KPK's SK, hand-over or payment proof)."""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path

from starlette.datastructures import UploadFile

from bot.store.models import DeclarationAttachment

ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


class UploadRefused(Exception):
    """A file the dashboard will not store; the message (Indonesian) says why."""


def _clean_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(name).name).strip(" .")
    return stem[:120] or "lampiran"


async def store_upload(
    upload: UploadFile,
    *,
    declaration_id: int,
    kind: str,
    root: Path,
    max_bytes: int,
) -> DeclarationAttachment:
    """Saves the file under root and returns its (unsaved) attachment row."""
    media_type = (upload.content_type or "").split(";")[0].strip().lower()
    suffix = ALLOWED_TYPES.get(media_type)
    if suffix is None:
        raise UploadRefused("Lampiran harus PDF, JPG, atau PNG.")
    content = await upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise UploadRefused(f"Lampiran terlalu besar (maks. {max_bytes // (1024 * 1024)} MB).")
    if not content:
        raise UploadRefused("Lampiran kosong.")
    key = f"uppg/{declaration_id}/{uuid.uuid4().hex}{suffix}"
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return DeclarationAttachment(
        declaration_id=declaration_id,
        kind=kind,
        name=_clean_name(upload.filename or f"lampiran{suffix}"),
        mime_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
    )


def attachment_path(root: Path, storage_key: str) -> Path | None:
    """The file of an attachment, or None when the key would leave the attachment folder."""
    base = root.resolve()
    path = (base / storage_key).resolve()
    return path if path.is_relative_to(base) and path.is_file() else None
