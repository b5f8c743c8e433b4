"""Status laporan: a report number or a status question typed the way people type it, shown
only for the reporter's own declarations (handlers/status.py, reached through the router)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.backoffice.threads import DbThreads
from bot.backoffice.workflow import change_status
from bot.crypto import Cipher
from bot.dispatcher import Dispatcher
from bot.sessions import SessionStore
from bot.store.attachments import LocalBlobStore
from bot.store.concerns import SqlConcerns
from bot.store.database import Database
from handlers import status
from handlers import statuses as st
from handlers.context import Services
from handlers.typed import plain
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    Declarant,
    complete_declaration,
    declaration_dispatcher,
    declaration_services,
)

NOT_MINE = "tidak ditemukan di akun Anda"
CONCERN_STORY = "Kasi perizinan di DPMPTSP minta uang 5 juta supaya izin usaha saya cepat keluar"


@pytest.fixture
def services(database: Database, tmp_path: Path) -> Services:
    cipher = Cipher(Fernet.generate_key())
    found = declaration_services(database, tmp_path / "files", cipher=cipher)
    found.threads = DbThreads(database)
    found.concerns = SqlConcerns(
        database, cipher, LocalBlobStore(tmp_path / "concerns"), max_bytes=10**6
    )
    return found


@pytest.fixture
def dispatcher(store: SessionStore, services: Services) -> Dispatcher:
    return declaration_dispatcher(store, services, Clock(datetime(2026, 12, 2, 9, tzinfo=JAKARTA)))


@pytest.fixture
def budi(dispatcher: Dispatcher) -> ChatDriver:
    return ChatDriver(dispatcher, user_id="budi")


# --- typed_number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "year", "sequence"),
    [
        ("GRT-2026-000012", 2026, 12),
        ("nomor laporan sy GRT-2026-0012 statusnya apa", 2026, 12),
        ("cek status grt 2026 12", 2026, 12),
        ("grt2026000012", 2026, 12),
        ("GRT/2026/12 gmn pak", 2026, 12),
        ("grt-12", None, 12),
        ("No.GRT-2026-000012?", 2026, 12),
        ("laporan 2026-000012", 2026, 12),
        ("GRT–2026–000012", 2026, 12),  # typographic dashes (autocorrect on phones)
    ],
)
def test_a_report_number_is_read_as_people_type_it(typed: str, year: int, sequence: int) -> None:
    assert status.typed_number(typed) == status.TypedNumber(year, sequence)


@pytest.mark.parametrize(
    "typed", ["GRT-2026", "grt 0", "tanggal 2026-11-20", "kode pos 40115", "NIK 3201011505900001"]
)
def test_no_report_number_is_read_from_other_numbers(typed: str) -> None:
    assert status.typed_number(typed) is None


@pytest.mark.parametrize("typed", ["02TR-GRT6-2P8W-QGDY", "kode saya dv06 grt9 mfs9 akt2"])
def test_a_concern_code_with_grt_in_it_is_no_report_number(typed: str) -> None:
    assert status.typed_number(typed) is None


# --- a number typed anywhere -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "GRT-2026-000001",
        "nomor laporan sy GRT-2026-0001 statusnya apa",
        "cek status grt 2026 1",
        "grt2026000001",
        "GRT/2026/01 gmn pak 🙏",
        "grt 1",
        "GRT-2026-1 kok blm ada kabar ya pak?",
    ],
)
async def test_ones_own_report_number_shows_that_report(budi: ChatDriver, typed: str) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send(typed)
    assert number == "GRT-2026-000001"
    assert "Laporan Anda:" in budi.text and number in budi.text
    assert "Status: Diterima UPPG" in budi.text


async def test_someone_elses_number_is_answered_like_a_number_that_does_not_exist(
    dispatcher: Dispatcher,
) -> None:
    budi = ChatDriver(dispatcher, user_id="budi")
    siti = ChatDriver(dispatcher, user_id="siti")
    hers = await complete_declaration(siti, Declarant(name="Siti Aminah"))
    mine = await complete_declaration(budi, Declarant())
    await budi.send(f"status {hers} gmn")
    assert NOT_MINE in budi.text and "Laporan Anda (1):" in budi.text and mine in budi.text
    assert budi.text.count(hers) == 1  # only as typed back, never as one of the reports
    await budi.send("GRT-2026-999")
    assert NOT_MINE in budi.text  # the very same answer for a number nobody has
    nobody = ChatDriver(dispatcher, user_id="nobody")
    await nobody.send(f"cek status {mine}")
    assert NOT_MINE in nobody.text and "Status:" not in nobody.text


async def test_two_numbers_show_the_own_one_and_say_the_other_is_not_in_the_account(
    dispatcher: Dispatcher,
) -> None:
    budi = ChatDriver(dispatcher, user_id="budi")
    siti = ChatDriver(dispatcher, user_id="siti")
    mine = await complete_declaration(budi, Declarant())
    hers = await complete_declaration(siti, Declarant(name="Siti Aminah"))
    await budi.send(f"{mine} sama {hers.lower()} gmn statusnya")
    assert f"laporan {hers} {NOT_MINE}" in budi.text
    assert "Laporan Anda:" in budi.text and "Status: Diterima UPPG" in budi.text
    assert budi.text.count("Status:") == 1


async def test_a_number_typed_mid_concern_story_is_answered_and_the_question_asked_again(
    budi: ChatDriver,
) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send("/aduan")
    await budi.press("aduan:baru")
    await budi.send(CONCERN_STORY)
    await budi.send(f"{number} udh sampe mana ya")
    assert "Status: Diterima UPPG" in budi.text
    assert "Kapan kira-kira kejadiannya?" in budi.last[-1].text
    await budi.send("minggu lalu")  # the concern goes on where it was
    assert "waktu minggu lalu" in budi.text


async def test_a_number_typed_at_the_concern_buttons_is_no_concern_story(
    budi: ChatDriver,
) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send("4")  # "Lapor dugaan suap" pressed for "Status laporan"
    await budi.send("yg GRT-2026-1 udh sampe mana")
    assert number in budi.text and "Status: Diterima UPPG" in budi.text
    assert "Siapa yang terlibat" not in budi.text and "menu:status" in budi.choice_ids


async def test_a_long_polite_question_with_a_number_shows_that_report(budi: ChatDriver) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send(
        "Assalamualaikum, mohon info perkembangan laporan gratifikasi saya nomor grt 2026 1, "
        "sudah diteruskan ke KPK belum ya? Soalnya sudah 2 minggu 🙏"
    )
    assert "Laporan Anda:" in budi.text and number in budi.text


async def test_a_story_told_around_a_number_is_kept_for_the_next_declaration(
    budi: ChatDriver,
) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send(f"kemarin dapat parsel lagi dari PT Maju Jaya 500rb, spt yg di {number}")
    assert "Laporan Anda:" in budi.text
    await budi.press("menu:lapor")  # the story is not lost: the declaration starts from it
    assert "Yang saya tangkap" in budi.text


async def test_a_number_without_any_report_says_there_is_none(dispatcher: Dispatcher) -> None:
    nobody = ChatDriver(dispatcher, user_id="nobody")
    await nobody.send("cek GRT-2026-000001")  # 16 symbols: it was tried as a concern's code
    assert NOT_MINE in nobody.text and "Anda belum punya laporan gratifikasi" in nobody.text


async def test_a_story_that_mentions_a_number_stays_a_story(budi: ChatDriver) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send(
        f"mau lapor, kemarin sy dapat parsel lagi dari PT Maju Jaya yg sama spt laporan {number},"
        " nilainya sekitar 1 juta"
    )
    assert "Laporan Anda:" not in budi.text and "Yang saya tangkap" in budi.text


# --- status asked in one's own words -----------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "laporan sy udh sampe mana?",
        "status laporan saya apa ya",
        "gimana laporan gratifikasi saya",
        "statusnya gimana min",
        "mau cek status laporan gratifikasi saya dong",
        "punten, laporan abdi dugi ka mana nya",
        "kumaha status laporan abdi",
        "status nya apa ya laporan yg kemarin",
        "check status",
        "laporan sy yg kedua gimana",
    ],
)
async def test_a_status_question_shows_the_own_reports(budi: ChatDriver, typed: str) -> None:
    number = await complete_declaration(budi, Declarant())
    await budi.send(typed)
    assert "Laporan Anda (1):" in budi.text and number in budi.text


@pytest.mark.parametrize("typed", ["laporan saya ditolak, kenapa?", "kapan laporan saya selesai"])
def test_more_than_a_status_question_is_left_to_the_answers(typed: str) -> None:
    assert not status.asks_own_status(plain(typed))


async def test_status_mid_concern_story_asks_the_story_again(budi: ChatDriver) -> None:
    await complete_declaration(budi, Declarant())
    await budi.send("/aduan")
    await budi.press("aduan:baru")
    await budi.send("/status")
    assert "Laporan Anda (1):" in budi.text
    assert "Ceritakan apa yang terjadi" in budi.last[-1].text
    await budi.send(CONCERN_STORY)  # still the concern's story, not a question to the FAQ
    assert "Saya catat" in budi.text


async def test_a_status_question_mid_form_shows_the_reports_and_keeps_the_form(
    budi: ChatDriver,
) -> None:
    await complete_declaration(budi, Declarant())
    await budi.send("/lapor")
    await budi.press("lapor:steps")
    question = budi.last[-1].text
    await budi.send("laporan sy yg kemarin udh sampe mana ya")
    assert "Laporan Anda (1):" in budi.text and budi.last[-1].text == question


async def test_a_report_waiting_for_an_answer_offers_the_answer_button(
    budi: ChatDriver, database: Database
) -> None:
    number = await complete_declaration(budi, Declarant())
    async with database.transaction() as session:
        await change_status(
            session, 1, st.PERLU_DILENGKAPI, actor="sari", details={"message": "Foto kuitansi?"}
        )
    await budi.send(f"{number.lower()} gmn")
    assert "Status: Perlu dilengkapi" in budi.text
    await budi.press("jawab:1")  # no need to know /jawab
    assert "Foto kuitansi?" in budi.text and "ketik jawaban" in budi.text
