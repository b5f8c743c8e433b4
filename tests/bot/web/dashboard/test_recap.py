"""The monthly and semester recap: figures, chart page, XLSX."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import AuditLog
from bot.web.dashboard.recap import Period, period_choices
from tests.bot.web.dashboard.conftest import Seeder, add_user, login

MAY = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # Monday 4 May 2026, 10:00 WIB


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def seed_may(seed: Seeder) -> None:
    # Forwarded on time (2 working days later).
    await seed.declaration(
        forwarded_at=datetime(2026, 5, 6, tzinfo=UTC), status="diteruskan_kpk", value_rp=1_000_000
    )
    # Forwarded late: 10 working days from 4 May 2026 end on 19 May (14 May, Ascension
    # Day, is a holiday).
    await seed.declaration(
        forwarded_at=datetime(2026, 6, 1, 5, tzinfo=UTC),
        status="diteruskan_kpk",
        object_type="uang",
        value_rp=2_000_000,
        reporter_unit="Bappeda",
    )
    # Never forwarded and overdue.
    await seed.declaration(object_type="uang", value_rp=500_000, occasion="pernikahan")
    # A refusal.
    await seed.declaration(report_type="penolakan", status="dicatat", value_rp=300_000)
    # Outside May: 1 June local time (31 May 17:30 UTC), and 30 April.
    await seed.declaration(submitted_at=datetime(2026, 5, 31, 17, 30, tzinfo=UTC))
    await seed.declaration(submitted_at=datetime(2026, 4, 30, 9, 0, tzinfo=UTC))


def test_periods() -> None:
    may = Period.parse("2026-05")
    assert may is not None
    assert (may.start, may.end, may.label) == (date(2026, 5, 1), date(2026, 6, 1), "Mei 2026")
    s2 = Period.parse("2026-S2")
    assert s2 is not None
    assert (s2.start, s2.end) == (date(2026, 7, 1), date(2027, 1, 1))
    q2 = Period.parse("2026-q2")
    assert q2 is not None
    assert (q2.start, q2.end, q2.label) == (
        date(2026, 4, 1),
        date(2026, 7, 1),
        "Triwulan II 2026 (April-Juni)",
    )
    year = Period.parse("2026")
    assert year is not None and (year.start, year.end) == (date(2026, 1, 1), date(2027, 1, 1))
    for bad in ("2026-13", "2026-S3", "2026-Q5", "Mei", "", "9999"):
        assert Period.parse(bad) is None
    choices = [p.code for p in period_choices(date(2026, 2, 10))]
    assert choices[:4] == ["2026", "2026-S1", "2025", "2025-S2"]
    assert "2026-Q1" in choices and "2026-Q2" not in choices
    assert "2026-02" in choices and "2025-12" in choices


async def test_recap_page_keeps_receipts_and_refusals_apart(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    await seed_may(seed)
    response = await client.get("/dashboard/recap?periode=2026-05")
    assert response.status_code == 200
    page = response.text
    assert "Mei 2026" in page
    assert "<svg" in page and "Laporan per jenis objek" in page
    assert '<span class="big">3</span> penerimaan<br><small>Rp3.500.000' in page
    assert '<span class="big">1</span> penolakan<br><small>Rp300.000' in page
    assert "33,3%" in page  # 1 of 3 due receipts forwarded on time
    assert "Keputusan KPK (penerimaan)" in page
    [entry] = [
        e for e in await _audit(runtime) if e.action == "view_recap" and e.target == "2026-05"
    ]
    assert len(entry.details["numbers"]) == 4


async def test_an_invalid_period_says_so(client: httpx.AsyncClient, officer: str) -> None:
    page = await client.get("/dashboard/recap?periode=2026-13")
    assert page.status_code == 400 and "Periode tidak dikenali" in page.text
    download = await client.get("/dashboard/recap.pdf?periode=mei")
    assert download.status_code == 400 and "Periode tidak dikenali" in download.text


async def _audit(runtime: Runtime) -> list[AuditLog]:
    async with runtime.db.sessions() as session:
        return list((await session.execute(select(AuditLog))).scalars().all())


async def test_recap_xlsx(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    await seed_may(seed)
    await seed.declaration(
        status="selesai",
        decision="milik_negara",
        value_rp=4_000_000,
        sk_number="SK-9/KPK/2026",
        kpk_reference="0077/LAP",
        forwarded_at=datetime(2026, 5, 5, tzinfo=UTC),
    )
    response = await client.get("/dashboard/recap.xlsx?periode=2026-S1")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Keputusan KPK",
        "Penyelesaian oleh UPPG",
        "Jenis objek",
        "Peristiwa",
        "Unit kerja",
        "Per laporan",
        "Bantuan sosial",
    ]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Periode"] == "Semester 1 2026 (Januari-Juni)"
    assert summary["Laporan penerimaan"] == 6
    assert summary["Laporan penolakan"] == 1
    assert summary["Nilai penolakan (Rp)"] == 300_000
    assert summary["Milik negara sudah diserahkan/disetor"] == 1
    assert summary["Nilai milik negara sudah diserahkan/disetor (Rp)"] == 4_000_000
    objects = {r[0]: r[1:] for r in book["Jenis objek"].iter_rows(min_row=2, values_only=True)}
    assert objects["Uang"] == (2, 2_500_000, 0, 0)
    assert objects["Barang"][0] == 4 and objects["Barang"][2] == 1
    decisions = {r[0]: r[1] for r in book["Keputusan KPK"].iter_rows(min_row=2, values_only=True)}
    assert decisions["Milik negara"] == 1
    lines = list(book["Per laporan"].iter_rows(values_only=True))
    assert len(lines) == 8 and lines[0][0] == "Nomor laporan"
    sold = next(r for r in lines if r[10] == "SK-9/KPK/2026")
    assert sold[9] == "0077/LAP" and sold[12] == "Milik negara (diserahkan/disetor)"
    assert [e.target for e in await _audit(runtime) if e.action == "export_recap"] == ["2026-S1"]


async def test_recap_pdf_variants(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    await seed_may(seed)
    for variant, addressee in (("kpk", "Komisi Pemberantasan Korupsi"), ("bupati", "Bupati")):
        response = await client.get(f"/dashboard/recap.pdf?periode=2026-05&varian={variant}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "REKAPITULASI LAPORAN GRATIFIKASI" in text and addressee in text
        assert "Mei 2026" in text.replace("\n", " "), text[:600]
        assert "GRT-2026-000001" in text
        # Every grouped table and the list of reports end with their totals (May: three
        # receipts worth Rp3.500.000, one refusal of Rp300.000; KPK decides receipts only).
        totals = [line for line in text.splitlines() if line.startswith("Jumlah")]
        assert len(totals) == 6, totals
        assert "Jumlah 3 Rp3.500.000" in totals, totals
        assert totals.count("Jumlah 3 Rp3.500.000 1 Rp300.000") == 3, totals
        assert totals[-1] == "Jumlah Rp3.800.000", totals


async def test_empty_period(client: httpx.AsyncClient, officer: str) -> None:
    response = await client.get("/dashboard/recap?periode=2020-01")
    assert response.status_code == 200
    assert "Tidak ada data." in response.text


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


async def test_the_recap_tells_kpk_what_the_uppg_closed_itself(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    """Social aid listed one by one (reference 2.7), a return and a duplicate in words, the
    duplicate never counted twice, and the kompensasi decision counted as state property."""
    food = await seed.declaration(
        object_type="makanan", description="Kue basah dan buah", value_rp=400_000
    )
    watch = await seed.declaration(description="Jam tangan", value_rp=2_500_000)
    copy = await seed.declaration(object_type="makanan", value_rp=400_000)
    paid = await seed.declaration(
        status="selesai",
        decision="milik_negara_kompensasi",
        value_rp=3_000_000,
        sk_number="SK-12/2026",
        forwarded_at=datetime(2026, 5, 6, tzinfo=UTC),
    )
    for declaration_id, target, fields, proof in (
        (
            food.id,
            "disalurkan",
            {"aid_recipient": "Panti Asuhan Harapan", "distributed_on": "2/5/2026"},
            ("foto penyerahan.jpg", JPEG, "image/jpeg"),
        ),
        (
            watch.id,
            "dikembalikan",
            {"returned_on": "5 Mei 2026"},
            ("bukti.jpg", JPEG, "image/jpeg"),
        ),
        (copy.id, "duplikat", {"duplicate_of": food.number, "reason": "Terkirim dua kali."}, None),
    ):
        response = await client.post(
            f"/dashboard/declarations/{declaration_id}/status",
            data={"csrf_token": officer, "to_status": target, **fields},
            files={"proof": proof} if proof else None,
        )
        assert response.status_code == 303, response.text

    book = load_workbook(
        io.BytesIO((await client.get("/dashboard/recap.xlsx?periode=2026-05")).content)
    )
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Laporan penerimaan"] == 3  # the duplicate is not counted again
    assert summary["Nilai penerimaan (Rp)"] == 400_000 + 2_500_000 + 3_000_000
    assert summary["Laporan ganda (tidak dihitung dalam jumlah di atas)"] == 1
    assert summary["Makanan/minuman disalurkan sebagai bantuan sosial"] == 1
    assert summary["Milik negara sudah diserahkan/disetor"] == 1
    aid = list(book["Bantuan sosial"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[5], r[6].date()) for r in aid] == [
        (food.number, "Panti Asuhan Harapan", date(2026, 5, 2))
    ]
    closings = {
        r[0]: r[1] for r in book["Penyelesaian oleh UPPG"].iter_rows(min_row=2, values_only=True)
    }
    assert closings["Disalurkan sebagai bantuan sosial"] == 1
    assert closings["Dikembalikan ke pemberi"] == 1
    assert closings["Ditutup: laporan ganda"] == 1
    decisions = {r[0]: r[1] for r in book["Keputusan KPK"].iter_rows(min_row=2, values_only=True)}
    assert decisions["Milik negara, dapat diganti uang"] == 1
    assert decisions["Belum ada keputusan"] == 0  # closed by the UPPG: no decision will come
    outcomes = {r[0]: r[12] for r in book["Per laporan"].iter_rows(min_row=2, values_only=True)}
    assert outcomes[food.number] == (
        "Disalurkan sebagai bantuan sosial kepada Panti Asuhan Harapan (2 Mei 2026)"
    )
    assert outcomes[watch.number] == "Dikembalikan ke pemberi (5 Mei 2026)"
    assert outcomes[copy.number] == f"Laporan ganda dari {food.number}"
    assert outcomes[paid.number] == "Milik negara, dapat diganti uang (diserahkan/disetor)"

    pdf = await client.get("/dashboard/recap.pdf?periode=2026-05&varian=kpk")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Makanan/minuman yang disalurkan sebagai bantuan sosial (1)" in text
    assert "Panti Asuhan Harapan" in text
    page = (await client.get("/dashboard/recap?periode=2026-05")).text
    assert "Penyelesaian oleh UPPG" in page
