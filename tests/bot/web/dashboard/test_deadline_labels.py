"""Every label that states a number of working days follows the deadline settings: an
instansi whose Perkada says 7 working days to the UPPG, and whose legal team set 25 to KPK,
sees 7 and 25 on the queue, the report's page, the exports, the recap, the printed form, the
receipt, the UPPG's card and the reporter's notices; never a "30" written into a template.

A declaration stored before the settings changed keeps stating the days its stored dates were
counted with, on its page and on its receipt (which must be the same document when it is
made again)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.backoffice.cards import card, status_notice
from bot.backoffice.deadlines import declaration_deadlines, late_report
from bot.config import Settings
from bot.runtime import Runtime, policy_from_settings
from bot.store.declarations import SqlDeclarations, counts_of
from bot.store.models import Declaration, StatusChange
from bot.web.dashboard.workdays import calendar_for
from handlers import statuses as st
from handlers.formatting import tanggal
from handlers.receipt import receipt_text
from tests.bot.web.dashboard.conftest import add_user, login
from tests.bot.web.dashboard.test_late_reports import JAKARTA, draft

ROOT = Path(__file__).resolve().parents[4]
# Settings an inspectorate may choose (they fit: 7 + 9 <= 25).
CHANGED: dict[str, Any] = {
    "uppg_deadline_workdays": 7,
    "kpk_deadline_workdays": 25,
    "uppg_to_kpk_workdays": 9,
    "kpk_decision_workdays": 20,
    "cuti_bersama_is_workday": False,
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp_path / "var",
        knowledge_dir=ROOT / "knowledge",
        password_hash_cost="test",
        **CHANGED,
    )


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def submit(
    runtime: Runtime, name: str, received: str, reported: datetime, settings: Settings
) -> Declaration:
    """A declaration the chat stored on `reported`, with the deadline settings of then."""
    store = SqlDeclarations(runtime.db, runtime.cipher, policy_from_settings(settings))
    receipt = await store.submit(
        user_key=f"telegram:{abs(hash(name)) % 10**6}",
        channel="telegram",
        chat_id="1",
        idempotency_key=name,
        draft=draft(name, received),
        submitted_at=reported,
    )
    async with runtime.db.sessions() as session:
        found = await session.get(Declaration, receipt.id)
        assert found is not None
        return found


def pdf_text(content: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)


async def test_the_dashboard_states_the_configured_days(
    client: httpx.AsyncClient, runtime: Runtime, officer: str, tmp_path: Path
) -> None:
    reported = datetime(2026, 5, 20, 10, tzinfo=JAKARTA)
    # Received 1 April: past 25 working days on 20 May.
    late = await submit(runtime, "Lewat Batas", "2026-04-01", reported, runtime.settings)
    # Stored under the defaults (30 and 10) before the inspectorate changed them.
    defaults = Settings(_env_file=None, environment="test", var_dir=tmp_path)  # type: ignore[call-arg]
    older = await submit(runtime, "Sebelum Diubah", "2026-05-04", reported, defaults)
    assert late.late and counts_of(late, runtime.settings).kpk == 25
    assert counts_of(older, runtime.settings).kpk == 30

    queue = (await client.get("/dashboard")).text
    assert "Batas ke KPK (25 hari kerja)" in queue and "30 hari kerja" not in queue
    assert "libur nasional, juga tanpa cuti bersama" in queue

    page = (await client.get(f"/dashboard/declarations/{late.id}")).text
    assert "Batas ke KPK (25 hari kerja)" in page
    assert "Batas lapor pelapor ke UPPG (7 hari kerja)" in page
    assert "9 hari kerja sejak diterima UPPG" in page  # the forwarding basis
    assert "hari libur nasional, juga tanpa cuti bersama)" in page
    old_page = (await client.get(f"/dashboard/declarations/{older.id}")).text
    assert "Batas ke KPK (30 hari kerja)" in old_page
    assert "Batas lapor pelapor ke UPPG (10 hari kerja)" in old_page

    text = (await client.get("/dashboard/export.csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows and "Batas 25 hari kerja ke KPK" in rows[0]
    assert not any("30 hari kerja" in header for header in rows[0])
    sheet = load_workbook(io.BytesIO((await client.get("/dashboard/export.xlsx")).content)).active
    assert "Batas 25 hari kerja ke KPK" in next(sheet.iter_rows(max_row=1, values_only=True))

    recap = (await client.get("/dashboard/recap?periode=2026-05")).text
    assert "di antaranya lewat 25 hari kerja" in recap
    book = load_workbook(
        io.BytesIO((await client.get("/dashboard/recap.xlsx?periode=2026-05")).content)
    )
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Penerimaan dilaporkan terlambat (lewat 25 hari kerja)"] == 1

    form = pdf_text((await client.get(f"/dashboard/declarations/{late.id}/form.pdf")).content)
    assert "Batas 25 hari kerja ke KPK" in form and "lewat 25 hari kerja" in form
    receipt = (await client.get(f"/dashboard/declarations/{late.id}/tanda-terima.pdf")).content
    assert "Batas 25 hari kerja ke KPK" in pdf_text(receipt)
    old_receipt = f"/dashboard/declarations/{older.id}/tanda-terima.pdf"
    first = (await client.get(old_receipt)).content
    assert "Batas 30 hari kerja ke KPK" in pdf_text(first)
    assert (await client.get(old_receipt)).content == first


async def test_the_card_and_the_notices_state_the_configured_days(runtime: Runtime) -> None:
    reported = datetime(2026, 5, 20, 10, tzinfo=JAKARTA)
    late = await submit(runtime, "Lewat Batas", "2026-04-01", reported, runtime.settings)
    settings = runtime.settings
    text = card(late, [], [], settings=settings).text
    assert "⚠️ Terlambat: dilaporkan setelah 25 hari kerja" in text
    assert late_report(late, settings).label == "terlambat: lewat 25 hari kerja"

    forwarded = StatusChange(from_status=st.DIVERIFIKASI, to_status=st.DITERUSKAN_KPK)
    notice = status_notice(late, forwarded, None, settings=settings).text
    # The article says 30: the setting (20) is stated as the UPPG's own, never as the statute's.
    assert "paling lambat 30 hari kerja\nsejak menerima laporan (UU 20/2001 Pasal 12C ayat 3)" in (
        notice
    )
    assert "UPPG memantaunya dengan batas 20 hari kerja." in notice
    assert "20 hari kerja\nsejak menerima laporan" not in notice
    # The statute counts from receipt; counting from the complete report is KPK's practice.
    assert "dalam praktik dihitung sejak laporan dinyatakan lengkap" in notice
    withdrawn = StatusChange(from_status=st.DITERIMA, to_status=st.DITARIK)
    notice = status_notice(late, withdrawn, None, settings=settings).text
    assert "Pasal 12C UU 20/2001 hanya berlaku bila gratifikasi" in notice
    assert "paling lambat 30 hari kerja sejak diterima (batas UPPG: 25 hari kerja)." in notice

    late.forwarded_at = datetime(2026, 5, 21, 3, tzinfo=UTC)
    bases = {
        d.key: d.basis for d in declaration_deadlines(late, [], calendar_for(settings), settings)
    }
    assert bases["uppg_to_kpk"].startswith("9 hari kerja sejak diterima UPPG")
    assert "tidak melewati 25 hari kerja" in bases["uppg_to_kpk"]
    assert "(Pasal 12C ayat 2 UU 20/2001: 30 hari kerja; 25 batas UPPG)" in bases["uppg_to_kpk"]
    assert bases["kpk_decision"].startswith("20 hari kerja sejak laporan diterima KPK")
    assert "(batas UPPG; UU 20/2001 Pasal 12C ayat 3" in bases["kpk_decision"]
    assert bases["kpk_decision"].endswith(": 30 hari kerja)")


async def test_the_chat_receipt_states_the_days_its_stored_dates_were_counted_with(
    runtime: Runtime, tmp_path: Path
) -> None:
    # Sent under the defaults (10 and 30); then the inspectorate set 7 and 25. The reporter
    # presses "Kirim" again (a retried message): the chat receipt shows the stored dates
    # with the days they were counted with, as the PDF receipt does.
    reported = datetime(2026, 5, 20, 10, tzinfo=JAKARTA)
    defaults = Settings(_env_file=None, environment="test", var_dir=tmp_path)  # type: ignore[call-arg]
    older = await submit(runtime, "Sebelum Diubah", "2026-05-18", reported, defaults)
    policy = policy_from_settings(runtime.settings)
    store = SqlDeclarations(runtime.db, runtime.cipher, policy)
    again = await store.submit(
        user_key=older.user_key,
        channel="telegram",
        chat_id="1",
        idempotency_key="Sebelum Diubah",
        draft=draft("Sebelum Diubah", "2026-05-18"),
        submitted_at=reported,
    )
    assert not again.created and (again.uppg_workdays, again.kpk_workdays) == (10, 30)
    text = receipt_text(again, policy)
    assert f"• Ke UPPG (10 HK): {tanggal(older.uppg_deadline, weekday=True, short=True)}" in text
    assert "• Ke KPK (30 HK, Pasal 12C UU 20/2001): " in text
    assert "(7 HK)" not in text and "25 HK" not in text

    # One sent under the new settings states them, and the statute's 30 as the statute's.
    newer = await submit(runtime, "Sesudah Diubah", "2026-05-18", reported, runtime.settings)
    receipt = await store.submit(
        user_key=newer.user_key,
        channel="telegram",
        chat_id="1",
        idempotency_key="Sesudah Diubah",
        draft=draft("Sesudah Diubah", "2026-05-18"),
        submitted_at=reported,
    )
    text = receipt_text(receipt, policy)
    assert "• Ke UPPG (7 HK): " in text
    assert "• Ke KPK (Pasal 12C UU 20/2001: 30 HK; batas UPPG: 25 HK): " in text
