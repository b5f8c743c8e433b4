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
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=2, lock_wait=2)
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
    assert "Batas 30 hari kerja sudah lewat" in chat.text


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
    assert "Silakan pilih salah satu tombol" in chat.text
    assert "Siapa yang memberi?" in chat.text


async def test_a_real_question_mid_check_is_still_answered(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.send("amplop kondangan wajib lapor gak?")
    assert "Rp1.500.000" in chat.text and "Siapa yang memberi?" in chat.last[-1].text


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
