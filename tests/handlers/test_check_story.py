"""The check reads everything a message says, at any question, as people type it.

A situation typed at the first question (or at the menu before the check) fills every
question it answers; what was read is shown back; an answer that fits no button gets a polite
re-ask that says what is needed, and any other fact in it is kept.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.sessions import MemorySessionStore
from handlers.check_read import corrects, denied_givers, read_facts
from handlers.context import Services
from handlers.parsing import parse_money
from handlers.parsing.quantity import counts
from handlers.ports import Policy
from tests.driver import ChatDriver

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # a Tuesday
TODAY = NOW.date()
USER = "test:u1"


@pytest.fixture
def store() -> MemorySessionStore:
    return MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)


@pytest.fixture
def chat(store: MemorySessionStore) -> ChatDriver:
    source = KnowledgeSource(ROOT / "knowledge")
    services = Services(
        policy=Policy(timezone=TZ, calendar=work_calendar()),
        faq=DatabaseFaq(source, None),
        rules=source.rules,
    )
    return ChatDriver(Dispatcher(store, services, clock=lambda: NOW))


async def data_of(store: MemorySessionStore) -> dict[str, object]:
    session = await store.load(USER)
    assert session is not None
    return session.data


# --- 1. every fact of a message is read and stored; the questions it answers are skipped ---


async def test_a_whole_situation_at_the_first_question_skips_to_the_date(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("dapet kado nikahan dari vendor, isinya rice cooker kira2 800rb")
    # 2. shown back, so a wrong reading can be put right
    assert (
        "Saya catat: pemberi rekanan/vendor, acara pernikahan, bentuk barang "
        "(kado nikahan, isi rice cooker), nilai Rp800.000." in chat.text
    )
    assert "ketik yang benar" in chat.text
    assert chat.texts[-1].startswith("(5/5) Kapan pemberian itu diterima?")
    data = await data_of(store)
    assert data["giver_relation"] == "rekanan" and data["occasion"] == "pernikahan"
    assert data["object_type"] == "barang" and data["value_rp"] == 800_000
    await chat.send("kmrn")
    assert "Hasil: WAJIB LAPOR." in chat.text
    assert "Rekanan/vendor · Pernikahan/upacara adat atau agama · Barang · Rp800.000" in chat.text
    assert "diterima Senin, 23 November 2026" in chat.text


@pytest.mark.parametrize(
    ("typed", "expected", "next_question"),
    [
        (
            "dpt amplop sejuta setengah dr kontraktor pas lebaran kmrn",
            {"giver_relation": "rekanan", "occasion": "hari_raya", "object_type": "uang"}
            | {"value_rp": 1_500_000, "received_date": "2026-03-21"},
            # "lebaran kmrn": the last Lebaran, confirmed before the verdict
            "Idul Fitri: Sabtu, 21 Maret 2026. Diterima pada tanggal itu?",
        ),
        (
            "temen kantor ngasih parsel lebaran, kira2 300rb",
            {"giver_relation": "rekan_kerja", "occasion": "hari_raya", "object_type": "makanan"}
            | {"value_rp": 300_000},
            "(5/5) Kapan",
        ),
        (
            "bos sy kasih voucher belanja 500 ribu, ga ada acara apa2",
            {"giver_relation": "atasan", "occasion": "lainnya", "object_type": "voucher_tiket"}
            | {"value_rp": 500_000},
            "(5/5) Kapan",
        ),
        (
            "sy dpt bingkisan ultah dr bawahan isinya jam tangan, harganya sktr 1,2jt",
            {"giver_relation": "bawahan", "occasion": "ulang_tahun", "object_type": "barang"}
            | {"value_rp": 1_200_000},
            "(5/5) Kapan",
        ),
        (
            "dr rekanan, isinya kue, tgl 20 kemarin",
            {"giver_relation": "rekanan", "object_type": "makanan", "received_date": "2026-11-20"},
            "(2/5) Dalam acara",
        ),
    ],
)
async def test_a_story_at_the_first_question_fills_what_it_says(
    chat: ChatDriver,
    store: MemorySessionStore,
    typed: str,
    expected: dict[str, object],
    next_question: str,
) -> None:
    await chat.send("/cek")
    await chat.send(typed)
    data = await data_of(store)
    assert {key: data.get(key) for key in expected} == expected
    assert next_question in chat.text
    assert "Saya catat:" in chat.text


async def test_a_family_word_of_the_occasion_is_not_read_as_the_giver(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    # "Keluarga" would make it exempt: only a relation said as the giver's counts.
    await chat.send("/cek")
    await chat.send("dapet amplop pas nikahan anak saya, isinya 2jt")
    data = await data_of(store)
    assert "giver_relation" not in data and data["occasion"] == "pernikahan"
    assert "Maaf, pemberinya belum saya tangkap." in chat.text
    assert chat.texts[-1].startswith("Cek wajib lapor (1/5)")
    await chat.send("dr rekanan")
    assert "(5/5) Kapan" in chat.text  # occasion, object and value already known


async def test_the_conflict_of_interest_said_in_the_story_is_not_asked(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("kmrn dikasih kain batik sm warga yg lagi ngurus izin usaha, kira2 250rb")
    data = await data_of(store)
    assert data["coi"] == "ya" and data["giver_relation"] == "masyarakat"
    assert "ada urusan dengan pekerjaan Anda" in chat.text
    await chat.send("ga ada acara")
    assert "urusan dengan pekerjaan Anda?" not in chat.text
    assert "Hasil: " in chat.text


async def test_the_conflict_question_reads_a_typed_situation(chat: ChatDriver) -> None:
    await chat.send("/cek")
    for answer in ("temen kantor", "nikahan", "duit", "1,2jt", "15/03/2026"):
        await chat.send(answer)
    assert "urusan dengan pekerjaan Anda" in chat.text
    await chat.send("dia lagi ngurus izin di kantor kami")
    assert "Hasil: WAJIB LAPOR." in chat.text


# --- 3. a polite, specific re-ask; other facts in the answer are kept ---------------------


@pytest.mark.parametrize("typed", ["iya", "ok", "yg itu"])
async def test_an_answer_that_is_no_occasion_gets_a_polite_specific_reask(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send("/cek")
    await chat.send("vendor")
    await chat.send(typed)
    assert "Maaf, acaranya belum saya tangkap." in chat.text
    assert '"tidak ada acara"' in chat.text  # an example of what to type
    assert "Silakan pilih salah satu tombol" not in chat.text
    assert chat.texts[-1].startswith("(2/5) Dalam acara atau keperluan apa?")


async def test_a_date_typed_at_the_occasion_is_kept_and_not_asked_again(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("vendor")
    await chat.send("kemarin")
    assert "Saya catat: diterima Senin, 23 November 2026." in chat.text
    assert "Maaf, acaranya belum saya tangkap." in chat.text
    assert (await data_of(store))["received_date"] == "2026-11-23"
    await chat.send("ga ada acara")
    assert "(3/5) Apa bentuk pemberiannya?" in chat.text
    await chat.send("amplop")
    await chat.send("1jt")
    # The date was said already: straight to the verdict.
    assert "Hasil: WAJIB LAPOR." in chat.text and "Senin, 23 November 2026" in chat.text


async def test_an_amount_typed_at_the_object_question_is_kept(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("atasan")
    await chat.send("ultah")
    await chat.send("kira2 800rb")
    assert "Saya catat: nilai Rp800.000." in chat.text
    assert "Maaf, bentuk pemberiannya belum saya tangkap." in chat.text
    await chat.send("jam tangan")
    assert "(5/5) Kapan" in chat.text  # the value is not asked
    assert (await data_of(store))["value_rp"] == 800_000


async def test_a_value_read_from_the_story_can_be_corrected_by_typing(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("dapet parsel lebaran dr vendor kira2 300rb")
    await chat.send("nilainya 1 juta")  # at the date question
    assert "Saya ubah: nilai Rp1.000.000." in chat.text
    assert "tanggal itu belum bisa saya baca" in chat.text
    assert (await data_of(store))["value_rp"] == 1_000_000


async def test_a_pressed_answer_is_not_overridden_by_a_date_phrase(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.press("cek:giver:rekan_kerja")
    await chat.press("cek:occasion:pernikahan")
    await chat.press("cek:object:barang")
    await chat.send("400rb")
    await chat.send("pas lebaran")
    assert (await data_of(store))["occasion"] == "pernikahan"
    assert "Idul Fitri" in chat.text


# --- 4. a question typed at a question is answered, nothing stored -------------------------


async def test_a_what_if_question_is_answered_and_not_stored(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("vendor")
    await chat.send("kalau dari teman?")
    assert "Rp1.500.000" in chat.text  # the FAQ's answer
    assert chat.texts[-1].startswith("(2/5) Dalam acara")
    assert (await data_of(store))["giver_relation"] == "rekanan"


async def test_a_what_if_question_at_the_first_question_stores_no_giver(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("klo dr temen kantor gmn?")
    assert "giver_relation" not in await data_of(store)
    assert chat.texts[-1].startswith("Cek wajib lapor (1/5)")


async def test_maksudnya_gimana_is_answered_and_the_question_comes_again(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("vendor")
    await chat.send("maksudnya gimana?")
    assert "Silakan pilih salah satu tombol" not in chat.text
    assert chat.texts[-1].startswith("(2/5) Dalam acara")
    assert "occasion" not in await data_of(store)


# --- a situation typed at the menu carries into the check -----------------------------------


async def test_a_question_at_the_menu_carries_into_the_check(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("wajib lapor ga kalau dapet parsel dari rekanan 500rb?")
    assert "menu:cek" in chat.choice_ids  # under the FAQ's answer
    await chat.press("menu:cek")
    assert "Cek wajib lapor. Saya catat: pemberi rekanan/vendor" in chat.text
    assert "nilai Rp500.000" in chat.text
    assert chat.texts[-1].startswith("(2/5) Dalam acara")
    data = await data_of(store)
    assert data["object_type"] == "makanan" and data["value_rp"] == 500_000


async def test_a_story_at_the_menu_then_cek_typed(chat: ChatDriver) -> None:
    await chat.send("kemarin sy dapet amplop dari kontraktor pas syukuran kantor sekitar 2 juta")
    await chat.send("cek")
    assert "Saya catat: pemberi rekanan/vendor" in chat.text and "Rp2.000.000" in chat.text


async def test_no_story_at_the_menu_starts_the_check_as_before(chat: ChatDriver) -> None:
    await chat.send("/cek")
    assert chat.texts[-1] == "Cek wajib lapor (1/5)\nSiapa yang memberi?"


# --- 5. "Lapor sekarang" carries every fact read, and the story -----------------------------


async def test_lapor_sekarang_carries_every_fact_and_the_story(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("dapet kado nikahan dari vendor, isinya rice cooker kira2 800rb")
    await chat.send("kmrn")
    await chat.press_label("Lapor sekarang")
    session = await store.load(USER)
    assert session is not None and session.flow == "lapor"
    answers = session.data["a"]
    assert answers["giver_relation"] == "rekanan" and answers["occasion"] == "pernikahan"
    assert answers["object_type"] == "barang" and answers["value_rp"] == 800_000
    assert answers["received_date"] == "2026-11-23"
    assert "rice cooker" in str(session.data.get("pending_story"))
    await chat.press_label("Ya, lanjutkan")
    # The declaration reads the story (the description too) and keeps the check's answers.
    assert "Yang saya tangkap dari cerita Anda" in chat.text
    assert "rice cooker" in chat.text and "Rekanan/vendor" in chat.text
    session = await store.load(USER)
    assert session is not None and session.data["a"]["received_date"] == "2026-11-23"


async def test_a_corrected_fact_wins_over_the_story_in_the_declaration(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("dapet parsel lebaran dr vendor kira2 300rb")
    await chat.send("nilainya 1 juta")  # the story said 300rb: corrected
    await chat.send("kmrn")
    assert "Hasil: WAJIB LAPOR." in chat.text and "Rp1.000.000" in chat.text
    await chat.press_label("Lapor sekarang")
    await chat.press_label("Ya, lanjutkan")
    assert "Yang saya tangkap dari cerita Anda" in chat.text
    session = await store.load(USER)
    assert session is not None and session.data["a"]["value_rp"] == 1_000_000


# --- the readers as people type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("sejuta setengah", 1_500_000),
        ("dua juta setengah", 2_500_000),
        ("1 juta setengah", 1_500_000),
    ],
)
def test_half_said_after_the_unit(typed: str, value: int) -> None:
    money = parse_money(typed)
    assert money is not None and money.value == value


@pytest.mark.parametrize(
    ("typed", "coi"),
    [
        ("vendor yg lagi ngurus izin", "ya"),
        ("dia punya urusan sm kantor kami", "ya"),
        ("ga ada urusan kerja kok", "tidak"),
        ("tdk ada hubungan kerja", "tidak"),
        ("parsel dari temen", None),
    ],
)
def test_the_conflict_of_interest_in_a_story(typed: str, coi: str | None) -> None:
    assert read_facts(typed, TODAY).get("coi") == coi


def test_a_day_to_come_this_year_is_kept_for_confirmation() -> None:
    found = read_facts("dapet parsel tgl 10 desember dr vendor", TODAY)
    assert found["received_date"] == "2025-12-10" and found["date_check"] is True


def test_future_and_vague_dates_are_not_kept() -> None:
    assert "received_date" not in read_facts("parsel dr vendor besok", TODAY)
    assert "received_date" not in read_facts("parsel dr vendor awal bulan ini", TODAY)


# --- kept for a final check only: never used to tune the readers ---------------------------
# Run once when the work was done: 3 of 5 right; the two misses (buah2an, narasumber) were
# then given as found bugs and are tuned cases now (test_the_shared_words_of_the_field).
FINAL_CHECK = [
    (
        "td siang dikasih amplop sm kontraktor proyek jalan, isinya 3jt",
        {"giver_relation": "rekanan", "object_type": "uang", "value_rp": 3_000_000}
        | {"received_date": "2026-11-24"},
    ),
    (
        "kado ultah dari atasan sy berupa tas, harganya sekitar sejuta",
        {"giver_relation": "atasan", "occasion": "ulang_tahun", "object_type": "barang"}
        | {"value_rp": 1_000_000},
    ),
    # The "check2" wave (3 Dec 2026): written before the shared word tables were widened
    # and run once after: 3 of 3 right (and 2 of 3 in heldout_form.yaml).
    (
        "td pagi ortu siswa nitip amplop ke sy pas ambil rapor, isinya 300rb",
        {"giver_relation": "masyarakat", "object_type": "uang", "value_rp": 300_000}
        | {"received_date": "2026-11-24", "occasion": "terima_kasih"},
    ),
    (
        "dikasih sekotak martabak manis sm pak lurah kmrn",
        {"object_type": "makanan", "giver_relation": None, "received_date": "2026-11-23"},
    ),
    (
        "sahabat sy dr smp ngasih kado pas sy naik jabatan, jam dinding kira2 250rb",
        {"giver_relation": "lainnya", "occasion": "pisah_sambut", "object_type": "barang"}
        | {"value_rp": 250_000},
    ),
]


@pytest.mark.parametrize(("typed", "expected"), FINAL_CHECK)
def test_final_check_stories(typed: str, expected: dict[str, object]) -> None:
    found = read_facts(typed, TODAY)
    assert {key: found.get(key) for key in expected} == expected


def test_final_check_date_is_yesterday() -> None:
    found = read_facts("kmrn dpt parsel dr rekanan", TODAY)
    assert date.fromisoformat(str(found["received_date"])) == date(2026, 11, 23)


async def test_a_hedged_answer_is_an_answer_not_a_question(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("vendor")
    await chat.send("kalau ga salah kmrn sore")  # at the occasion question
    assert "Saya catat: diterima Senin, 23 November 2026." in chat.text
    assert "Maaf, acaranya belum saya tangkap." in chat.text
    assert (await data_of(store))["received_date"] == "2026-11-23"


async def test_a_question_about_the_gift_is_answered_and_its_facts_kept(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("amplop kondangan wajib lapor gak?")
    assert "Rp1.500.000" in chat.text  # answered as before
    assert "Saya catat: acara pernikahan, bentuk uang (amplop kondangan)." in chat.text
    assert chat.texts[-1].startswith("Cek wajib lapor (1/5)")
    await chat.send("temen kantor")
    assert "(4/5) Berapa perkiraan nilainya?" in chat.text


async def test_a_giver_read_from_the_story_can_be_corrected(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("dapet parsel lebaran dr vendor kira2 300rb")
    await chat.send("eh bukan vendor, dr temen kantor")
    assert "Saya ubah: pemberi rekan kerja." in chat.text
    assert (await data_of(store))["giver_relation"] == "rekan_kerja"
    await chat.send("kmrn")
    # A colleague's gift: now the conflict-of-interest question matters.
    assert "urusan dengan pekerjaan Anda?" in chat.text


async def test_a_pressed_giver_is_not_changed_by_a_later_message(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.press("cek:giver:keluarga")
    await chat.send("lebaran")
    await chat.send("amplop dr om sy")
    assert (await data_of(store))["giver_relation"] == "keluarga"


@pytest.mark.parametrize(
    ("typed", "occasion"),
    [
        ("dpt doorprize kulkas pas jalan sehat hut korpri", "undian"),
        ("juara 1 lomba inovasi pas hut ri dapet uang 5jt", "lomba"),
    ],
)
def test_a_prize_is_its_own_occasion_whatever_the_event(typed: str, occasion: str) -> None:
    assert read_facts(typed, TODAY).get("occasion") == occasion


def test_an_honorarium_at_an_official_event_is_never_read_as_outside_work() -> None:
    # "Profesi di luar dinas" may be exempt: never guessed from "ngajar" at a bimtek.
    assert read_facts("jd narasumber bimtek, dpt honor ngajar 1jt", TODAY).get("occasion") != (
        "profesi"
    )


async def test_a_question_at_the_menu_with_no_facts_starts_the_check_as_before(
    chat: ChatDriver,
) -> None:
    await chat.send("bagaimana cara melaporkan gratifikasi secara online ya?")
    await chat.send("cek wajib lapor")
    assert chat.texts[-1] == "Cek wajib lapor (1/5)\nSiapa yang memberi?"
    assert "Saya catat" not in chat.text


async def test_a_new_date_typed_with_the_no_is_taken(chat: ChatDriver) -> None:
    await chat.send("/cek")
    for answer in ("vendor", "lebaran", "barang", "2 jt", "10 Desember"):
        await chat.send(answer)
    assert "Maksud Anda Rabu, 10 Desember 2025?" in chat.text
    await chat.send("bukan, tgl 20 kmrn")
    assert "Hasil: WAJIB LAPOR." in chat.text and "Jumat, 20 November 2026" in chat.text


async def test_a_message_that_starts_with_ga_tau_answers_lainnya_and_keeps_the_rest(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("warga")
    await chat.send("ga tau jg sih, tiba2 dateng bawa duit 1 jt")
    data = await data_of(store)
    assert data["occasion"] == "lainnya" and data["object_type"] == "uang"
    assert data["value_rp"] == 1_000_000
    assert "Saya catat: tanpa acara tertentu, bentuk uang (duit), nilai Rp1.000.000." in chat.text
    assert chat.texts[-1].startswith("(5/5) Kapan")


# --- the shared word tables and readers, as people in the field type (found 3 Dec 2026) ----


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # "2an" glued to "buah" is the chat's repetition, no Rp2.000 beside the Rp150.000
        (
            "ada warga ngasih buah2an sekeranjang kira2 150rb, ga dalam rangka apa2",
            {"giver_relation": "masyarakat", "object_type": "makanan", "value_rp": 150_000}
            | {"occasion": "lainnya"},
        ),
        (
            "pas jd narasumber di dinas sebelah dpt honor 1,5jt",
            {"occasion": "kegiatan_resmi", "object_type": "uang", "value_rp": 1_500_000},
        ),
        # a personal giver is "Lainnya" (no exemption of its own; a conflict is asked)
        ("tetangga ngasih bolu", {"giver_relation": "lainnya", "object_type": "makanan"}),
        ("temen sekolah sy ngasih kue lapis", {"giver_relation": "lainnya"}),
        ("dpt jam tangan dr sahabat sy pas ultah", {"giver_relation": "lainnya"}),
        ("kenalan ngasih nasi box 20 kotak", {"giver_relation": "lainnya"}),
        # a seller alone, a village head, a CPNS "angkatan": asked, never guessed
        ("bank ngasih payung", {"giver_relation": None}),
        ("dikasih martabak sama kepala desa", {"giver_relation": None, "object_type": "makanan"}),
        ("kades ngasih amplop 500rb", {"giver_relation": None, "value_rp": 500_000}),
        ("dpt parsel dr temen seangkatan", {"giver_relation": None}),
        ("kepala dinas ngasih batik", {"giver_relation": "atasan"}),
        # field givers
        ("distributor ngasih parsel", {"giver_relation": "rekanan"}),
        ("pemborong ngasih amplop 2jt", {"giver_relation": "rekanan", "value_rp": 2_000_000}),
        ("keluarga pasien ngasih snack", {"giver_relation": "masyarakat"}),
        ("wajib pajak ngasih duit 1jt", {"giver_relation": "masyarakat"}),
        # parents and kin as typed; "bapak"/"ibu" alone stay honorifics
        ("bapak sy ngasih emas 5 gram buat anak sy", {"giver_relation": "keluarga"}),
        ("nyokap transfer 5jt buat dp rumah", {"giver_relation": "keluarga"}),
        ("dikasih duit 1jt sm ayah", {"giver_relation": "keluarga", "value_rp": 1_000_000}),
        ("pakde ngasih amplop pas lebaran", {"giver_relation": "keluarga"}),
        ("anak sy ngasih jam tangan pas ultah", {"giver_relation": "keluarga"}),
        ("mbah kasih cincin", {"giver_relation": "keluarga"}),
        ("bapak ngasih hp", {"giver_relation": None}),
        ("ibu kadis ngasih batik", {"giver_relation": "atasan"}),
        ("mamah pasien ngasih kue", {"giver_relation": "masyarakat"}),
        ("dapet amplop pas nikahan anak sy, isinya 2jt", {"giver_relation": None}),
        ("istri sy dikasih hp sm rekanan", {"giver_relation": "rekanan"}),
        # a discount or a loan is the gift, not what was bought or lent
        ("diskon 50% beli mobil dr dealer krn sy kadis", {"object_type": "diskon_pinjaman"}),
        ("dikasih diskon mobil 50%", {"object_type": "diskon_pinjaman"}),
        ("pinjaman tanpa bunga dr vendor 50jt", {"object_type": "diskon_pinjaman"}),
        ("pinjam duit 50jt ke rekanan", {"object_type": "diskon_pinjaman"}),
        ("dapet hp sm voucher", {"object_type": None}),
        # a correction inside the message: what follows it is meant
        (
            "dpt hp dr vendor kmrn, eh bukan dr vendor tp dr tmn kuliah",
            {"giver_relation": "lainnya", "object_type": "barang"},
        ),
        ("amplop 2jt, eh salah 1,5jt dr tmn kantor", {"value_rp": 1_500_000}),
        ("amplop 1jt dr vendor eh maksud sy dr warga", {"giver_relation": "masyarakat"}),
        ("kemarin eh tiba2 dikasih amplop dr vendor", {"giver_relation": "rekanan"}),
        # the reporter's own post is no giver
        ("dikasih parsel krn sy kadis", {"giver_relation": None}),
        # chat, Javanese, Sundanese and English words for colleagues, money, Lebaran, a new post
        ("tmn sekantor ngasih kue ultah harganya 150rb", {"giver_relation": "rekan_kerja"}),
        ("dpt emas 1 gram dr tmn seruangan pas ultah", {"giver_relation": "rekan_kerja"}),
        (
            "abdi dipasihan artos 500 rebu ku pamohon izin",
            {"giver_relation": "masyarakat", "object_type": "uang", "value_rp": 500_000},
        ),
        (
            "kulo diparingi sarung kaliyan bawahan pas riyadin, regine 250 ewu",
            {"giver_relation": "bawahan", "occasion": "hari_raya", "value_rp": 250_000},
        ),
        ("pas boboran dikasih sarung", {"occasion": "hari_raya"}),
        ("dividen saham 3jt", {"object_type": "uang", "occasion": "investasi"}),
        ("kirim bunga papan pas bapak sy meninggal", {"object_type": "karangan_bunga"}),
        ("bunda kasih amplop 2jt", {"giver_relation": "keluarga"}),
        ("sy ngajar di kampus swasta, honornya 3jt", {"object_type": "uang"}),
        # a weekday in a schedule is no day received
        ("sy ngajar di kampus swasta sabtu minggu, honornya 3jt", {"received_date": None}),
        ("honor ngajar tiap sabtu 500rb", {"received_date": None}),
        ("piket senin-jumat dikasih uang makan 50rb", {"received_date": None}),
        ("sabtu kmrn dikasih kue sm warga", {"received_date": "2026-11-21"}),
        # occasions
        ("wali murid ngasih kado hari guru", {"occasion": "terima_kasih"}),
        ("ortu siswa ngasih amplop pas kenaikan kelas", {"occasion": "terima_kasih"}),
        ("ortu murid ngasih kue pas pembagian rapor", {"occasion": "terima_kasih"}),
        ("td dikasih amplop 300rb sm wali murid pas bagi rapot", {"occasion": "terima_kasih"}),
        ("pak camat ngasih jam tangan pas ulang taun sy", {"occasion": "ulang_tahun"}),
        ("kado ulang thn dr bawahan", {"occasion": "ulang_tahun"}),
        ("tujuh bulanan istri dikasih kado sama vendor", {"occasion": "pernikahan"}),
        ("dpt amplop pas akikah anak dr kontraktor", {"occasion": "pernikahan"}),
        ("kado pensiun dr staf sy", {"occasion": "pisah_sambut"}),
        ("dpt kado pas mutasi dari teman kantor", {"occasion": "pisah_sambut"}),
        ("tetangga ngasih bolu pas syukuran", {"occasion": None}),
        ("dapet kue pas wisuda", {"occasion": None}),
        # "tadi" opening what happened is today
        ("tadi dikasih martabak sm warga", {"received_date": "2026-11-24"}),
        ("amplop yg tadi dr rekanan", {"received_date": None}),
    ],
)
def test_the_shared_words_of_the_field(typed: str, expected: dict[str, object]) -> None:
    found = read_facts(typed, TODAY)
    assert {key: found.get(key) for key in expected} == expected


async def test_a_village_head_typed_as_the_giver_is_asked_again(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    # For a regency's civil servant a kades is a service user or another office, for a village
    # official the boss: never read as "kepala" (Atasan), the buttons come again.
    await chat.send("/cek")
    await chat.send("kepala desa")
    assert "giver_relation" not in await data_of(store)
    assert "tergantung pekerjaan Anda" in chat.text
    assert "Siapa yang memberi?" in chat.texts[-1]
    await chat.send("pengguna layanan")
    assert (await data_of(store))["giver_relation"] == "masyarakat"


def test_a_pasted_run_of_numbers_is_read_quickly_and_the_amount_kept() -> None:
    # A reporter pastes the numbers of a list after the story (4,000 characters, Telegram's
    # limit): reading the amounts took minutes of CPU (every start re-read the whole run),
    # freezing the bot for everyone.
    typed = (
        "dpt parsel dr vendor kmrn, kira2 rp 500rb. nomor2 di daftar hadirnya: " + "1 " * 2000
    )[:4000]
    start = time.perf_counter()
    found = read_facts(typed, TODAY)
    # A stall guard, not a speed figure: minutes before, milliseconds now.
    assert time.perf_counter() - start < 3
    assert found["value_rp"] == 500_000 and found["giver_relation"] == "rekanan"


def test_an_amount_in_many_words_is_still_read_whole() -> None:
    typed = "dikasih satu miliar dua ratus tiga puluh empat juta lima ratus ribu rupiah sm vendor"
    assert read_facts(typed, TODAY)["value_rp"] == 1_234_500_000


def test_a_long_list_of_schools_is_counted_in_time_and_classes_are_no_count() -> None:
    # Each count looked back over the whole text for "kelas", "sdn", "no" ...: a pasted list
    # of 4,000 characters took time growing with the square of its length.
    typed = ("dpt kue 35rb per kotak dr wali murid, sekolahnya: " + "sdn 2 " * 700)[:4000]
    assert counts(typed, []) == []  # (its time: bench/, not a timed test)
    assert counts("anak sy kelas 2 smp, dpt 3 kotak kue", []) == [3]


@pytest.mark.parametrize("run", ["0812" * 1000, "1." * 2000, "12," * 1333])
def test_a_long_run_of_digits_is_read_in_time(run: str) -> None:
    # A pasted reference or a held-down key: the foreign-currency reader tried each digit of
    # the run as a number's start.
    typed = ("dpt transfer rp 1 jt dr rekanan, no ref " + run)[:4000]
    found = read_facts(typed, TODAY)  # (its time: bench/, not a timed test)
    assert found["giver_relation"] == "rekanan"
    assert read_facts("dikasih 100 dolar sama vendor", TODAY).get("value_rp") is None


async def test_gold_from_a_colleague_is_exempt_with_the_faqs_caution_and_a_total_in_words(
    chat: ChatDriver,
) -> None:
    await chat.send("/cek")
    await chat.send("dikasih emas 1 gram sm temen kantor pas ultah, kira2 400rb")
    await chat.send("kemarin")
    await chat.send("ga ada")
    await chat.send("400rb aja")  # the year's total, with a filler word after it
    assert "TIDAK WAJIB LAPOR" in chat.text
    # The same caution as the FAQ's answer on gold (voucher-emoney).
    assert "Emas (logam mulia): belum ada sumber" in chat.text


async def test_lapor_sekarang_typed_before_the_verdict_starts_the_report_with_the_facts(
    chat: ChatDriver,
) -> None:
    await chat.send("/cek")
    await chat.send("kmrn dpt parsel dr rekanan isinya sirup sm kue kira2 400rb")
    await chat.send("lapor sekarang")  # at the occasion question: no acara, a wish to report
    assert "langsung buat laporannya" in chat.text
    assert "pemberitahuan data pribadi" in chat.text
    await chat.press("lapor:consent:ya")
    assert "Rekanan/vendor" in chat.text and "Rp400.000" in chat.text


# --- corrections typed later ("eh salah, ...") replace even an answer typed to its question --


@pytest.mark.parametrize(
    "typed",
    ["eh bukan dr vendor, dr temen", "bukan vendor", "bkn dari vendor kok"],
)
def test_a_denied_giver_is_never_read_as_the_giver(typed: str) -> None:
    assert "giver_relation" not in read_facts(typed, TODAY)
    assert denied_givers(typed) == {"rekanan"}


@pytest.mark.parametrize(
    ("typed", "correcting"),
    [
        ("eh salah, dari temen kantor", True),
        ("ehh maksudnya dari atasan", True),
        ("ralat: nilainya 2jt", True),
        ("yg bener 2jt", True),
        ("kalau ga salah kemarin", False),
        ("dari temen kantor", False),
    ],
)
def test_a_message_that_says_it_corrects(typed: str, correcting: bool) -> None:
    assert corrects(typed) is correcting


async def test_a_giver_denied_at_the_next_question_is_asked_again(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.send("dari vendor")
    await chat.send("eh bukan dr vendor, dr temen")
    assert "pemberinya bukan rekanan/vendor" in chat.text
    assert "Siapa yang memberi?" in chat.last[-1].text
    for answer in ("temen kantor", "nikahan", "kado", "1,5jt", "kmrn", "gk"):
        await chat.send(answer)
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text and "Rekan kerja ·" in chat.text


async def test_a_corrected_giver_at_the_date_question_replaces_the_typed_one(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    for answer in ("vendor", "lebaran", "parsel", "500rb"):
        await chat.send(answer)
    await chat.send("eh salah, dari temen kantor")
    assert "Saya ubah: pemberi rekan kerja." in chat.text
    assert "tanggal itu belum bisa saya baca" not in chat.text
    assert "Kapan pemberian itu diterima?" in chat.last[-1].text
    assert (await data_of(store))["giver_relation"] == "rekan_kerja"


async def test_a_correction_under_the_verdict_judges_again(chat: ChatDriver) -> None:
    await chat.send("/cek")
    for answer in ("temen kantor", "nikahan", "kado", "500rb", "kemarin", "ga"):
        await chat.send(answer)
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text
    await chat.send("eh salah, dari vendor")
    assert "Saya ubah: pemberi rekanan/vendor." in chat.text
    assert "Hasil: WAJIB LAPOR." in chat.text and "Rekanan/vendor ·" in chat.text


async def test_a_short_value_typed_under_the_verdict_corrects_it(chat: ChatDriver) -> None:
    await chat.send("/cek")
    for answer in ("temen kantor", "nikahan", "amplop", "1jt", "kemarin", "ga"):
        await chat.send(answer)
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text
    await chat.send("nilainya 2jt")
    assert "Saya ubah: nilai Rp2.000.000." in chat.text
    assert "Hasil: WAJIB LAPOR." in chat.text and "Rp1.500.000" in chat.text


async def test_the_reporters_own_post_in_a_story_is_not_taken_as_the_giver(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    # "kadis" here is who the reporter is; the dealer's relation is asked (was "Atasan").
    await chat.send("/cek")
    await chat.send("diskon 50% beli mobil dr dealer krn sy kadis perhubungan")
    data = await data_of(store)
    assert "giver_relation" not in data and data["object_type"] == "diskon_pinjaman"
    assert "Maaf, pemberinya belum saya tangkap." in chat.text


async def test_a_giver_corrected_inside_the_message_is_the_one_kept(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    await chat.send("/cek")
    await chat.send("dpt hp dr vendor kmrn, eh bukan dr vendor tp dr tmn kuliah")
    data = await data_of(store)
    assert data["giver_relation"] == "lainnya"
    assert "pemberi lainnya" in chat.text and "rekanan" not in chat.text


async def test_a_judges_fee_is_pay_for_the_event_not_a_contest_prize(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    # Judging is work at the event: letter j (standar biaya), never letter f (a prize of a
    # contest entered at one's own expense), which used to exempt it.
    await chat.send("/cek")
    await chat.send("sy jadi juri lomba 17an di desa, dikasih amplop 300rb sm panitia")
    assert (await data_of(store))["occasion"] == "kegiatan_resmi"
    await chat.send("kmrn")
    await chat.send("ga ada")
    assert "huruf j" in chat.text and "huruf f" not in chat.text
    assert "standar biaya" in chat.text


async def test_interest_from_a_deposit_is_money_not_a_flower_board(
    chat: ChatDriver, store: MemorySessionStore
) -> None:
    # "bunga deposito" was read as a karangan bunga (letter k, exempt from anyone).
    await chat.send("/cek")
    await chat.send("sy dpt bunga deposito dr bank 2jt")
    assert (await data_of(store))["object_type"] == "uang"
    assert "karangan bunga" not in chat.text
    await chat.send("bank")
    await chat.send("kmrn")
    assert "huruf b" in chat.text and "huruf k" not in chat.text
