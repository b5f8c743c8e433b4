"""Free questions: answers with feedback buttons, "Maksud Anda:" suggestions, honest fallback."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.messages import Incoming
from bot.sessions import MemorySessionStore
from bot.store.database import Database
from bot.store.models import FaqFeedback, FaqQuestion
from handlers import ask, texts
from handlers.context import Context, Services
from handlers.ports import FaqAnswer, Policy
from handlers.session import Session
from tests.driver import ChatDriver

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Jakarta")


def services(db: Database | None) -> Services:
    return Services(
        policy=Policy(timezone=TZ, calendar=work_calendar()),
        faq=DatabaseFaq(KnowledgeSource(ROOT / "knowledge"), db),
    )


@pytest.fixture
def store() -> MemorySessionStore:
    return MemorySessionStore(ttl_seconds=60, lock_timeout=2, lock_wait=2)


async def test_an_answer_has_feedback_buttons_that_count(
    store: MemorySessionStore, database: Database
) -> None:
    chat = ChatDriver(Dispatcher(store, services(database)))
    await chat.send("amplop kondangan wajib lapor gak")
    assert "Rp1.500.000" in chat.text and "Dasar hukum:" in chat.text
    await chat.press_label("Membantu")
    assert "Terima kasih" in chat.text
    async with database.sessions() as session:
        rows = list(await session.scalars(select(FaqFeedback)))
    assert [(r.entry_id, r.helpful) for r in rows] == [("pernikahan", True)]


async def test_suggestions_then_a_pressed_suggestion_is_answered(
    store: MemorySessionStore, database: Database
) -> None:
    chat = ChatDriver(Dispatcher(store, services(database)))
    await chat.send("hadiah")
    assert chat.texts[-1] == "Maksud Anda:"
    suggestion_ids = [c for c in chat.choice_ids if c.startswith(ask.ENTRY_PREFIX)]
    assert 1 <= len(suggestion_ids) <= 3
    picked = suggestion_ids[0].removeprefix(ask.ENTRY_PREFIX)
    await chat.press(suggestion_ids[0])
    assert "Dasar hukum:" in chat.text
    async with database.sessions() as session:
        row = (await session.scalars(select(FaqQuestion))).one()
    assert row.outcome == "suggested" and row.taken_id == picked


@pytest.mark.parametrize(
    "typed", ["cara buat ktp", "lapor sakit ke atasan", "mau lapor kehilangan motor dinas"]
)
async def test_another_errand_is_declined_plainly_before_any_suggestion(
    store: MemorySessionStore, typed: str
) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send(typed)
    assert chat.texts[-1] == ask.OFF_TOPIC_SUGGESTIONS or chat.text == texts.FAQ_UNKNOWN
    assert "Dasar hukum:" not in chat.text


async def test_out_of_scope_gets_the_honest_fallback(store: MemorySessionStore) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send("resep nasi goreng enak")
    assert chat.text == texts.FAQ_UNKNOWN
    assert "menu:lapor" in chat.choice_ids


def _ctx() -> Context:
    from datetime import datetime

    incoming = Incoming(channel="test", user_id="u", chat_id="u", text="x")
    return Context(incoming, Session(), services(None), datetime.now(TZ))


def test_in_a_flow_only_a_confident_answer_is_shown() -> None:
    ctx = _ctx()
    unsure = FaqAnswer(False, "a", 0.5, None)
    assert ask.render(ctx, unsure, in_flow=True) is False
    assert ctx.replies == []
    sure = FaqAnswer(True, "a", 0.9, "Jawaban.")
    assert ask.render(ctx, sure, in_flow=True) is True
    assert [r.text for r in ctx.replies] == ["Jawaban."] and ctx.replies[0].choices == ()


@pytest.mark.parametrize(
    "greeting", ["halo", "Halo min!", "Selamat pagi, Pak", "Assalamu'alaikum wr. wb.", "hai bot"]
)
async def test_a_greeting_gets_the_menu_not_the_fallback(
    store: MemorySessionStore, greeting: str
) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send(greeting)
    assert chat.text == texts.GREETING
    assert "menu:lapor" in chat.choice_ids


async def test_a_question_with_a_greeting_is_still_answered(store: MemorySessionStore) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send("Halo, apakah parsel lebaran harus dilaporkan?")
    assert chat.text != texts.GREETING and "Dasar hukum" in chat.text


async def test_an_answer_offers_its_next_steps_as_buttons(store: MemorySessionStore) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send("kalau parsel wajib lapor?")
    assert chat.text.startswith("Tergantung pemberinya.")
    labels = [c.label for r in chat.last for c in r.choices]
    assert labels[:2] == ["Cek wajib lapor", "Lapor sekarang"]
    assert "Membantu" in labels
    await chat.press_label("Cek wajib lapor")
    assert "Siapa yang memberi?" in chat.last[-1].text


async def test_a_case_named_in_the_question_leads_the_answer(store: MemorySessionStore) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send("kado nikah dari vendor 500rb, wajib lapor?")
    assert chat.text.startswith("Dari rekanan atau vendor: tolak")


async def test_a_complaint_gets_an_apology_and_the_uppg_contact(
    store: MemorySessionStore,
) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send("jawabannya ga nyambung")
    assert chat.text.startswith("Mohon maaf, jawaban kami belum membantu.")
    assert "hubungi UPPG Inspektorat" in chat.text
    assert "menu:lapor" in chat.choice_ids


async def test_asking_for_a_person_gets_the_contact(store: MemorySessionStore) -> None:
    chat = ChatDriver(Dispatcher(store, services(None)))
    await chat.send("bisa bicara dengan petugas?")
    assert chat.text.startswith("Saya gratibot") and "hubungi UPPG Inspektorat" in chat.text
