"""FAQ feedback counts once per answer shown, however often its button is pressed."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.messages import Incoming
from bot.sessions import MemorySessionStore
from bot.store.database import Database
from bot.store.models import FaqFeedback
from handlers import ask
from handlers.context import Services
from handlers.ports import Policy
from tests.driver import ChatDriver

ROOT = Path(__file__).resolve().parents[2]


def services(db: Database) -> Services:
    return Services(
        policy=Policy(timezone=ZoneInfo("Asia/Jakarta"), calendar=work_calendar()),
        faq=DatabaseFaq(KnowledgeSource(ROOT / "knowledge"), db),
    )


async def votes(db: Database) -> list[tuple[str, bool]]:
    async with db.sessions() as session:
        return [(r.entry_id, r.helpful) for r in await session.scalars(select(FaqFeedback))]


async def test_fifty_presses_on_one_answer_are_one_vote(database: Database) -> None:
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=2, lock_wait=2)
    dispatcher = Dispatcher(store, services(database), flood_max_messages=1000)
    chat = ChatDriver(dispatcher)
    await chat.send("amplop kondangan wajib lapor gak")
    button = next(c for r in chat.last for c in r.choices if c.label == "Membantu")
    await chat.press(button.id)
    assert chat.texts[0] == ask.THANKS
    # The old button stays on the phone's screen: pressing it again counts nothing.
    for _ in range(49):
        replies = await dispatcher.dispatch(
            Incoming(
                channel=chat.channel, user_id=chat.user_id, chat_id=chat.user_id, choice=button.id
            )
        )
    assert replies[0].text == ask.ALREADY_COUNTED
    assert await votes(database) == [("pernikahan", True)]
    # The same answer shown again may get a vote of its own.
    await chat.send("amplop kondangan wajib lapor gak")
    await chat.press_label("Tidak membantu")
    assert await votes(database) == [("pernikahan", True), ("pernikahan", False)]


async def test_a_vote_for_an_answer_never_shown_is_not_counted(database: Database) -> None:
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=2, lock_wait=2)
    dispatcher = Dispatcher(store, services(database))
    forged = Incoming(channel="test", user_id="u9", chat_id="u9", choice="faqfb:pernikahan:1")
    replies = await dispatcher.dispatch(forged)
    assert replies[0].text == ask.ALREADY_COUNTED
    assert await votes(database) == []
