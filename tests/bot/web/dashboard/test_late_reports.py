"""A report made after the reporter's own deadline to the UPPG (UPPG_DEADLINE_WORKDAYS working
days from the day received) is flagged to officers everywhere they look: the card in the UPPG
group, the queue, the report's page, the exports and the recap. The declarations are stored by
the same store the chat uses, so the deadlines are the ones the reporter's receipt showed."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from bot.backoffice.cards import card
from bot.runtime import Runtime, policy_from_settings
from bot.store.declarations import SqlDeclarations
from bot.store.models import Declaration
from bot.web.dashboard.exports import HEADERS
from tests.bot.web.dashboard.conftest import add_user, login

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


def draft(name: str, received: str) -> dict[str, Any]:
    return {
        "report_type": "penerimaan",
        "name": name,
        "nip": "199005152015031001",
        "unit_kerja": "Dinas Pendidikan",
        "giver_name": "Andi",
        "giver_relation": "rekanan",
        "occasion": "hari_raya",
        "object_type": "barang",
        "description": "Jam tangan",
        "value_rp": 3_000_000,
        "received_date": received,
        "object_location": "disimpan_pelapor",
    }


async def submit(runtime: Runtime, name: str, received: str, reported: datetime) -> Declaration:
    """A declaration submitted through the chat's store on `reported` (local time)."""
    store = SqlDeclarations(runtime.db, runtime.cipher, policy_from_settings(runtime.settings))
    receipt = await store.submit(
        user_key=f"telegram:{abs(hash(name)) % 10**6}",
        channel="telegram",
        chat_id="1",
        idempotency_key=name,
        draft=draft(name, received),
        submitted_at=reported,
    )
    async with runtime.db.sessions() as session:
        found = await session.execute(
            select(Declaration).where(Declaration.number == receipt.number)
        )
        return found.scalar_one()


# Received Friday 1 May 2026 (a holiday): the working-day calendar puts the reporter's 10
# working days to the UPPG at Monday 18 May and the gift's 30 at 18 June.
REPORTED_ON_TIME = datetime(2026, 5, 4, 10, tzinfo=JAKARTA)
REPORTED_LATE = datetime(2026, 5, 20, 10, tzinfo=JAKARTA)  # after 18 May, before 18 June


async def seed(runtime: Runtime) -> tuple[Declaration, Declaration, Declaration]:
    on_time = await submit(runtime, "Tepat Waktu", "2026-05-01", REPORTED_ON_TIME)
    late = await submit(runtime, "Terlambat Uppg", "2026-05-01", REPORTED_LATE)
    # Received 1 April: even the gift's 30 working days (15 May) were over on 20 May.
    very_late = await submit(runtime, "Lewat Tigapuluh", "2026-04-01", REPORTED_LATE)
    return on_time, late, very_late


async def test_the_card_in_the_uppg_group_says_the_report_came_late(runtime: Runtime) -> None:
    on_time, late, very_late = await seed(runtime)
    assert late.uppg_deadline is not None and not late.late
    text = card(late, [], [], settings=runtime.settings).text
    assert "Batas lapor pelapor: 18 Mei 2026" in text
    assert "⚠️ Terlambat ke UPPG: dilaporkan 20 Mei 2026, lewat batas lapor pelapor 18 Mei" in text
    assert "Terlambat" not in card(on_time, [], [], settings=runtime.settings).text
    assert (
        "dilaporkan setelah 30 hari kerja"
        in card(very_late, [], [], settings=runtime.settings).text
    )


async def test_the_queue_and_the_page_flag_a_report_late_to_the_uppg(
    client: httpx.AsyncClient, runtime: Runtime, officer: str
) -> None:
    on_time, late, very_late = await seed(runtime)
    queue = (await client.get("/dashboard")).text
    rows = {
        d.number: queue.split(d.number, 1)[1].split("</tr>", 1)[0]
        for d in (on_time, late, very_late)
    }
    assert "terlambat ke UPPG" in rows[late.number]
    assert "terlambat ke UPPG" in rows[very_late.number]
    assert "terlambat" not in rows[on_time.number]

    page = (await client.get(f"/dashboard/declarations/{late.id}")).text
    assert "Batas lapor pelapor ke UPPG" in page and "18 Mei 2026" in page
    assert "terlambat ke UPPG" in page
    on_time_page = (await client.get(f"/dashboard/declarations/{on_time.id}")).text
    assert "terlambat ke UPPG" not in on_time_page


async def test_exports_and_recap_count_reports_late_to_the_uppg(
    client: httpx.AsyncClient, runtime: Runtime, officer: str
) -> None:
    on_time, late, very_late = await seed(runtime)
    text = (await client.get("/dashboard/export.csv")).content.decode("utf-8-sig")
    rows = {r["Nomor laporan"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert rows[late.number]["Terlambat ke UPPG"] == "Ya"
    assert rows[late.number]["Batas lapor pelapor ke UPPG"] == "18/05/2026"
    assert rows[late.number]["Terlambat dilaporkan"] == "Tidak"
    assert rows[very_late.number]["Terlambat ke UPPG"] == "Ya"
    assert rows[very_late.number]["Terlambat dilaporkan"] == "Ya"
    assert rows[on_time.number]["Terlambat ke UPPG"] == "Tidak"
    sheet = load_workbook(io.BytesIO((await client.get("/dashboard/export.xlsx")).content)).active
    records = [
        dict(zip(HEADERS, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    by_number = {r["Nomor laporan"]: r for r in records}
    assert by_number[late.number]["Batas lapor pelapor ke UPPG"].date().isoformat() == "2026-05-18"

    book = load_workbook(
        io.BytesIO((await client.get("/dashboard/recap.xlsx?periode=2026-05")).content)
    )
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Penerimaan dilaporkan terlambat ke UPPG (lewat batas pelapor)"] == 2
    assert summary["Penerimaan dilaporkan terlambat (lewat 30 hari kerja)"] == 1
    lines = list(book["Per laporan"].iter_rows(values_only=True))
    column = lines[0].index("Terlambat ke UPPG")
    flags = {line[0]: line[column] for line in lines[1:]}
    assert flags == {on_time.number: "Tidak", late.number: "Ya", very_late.number: "Ya"}

    recap_page = (await client.get("/dashboard/recap?periode=2026-05")).text
    assert "penerimaan dilaporkan terlambat ke UPPG" in recap_page
    pdf = await client.get("/dashboard/recap.pdf?periode=2026-05")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"{late.number} (terlambat ke UPPG)" in pdf_text.replace("\n", " ")
