"""Removing what a file says about its sender: photo EXIF (GPS position, camera, time) and
PDF document information (author, software, dates) and XMP metadata.

Used for the evidence of bribery concerns, whose senders may wish to stay anonymous. A photo
is decoded and written again from its pixels (orientation applied first, so it still shows
upright), which drops every metadata block; a PDF is copied without its /Info dictionary and
its XMP stream. A file that cannot be cleaned is refused rather than stored as it came.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from handlers.ports import AttachmentRejected

_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
CANNOT_CLEAN = (
    "tidak dapat kami bersihkan dari data lokasi dan data pembuatnya. "
    "Kirim sebagai foto biasa (jpg atau png) atau PDF."
)


def without_metadata(data: bytes, mime_type: str) -> bytes:
    """The same picture or document with its metadata removed; raises AttachmentRejected."""
    if mime_type in _FORMATS:
        return _image(data, _FORMATS[mime_type])
    if mime_type == "application/pdf":
        return _pdf(data)
    raise AttachmentRejected(CANNOT_CLEAN)


def _image(data: bytes, fmt: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            picture = ImageOps.exif_transpose(opened) or opened
            # A fresh image from the pixels alone: no EXIF, XMP, ICC comments or text chunks.
            clean = Image.new(picture.mode, picture.size)
            clean.paste(picture)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise AttachmentRejected(CANNOT_CLEAN) from None
    out = io.BytesIO()
    if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def _pdf(data: bytes) -> bytes:
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.metadata = None
        writer.xmp_metadata = None
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise AttachmentRejected(CANNOT_CLEAN) from None
    return out.getvalue()
