"""The dispatcher: lock -> load -> handlers -> save -> send, and what users see on failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.messages import Incoming, Reply
from bot.sessions import MemorySessionStore, RedisSessionStore, SessionStore
from handlers import router, texts
from handlers.ask import NoFaq
from handlers.context import Context, Services
from handlers.flow import Flow
from handlers.ports import Policy
from tests.conftest import RedisServer
from tests.driver import ChatDriver


@pytest.fixture
def store(any_store: SessionStore) -> SessionStore:
    """Every test here runs on both store implementations (the store contract)."""
    return any_store


def services() -> Services:
    return Services(
        policy=Policy(timezone=ZoneInfo("Asia/Jakarta"), calendar=work_calendar()), faq=NoFaq()
    )


def msg(text: str, user: str = "u1") -> Incoming:
    return Incoming(channel="test", user_id=user, chat_id=user, text=text)


async def counting_route(ctx: Context) -> None:
    """Increments a counter with a pause inside, so unlocked updates would be lost."""
    current = ctx.session.data.get("n", 0)
    await asyncio.sleep(0.002)
    ctx.session.data["n"] = current + 1
    ctx.say(f"n={current + 1}")


# A two-step flow registered for these tests: asks a name, then a city.
async def _start(ctx: Context) -> None:
    ctx.session.flow, ctx.session.state = "demo", "name"
    ctx.ask("Nama Anda?")


async def _handle(ctx: Context) -> None:
    if ctx.session.state == "name":
        ctx.session.data["name"] = ctx.text
        ctx.session.state = "city"
        ctx.ask("Kota Anda?")
    else:
        ctx.say(f"Halo {ctx.session.data['name']} dari {ctx.text}")
        ctx.session.reset_flow()


async def _resume(ctx: Context) -> None:
    ctx.ask("Nama Anda?" if ctx.session.state == "name" else "Kota Anda?")


DEMO = Flow("demo", _start, _handle, _resume, has_draft=lambda s: bool(s.data))


@pytest.fixture
def demo_flow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(router.FLOWS, "demo", DEMO)
    monkeypatch.setitem(router.COMMAND_FLOWS, "demo", "demo")
    yield


async def test_start_shows_the_menu(store: SessionStore) -> None:
    replies = await Dispatcher(store, services()).dispatch(msg("/start"))
    assert replies[0].text == texts.GREETING
    assert [c.label for c in replies[0].choices] == [
        "Lapor gratifikasi",
        "Cek wajib lapor",
        "Tanya aturan",
        "Status laporan",
        "Bantuan",
    ]


async def test_replies_are_sent_through_the_channel(store: SessionStore) -> None:
    sent: list[tuple[str, list[Reply]]] = []

    async def send(incoming: Incoming, replies: list[Reply]) -> None:
        sent.append((incoming.user_id, replies))

    replies = await Dispatcher(store, services()).dispatch(msg("/bantuan"), send)
    assert sent == [("u1", replies)]


async def test_concurrent_messages_of_one_user_are_serialised(store: SessionStore) -> None:
    dispatcher = Dispatcher(store, services(), route=counting_route, flood_max_messages=100)
    await asyncio.gather(*(dispatcher.dispatch(msg("x")) for _ in range(30)))
    session = await store.load("test:u1")
    assert session is not None and session.data["n"] == 30


async def test_a_restarted_process_continues_the_conversation(
    redis_url: str, namespace: str, demo_flow: None
) -> None:
    first = RedisSessionStore(aioredis.Redis.from_url(redis_url), namespace=namespace)
    chat = ChatDriver(Dispatcher(first, services()))
    await chat.send("/demo")
    await chat.send("Ani")
    await first.close()

    # A new process: new client, new dispatcher, same Redis.
    second = RedisSessionStore(aioredis.Redis.from_url(redis_url), namespace=namespace)
    chat = ChatDriver(Dispatcher(second, services()))
    await chat.send("Sleman")
    assert chat.texts == ["Halo Ani dari Sleman"]
    await second.close()


async def test_redis_outage_gives_gangguan_and_recovers(
    redis_server: RedisServer, demo_flow: None
) -> None:
    store = RedisSessionStore(
        aioredis.Redis.from_url(redis_server.url, socket_timeout=2, socket_connect_timeout=1),
        namespace="outage",
    )
    chat = ChatDriver(Dispatcher(store, services()))
    await chat.send("/demo")
    await chat.send("Budi")
    assert chat.texts == ["Kota Anda?"]

    redis_server.stop()
    await chat.send("Bantul")
    assert chat.texts == [texts.GANGGUAN]

    redis_server.start()
    await chat.send("Bantul")
    assert chat.texts == ["Halo Budi dari Bantul"]
    await store.close()


async def test_handler_error_keeps_the_session_and_hides_the_trace(
    store: SessionStore, demo_flow: None, caplog: pytest.LogCaptureFixture
) -> None:
    chat = ChatDriver(Dispatcher(store, services()))
    await chat.send("/demo")

    async def broken(ctx: Context) -> None:
        ctx.session.data["name"] = "should not be saved"
        raise ValueError("NIK 3404011234567890 exploded")

    with caplog.at_level(logging.ERROR):
        replies = await Dispatcher(store, services(), route=broken).dispatch(msg("Ani"))
    assert [r.text for r in replies] == [texts.ERROR]
    session = await store.load("test:u1")
    assert session is not None and session.state == "name" and session.data == {}

    await chat.send("Ani")
    assert chat.texts == ["Kota Anda?"]


async def test_flooding_user_is_told_once_then_dropped() -> None:
    store = MemorySessionStore()
    dispatcher = Dispatcher(store, services(), flood_max_messages=3, flood_window_seconds=60)
    results = [await dispatcher.dispatch(msg("/bantuan")) for _ in range(5)]
    assert all(r and r[0].text == texts.HELP for r in results[:3])
    assert [r.text for r in results[3]] == [texts.FLOOD]
    assert results[4] == []
    # Another user is not affected.
    assert (await dispatcher.dispatch(msg("/bantuan", user="u2")))[0].text == texts.HELP


async def test_cancel_asks_to_confirm_when_a_draft_would_be_lost(
    store: SessionStore, demo_flow: None
) -> None:
    chat = ChatDriver(Dispatcher(store, services()))
    await chat.send("/demo")
    await chat.send("/batal")
    # Nothing typed yet: cancelled at once.
    assert chat.texts[0] == texts.CANCELLED

    await chat.send("/demo")
    await chat.send("Ani")
    await chat.send("/batal")
    assert chat.texts == [texts.CANCEL_CONFIRM]
    await chat.send("2")  # typed number of "Tidak, lanjutkan"
    assert chat.texts == [texts.NOT_CANCELLED, "Kota Anda?"]

    await chat.send("/batal")
    await chat.send("ya, batalkan")  # typed label, any case
    assert chat.texts[0] == texts.CANCELLED
    session = await store.load("test:u1")
    assert session is not None and session.flow is None and session.data == {}


async def test_stale_button_in_a_flow_re_asks_the_step(
    store: SessionStore, demo_flow: None
) -> None:
    chat = ChatDriver(Dispatcher(store, services()))
    await chat.send("/demo")
    replies = await chat.dispatcher.dispatch(
        Incoming(channel="test", user_id="u1", chat_id="u1", choice="menu:lapor")
    )
    assert [r.text for r in replies] == [texts.UNSUPPORTED_CHOICE, "Nama Anda?"]


async def test_free_text_outside_flows_gets_an_honest_answer(store: SessionStore) -> None:
    replies = await Dispatcher(store, services()).dispatch(msg("parsel lebaran wajib lapor?"))
    assert replies[0].text == texts.FAQ_UNKNOWN


async def test_a_repeated_update_has_no_second_effect(store: SessionStore) -> None:
    dispatcher = Dispatcher(store, services(), route=counting_route)
    first = await dispatcher.dispatch(msg("x"), dedupe=("tg-update", "1001"))
    again = await dispatcher.dispatch(msg("x"), dedupe=("tg-update", "1001"))
    other = await dispatcher.dispatch(msg("x"), dedupe=("tg-update", "1002"))
    assert [r.text for r in first] == ["n=1"]
    assert again == []
    assert [r.text for r in other] == ["n=2"]


async def test_concurrent_duplicates_are_processed_once(store: SessionStore) -> None:
    dispatcher = Dispatcher(store, services(), route=counting_route)
    results = await asyncio.gather(
        *(dispatcher.dispatch(msg("x"), dedupe=("wa-msg", "wamid.1")) for _ in range(5))
    )
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 1]
    session = await store.load("test:u1")
    assert session is not None and session.data["n"] == 1


async def test_a_press_on_an_older_keyboard_has_no_effect(store: SessionStore) -> None:
    """Channels that tag keyboards (Telegram) get the stale press refused, the state kept."""
    sent: list[list[Reply]] = []
    tags = iter(["k1", "k2"])

    async def send(_incoming: Incoming, replies: list[Reply]) -> str | None:
        sent.append(replies)
        return next(tags)

    dispatcher = Dispatcher(store, services())
    await dispatcher.dispatch(msg("/start"), send)
    await dispatcher.dispatch(msg("/bantuan"), send)  # the live keyboard is now "k2"
    before = await store.load("test:u1")
    press = Incoming("test", "u1", "u1", choice="menu:lapor", keyboard="k1")
    assert await dispatcher.dispatch(press, send) == [Reply(texts.STALE_BUTTON)]
    after = await store.load("test:u1")
    assert after == before and after is not None and after.keyboard == "k2"
