"""The local attachment store: real file types by magic bytes, size limit, stored once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.messages import Attachment
from bot.store.attachments import LocalAttachmentStore, sniff
from handlers.ports import AttachmentRejected

SAMPLES = {
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"a" * 50,
    "image/png": b"\x89PNG\r\n\x1a\n" + b"b" * 50,
    "image/webp": b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"c" * 50,
    "image/heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"d" * 50,
    "application/pdf": b"%PDF-1.7\n" + b"e" * 50,
}


def files_under(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


def attachment(data: bytes, name: str = "f", mime: str | None = None) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(kind="document", name=name, mime_type=mime, download=download)


@pytest.mark.parametrize(("mime", "data"), SAMPLES.items())
async def test_accepted_types_are_stored_by_content(tmp_path: Path, mime: str, data: bytes) -> None:
    store = LocalAttachmentStore(tmp_path, max_bytes=1000)
    saved = await store.save(attachment(data, "bukti"))
    digest = hashlib.sha256(data).hexdigest()
    assert saved.mime_type == mime and saved.sha256 == digest and saved.size == len(data)
    assert saved.key == f"{digest[:2]}/{digest}"
    assert (tmp_path / saved.key).read_bytes() == data
    assert await store.read(saved.key) == data
    again = await store.save(attachment(data, "bukti-lagi"))
    assert again.key == saved.key and files_under(tmp_path) == 1


async def test_declared_type_is_not_trusted(tmp_path: Path) -> None:
    store = LocalAttachmentStore(tmp_path, max_bytes=1000)
    with pytest.raises(AttachmentRejected, match="tidak didukung"):
        await store.save(attachment(b"<html>hi</html>", "foto.jpg", "image/jpeg"))
    assert sniff(b"GIF89a") is None
    assert files_under(tmp_path) == 0


async def test_size_limit_before_and_after_download(tmp_path: Path) -> None:
    store = LocalAttachmentStore(tmp_path, max_bytes=60)
    big = SAMPLES["application/pdf"] + b"x" * 100
    with pytest.raises(AttachmentRejected, match="lebih dari"):
        await store.save(attachment(big))
    announced = Attachment(kind="photo", name="big.jpg", size=10**9)
    with pytest.raises(AttachmentRejected, match="lebih dari"):
        await store.save(announced)  # refused without downloading
    with pytest.raises(AttachmentRejected, match="kosong"):
        await store.save(attachment(b""))
