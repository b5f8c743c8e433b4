"""What an officer sees when the recap is printed and opened in Excel: the KPK-decision table
counts receipts only, the signature names the unit in full with the instansi, dates stay on
one line, the on-time rate is a number, and in the queue the report that waited longest comes
first among those due the same day."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.config import Settings
from bot.runtime import Runtime
from tests.bot.web.dashboard.conftest import Seeder, add_user, login

INSTANSI = "PEMERINTAH KABUPATEN SUKAMAJU"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"letterhead_instansi": INSTANSI, "uppg_head_name": "Dra. Rahmawati"}
    )


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def seed_september(seed: Seeder) -> None:
    # Reported Wednesday 30 September 2026, forwarded on time on 1 October.
    await seed.declaration(
        received_date=date(2026, 9, 28),
        submitted_at=datetime(2026, 9, 30, 3, tzinfo=UTC),
        forwarded_at=datetime(2026, 10, 1, 3, tzinfo=UTC),
        status="diteruskan_kpk",
    )
    # Reported the same day, never forwarded, and far past the UPPG's deadline by now.
    await seed.declaration(
        received_date=date(2026, 9, 28), submitted_at=datetime(2026, 9, 30, 4, tzinfo=UTC)
    )
    await seed.declaration(
        report_type="penolakan",
        status="dicatat",
        received_date=date(2026, 9, 29),
        submitted_at=datetime(2026, 9, 30, 5, tzinfo=UTC),
        value_rp=400_000,
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


async def test_the_kpk_decision_table_counts_receipts_only(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    await seed_september(seed)
    book = load_workbook(
        io.BytesIO((await client.get("/dashboard/recap.xlsx?periode=2026-09")).content)
    )
    header = [c for c in next(book["Keputusan KPK"].iter_rows(values_only=True)) if c]
    assert header == ["Keputusan KPK (penerimaan)", "Penerimaan (jumlah)", "Penerimaan (nilai Rp)"]
    # The other tables still count both.
    assert "Penolakan (jumlah)" in next(book["Jenis objek"].iter_rows(values_only=True))

    page = (await client.get("/dashboard/recap?periode=2026-09")).text
    decisions = page.split("<h2>Keputusan KPK (penerimaan)</h2>", 1)[1].split("</table>", 1)[0]
    assert "Penolakan" not in decisions and "Penerimaan" in decisions
    objects = page.split("<h2>Jenis objek</h2>", 1)[1].split("</table>", 1)[0]
    assert "Penolakan" in objects

    text = pdf_text((await client.get("/dashboard/recap.pdf?periode=2026-09")).content)
    table = text.split("Keputusan KPK (penerimaan)", 1)[1].split("Penyelesaian oleh UPPG", 1)[0]
    compact = re.sub(r"\s+", "", table)
    assert "Penolakan" not in table and "Penerimaan(jumlah)Penerimaan(nilaiRp)" in compact


async def test_the_on_time_rate_is_a_number_in_excel(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    await seed_september(seed)
    response = await client.get("/dashboard/recap.xlsx?periode=2026-09")
    sheet = load_workbook(io.BytesIO(response.content))["Ringkasan"]
    [cell] = [row[1] for row in sheet.iter_rows() if row[0].value == "Tingkat tepat waktu"]
    # One forwarded on time out of two that were due.
    assert cell.data_type == "n" and cell.value == pytest.approx(0.5)
    assert cell.number_format == "0.0%"
    # The page and the PDF still read it as Indonesians write it.
    assert "50,0%" in (await client.get("/dashboard/recap?periode=2026-09")).text


async def test_the_signature_names_the_unit_in_full_and_dates_stay_on_one_line(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    await seed_september(seed)
    for variant in ("kpk", "bupati"):
        response = await client.get(f"/dashboard/recap.pdf?periode=2026-09&varian={variant}")
        text = pdf_text(response.content)
        flat = re.sub(r"\s+", " ", text)
        assert "Ketua Unit Pencegahan dan Pengendalian Gratifikasi" in flat
        assert f"Pengendalian Gratifikasi {INSTANSI} " in flat
        assert "Dra. Rahmawati" in flat
        # Each report's row keeps its date whole on the row's own line.
        rows = [line for line in text.splitlines() if line.startswith("GRT-2026-")]
        assert len(rows) == 3
        assert all("30 Sep 2026" in line for line in rows), rows


async def test_reports_due_the_same_day_are_queued_oldest_first(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    # Received 1 May 2026: the gift's 30 working days end on 18 June, before the UPPG's own 10
    # days from either report, so both must be forwarded by 18 June.
    newer = await seed.declaration(
        received_date=date(2026, 5, 1), submitted_at=datetime(2026, 6, 12, 3, tzinfo=UTC)
    )
    older = await seed.declaration(
        received_date=date(2026, 5, 1), submitted_at=datetime(2026, 6, 10, 3, tzinfo=UTC)
    )
    body = (await client.get("/dashboard")).text.split("<tbody>", 1)[1]
    order = list(dict.fromkeys(re.findall(r"GRT-\d{4}-\d{6}", body)))
    assert order == [older.number, newer.number]
    # "Terbaru dilaporkan" still puts the newest first.
    body = (await client.get("/dashboard?sort=terbaru")).text.split("<tbody>", 1)[1]
    assert list(dict.fromkeys(re.findall(r"GRT-\d{4}-\d{6}", body))) == [
        newer.number,
        older.number,
    ]
