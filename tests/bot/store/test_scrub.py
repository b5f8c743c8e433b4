"""Evidence loses what it says about its sender: photo EXIF (GPS, camera), PDF author."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bot.store.scrub import without_metadata
from handlers.ports import AttachmentRejected
from tests.handlers.test_concern import jpeg_with_gps


def test_jpeg_keeps_its_pixels_and_loses_gps_and_camera() -> None:
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the fixture really carries a position
    clean = without_metadata(original, "image/jpeg")
    with Image.open(io.BytesIO(clean)) as after:
        assert after.size == (40, 30)
        assert not after.getexif()
    assert b"Model-X-Budi" not in clean


def test_a_photo_taken_sideways_still_shows_upright() -> None:
    picture = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to view
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    with Image.open(io.BytesIO(without_metadata(out.getvalue(), "image/jpeg"))) as after:
        assert after.size == (20, 40)


def test_pdf_loses_its_author_and_xmp() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Budi Santoso", "/Producer": "HP Scanner Budi"})
    out = io.BytesIO()
    writer.write(out)
    clean = without_metadata(out.getvalue(), "application/pdf")
    reader = PdfReader(io.BytesIO(clean))
    assert len(reader.pages) == 1
    assert not (reader.metadata or {}).get("/Author")
    assert b"Budi" not in clean


@pytest.mark.parametrize(
    ("data", "mime"),
    [(b"\xff\xd8\xffnot really a jpeg", "image/jpeg"), (b"%PDF-1.4 broken", "application/pdf")],
)
def test_a_file_that_cannot_be_cleaned_is_refused(data: bytes, mime: str) -> None:
    with pytest.raises(AttachmentRejected, match="tidak dapat kami bersihkan"):
        without_metadata(data, mime)


def test_heic_is_refused_rather_than_kept_with_its_location() -> None:
    with pytest.raises(AttachmentRejected):
        without_metadata(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "image/heic")
