"""The monthly and semester recap: figures, chart page, XLSX."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import httpx
import pytest
from openpyxl import load_workbook
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
    for bad in ("2026-13", "2026-S3", "Mei", ""):
        assert Period.parse(bad) is None
    choices = [p.code for p in period_choices(date(2026, 2, 10))]
    assert choices[:3] == ["2026-S1", "2025-S2", "2025-S1"]
    assert "2026-02" in choices and "2025-12" in choices


async def test_recap_page(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    await seed_may(seed)
    response = await client.get("/dashboard/recap?periode=2026-05")
    assert response.status_code == 200
    page = response.text
    assert "Mei 2026" in page
    assert "<svg" in page and "Jumlah laporan per jenis objek" in page
    assert '<span class="big">4</span> laporan' in page
    assert '<span class="big">3</span> penerimaan' in page
    assert '<span class="big">1</span> penolakan' in page
    assert "Rp3.800.000" in page
    assert "33,3%" in page  # 1 of 3 due receipts forwarded on time
    [entry] = [
        e for e in await _audit(runtime) if e.action == "view_recap" and e.target == "2026-05"
    ]
    assert len(entry.details["numbers"]) == 4


async def _audit(runtime: Runtime) -> list[AuditLog]:
    async with runtime.db.sessions() as session:
        return list((await session.execute(select(AuditLog))).scalars().all())


async def test_recap_xlsx(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    await seed_may(seed)
    response = await client.get("/dashboard/recap.xlsx?periode=2026-S1")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ringkasan", "Jenis objek", "Acara", "Unit kerja"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Periode"] == "Semester 1 2026 (Januari-Juni)"
    assert summary["Jumlah laporan"] == 6
    assert summary["Penolakan"] == 1
    objects = {
        r[0]: (r[1], r[2]) for r in book["Jenis objek"].iter_rows(min_row=2, values_only=True)
    }
    assert objects["Uang"] == (2, 2_500_000)
    assert objects["Barang"][0] == 4
    units = {r[0]: r[1] for r in book["Unit kerja"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Dinas Kesehatan": 5, "Bappeda": 1}
    assert [e.target for e in await _audit(runtime) if e.action == "export_recap"] == ["2026-S1"]


async def test_empty_period(client: httpx.AsyncClient, officer: str) -> None:
    response = await client.get("/dashboard/recap?periode=2020-01")
    assert response.status_code == 200
    assert "Tidak ada data." in response.text
