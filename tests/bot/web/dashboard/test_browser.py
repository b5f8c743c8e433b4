"""The dashboard in headless Chromium (Debian's package, driven by Playwright): log in,
filter the list, open a declaration, change its status, download the PDF form; and, with a
Bot API stub as the reporters' Telegram, what an officer types as an internal note never
reaches the reporter's chat.

Screenshots go to the test's temporary folder, and to GRATIBOT_SCREENSHOT_DIR when set.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.holidays_id import work_calendar
from bot.passwords import hash_password
from bot.store.database import Database
from bot.store.models import Declaration, ThreadMessage, User
from handlers.deadlines import kpk_due
from handlers.ports import Policy
from tests.bot.channels.telegram.stub import TOKEN, BotApiStub
from tests.conftest import free_port, need_binary

POLICY = Policy(timezone=ZoneInfo("Asia/Jakarta"), calendar=work_calendar())

ROOT = Path(__file__).resolve().parents[4]
# Elements whose text is wider than their box and hidden (overflow not visible).
CUT_OFF = """
[...document.querySelectorAll('td, dd, dt, th, .stats div, h1, h2, .badge, .tag')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).overflowX !== 'visible')
  .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40))
"""
# The smallest chart text as drawn on screen, in CSS pixels.
CHART_TEXT = """
Math.min(...[...document.querySelectorAll('.chart svg text')]
  .map(t => t.getBoundingClientRect().height))
"""
# Chart labels that reach past their SVG's box.
CHART_CLIPPED = """
[...document.querySelectorAll('.chart svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1;
  }).map(t => t.textContent);
})
"""
PASSWORD = "kata-sandi-siti-1"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def seed(var_dir: Path) -> None:
    """An officer and three declarations in a fresh SQLite database."""

    async def go() -> None:
        settings = Settings(_env_file=None, environment="test", var_dir=var_dir)  # type: ignore[call-arg]
        cipher = cipher_from_settings(settings)
        db = Database.from_settings(settings)
        await db.migrate()
        async with db.transaction() as session:
            session.add(
                User(
                    username="siti",
                    password_hash=hash_password(PASSWORD),
                    role="officer",
                    active=True,
                )
            )
            for i, (name, unit, giver) in enumerate(
                [
                    ("Rina Marlina", "Dinas Kesehatan", "PT Sehat Sentosa"),
                    ("Agus Salim", "Dinas Pendidikan", "CV Buku Pintar"),
                    ("Dewi Lestari", "Dinas Kesehatan", "Apotek Sejahtera"),
                ],
                1,
            ):
                session.add(
                    Declaration(
                        number=f"GRT-2026-00000{i}",
                        idempotency_key=f"browser-{i}",
                        user_key=f"telegram:{i}",
                        channel="telegram",
                        chat_id=str(i),
                        report_type="penerimaan",
                        status="diterima",
                        reporter_name=name,
                        reporter_nip="198501012010011001",
                        reporter_jabatan="Analis Kebijakan",
                        reporter_unit=unit,
                        reporter_nik_enc=cipher.encrypt("3201010101010001"),
                        reporter_phone_enc=cipher.encrypt("081234567890"),
                        reporter_address_enc=cipher.encrypt("Jl. Merdeka No. 1, Bandung"),
                        giver_name=f"Bapak {giver.split()[-1]}",
                        giver_institution=giver,
                        giver_relation="rekanan",
                        occasion="hari_raya",
                        object_type="barang",
                        description="Parsel berisi kue dan sirup",
                        value_rp=850_000 * i,
                        received_date=datetime(2026, 11, 2, tzinfo=UTC).date(),
                        received_place="Kantor dinas",
                        chronology="Parsel diantar kurir ke meja pelapor saat jam kerja.",
                        object_location="dititipkan_uppg",
                        submitted_at=datetime(2026, 11, 2 + i, 3, 0, tzinfo=UTC),
                        details={},
                    )
                )
            # The work queue: one past its deadline, one due within 3 working days, and one
            # with a reporter's answer nobody has read (all in another unit).
            for i, (name, ago) in enumerate(
                [("Tuan 李明", 30), ("Siti Nurhaliza", 8), ("Yohanes Sitompul", 1)], 4
            ):
                submitted = datetime.combine(workdays_ago(ago), datetime.min.time(), UTC)
                session.add(
                    Declaration(
                        number=f"GRT-2026-00000{i}",
                        idempotency_key=f"browser-{i}",
                        user_key=f"telegram:{i}",
                        channel="telegram",
                        chat_id=str(i),
                        report_type="penerimaan",
                        status="perlu_dilengkapi" if i == 6 else "diterima",
                        reporter_name=name,
                        reporter_nip="199001012015031002",
                        reporter_unit="Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
                        reporter_nik_enc=cipher.encrypt("3278123456789012"),
                        giver_name="Panitia",
                        giver_institution="Universitas Siliwangi",
                        occasion="kegiatan_resmi",
                        object_type="uang",
                        description="Honor narasumber",
                        value_rp=1_500_000,
                        received_date=submitted.date(),
                        # The gift's own 30 working days, as submission stores it: it caps
                        # the UPPG's forwarding date.
                        kpk_deadline=kpk_due(submitted.date(), POLICY),
                        submitted_at=submitted.replace(hour=3),
                        details={},
                    )
                )
            await session.flush()
            session.add(
                ThreadMessage(
                    declaration_id=6,
                    direction="from_reporter",
                    author="telegram:6",
                    text="Kuitansinya saya kirim besok pagi.",
                )
            )
        await db.dispose()

    asyncio.run(go())


def workdays_ago(count: int) -> date:
    """The day `count` working days before today (Asia/Jakarta)."""
    calendar = work_calendar()
    day = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    while count:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            count -= 1
    return day


def start_server(tmp_path: Path, **extra_env: str) -> Iterator[str]:
    """`gratibot serve` on a free loopback port with a seeded SQLite database."""
    var_dir = tmp_path / "var"
    seed(var_dir)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(VAR_DIR=str(var_dir), ENVIRONMENT="development", LOG_LEVEL="WARNING")
    env.update(extra_env)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    # Generous: under a full parallel test run on 2 cores start-up can take a while.
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(10)
            pytest.fail(f"gratibot serve did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    yield from start_server(tmp_path)


@pytest.fixture
def telegram_stub() -> Iterator[BotApiStub]:
    """The Bot API stub on loopback, served from a thread for the synchronous browser tests."""
    stub = BotApiStub(port=free_port())
    config = uvicorn.Config(
        stub.app(), host="127.0.0.1", port=stub.port, log_level="warning", lifespan="off"
    )
    api = uvicorn.Server(config)
    thread = threading.Thread(target=api.run, name="bot-api-stub", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not api.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield stub
    api.should_exit = True
    thread.join(10)


@pytest.fixture
def server_with_telegram(tmp_path: Path, telegram_stub: BotApiStub) -> Iterator[str]:
    """serve with the reporters' Telegram (the stub) and a UPPG group configured."""
    yield from start_server(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=telegram_stub.base_url,
        UPPG_TELEGRAM_CHAT_ID="-1001",
    )


def shot(page: object, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    extra = os.environ.get("GRATIBOT_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)


@pytest.mark.e2e
def test_officer_works_a_declaration_in_chromium(server: str, tmp_path: Path) -> None:
    chromium = need_binary("chromium")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(accept_downloads=True, locale="id-ID")
            page = context.new_page()
            page.set_default_timeout(15_000)

            # Not logged in: the dashboard sends the officer to the login form.
            page.goto(f"{server}/dashboard")
            expect(page).to_have_url(f"{server}/login?next=%2Fdashboard")
            shot(page, tmp_path, "1-login")
            page.get_by_label("Nama pengguna").fill("siti")
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            expect(page.locator("h1")).to_have_text("Daftar laporan gratifikasi")
            rows = page.locator("table.list tbody tr")
            expect(rows).to_have_count(6)

            # The work queue: the longest overdue report first (red), the one due soon after
            # the overdue ones (amber), each with its days remaining; the unread answer has a
            # badge. (The three November reports are overdue by now as well.)
            expect(rows.nth(0)).to_contain_text("GRT-2026-000004")
            expect(rows.nth(0)).to_have_class("u-late")
            expect(rows.nth(0)).to_contain_text("lewat")
            expect(rows.nth(4)).to_contain_text("GRT-2026-000005")
            expect(rows.nth(4)).to_have_class("u-soon")
            expect(rows.nth(4)).to_contain_text("hari kerja")
            background = "e => getComputedStyle(e).backgroundColor"
            red = rows.nth(0).locator("td").first.evaluate(background)
            amber = rows.nth(4).locator("td").first.evaluate(background)
            assert red == "rgb(253, 236, 235)", red
            assert amber == "rgb(255, 244, 220)", amber
            unread = page.locator("tr", has_text="GRT-2026-000006").locator(".badge")
            expect(unread).to_have_text("1 jawaban baru")
            shot(page, tmp_path, "2-queue")

            # Opening it reads the answer: the badge goes. "Saya tangani" assigns it.
            page.get_by_role("link", name="GRT-2026-000006").click()
            expect(page.locator(".timeline")).to_contain_text("Kuitansinya saya kirim besok pagi.")
            page.get_by_role("button", name="Saya tangani").click()
            expect(page.get_by_role("status")).to_contain_text("Petugas yang menangani")
            expect(page.locator("section.assign")).to_contain_text("siti")
            page.goto(f"{server}/dashboard")
            page.locator("nav.queues").get_by_role("link", name="Tugas saya").click()
            expect(page.locator("table.list tbody tr")).to_have_count(1)
            expect(page.locator("table.list tbody tr")).to_contain_text("siti")
            page.goto(f"{server}/dashboard")
            expect(page.locator(".badge")).to_have_count(0)

            # Filter by unit and search by giver.
            page.get_by_label("Unit kerja").select_option("Dinas Kesehatan")
            page.get_by_label("Cari").fill("sehat sentosa")
            page.get_by_role("button", name="Terapkan").click()
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("GRT-2026-000001")
            shot(page, tmp_path, "2-list-filtered")

            # Open it: personal data is visible to the officer.
            page.get_by_role("link", name="GRT-2026-000001").click()
            expect(page.locator("h1")).to_contain_text("GRT-2026-000001")
            expect(page.get_by_text("3201010101010001")).to_be_visible()
            detail_url = page.url
            shot(page, tmp_path, "3-detail")

            # No channel is configured: every page says the messages cannot go out.
            banner = page.get_by_role("region", name="Peringatan pengiriman pesan")
            expect(banner).to_contain_text("Belum ada kanal pelapor")

            # Verify it.
            form = page.locator("form.action").filter(has_text='Ubah ke "Diverifikasi"')
            form.get_by_label("Pesan untuk pelapor").fill("Data dan foto lengkap.")
            form.get_by_role("button").click()
            expect(page.get_by_role("status")).to_contain_text("Status laporan sudah diubah")
            expect(page.locator("h1 .status")).to_have_text("Diverifikasi")
            expect(page.locator(".timeline")).to_contain_text("Data dan foto lengkap.")
            shot(page, tmp_path, "4-verified")

            # Ask for more through the status form: one question box (it showed two, both
            # required, so the browser refused to send the question typed once).
            ask = page.locator("form.action").filter(has_text='Ubah ke "Perlu dilengkapi"')
            expect(ask.locator("textarea[name=message]")).to_have_count(1)
            ask.get_by_label("Pertanyaan untuk pelapor").fill("Mohon kirim foto kuitansinya.")
            ask.get_by_role("button").click()
            expect(page.locator("h1 .status")).to_have_text("Perlu dilengkapi")
            expect(page.locator(".timeline")).to_contain_text("Mohon kirim foto kuitansinya.")

            # A step with no way back waits for "Saya yakin": the browser does not send it.
            close = page.locator("form.action").filter(has_text='Ubah ke "Ditutup: ditarik')
            close.get_by_label("Alasan").fill("pelapor salah kirim katanya")
            close.get_by_role("button").click()
            confirm = close.get_by_label("Saya yakin")
            assert confirm.evaluate("e => e.validity.valueMissing")
            expect(page.locator("h1 .status")).to_have_text("Perlu dilengkapi")
            shot(page, tmp_path, "4b-confirm-close")

            # Keyboard focus is visible: a ring around what Tab reaches.
            page.keyboard.press("Tab")
            ring = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth]; })()"
            )
            assert ring == ["solid", "3px"], ring

            # Download the KPK report form.
            with page.expect_download() as info:
                page.get_by_role("link", name="Unduh formulir PDF").click()
            download = info.value
            assert download.suggested_filename == "GRT-2026-000001.pdf"
            content = Path(download.path()).read_bytes()
            assert content.startswith(b"%PDF")
            text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
            assert "GRT-2026-000001" in text
            assert "Rina Marlina" in text
            assert "Diverifikasi" in text

            # The recap page renders its chart; its PDF and workbook download.
            page.goto(f"{server}/dashboard/recap?periode=2026-11")
            expect(page.locator(".chart svg").first).to_be_visible()
            shot(page, tmp_path, "5-recap")
            with page.expect_download() as info:
                page.get_by_role("link", name="Unduh PDF").first.click()
            recap_pdf = Path(info.value.path()).read_bytes()
            recap_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(recap_pdf)).pages)
            assert "REKAPITULASI LAPORAN GRATIFIKASI" in recap_text
            assert "GRT-2026-000001" in recap_text
            with page.expect_download() as info:
                page.get_by_role("link", name="Unduh Excel").first.click()
            book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
            assert "Per laporan" in book.sheetnames
            numbers = [r[0] for r in book["Per laporan"].iter_rows(min_row=2, values_only=True)]
            assert "GRT-2026-000001" in numbers

            # On a phone: no page is wider than the screen, rows are cards, nothing is cut
            # (every value fits its box), and chart text is at least 12 px on screen.
            page.set_viewport_size({"width": 390, "height": 844})
            for url in (f"{server}/dashboard", detail_url, f"{server}/dashboard/recap"):
                page.goto(url)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (url, width)
                cut = page.evaluate(CUT_OFF)
                assert cut == [], (url, cut)
            page.goto(f"{server}/dashboard")
            assert page.locator("table.list thead").is_hidden()
            # The cards keep the queue's colours: red (and a red edge) past a deadline, amber
            # when due soon. They were white: the card's own background outweighed them.
            cards = page.locator("table.list tbody tr")
            look = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderLeft]"
            red_card = ["rgb(253, 236, 235)", "5px solid rgb(179, 38, 30)"]
            assert cards.nth(0).evaluate(look) == red_card
            amber_card = page.locator("table.list tbody tr.u-soon").first
            amber = ["rgb(255, 244, 220)", "5px solid rgb(199, 119, 0)"]
            assert amber_card.evaluate(look) == amber
            # Two values a line: a card is no taller than the phone's screen is wide (it was
            # about 540 px, one value a line).
            assert cards.nth(0).bounding_box()["height"] < 420  # type: ignore[index]
            shot(page, tmp_path, "6-phone-queue")
            page.goto(detail_url)
            expect(page.get_by_text("3201010101010001")).to_be_visible()
            shot(page, tmp_path, "7-phone-detail")
            page.goto(f"{server}/dashboard/recap?periode=2026-11")
            smallest = page.evaluate(CHART_TEXT)
            assert smallest >= 12, smallest
            shot(page, tmp_path, "8-phone-recap")

            # On a desktop the recap chart labels are whole (none cut at the chart's edge).
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{server}/dashboard/recap?periode=2026-11")
            assert page.evaluate(CHART_CLIPPED) == []
        finally:
            browser.close()


SECRET = "RAHASIA-INTERNAL pemberi rekanan proyek jalan"
SECRET_TOO = "RAHASIA-KEDUA cek harga di toko"


def reporter_texts(stub: BotApiStub, chat_id: str) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in stub.sent("sendMessage")
        if str(c.params.get("chat_id")) == chat_id
    ]


@pytest.mark.e2e
def test_internal_note_never_reaches_the_reporter_in_chromium(
    server_with_telegram: str, telegram_stub: BotApiStub, tmp_path: Path
) -> None:
    chromium = need_binary("chromium")
    from playwright.sync_api import expect, sync_playwright

    server = server_with_telegram
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(locale="id-ID").new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{server}/login")
            page.get_by_label("Nama pengguna").fill("siti")
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            # Both kinds of channel are configured: no banner.
            expect(page.locator("h1")).to_have_text("Daftar laporan gratifikasi")
            expect(page.get_by_role("region", name="Peringatan pengiriman pesan")).to_have_count(0)
            page.get_by_role("link", name="GRT-2026-000001").click()

            # A status change with both texts.
            form = page.locator("form.action").filter(has_text='Ubah ke "Diverifikasi"')
            form.get_by_label("Pesan untuk pelapor").fill("Data Anda sudah kami periksa.")
            form.get_by_label("Catatan internal").fill(SECRET)
            form.get_by_role("button").click()
            expect(page.locator("h1 .status")).to_have_text("Diverifikasi")

            # A question with an internal note.
            question = page.locator("form.question")
            question.get_by_label("Kirim pertanyaan ke pelapor").fill("Mohon kirim foto kuitansi.")
            question.get_by_label("Catatan internal").fill(SECRET_TOO)
            question.get_by_role("button", name="Kirim pertanyaan").click()
            expect(page.locator("h1 .status")).to_have_text("Perlu dilengkapi")

            # The officer sees both notes on the timeline, and each notice's delivery.
            timeline = page.locator(".timeline")
            expect(timeline.locator(".internal")).to_have_count(2)
            expect(timeline).to_contain_text(SECRET)
            delivered = timeline.locator(".delivery.ok")
            for _ in range(60):
                if delivered.count() == 2:
                    break
                time.sleep(0.5)
                page.reload()
            expect(delivered).to_have_count(2)
            expect(delivered.first).to_contain_text("terkirim")
            shot(page, tmp_path, "7-delivered")
        finally:
            browser.close()

    # What the reporter's chat (telegram:1) received: the messages, never a note.
    texts = reporter_texts(telegram_stub, "1")
    assert len(texts) == 2, texts
    assert "Data Anda sudah kami periksa." in texts[0]
    assert "Mohon kirim foto kuitansi." in texts[1]
    everything = " ".join(str(c.params) for c in telegram_stub.calls)
    assert "RAHASIA" not in everything
