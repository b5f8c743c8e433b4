"""The local attachment store: real file types by magic bytes, size limit, stored once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet

from bot.crypto import Cipher
from bot.messages import Attachment
from bot.store.attachments import (
    NAMES,
    REFERENCE_PREFIX,
    REFERENCES,
    LocalAttachmentStore,
    file_key,
    legacy_reference,
    row_key,
    sniff,
)
from bot.store.sealed_files import MAGIC, MAGIC_V1, FileSealer, seal_existing
from handlers.ports import AttachmentRejected

CIPHER = Cipher(Fernet.generate_key())

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
    store = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=CIPHER)
    saved = await store.save(attachment(data, "bukti"))
    digest = hashlib.sha256(data).hexdigest()
    assert saved.mime_type == mime and saved.sha256 == digest and saved.size == len(data)
    # Named by a keyed hash: the name of a known file cannot be worked out without the key.
    assert saved.key == file_key(CIPHER.lookup(NAMES), digest) and digest not in saved.key
    # Encrypted on disk, clear when read back.
    on_disk = (tmp_path / saved.key).read_bytes()
    assert on_disk.startswith(MAGIC) and data not in on_disk
    assert await store.read(saved.key) == data
    again = await store.save(attachment(data, "bukti-lagi"))
    assert again.key == saved.key and files_under(tmp_path) == 1


async def test_declared_type_is_not_trusted(tmp_path: Path) -> None:
    store = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=CIPHER)
    with pytest.raises(AttachmentRejected, match="tidak didukung"):
        await store.save(attachment(b"<html>hi</html>", "foto.jpg", "image/jpeg"))
    assert sniff(b"GIF89a") is None
    assert files_under(tmp_path) == 0


async def test_size_limit_before_and_after_download(tmp_path: Path) -> None:
    store = LocalAttachmentStore(tmp_path, max_bytes=60, cipher=CIPHER)
    big = SAMPLES["application/pdf"] + b"x" * 100
    with pytest.raises(AttachmentRejected, match="lebih dari"):
        await store.save(attachment(big))
    announced = Attachment(kind="photo", name="big.jpg", size=10**9)
    with pytest.raises(AttachmentRejected, match="lebih dari"):
        await store.save(announced)  # refused without downloading
    with pytest.raises(AttachmentRejected, match="kosong"):
        await store.save(attachment(b""))


async def test_a_file_stored_before_encryption_is_read_then_sealed_in_place(
    tmp_path: Path,
) -> None:
    clear = SAMPLES["application/pdf"]
    key = f"ab/{hashlib.sha256(clear).hexdigest()}"
    (tmp_path / "ab").mkdir()
    (tmp_path / key).write_bytes(clear)
    (tmp_path / "concerns").mkdir()
    (tmp_path / "concerns" / "x").write_bytes(b"already encrypted with the concern's key")
    store = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=CIPHER)
    assert await store.read(key) == clear  # transparently, until it is sealed
    assert seal_existing(tmp_path, CIPHER).sealed == 1
    assert (tmp_path / key).read_bytes().startswith(MAGIC)
    assert (tmp_path / "concerns" / "x").read_bytes().startswith(b"already")
    assert await store.read(key) == clear
    again = seal_existing(tmp_path, CIPHER)  # once only
    assert (again.sealed, again.renewed, again.current) == (0, 0, 1)


async def test_files_of_the_first_sealed_format_and_of_an_old_key_are_renewed(
    tmp_path: Path,
) -> None:
    old = Cipher(Fernet.generate_key())
    clear = SAMPLES["image/png"]
    (tmp_path / "aa").mkdir()
    # The first format (no key id), as sealed before December 2026, and the current one.
    start = len(MAGIC)
    current_format = FileSealer(old).seal("aa/one", clear)
    first_format = MAGIC_V1 + current_format[start + 8 :]
    (tmp_path / "aa" / "one").write_bytes(first_format)
    (tmp_path / "aa" / "two").write_bytes(FileSealer(old).seal("aa/two", clear))
    rotating = Cipher(Fernet.generate_key(), old_keys=[old.key])
    assert FileSealer(rotating).open("aa/one", first_format) == clear
    report = seal_existing(tmp_path, rotating)
    assert report.renewed == 2 and report.unreadable == 0
    new_only = LocalAttachmentStore(
        tmp_path, max_bytes=1000, cipher=Cipher(rotating.key, lookup=rotating.lookup_key)
    )
    assert await new_only.read("aa/one") == clear and await new_only.read("aa/two") == clear
    # A file no configured key opens is counted and never rewritten.
    stranger = FileSealer(Cipher(Fernet.generate_key())).seal("aa/three", clear)
    (tmp_path / "aa" / "three").write_bytes(stranger)
    assert seal_existing(tmp_path, rotating).unreadable == 1
    assert (tmp_path / "aa" / "three").read_bytes() == stranger


async def test_a_sealed_file_opens_only_with_its_key_and_under_its_name(tmp_path: Path) -> None:
    store = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=CIPHER)
    saved = await store.save(attachment(SAMPLES["image/png"], "foto"))
    other = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=Cipher(Fernet.generate_key()))
    with pytest.raises(InvalidTag):
        await other.read(saved.key)
    # The same bytes moved under another name do not decrypt either.
    moved = tmp_path / "zz" / "moved"
    moved.parent.mkdir()
    moved.write_bytes((tmp_path / saved.key).read_bytes())
    with pytest.raises(InvalidTag):
        await store.read("zz/moved")


async def test_a_legacy_reference_hides_the_plain_hash_and_still_reads_and_deletes(
    tmp_path: Path,
) -> None:
    """A row's key for a file still under its plain-SHA-256 name (migration 0016): the same for
    the same file, showing no part of the hash; the store reads the file through it, before
    and after the worker moves it, and retention's delete removes whichever copy is there."""
    scan = SAMPLES["image/jpeg"] + b" ktp 3201011505900001"
    sha256 = hashlib.sha256(scan).hexdigest()
    store = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=CIPHER)
    await store.blobs.put(f"{sha256[:2]}/{sha256}", scan)
    reference = row_key(CIPHER, f"{sha256[:2]}/{sha256}", sha256)
    assert reference.startswith(REFERENCE_PREFIX)
    assert reference == row_key(CIPHER, reference, sha256)
    assert reference == legacy_reference(CIPHER.lookup(REFERENCES), sha256)
    assert sha256[:16] not in reference and sha256[-16:] not in reference
    assert await store.read(reference) == scan
    # Another installation's key cannot open it; a damaged reference names no file.
    other = LocalAttachmentStore(tmp_path, max_bytes=1000, cipher=Cipher(Fernet.generate_key()))
    assert other.legacy_sha256(reference) is None
    assert store.legacy_sha256(reference[:-2] + "AA") is None
    # Moved to its keyed name (the worker): still read through the same reference.
    await store.blobs.put(store.key_of(sha256), scan)
    await store.blobs.delete(f"{sha256[:2]}/{sha256}")
    assert await store.read(reference) == scan
    assert await store.delete(reference)
    assert files_under(tmp_path) == 0
    # A keyed name (the same shape as a plain-SHA-256 one) is recorded as it is.
    assert row_key(CIPHER, store.key_of(sha256), sha256) == store.key_of(sha256)
