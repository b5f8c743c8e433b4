"""The audit log as the Inspektorat reads it: every dashboard entry carries the client address,
logins and logouts included; the page filters by number, user, action and period; the export
(CSV for Excel in Indonesian, and XLSX) holds every matching row and is itself audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import AuditLog
from bot.web.dashboard import audit as audit_page
from bot.web.dashboard.audit import audit_csv
from tests.bot.web.dashboard.conftest import Seeder, add_user, csrf_of, login


async def entries(runtime: Runtime) -> list[AuditLog]:
    async with runtime.db.sessions() as session:
        return list((await session.execute(select(AuditLog).order_by(AuditLog.id))).scalars())


async def test_every_dashboard_entry_records_the_client_address(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    await add_user(runtime.db, "ketua", role="admin")
    d = await seed.declaration()
    csrf = await login(client, "ketua")
    await client.get(f"/dashboard/declarations/{d.id}")
    await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={"csrf_token": csrf, "to_status": "diverifikasi", "internal_note": "cek"},
    )
    page = await client.get("/dashboard/audit")
    await client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    found = {e.action: e.ip for e in await entries(runtime)}
    # httpx's ASGI transport connects from 127.0.0.1 (behind nginx: X-Forwarded-For).
    for action in ("login", "view", "status_change", "logout"):
        assert found[action] == "127.0.0.1", action

    await login(client, "ketua")
    page = (await client.get("/dashboard/audit")).text
    assert "<th>Alamat IP</th>" in page
    assert "<td>Keluar</td>" in page and "<td>127.0.0.1</td>" in page
    assert "catatan internal: cek" in page


async def test_entries_outside_a_request_have_no_address(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        session.add(AuditLog(actor="sistem:retensi", action="retention", target="GRT-1"))
    (entry,) = await entries(runtime)
    assert entry.ip is None


async def _history(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        session.add_all(
            [
                AuditLog(
                    actor="siti",
                    action="status_change",
                    target="GRT-2026-000001",
                    details={"from": "diterima", "to": "diverifikasi", "internal_note": "=1+1"},
                    at=datetime(2026, 5, 4, 2, 0, tzinfo=UTC),
                    ip="10.0.0.7",
                ),
                AuditLog(
                    actor="siti",
                    action="view",
                    target="GRT-2026-000002",
                    at=datetime(2026, 5, 20, 2, 0, tzinfo=UTC),
                    ip="10.0.0.7",
                ),
                AuditLog(
                    actor="budi",
                    action="view",
                    target="GRT-2026-000001",
                    at=datetime(2026, 6, 2, 2, 0, tzinfo=UTC),
                    ip="10.0.0.9",
                ),
            ]
        )


async def test_the_page_filters_by_action_and_period(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await add_user(runtime.db, "ketua", role="admin")
    await _history(runtime)
    await login(client, "ketua")
    may = (await client.get("/dashboard/audit?action=view&from=1/5/2026&to=31 Mei 2026")).text
    assert "<td>GRT-2026-000002</td>" in may and "<td>GRT-2026-000001</td>" not in may
    assert "1 catatan." in may
    bad = await client.get("/dashboard/audit?from=kapan-kapan")
    assert bad.status_code == 400 and "Tanggal tidak dapat dibaca" in bad.text
    backwards = await client.get("/dashboard/audit?from=2026-06-01&to=2026-05-01")
    assert "Tanggal awal harus sebelum tanggal akhir" in backwards.text


async def test_export_for_the_inspektorat_csv_and_xlsx(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read and written in a worker process: this (the web) process puts no entry into words.
    worded: list[int] = []
    real_rows_of = audit_page.rows_of
    monkeypatch.setattr(
        audit_page, "rows_of", lambda entries, tz: worded.append(1) or real_rows_of(entries, tz)
    )
    await add_user(runtime.db, "ketua", role="admin")
    await _history(runtime)
    await login(client, "ketua")
    csv_file = await client.get("/dashboard/audit/export.csv?target=GRT-2026-000001")
    assert csv_file.status_code == 200
    assert csv_file.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_file.headers["content-disposition"]
    assert csv_file.content.startswith("\ufeff".encode())
    text = csv_file.content.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Waktu (Asia/Jakarta);Pengguna;Tindakan;Kode tindakan;Sasaran;Rincian;Alamat IP;"
        "Rincian (data)"
    )
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(lines) == 3  # the two entries on that number, oldest first
    first = lines[1]
    assert first[:5] == ["2026-05-04 09:00:00", "siti", "Ubah status", "status_change",
                         "GRT-2026-000001"]  # fmt: skip
    assert first[5] == "dari: Diterima UPPG; ke: Diverifikasi; catatan internal: =1+1"
    assert first[6] == "10.0.0.7"
    assert lines[2][1] == "budi"

    xlsx = await client.get("/dashboard/audit/export.xlsx?actor=siti")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Waktu (Asia/Jakarta)" and rows[0][6] == "Alamat IP"
    assert [r[4] for r in rows[1:]] == ["GRT-2026-000001", "GRT-2026-000002"]
    assert all(isinstance(v, str | None) for r in rows[1:] for v in r)  # text, never numbers

    exports = [e for e in await entries(runtime) if e.action == "export_audit"]
    assert [(e.actor, e.details) for e in exports] == [
        ("ketua", {"format": "csv", "filters": {"target": "GRT-2026-000001"}, "rows": 2}),
        ("ketua", {"format": "xlsx", "filters": {"actor": "siti"}, "rows": 2}),
    ]
    assert worded == []


def test_no_cell_is_ever_a_formula() -> None:
    row = ("2026-05-04 09:00:00", '=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "ok", "", "{}")
    text = audit_csv([row], "Asia/Jakarta").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1][1:6] == [
        '\'=HYPERLINK("x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "ok",
    ]


async def test_only_admins_export_the_audit_log(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    await login(client, "siti")
    for path in ("/dashboard/audit/export.csv", "/dashboard/audit/export.xlsx"):
        response = await client.get(path)
        assert response.status_code == 403, path
