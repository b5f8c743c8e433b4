"""The check answered by typing, as people do on a phone (QA regressions)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.sessions import MemorySessionStore
from handlers import check
from handlers.context import Services
from handlers.ports import Policy
from tests.driver import ChatDriver

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)


@pytest.fixture
def chat() -> ChatDriver:
    source = KnowledgeSource(ROOT / "knowledge")
    services = Services(
        policy=Policy(timezone=TZ, calendar=work_calendar()),
        faq=DatabaseFaq(source, None),
        rules=source.rules,
    )
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)
    return ChatDriver(Dispatcher(store, services, clock=lambda: NOW))


async def type_answers(chat: ChatDriver, *answers: str) -> None:
    await chat.send("/cek")
    for answer in answers:
        await chat.send(answer)


async def test_a_wedding_envelope_of_1_2_million_in_2025_must_be_reported(
    chat: ChatDriver,
) -> None:
    await type_answers(chat, "teman kantor", "kondangan", "amplop", "1,2jt", "15/03/2025")
    assert "Hasil: WAJIB LAPOR." in chat.text
    assert "Rp1.000.000" in chat.text
    assert "Batas 30 hari kerja (" in chat.text and "sudah lewat" in chat.text


async def test_the_same_envelope_in_2026_is_exempt_without_conflict(chat: ChatDriver) -> None:
    await type_answers(chat, "temen kantor", "nikahan", "duit", "1,2jt", "15/03/2026")
    assert "urusan dengan pekerjaan Anda" in chat.text
    await chat.send("gk")
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text
    assert "Rp1.500.000" in chat.text


@pytest.mark.parametrize("word", ["kondangan", "amplop", "tidak"])
async def test_a_one_word_answer_is_not_answered_with_a_faq_entry(
    chat: ChatDriver, word: str
) -> None:
    await chat.send("/cek")
    await chat.send(word)  # none of these names a giver
    assert "Dasar hukum:" not in chat.text
    assert "Maaf, pemberinya belum saya tangkap." in chat.text
    assert "Siapa yang memberi?" in chat.text


async def test_a_real_question_mid_check_is_still_answered(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.send("amplop kondangan wajib lapor gak?")
    assert "Rp1.500.000" in chat.text and "Siapa yang memberi?" in chat.last[-1].text


@pytest.mark.parametrize("typed", ["bot gak guna", "ribet bgt bodoh"])
async def test_a_complaint_at_a_question_is_no_answer(chat: ChatDriver, typed: str) -> None:
    await type_answers(chat, "vendor", typed)
    assert "Mohon maaf bila ada yang kurang jelas" in chat.text
    assert "Dalam acara atau keperluan apa?" in chat.last[-1].text
    for answer in ("lebaran", "makanan", "500rb", "kemarin"):
        await chat.send(answer)
    assert "Hasil: WAJIB LAPOR." in chat.text


async def test_food_from_a_vendor_mentions_social_aid(chat: ChatDriver) -> None:
    await type_answers(chat, "vendor", "lebaran", "makanan", "500rb", "kemarin")
    assert "Hasil: WAJIB LAPOR." in chat.text
    assert "disalurkan ke panti" in chat.text


async def test_kembali_goes_back_one_question_and_keeps_going(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.press("cek:giver:keluarga")  # pressed the wrong one
    assert "cek:back" in chat.choice_ids
    await chat.press("cek:back")
    assert "Siapa yang memberi?" in chat.text and "cek:back" not in chat.choice_ids
    await chat.press("cek:giver:rekanan")
    await chat.press("cek:occasion:hari_raya")
    await chat.press("cek:object:barang")
    await chat.send("Kembali")  # the label typed
    assert "(3/5) Apa bentuk pemberiannya?" in chat.text
    await chat.press("cek:object:barang")
    await chat.send("2 jt")
    await chat.press("cek:date:yesterday")
    assert "Hasil: WAJIB LAPOR." in chat.text


@pytest.mark.parametrize("typed", ["gk tau", "lupa"])
async def test_slang_for_an_unknown_value(chat: ChatDriver, typed: str) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", typed)
    assert "(5/5) Kapan" in chat.last[-1].text


# What people type at each question, and the button it must pick. Inputs written the way
# employees type on a phone; the held-out half below is never used to tune the word lists.
TYPED = [
    ("giver", "dari vendor", "rekanan"),
    ("giver", "kontraktor proyek", "rekanan"),
    ("giver", "temen kantor", "rekan_kerja"),
    ("giver", "bos saya", "atasan"),
    ("giver", "atasan langsung", "atasan"),
    ("giver", "anak buah", "bawahan"),
    ("giver", "mertua", "keluarga"),
    ("giver", "warga", "masyarakat"),
    ("giver", "panitia seminar", "instansi_lain"),
    ("giver", "dari pemkab sebelah", "instansi_lain"),
    ("giver", "instansi lainnya", "instansi_lain"),
    ("occasion", "lebaran", "hari_raya"),
    ("occasion", "nikahan anak", "pernikahan"),
    ("occasion", "pisah sambut", "pisah_sambut"),
    ("occasion", "pensiun", "pisah_sambut"),
    ("occasion", "promosi jabatan", "pisah_sambut"),
    ("occasion", "jadi narasumber", "kegiatan_resmi"),
    ("occasion", "bimtek", "kegiatan_resmi"),
    ("occasion", "kunker", "kunjungan_dinas"),
    ("occasion", "juara 1", "lomba"),
    ("occasion", "satyalancana", "penghargaan"),
    ("occasion", "kalender berlogo", "promosi"),
    ("occasion", "doorprize", "undian"),
    ("occasion", "bunga deposito", "investasi"),
    ("occasion", "shu koperasi", "koperasi"),
    ("occasion", "honor mengajar", "profesi"),
    ("object", "amplop", "uang"),
    ("object", "voucher belanja", "voucher_tiket"),
    ("object", "saldo gopay", "voucher_tiket"),
    ("object", "pulsa", "voucher_tiket"),
    ("object", "e-money", "voucher_tiket"),
    ("object", "tiket pesawat", "fasilitas"),
    ("object", "plakat", "plakat"),
    ("object", "papan bunga", "karangan_bunga"),
    ("object", "parsel lebaran", "makanan"),  # a parcel is food unless its content says not
]
HELD_OUT = [
    ("giver", "kepala dinas", "atasan"),
    ("giver", "staf saya", "bawahan"),
    ("giver", "penyelenggara acara", "instansi_lain"),
    ("occasion", "perpisahan", "pisah_sambut"),
    ("occasion", "workshop", "kegiatan_resmi"),
    ("occasion", "kompetisi inovasi", "lomba"),
    ("occasion", "dividen saham", "investasi"),
    ("object", "gift card", "voucher_tiket"),
    ("object", "cenderamata", "plakat"),
    ("object", "karangan bunga", "karangan_bunga"),
]


@pytest.mark.parametrize(("state", "typed", "code"), TYPED + HELD_OUT)
def test_typed_words_pick_their_button(state: str, typed: str, code: str) -> None:
    assert check.typed_code(state, typed) == code


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("iya", "ya"),
        ("iyaa", "ya"),
        ("ada", "ya"),
        ("ya ada", "ya"),
        ("kayaknya ada", "ya"),
        ("gak", "tidak"),
        ("ga ada", "tidak"),
        ("nggak ada kok", "tidak"),
        ("tidak ada urusan", "tidak"),
        ("enggak", "tidak"),
        ("gk tau", "ragu"),
        ("gatau", "ragu"),
        ("tidak yakin", "ragu"),
        ("sepertinya tidak", "ragu"),  # hedged: the safer reading
        ("mungkin", "ragu"),
    ],
)
def test_conflict_answers_as_people_type_them(typed: str, meant: str) -> None:
    assert check.typed_coi(typed) == meant


async def test_a_colleague_voucher_typed_in_words_must_be_reported(chat: ChatDriver) -> None:
    await type_answers(chat, "temen kantor", "lebaran", "voucher belanja", "300rb", "kemarin")
    assert "Hasil: WAJIB LAPOR." in chat.text
    assert "seperti uang" in chat.text and "konfirmasi ke UPPG" in chat.text


async def test_a_farewell_gift_of_december_2025_typed_in_words(chat: ChatDriver) -> None:
    await type_answers(chat, "rekan", "perpisahan", "barang", "250 ribu", "15 Des 2025")
    await chat.send("nggak")
    assert "sejak 1 Januari 2025 sampai 15 Desember 2025" in chat.text
    await chat.send("cuma ini")
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text and "huruf n" in chat.text


async def test_not_knowing_the_occasion_means_lainnya(chat: ChatDriver) -> None:
    await type_answers(chat, "vendor", "ga tau")
    assert "(3/5) Apa bentuk pemberiannya?" in chat.text
    await type_answers(chat, "temen kantor", "gk tau", "uang", "1 jt", "kemarin")
    # A vendor's or a colleague's cash: decided, never "konsultasikan" for the unknown occasion.
    assert "Hasil: WAJIB LAPOR." in chat.text and "Lainnya" in chat.text


async def test_a_day_still_to_come_this_year_is_confirmed_not_guessed(
    chat: ChatDriver,
) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", "10 Desember")
    # On 24 Nov 2026, "10 Desember" can only be last year's: asked, never assumed.
    assert "Maksud Anda Rabu, 10 Desember 2025?" in chat.text
    await chat.send("iya")
    assert "Hasil: WAJIB LAPOR." in chat.text and "10 Desember 2025" in chat.text


async def test_a_guessed_year_can_be_corrected(chat: ChatDriver) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", "10 Desember")
    await chat.send("bukan")
    assert "lengkap dengan tahun" in chat.text and "(5/5) Kapan" in chat.text
    await chat.send("kemarin sore")
    assert "Hasil: WAJIB LAPOR." in chat.text and "Senin, 23 November 2026" in chat.text


async def test_a_named_holiday_is_its_latest_date_confirmed(chat: ChatDriver) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", "pas lebaran")
    assert "Idul Fitri: Sabtu, 21 Maret 2026. Diterima pada tanggal itu?" in chat.text
    await chat.send("iya")
    assert "Hasil: WAJIB LAPOR." in chat.text and "sudah lewat" in chat.text


async def test_a_period_asks_for_the_day(chat: ChatDriver) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", "awal bulan ini")
    assert "Kapan" in chat.text and "WAJIB" not in chat.text


@pytest.mark.parametrize("typed", ["besok", "minggu depan"])
async def test_future_words_get_the_future_date_message(chat: ChatDriver, typed: str) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", typed)
    assert "belum lewat" in chat.text and "(5/5) Kapan" in chat.text


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("satu setengah juta", "Rp1.500.000"),
        ("kira2 800 ribu", "Rp800.000"),
        ("2,5jt", "Rp2.500.000"),
    ],
)
async def test_amounts_as_people_type_them(chat: ChatDriver, typed: str, value: str) -> None:
    await type_answers(chat, "vendor", "lebaran", "barang", typed, "kemarin")
    assert "Hasil: WAJIB LAPOR." in chat.text and value in chat.text


async def test_tadi_pagi_after_midnight_is_the_day_that_ended_in_jakarta() -> None:
    # 00:30 WIB on Wednesday 25 Nov is 17:30 UTC on Tuesday: the clock's zone must not move
    # the day, and "td pagi" then is Tuesday morning, not Wednesday's still to come.
    source = KnowledgeSource(ROOT / "knowledge")
    services = Services(
        policy=Policy(timezone=TZ, calendar=work_calendar()),
        faq=DatabaseFaq(source, None),
        rules=source.rules,
    )
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)
    late = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("UTC"))
    chat = ChatDriver(Dispatcher(store, services, clock=lambda: late))
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", "td pagi")
    assert "Hasil: WAJIB LAPOR." in chat.text and "Selasa, 24 November 2026" in chat.text
    await type_answers(chat, "vendor", "lebaran", "barang", "2 jt", "hari ini")
    assert "Rabu, 25 November 2026" in chat.text


@pytest.mark.parametrize("typed", ["teman", "dr temen", "kawan sy"])
async def test_a_bare_friend_asks_colleague_or_outside_work(chat: ChatDriver, typed: str) -> None:
    await chat.send("/cek")
    await chat.send(typed)
    assert "Teman kantor atau teman di luar pekerjaan?" in chat.text
    assert "Siapa yang memberi?" in chat.last[-1].text
    await chat.send("temen pribadi")
    assert "Dalam acara atau keperluan apa?" in chat.text


@pytest.mark.parametrize("typed", ["tmn ktr", "kanca kantor", "konco kerja"])
async def test_a_colleague_in_chat_shorthand_or_javanese_is_read(
    chat: ChatDriver, typed: str
) -> None:
    await type_answers(chat, typed, "ultah", "mainan", "300rb", "kemarin", "ga", "cuma ini")
    assert "Hasil: TIDAK WAJIB LAPOR" in chat.text
    assert "Rekan kerja · Ulang tahun · Barang · Rp300.000" in chat.text


@pytest.mark.parametrize("typed", ["mainan", "rice cooker", "mukena", "tumbler"])
async def test_everyday_goods_are_a_thing(chat: ChatDriver, typed: str) -> None:
    await type_answers(chat, "bawahan", "ultah", typed)
    assert "Berapa perkiraan nilainya?" in chat.text
    assert "belum saya tangkap" not in chat.text


@pytest.mark.parametrize("typed", ["gatau", "lupa", "gk tau"])
async def test_an_unknown_yearly_total_gets_a_verdict_not_a_reask(
    chat: ChatDriver, typed: str
) -> None:
    await type_answers(chat, "atasan", "natal", "hampers", "300an", "kmrn", "ga", typed)
    assert "Hasil: KONSULTASIKAN KE UPPG." in chat.text
    assert "nilai itu belum bisa saya baca" not in chat.text


async def test_two_million_five_hundred_said_is_two_and_a_half_million(
    chat: ChatDriver,
) -> None:
    await type_answers(chat, "rekanan", "lebaran", "uang", "2 juta 500", "kemarin")
    assert "Rp2.500.000" in chat.text and "Rp2.000.500" not in chat.text
