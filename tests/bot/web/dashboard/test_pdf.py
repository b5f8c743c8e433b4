"""The official PDF: letterhead, RAHASIA stamp, late flag, statement and signature blocks,
the processing record, and names in any script (checked in the text and in a PNG render)."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.config import Settings
from bot.documents import fonts
from bot.store.models import Declaration, StatusChange, ThreadMessage
from bot.web.dashboard.fields import ReporterPii
from bot.web.dashboard.pdf import declaration_pdf
from tests.conftest import need_binary

LETTERHEAD = {
    "letterhead_instansi": "Pemerintah Kabupaten Sukamaju",
    "letterhead_unit": "Inspektorat Daerah",
    "letterhead_address": "Jl. Merdeka No. 1, Sukamaju · Telp (0265) 123456",
    "uppg_head_name": "Dra. Hj. Ratna Dewi, M.Si.",
    "uppg_head_nip": "197001011995032001",
    "report_place": "Sukamaju",
}
NOW = datetime(2026, 6, 2, 3, 0, tzinfo=UTC)


def _text(content: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\x00", "")


def _declaration(**fields: object) -> Declaration:
    values: dict[str, object] = {
        "id": 1,
        "number": "GRT-2026-000042",
        "channel": "telegram",
        "report_type": "penerimaan",
        "status": "milik_negara",
        "reporter_name": "Tuan 李明",
        "reporter_nip": "198501012010011001",
        "reporter_unit": "Dinas Kesehatan",
        "confidential": True,
        "giver_name": "هدية من شركة",
        "giver_institution": "CV Maju Jaya",
        "giver_relation": "rekanan",
        "occasion": "hari_raya",
        "object_type": "barang",
        "description": "Parsel 🎁 berisi kue",
        "value_rp": 750_000,
        "received_date": date(2026, 3, 2),
        "chronology": "Diantar kurir.",
        "submitted_at": datetime(2026, 5, 4, 3, 0, tzinfo=UTC),
        "kpk_deadline": date(2026, 4, 14),
        "late": True,
        "forwarded_at": datetime(2026, 5, 6, tzinfo=UTC),
        "kpk_reference": "1234/LAP-GRAT/2026",
        "decision": "milik_negara",
        "sk_number": "SK-77/KPK/2026",
        "sk_date": date(2026, 5, 28),
        "details": {},
    }
    values.update(fields)
    return Declaration(**values)


def _pdf(d: Declaration, settings: Settings) -> bytes:
    changes = [
        StatusChange(
            from_status="diterima",
            to_status="diteruskan_kpk",
            actor="siti",
            details={"kpk_reference": "1234/LAP-GRAT/2026"},
            at=datetime(2026, 5, 6, 2, tzinfo=UTC),
        ),
        StatusChange(
            from_status="diteruskan_kpk",
            to_status="milik_negara",
            actor="siti",
            details={"sk_number": "SK-77/KPK/2026"},
            at=datetime(2026, 5, 29, 2, tzinfo=UTC),
        ),
    ]
    messages = [
        ThreadMessage(
            direction="from_reporter",
            text="Fotonya sudah saya kirim.",
            at=datetime(2026, 5, 5, tzinfo=UTC),
        )
    ]
    return declaration_pdf(
        d,
        [],
        ReporterPii(nik="3201010101010001", address="Jl. Mawar 2", phone="081234567890"),
        settings=settings,
        deadlines=[],
        changes=changes,
        messages=messages,
        printed_by="siti",
        now=NOW,
    )


@pytest.fixture
def letterhead_settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", var_dir=tmp_path, **LETTERHEAD)  # type: ignore[arg-type]


def test_the_form_carries_everything_an_inspectorate_sends_out(
    letterhead_settings: Settings,
) -> None:
    text = _text(_pdf(_declaration(), letterhead_settings))
    for expected in (
        "PEMERINTAH KABUPATEN SUKAMAJU",
        "INSPEKTORAT DAERAH",
        "RAHASIA",
        "TERLAMBAT",
        "FORMULIR LAPORAN GRATIFIKASI",
        "A. IDENTITAS PELAPOR",
        "3201010101010001",
        "Peristiwa",
        "F. PERNYATAAN PELAPOR",
        "keterangan yang saya sampaikan dalam laporan ini benar",
        "G. CATATAN PROSES UPPG",
        "1234/LAP-GRAT/2026",
        "H. RIWAYAT PENANGANAN",
        "Fotonya sudah saya kirim.",
        "Dra. Hj. Ratna Dewi, M.Si.",
        "NIP 197001011995032001",
    ):
        assert expected in text, expected
    # The decision reads once, not "Keputusan KPK: Keputusan KPK: milik negara".
    assert "Keputusan KPK: Keputusan KPK" not in text
    assert "Keputusan KPK Milik negara" in text or "Keputusan KPKMilik negara" in text
    assert "Acara" not in text
    # Names in other scripts are printed, not dropped.
    flat = text.replace(" ", "")
    assert "李明" in flat
    assert "هدية" in text or "ةيده" in text


def test_the_render_shows_non_latin_names_and_the_stamp(
    letterhead_settings: Settings, tmp_path: Path
) -> None:
    pdftoppm = need_binary("pdftoppm")
    content = _pdf(_declaration(), letterhead_settings)
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    [png] = list(tmp_path.glob("p*.png"))
    image = Image.open(png).convert("RGB")
    width, height = image.size
    # The RAHASIA stamp is red, top right.
    corner = image.crop((width * 2 // 3, 0, width, height // 12))
    reds = sum(
        1
        for x in range(corner.width)
        for y in range(corner.height)
        if (p := corner.getpixel((x, y)))[0] > 150 and p[1] < 90 and p[2] < 90  # type: ignore[index]
    )
    assert reds > 20, reds
    # Every character was printable on this machine (fonts-noto-core/-cjk installed).
    if all(path.exists() for _, path in fonts.FALLBACKS[:2]):
        assert fonts.missing_characters(["Tuan 李明", "هدية من شركة"]) == []


def test_a_character_no_font_has_becomes_a_visible_marker(
    letterhead_settings: Settings,
) -> None:
    unknown = "\U000e0100"  # not in any font we use: must not vanish silently
    plane = chr(0x10FFFD)  # a private-use character no font has
    missing = fonts.missing_characters([f"Nama {plane}"])
    assert missing == [plane]
    text = _text(_pdf(_declaration(reporter_name=f"Nama {plane}"), letterhead_settings))
    assert "Nama [?]" in text
    assert unknown  # variation selectors are ignored, not marked
