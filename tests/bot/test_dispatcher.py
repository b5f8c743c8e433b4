"""The dispatcher: lock -> load -> handlers -> save -> send, and what users see on failures."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis

from bot.dispatcher import MAX_TEXT_CHARS, Dispatcher
from bot.holidays_id import work_calendar
from bot.logs import RedactingFilter
from bot.messages import Attachment, Choice, Incoming, Reply
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
        "Lapor dugaan suap",
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
    dispatcher = Dispatcher(store, services())
    await dispatcher.dispatch(msg("/start"), keyboard="k1")
    await dispatcher.dispatch(msg("/bantuan"), keyboard="k2")  # the live keyboard is now "k2"
    before = await store.load("test:u1")
    press = Incoming("test", "u1", "u1", choice="menu:lapor", keyboard="k1")
    assert await dispatcher.dispatch(press, keyboard="k3") == [Reply(texts.STALE_BUTTON)]
    after = await store.load("test:u1")
    assert after == before and after is not None and after.keyboard == "k2"
    # A press on the live keyboard is taken, and its turn's buttons are live next.
    press = Incoming("test", "u1", "u1", choice="menu:bantuan", keyboard="k2")
    assert (await dispatcher.dispatch(press, keyboard="k4"))[0].text == texts.HELP
    session = await store.load("test:u1")
    assert session is not None and session.keyboard == "k4"


async def test_redis_killed_between_reply_and_unlock_leaves_no_answer_in_the_wrong_field(
    redis_server: RedisServer, demo_flow: None
) -> None:
    """The turn is saved before its reply goes out: Redis dying right after the reply was
    sent must not leave the next answer ("Bantul", the city) stored as the name."""
    store = RedisSessionStore.from_url(
        redis_server.url, namespace="reply-then-kill", lock_timeout=1, lock_wait=3
    )
    dispatcher = Dispatcher(store, services())
    await dispatcher.dispatch(msg("/demo"))
    sent: list[str] = []

    async def send_then_kill(_incoming: Incoming, replies: list[Reply]) -> None:
        sent.extend(r.text for r in replies)
        redis_server.stop()

    await dispatcher.dispatch(msg("Budi"), send_then_kill)
    assert sent == ["Kota Anda?"]
    redis_server.start()
    # The lock left behind by the dead unlock expires by itself (lock_timeout).
    replies = await dispatcher.dispatch(msg("Bantul"))
    assert [r.text for r in replies] == ["Halo Budi dari Bantul"]
    await store.close()


async def test_a_redis_restart_does_not_fail_the_first_request_on_an_old_connection(
    redis_server: RedisServer,
) -> None:
    store = RedisSessionStore.from_url(redis_server.url, namespace="restart")
    dispatcher = Dispatcher(store, services())
    assert (await dispatcher.dispatch(msg("/bantuan")))[0].text == texts.HELP
    # Restarted while idle: the pooled connection is dead, and only its next use shows it.
    redis_server.stop()
    redis_server.start()
    assert (await dispatcher.dispatch(msg("/bantuan")))[0].text == texts.HELP
    await store.close()


async def test_an_update_is_marked_handled_only_when_its_turn_is_saved(
    store: SessionStore,
) -> None:
    """A turn that fails (the process dies, a service is down) leaves its update free for the
    redelivery; only a saved turn makes a repeat a no-op."""
    failing = True

    async def route(ctx: Context) -> None:
        if failing:
            raise ConnectionError("redis gone mid-turn")
        await counting_route(ctx)

    dispatcher = Dispatcher(store, services(), route=route)
    first = await dispatcher.dispatch(msg("x"), dedupe=("wa-msg", "wamid.7"))
    assert [r.text for r in first] == [texts.GANGGUAN]
    failing = False
    again = await dispatcher.dispatch(msg("x"), dedupe=("wa-msg", "wamid.7"))
    assert [r.text for r in again] == ["n=1"]
    assert await dispatcher.dispatch(msg("x"), dedupe=("wa-msg", "wamid.7")) == []


async def test_a_full_disk_is_logged_with_its_meaning(
    store: SessionStore, caplog: pytest.LogCaptureFixture
) -> None:
    import errno

    async def route(_ctx: Context) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/var/attachments/ab/cdef")

    with caplog.at_level(logging.WARNING):
        replies = await Dispatcher(store, services(), route=route).dispatch(msg("x"))
    assert [r.text for r in replies] == [texts.GANGGUAN]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "ENOSPC" in logged and "No space left on device" in logged
    assert "/var/attachments" not in logged


async def test_a_text_over_the_limit_is_refused_and_nothing_is_stored(
    store: SessionStore, demo_flow: None
) -> None:
    chat = ChatDriver(Dispatcher(store, services()))
    await chat.send("/demo")
    before = await store.load("test:u1")
    pasted = "Nama saya Ani, alamat Jl. Merdeka " + "sangat panjang " * 300  # > 4,096
    assert len(pasted) > MAX_TEXT_CHARS
    replies = await Dispatcher(store, services()).dispatch(msg(pasted))
    assert [r.text for r in replies] == [texts.TOO_LONG]
    after = await store.load("test:u1")
    assert after is not None and before is not None and after.data == before.data == {}
    # The question is still open: a short answer goes into it.
    await chat.send("Ani")
    assert chat.texts == ["Kota Anda?"]


async def test_a_text_at_the_limit_reaches_the_flow(store: SessionStore, demo_flow: None) -> None:
    chat = ChatDriver(Dispatcher(store, services()))
    await chat.send("/demo")
    await chat.send("A" * MAX_TEXT_CHARS)
    assert chat.texts == ["Kota Anda?"]


async def test_a_refused_long_text_offers_the_open_question_buttons_again(
    store: SessionStore,
) -> None:
    dispatcher = Dispatcher(store, services())
    menu = await dispatcher.dispatch(msg("/start"))
    replies = await dispatcher.dispatch(msg("x" * 65_536))
    assert replies[0].text == texts.TOO_LONG
    assert replies[0].choices == menu[0].choices


async def test_a_failed_send_is_logged_with_its_traceback_scrubbed(store: SessionStore) -> None:
    async def broken_send(incoming: Incoming, replies: list[Reply]) -> None:
        raise ConnectionError("peer 0812-3456-7890 reset")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logging.getLogger("bot.dispatcher").addHandler(handler)
    try:
        await Dispatcher(store, services()).dispatch(msg("/bantuan"), broken_send)
    finally:
        logging.getLogger("bot.dispatcher").removeHandler(handler)
    printed = stream.getvalue()
    assert "sending to test failed: ConnectionError" in printed
    assert "Traceback" in printed and "broken_send" in printed  # where it failed
    assert "0812-3456-7890" not in printed and "<phone>" in printed


async def _asks_with_buttons(ctx: Context) -> None:
    current = ctx.session.data.get("n", 0)
    ctx.session.data["n"] = current + 1
    ctx.ask(f"Pertanyaan {current + 1}?", (Choice("ya", "Ya"), Choice("tidak", "Tidak")))


async def test_a_turn_saved_by_a_process_that_stopped_before_sending_is_sent_once_by_the_next(
    store: SessionStore,
) -> None:
    """The process that handled the update saved the turn and stopped before its replies went
    out: the one that takes the update over sends the saved replies (under its own keyboard
    tag, now the live one) instead of running the turn again or dropping it as a duplicate."""
    dispatcher = Dispatcher(store, services(), route=_asks_with_buttons)

    async def stops(_incoming: Incoming, _replies: list[Reply]) -> None:
        raise asyncio.CancelledError  # the process is stopped while it sends

    with pytest.raises(asyncio.CancelledError):
        await dispatcher.dispatch(msg("x"), stops, dedupe=("tg-update", "2001"), keyboard="k1")
    sent: list[Reply] = []

    async def send(_incoming: Incoming, replies: list[Reply]) -> None:
        sent.extend(replies)

    again = await dispatcher.dispatch(msg("x"), send, dedupe=("tg-update", "2001"), keyboard="k2")
    buttons = (Choice("ya", "Ya"), Choice("tidak", "Tidak"))
    assert sent == again == [Reply("Pertanyaan 1?", buttons)]
    session = await store.load("test:u1")
    assert session is not None and session.data["n"] == 1 and session.keyboard == "k2"
    # Sent: the update is done now, whoever gets it next.
    assert await dispatcher.dispatch(msg("x"), send, dedupe=("tg-update", "2001")) == []
    assert len(sent) == 1


async def test_a_saved_receipt_is_sent_again_with_its_file(store: SessionStore) -> None:
    pdf = b"%PDF-1.4 tanda terima"

    async def receipt(ctx: Context) -> None:
        async def download() -> bytes:
            return pdf

        file = Attachment("document", "tanda-terima.pdf", mime_type="application/pdf")
        file = dataclasses.replace(file, download=download)
        ctx.replies.append(Reply("Tanda terima laporan Anda.", attachments=(file,)))

    dispatcher = Dispatcher(store, services(), route=receipt)

    async def stops(_incoming: Incoming, _replies: list[Reply]) -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await dispatcher.dispatch(msg("x"), stops, dedupe=("wa-msg", "m-receipt"))
    (replayed,) = await dispatcher.dispatch(msg("x"), dedupe=("wa-msg", "m-receipt"))
    (file,) = replayed.attachments
    assert file.name == "tanda-terima.pdf" and file.mime_type == "application/pdf"
    assert file.download is not None and await file.download() == pdf


async def test_pending_replies_are_encrypted_in_redis(redis_url: str, namespace: str) -> None:
    from cryptography.fernet import Fernet

    from bot.crypto import Cipher

    client = aioredis.Redis.from_url(redis_url)
    store = RedisSessionStore(client, namespace=namespace, cipher=Cipher(Fernet.generate_key()))
    dispatcher = Dispatcher(store, services(), route=_asks_with_buttons)

    async def stops(_incoming: Incoming, _replies: list[Reply]) -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await dispatcher.dispatch(msg("x"), stops, dedupe=("tg-update", "3001"))
    record = await client.get(f"{namespace}:seen:tg-update:3001")
    assert record is not None and record.startswith(b"r") and b"Pertanyaan" not in record
    keys = [k async for k in client.scan_iter(f"{namespace}:*")]
    await client.delete(*keys)
    await client.aclose()
