"""The "Cek wajib lapor" check as a user goes through it, on the real knowledge files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.sessions import MemorySessionStore
from handlers import declaration
from handlers.context import Context, Services
from handlers.flow import Flow
from handlers.ports import Policy
from tests.driver import ChatDriver

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)


@pytest.fixture
def store() -> MemorySessionStore:
    return MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)


@pytest.fixture
def chat(store: MemorySessionStore) -> ChatDriver:
    source = KnowledgeSource(ROOT / "knowledge")
    services = Services(
        policy=Policy(timezone=TZ, calendar=work_calendar(), uppg_deadline_workdays=7),
        faq=DatabaseFaq(source, None),
        rules=source.rules,
    )
    return ChatDriver(Dispatcher(store, services, clock=lambda: NOW))


async def answer_up_to_date(chat: ChatDriver, giver: str, occasion: str, obj: str) -> None:
    await chat.send("/cek")
    assert "Siapa yang memberi?" in chat.text
    await chat.press(f"cek:giver:{giver}")
    if f"cek:occasion:{occasion}" not in chat.choice_ids:
        await chat.press("cek:occasion:more")  # the less common occasions
    await chat.press(f"cek:occasion:{occasion}")
    await chat.press(f"cek:object:{obj}")
    assert "Berapa perkiraan nilainya?" in chat.text


async def test_a_vendor_parcel_must_be_reported_and_prefills_a_declaration(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await answer_up_to_date(chat, "rekanan", "hari_raya", "barang")
    await chat.send("2 jt")
    assert "Kapan pemberian itu diterima?" in chat.text
    await chat.press("cek:date:yesterday")
    assert "Hasil: WAJIB LAPOR." in chat.text
    assert "Dasar: Pasal 12B dan 12C UU 20/2001" in chat.text
    assert "PerKPK 1/2026" in chat.text  # the rule version of the date received
    # 7 working days from Mon 23 Nov 2026, the day received being day one.
    assert "Lapor ke UPPG paling lambat Selasa, 1 Desember 2026 (7 hari kerja)." in chat.text
    assert "Batas ke KPK: " in chat.text and "(30 hari kerja, Pasal 12C" in chat.text
    await chat.press_label("Lapor sekarang")
    # The declaration flow starts with the check's answers already filled in.
    assert "kita buat laporan gratifikasi" in chat.text
    session = await store.load("test:u1")
    assert session is not None and session.flow == "lapor"
    answers = session.data["a"]
    assert answers["giver_relation"] == "rekanan"
    assert answers["occasion"] == "hari_raya"
    assert answers["object_type"] == "barang"
    assert answers["value_rp"] == 2_000_000
    assert answers["received_date"] == "2026-11-23"


async def test_lapor_sekarang_starts_the_declaration_flow(
    chat: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []

    async def start(ctx: Context) -> None:
        seen.append(ctx.session.memo.get("lapor_prefill"))
        ctx.session.flow = "lapor"
        ctx.say("Laporan dimulai.")

    async def noop(ctx: Context) -> None:
        return None

    monkeypatch.setattr(declaration, "FLOW", Flow("lapor", start, noop, noop))
    await answer_up_to_date(chat, "masyarakat", "terima_kasih", "uang")
    await chat.send("Rp500.000")
    await chat.send("17 Nov 2026")
    await chat.press_label("Lapor sekarang")
    assert chat.text == "Laporan dimulai."
    assert seen == [
        {
            "giver_relation": "masyarakat",
            "occasion": "terima_kasih",
            "object_type": "uang",
            "value_rp": 500_000,
            "received_date": "2026-11-17",
        }
    ]


async def test_a_small_wedding_gift_is_exempt_with_its_conditions(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "rekan_kerja", "pernikahan", "uang")
    await chat.send("1,2 jt")
    await chat.send("17/11/2026")
    assert "punya urusan dengan pekerjaan Anda" in chat.text
    await chat.press("cek:coi:tidak")
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text
    assert "Rp1.500.000 per pemberi" in chat.text
    assert "huruf l" in chat.text and "tidak ada konflik kepentingan" in chat.text


async def test_the_same_gift_before_20_january_2026_must_be_reported(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "rekan_kerja", "pernikahan", "uang")
    await chat.send("1,2 jt")
    await chat.send("15 Jan 2026")
    assert "Hasil: WAJIB LAPOR." in chat.text
    assert "Rp1.000.000" in chat.text and "PerKPK 2/2019" in chat.text
    assert "Batas 30 hari kerja (" in chat.text and "sudah lewat" in chat.text


async def test_unsure_about_conflict_of_interest_means_ask_the_uppg(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "keluarga", "lainnya", "uang")
    await chat.send("300rb")
    await chat.press("cek:date:today")
    await chat.press("cek:coi:ragu")
    assert "Hasil: KONSULTASIKAN KE UPPG." in chat.text
    await chat.press_label("Kontak UPPG")
    assert "hubungi UPPG Inspektorat" in chat.text


async def test_a_consult_verdict_keeps_the_deadlines_and_offers_to_report(
    chat: ChatDriver,
) -> None:
    # The deadlines run while the UPPG is asked; reporting is the safe choice meanwhile.
    await answer_up_to_date(chat, "lainnya", "lainnya", "barang")
    await chat.send("300rb")
    await chat.press("cek:date:today")
    assert "Hasil: KONSULTASIKAN KE UPPG." in chat.text
    assert "Lapor ke UPPG paling lambat" in chat.text and "Batas ke KPK:" in chat.text
    await chat.press_label("Lapor sekarang")
    assert "pemberitahuan data pribadi" in chat.text


async def test_bad_input_gets_an_example_and_the_same_question(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "rekanan", "hari_raya", "barang")
    await chat.send("lumayan mahal")
    assert "belum bisa saya baca" in chat.text and "1,5 jt" in chat.text
    assert chat.texts[-1].startswith("(4/5) Berapa perkiraan nilainya?")
    await chat.send("2jt")
    await chat.send("tgl xx")
    assert "tanggal itu belum bisa saya baca" in chat.text.lower()
    await chat.send("besok")
    assert "belum lewat" in chat.text
    await chat.send("30/11/2026")
    assert "belum lewat" in chat.text
    assert chat.texts[-1].startswith("(5/5) Kapan")


async def test_a_question_typed_mid_check_is_answered_and_the_check_resumes(
    chat: ChatDriver,
) -> None:
    await answer_up_to_date(chat, "rekanan", "hari_raya", "barang")
    await chat.send("kalo telat lapor gimana")
    assert "milik negara" in chat.texts[0]
    assert chat.texts[-1].startswith("(4/5) Berapa perkiraan nilainya?")
    await chat.send("2jt")
    assert "Kapan pemberian itu diterima?" in chat.text


async def test_unknown_value_is_accepted(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "rekanan", "hari_raya", "fasilitas")
    await chat.press("cek:value:unknown")
    await chat.send("kemarin")
    assert "Hasil: WAJIB LAPOR." in chat.text


async def test_the_menu_button_starts_the_check_and_batal_leaves_it(chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.press("menu:cek")
    assert "Siapa yang memberi?" in chat.text
    await chat.press("cek:giver:keluarga")
    await chat.send("/batal")
    assert "dibatalkan" in chat.text


async def test_a_typed_word_picks_the_button_it_names(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.send("vendor")
    assert "(2/5)" in chat.text
    await chat.send("Hari raya")
    await chat.send("uang")
    assert "Berapa perkiraan nilainya?" in chat.text


async def test_an_unclear_typed_word_asks_again(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.send("pokoknya orang")  # "teman" has its own question (test_check_typing)
    assert "Maaf, pemberinya belum saya tangkap." in chat.text
    assert '"teman kantor"' in chat.text  # what is needed, with an example
    assert chat.texts[-1].startswith("Cek wajib lapor (1/5)")


async def test_the_second_page_of_occasions_and_back(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.press("cek:giver:masyarakat")
    assert "cek:occasion:lomba" not in chat.choice_ids
    assert len(chat.choice_ids) <= 10  # a WhatsApp list holds 10 rows
    await chat.press("cek:occasion:more")
    assert "cek:occasion:lomba" in chat.choice_ids and len(chat.choice_ids) <= 10
    await chat.press("cek:back")
    assert "cek:occasion:hari_raya" in chat.choice_ids
    await chat.send("lomba")  # a second-page occasion typed on the first page
    assert "(3/5) Apa bentuk pemberiannya?" in chat.text


async def test_every_question_fits_a_whatsapp_list(chat: ChatDriver) -> None:
    await chat.send("/cek")
    assert len(chat.choice_ids) <= 10
    await chat.press("cek:giver:rekan_kerja")
    await chat.press("cek:occasion:hari_raya")
    assert len(chat.choice_ids) <= 10


@pytest.mark.parametrize(
    ("occasion", "value", "received", "period", "total", "verdict"),
    [
        # The calendar year of receipt, up to the day received...
        (
            "pisah_sambut",
            "250rb",
            "15/12/2025",
            "sejak 1 Januari 2025 sampai 15 Desember 2025",
            "cuma ini",
            "huruf n",
        ),
        # ... counted only from the day the rules changed (20 Jan 2026) ...
        (
            "ulang_tahun",
            "400rb",
            "24/11/2026",
            "sejak 20 Januari 2026 sampai 24 November 2026",
            "1,6 jt",
            "Rp1.500.000",
        ),
        # ... and gifts of 1-19 Jan 2026 apart from the rest of 2026.
        (
            "lainnya",
            "150rb",
            "10/01/2026",
            "sejak 1 Januari 2026 sampai 10 Januari 2026",
            "Hanya yang ini",
            "Rp200.000 per pemberi",
        ),
    ],
)
async def test_the_year_question_names_its_period(
    chat: ChatDriver,
    occasion: str,
    value: str,
    received: str,
    period: str,
    total: str,
    verdict: str,
) -> None:
    await answer_up_to_date(chat, "rekan_kerja", occasion, "barang")
    await chat.send(value)
    await chat.send(received)
    await chat.press("cek:coi:tidak")
    assert f"pemberi yang sama {period}, termasuk yang ini" in chat.text
    await chat.send(total)
    assert "Hasil: " in chat.text and verdict in chat.text


async def test_the_unconfirmed_lettering_is_said_once_per_conversation(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "masyarakat", "pernikahan", "uang")
    await chat.send("2 jt")
    await chat.send("2/3/2026")
    assert "penomoran baru" in chat.text and "Konfirmasi ke UPPG" in chat.text
    await chat.press_label("Cek pemberian lain")
    await chat.press("cek:giver:rekanan")
    await chat.press("cek:occasion:pernikahan")
    await chat.press("cek:object:uang")
    await chat.send("500rb")
    await chat.send("3/3/2026")
    assert "Hasil: WAJIB LAPOR." in chat.text and "huruf l" in chat.text
    assert "penomoran" not in chat.text and "onfirmasi ke UPPG" not in chat.text


async def test_a_speaker_fee_from_the_public_is_exempt_per_letter_j(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.send("masyarakat")
    await chat.send("jadi narasumber")
    await chat.send("honor")
    await chat.send("1 jt")
    await chat.send("2/11/2026")
    await chat.send("ga ada")
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text
    assert "huruf j" in chat.text and "standar biaya" in chat.text


async def test_a_typed_yes_under_wajib_lapor_starts_the_declaration(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await answer_up_to_date(chat, "rekanan", "hari_raya", "barang")
    await chat.send("2 jt")
    await chat.press("cek:date:yesterday")
    assert "Hasil: WAJIB LAPOR." in chat.text
    await chat.send("iya")  # the answer to "Lapor sekarang", not a question for the FAQ
    assert "kita buat laporan gratifikasi" in chat.text
    session = await store.load("test:u1")
    assert session is not None and session.flow == "lapor"
    assert session.data["a"]["value_rp"] == 2_000_000


async def test_a_typed_no_under_the_verdict_is_no_question_for_the_faq(chat: ChatDriver) -> None:
    await answer_up_to_date(chat, "rekanan", "hari_raya", "barang")
    await chat.send("2 jt")
    await chat.press("cek:date:yesterday")
    await chat.send("gak")
    assert "Bila nanti ingin melapor" in chat.text and "Maksud Anda" not in chat.text
