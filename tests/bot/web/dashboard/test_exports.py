"""Exports: CSV and XLSX of the filtered list, the PDF report form; each one audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import AuditLog, DeclarationAttachment, StatusChange
from bot.web.dashboard.exports import HEADERS
from bot.web.dashboard.listing import workdays_left
from bot.web.dashboard.workdays import calendar_for
from tests.bot.web.dashboard.conftest import Seeder, add_user, login


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def audit(runtime: Runtime, action: str) -> list[AuditLog]:
    async with runtime.db.sessions() as session:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list((await session.execute(query)).scalars().all())


async def seed_two_units(seed: Seeder) -> tuple[str, str, str]:
    a = await seed.declaration(reporter_name="Siti Aminah", value_rp=1_500_000)
    b = await seed.declaration(reporter_name="=HYPERLINK(1)", reporter_unit="Dinas Kesehatan")
    c = await seed.declaration(
        reporter_unit="Bappeda",
        giver_name="Lain",
        reporter_name="Rahasia Sekali",
        confidential=True,
    )
    return a.number, b.number, c.number


async def test_csv_has_the_filtered_rows(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    a, b, _c = await seed_two_units(seed)
    response = await client.get("/dashboard/export.csv?unit=Dinas+Kesehatan")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    # For Excel set to Indonesian: a byte-order mark and ";" between cells.
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0].keys()) == list(HEADERS)
    assert {r["Nomor laporan"] for r in rows} == {a, b}
    by_number = {r["Nomor laporan"]: r for r in rows}
    assert by_number[a]["Nama pelapor"] == "Siti Aminah"
    assert by_number[a]["Perkiraan nilai (Rp)"] == "1500000"
    assert by_number[a]["Unit kerja"] == "Dinas Kesehatan"
    assert by_number[a]["Peristiwa"] == "Hari raya"
    assert by_number[a]["Tanggal diterima/ditolak"] == "01/05/2026"
    assert by_number[a]["Lewat batas"] == "Ya"
    # The 18-digit NIP stays text in Excel (not 1,98501E+17).
    assert by_number[a]["NIP"] == '="198501012010011001"'
    # A cell that would run as a spreadsheet formula is defused.
    assert by_number[b]["Nama pelapor"] == "'=HYPERLINK(1)"
    # No encrypted personal data in the export.
    assert "3201010101010001" not in text
    [entry] = await audit(runtime, "export_csv")
    assert entry.actor == "siti"
    assert sorted(entry.details["numbers"]) == sorted([a, b])
    assert entry.details["filters"] == {"unit": "Dinas Kesehatan"}

    # A reporter who asked for confidentiality is not named in exported files.
    everything = (await client.get("/dashboard/export.csv")).content.decode("utf-8-sig")
    assert "Rahasia Sekali" not in everything and "(dirahasiakan)" in everything


async def test_standard_csv_for_other_tools(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    a, _b, _c = await seed_two_units(seed)
    response = await client.get("/dashboard/export.csv", params={"format": "standar"})
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = {r["Nomor laporan"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert rows[a]["NIP"] == "198501012010011001"
    assert rows[a]["Tanggal diterima/ditolak"] == "2026-05-01"


async def test_xlsx_has_the_filtered_rows(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    _a, _b, c = await seed_two_units(seed)
    response = await client.get("/dashboard/export.xlsx", params={"q": "lain"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(HEADERS)
    assert len(rows) == 2
    record = dict(zip(HEADERS, rows[1], strict=True))
    assert record["Nomor laporan"] == c
    assert record["Unit kerja"] == "Bappeda"
    assert record["Perkiraan nilai (Rp)"] == 750_000
    assert record["Tanggal diterima/ditolak"].date() == date(2026, 5, 1)
    [entry] = await audit(runtime, "export_xlsx")
    assert entry.details["numbers"] == [c]


async def test_xlsx_keeps_identifiers_as_text(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(kpk_reference="0012345", sk_number="0099/2026")
    response = await client.get("/dashboard/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = {h: cell for h, cell in zip(header, sheet[2], strict=True)}
    assert row["Nomor laporan"].value == d.number
    for column, value in (("NIP", "198501012010011001"), ("Nomor laporan KPK", "0012345")):
        assert row[column].value == value
        assert row[column].data_type == "s" and row[column].number_format == "@"


async def test_pdf_report_form(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(
        reporter_name="Ni Luh Putu Ayu Ṣaraswati",  # a name outside Latin-1
        chronology="Pada saat lebaran, kurir mengantar parsel ke kantor.",
        forwarded_at=datetime(2026, 5, 6, tzinfo=UTC),
        kpk_reference="KPK-55/2026",
        status="diteruskan_kpk",
    )
    async with runtime.db.transaction() as session:
        session.add(
            DeclarationAttachment(
                declaration_id=d.id,
                kind="foto",
                name="parsel.jpg",
                mime_type="image/jpeg",
                size=2048,
                content_hmac="0" * 64,
                storage_key="x/parsel.jpg",
            )
        )
    response = await client.get(f"/dashboard/declarations/{d.id}/form.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "FORMULIR LAPORAN GRATIFIKASI",
        d.number,
        "A. IDENTITAS PELAPOR",
        "Ni Luh Putu Ayu Ṣaraswati",
        "3201010101010001",
        "B. DATA PEMBERI",
        "Budi Santoso",
        "C. DATA PENERIMAAN GRATIFIKASI",
        "Rp750.000",
        "D. KRONOLOGI",
        "kurir mengantar parsel",
        "E. LAMPIRAN",
        "parsel.jpg",
        "KPK-55/2026",
    ):
        assert expected in text, expected
    assert [e.target for e in await audit(runtime, "export_pdf")] == [d.number]


async def test_pdf_of_a_refusal(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(report_type="penolakan", status="dicatat", chronology=None)
    response = await client.get(f"/dashboard/declarations/{d.id}/form.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "C. DATA PENOLAKAN GRATIFIKASI" in text
    assert "Tidak ada lampiran." in text


async def test_the_hand_over_date_the_sk_states_orders_the_queue_and_fills_the_export(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    """Both read the decision's details in the worker process (not only "perlu dilengkapi")."""
    forwarded = datetime(2026, 5, 6, tzinfo=UTC)
    later = await seed.declaration(status="diteruskan_kpk", forwarded_at=forwarded)
    owed = await seed.declaration(
        status="milik_negara",
        decision="milik_negara",
        forwarded_at=forwarded,
        sk_number="SK-3/2026",
        sk_date=date(2026, 5, 20),
    )
    async with runtime.db.transaction() as session:
        session.add(
            StatusChange(
                declaration_id=owed.id,
                from_status="diteruskan_kpk",
                to_status="milik_negara",
                actor="siti",
                details={
                    "sk_number": "SK-3/2026",
                    "sk_date": "2026-05-20",
                    "handover_due": "2026-05-27",
                },
                at=datetime(2026, 5, 20, 3, tzinfo=UTC),
            )
        )
    queue = (await client.get("/dashboard")).text
    # Due 27 May 2026, before KPK's decision on the other (30 working days from 6 May).
    assert queue.index(owed.number) < queue.index(later.number)
    book = load_workbook(io.BytesIO((await client.get("/dashboard/export.xlsx")).content))
    rows = [
        dict(zip(HEADERS, r, strict=True))
        for r in book.active.iter_rows(min_row=2, values_only=True)
    ]
    record = next(r for r in rows if r["Nomor laporan"] == owed.number)
    assert record["Batas berikutnya"] == "Penyerahan objek milik negara"
    assert record["Tenggat"].date() == date(2026, 5, 27)
    # The working days left are a number (negative once passed), as the queue counts them,
    # so the sheet sorts and sums them (they were text cells).
    assert isinstance(record["Sisa hari kerja"], int)
    today = datetime.now(runtime.settings.tz).date()
    left = workdays_left(date(2026, 5, 27), today, calendar_for(runtime.settings))
    assert record["Sisa hari kerja"] == left


async def test_list_exports_carry_no_contact_data_but_the_report_still_does(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    """An officer exports the queue to share it; the reporter's e-mail, phone, NIK and a
    WhatsApp number typed into an answer stay out of the file, but the report's page and its
    official PDF form (which KPK's form needs) still show them to the logged-in officer."""
    d = await seed.declaration(
        reporter_name="Siti Aminah",
        reporter_email="siti.aminah@contoh.go.id",
        giver_name="Pak Budi (wa 0812-3456-7890)",
        reason="Ucapan terima kasih, hub. budi.santoso@majujaya.co.id",
        description="Parsel; kurir titip KTP 3201 0101 0101 0001",
        sk_number="0099/2026",
    )
    secrets = (
        "siti.aminah@contoh.go.id",
        "0812-3456-7890",
        "081234567890",
        "budi.santoso@majujaya.co.id",
        "3201 0101 0101 0001",
        "3201010101010001",
        "Jl. Merdeka",
    )
    assert "E-mail" not in HEADERS and "Nomor HP" not in HEADERS and "NIK" not in HEADERS
    for params in ({}, {"format": "standar"}):
        text = (await client.get("/dashboard/export.csv", params=params)).content.decode(
            "utf-8-sig"
        )
        for secret in secrets:
            assert secret not in text, (params, secret)
        assert "[nomor HP disembunyikan]" in text and "[e-mail disembunyikan]" in text
        assert "[NIK disembunyikan]" in text
        # Work data stays: the reporter's name and NIP, the giver, the SK number.
        assert "Siti Aminah" in text and "198501012010011001" in text and "0099/2026" in text
    sheet = load_workbook(io.BytesIO((await client.get("/dashboard/export.xlsx")).content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    for secret in secrets:
        assert not any(secret in c for c in cells), secret
    record = dict(zip(HEADERS, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert record["Nama pemberi"] == "Pak Budi (wa [nomor HP disembunyikan])"

    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert "siti.aminah@contoh.go.id" in page and "081234567890" in page
    form = await client.get(f"/dashboard/declarations/{d.id}/form.pdf")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(form.content)).pages)
    assert "siti.aminah@contoh.go.id" in pdf_text and "3201010101010001" in pdf_text


async def test_the_recap_workbook_hides_contacts_typed_into_the_description(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    await seed.declaration(description="Parsel, pengirim bisa ditelepon di +62 812 3456 7890")
    response = await client.get("/dashboard/recap.xlsx?periode=2026-05")
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c) for row in book["Per laporan"].iter_rows(values_only=True) for c in row if c]
    assert "Parsel, pengirim bisa ditelepon di [nomor HP disembunyikan]" in cells
    assert not any("812 3456" in c for c in cells)
