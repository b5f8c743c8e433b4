"""The two-way thread: the officer asks (change_status), the reporter answers through the
dispatcher with a photo, the UPPG chat receives both; nobody answers someone else's report."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import select

from bot.backoffice.outbox import OutboxWorker
from bot.backoffice.threads import DbThreads, ask_reporter
from bot.backoffice.workflow import change_status
from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.messages import Attachment, Choice, Reply
from bot.sessions import SessionStore
from bot.store.attachments import content_hmac
from bot.store.database import Database
from bot.store.models import DeclarationAttachment, ThreadMessage
from bot.store.sealed import FERNET_PREFIX
from handlers import statuses as st
from handlers import thread
from handlers.ask import NoFaq
from handlers.context import Services
from handlers.ports import Policy
from tests.bot.backoffice.kit import (
    PNG,
    Clock,
    RecordingSender,
    deliveries,
    files_of,
    new_declaration,
    uppg_settings,
    worker,
)
from tests.bot.channels.telegram.stub import BotApiStub, running_stub
from tests.driver import ChatDriver

QUESTION = "Mohon kirim foto kuitansi parsel."


def _dispatcher(store: SessionStore, db: Database, settings: Settings) -> Dispatcher:
    services = Services(
        policy=Policy(timezone=ZoneInfo("Asia/Jakarta"), calendar=work_calendar()),
        faq=NoFaq(),
        attachments=files_of(settings),
        threads=DbThreads(db),
    )
    return Dispatcher(store, services)


def _reporter_and_worker(
    database: Database, config: Settings, stub: BotApiStub
) -> tuple[RecordingSender, OutboxWorker]:
    """The reporter's channel (recorded) and a worker delivering to it and to the UPPG stub."""
    reporter = RecordingSender()
    run = worker(database, deliveries(database, config, stub, {"test": reporter}), Clock(), "w")
    return reporter, run


async def asked(database: Database, number: str) -> int:
    """A declaration of test:u1 the UPPG has asked QUESTION about; its id."""
    declaration_id = await new_declaration(database, number, user_key="test:u1")
    async with database.transaction() as session:
        await change_status(
            session,
            declaration_id,
            st.PERLU_DILENGKAPI,
            actor="sari",
            details={"message": QUESTION},
        )
    return declaration_id


def _file(name: str, mime: str, data: bytes) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(kind="photo", name=name, mime_type=mime, size=len(data), download=download)


async def test_officer_asks_reporter_answers_with_a_photo_uppg_receives_it(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        declaration_id = await new_declaration(database, "GRT-2026-000030", user_key="test:u1")
        reporter, run = _reporter_and_worker(database, config, stub)

        async with database.transaction() as session:
            await change_status(
                session,
                declaration_id,
                st.PERLU_DILENGKAPI,
                actor="sari",
                details={"message": QUESTION},
            )
        while await run.run_once():
            pass
        ((chat, notice),) = reporter.sent
        assert chat == "u1" and QUESTION in notice.reply.text

        dispatcher = _dispatcher(store, database, config)
        me = ChatDriver(dispatcher, user_id="u1", channel="test")
        me.last = [notice.reply]
        await me.press(f"jawab:{declaration_id}")
        assert QUESTION in me.text and "ketik jawaban" in me.text

        await me.send("")
        assert "belum terbaca" in me.text and "ketik jawaban" in me.text
        await me.send("", attachments=(_file("virus.exe", "application/x-msdownload", b"MZ"),))
        assert "tidak dapat diterima" in me.text and "ketik jawaban" in me.text
        await me.send("", attachments=(_file("kuitansi.png", "image/png", PNG),))
        assert "Lampiran diterima (1 berkas)" in me.text
        await me.send("Ini kuitansinya, nilainya Rp1.500.000.")
        assert "Kirim jawaban ini ke UPPG?" in me.text and "Lampiran: 1 berkas" in me.text
        await me.press("thread:kirim")
        assert "sudah dikirim ke UPPG" in me.text

        while await run.run_once():
            pass
        answers = [t for t in stub.texts() if "Jawaban Ani Lestari untuk GRT-2026-000030" in t]
        assert len(answers) == 1 and "Ini kuitansinya" in answers[0]
        (photo,) = stub.sent("sendPhoto")
        assert list(photo.files.values()) == [PNG]
        assert f"u:v:{declaration_id}" in str(stub.sent("sendMessage")[-1].params)

        async with database.sessions() as session:
            messages = list(
                (await session.execute(select(ThreadMessage).order_by(ThreadMessage.id))).scalars()
            )
            assert [(m.direction, m.text) for m in messages] == [
                ("to_reporter", QUESTION),
                ("from_reporter", "Ini kuitansinya, nilainya Rp1.500.000."),
            ]
            files = list((await session.execute(select(DeclarationAttachment))).scalars())
            assert [(f.thread_message_id, f.name) for f in files] == [
                (messages[1].id, "kuitansi.png")
            ]


async def test_an_answer_with_a_phone_and_address_is_sealed_in_the_database(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    """The reporter answers as people type, with a phone number and an address: the UPPG gets
    it in clear, the table holds neither the text nor the photo's plain SHA-256."""
    answer = "iya pak, sy ga py kuitansi. hub sy aja di 0812-3456-7890, rmh sy jl kenanga 12 rt 3"
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        await asked(database, "GRT-2026-000033")
        _, run = _reporter_and_worker(database, config, stub)
        me = ChatDriver(_dispatcher(store, database, config), user_id="u1", channel="test")
        await me.send("/jawab")
        assert QUESTION in me.text
        await me.send("", attachments=(_file("IMG_20261203.png", "image/png", PNG),))
        await me.send(answer)
        await me.press("thread:kirim")
        assert "sudah dikirim ke UPPG" in me.text
        while await run.run_once():
            pass
        answers = [t for t in stub.texts() if "Jawaban Ani Lestari untuk GRT-2026-000033" in t]
        assert len(answers) == 1 and "0812-3456-7890" in answers[0] and "kenanga" in answers[0]

    async with database.engine.connect() as conn:
        texts_raw = (await conn.execute(sa.text("SELECT text FROM thread_messages"))).scalars()
        hashes = (
            await conn.execute(sa.text("SELECT content_hmac FROM declaration_attachments"))
        ).scalars()
        texts_raw, hashes = list(texts_raw), list(hashes)
        # The question's copies: the status change that asked it, and its audit entry.
        copies = (
            await conn.execute(
                sa.text(
                    "SELECT note FROM status_changes UNION ALL "
                    "SELECT CAST(details AS TEXT) FROM audit_log"
                )
            )
        ).scalars()
        copies = list(copies)
    assert copies and not any("kuitansi" in str(c) for c in copies), copies
    assert len(texts_raw) == 2 and all(t.startswith(FERNET_PREFIX) for t in texts_raw)
    assert not any("0812" in t or "kenanga" in t or "kuitansi" in t for t in texts_raw)
    assert hashes == [content_hmac(cipher_from_settings(config), hashlib.sha256(PNG).hexdigest())]
    assert hashlib.sha256(PNG).hexdigest() not in hashes
    async with database.sessions() as session:
        read = (await session.execute(select(ThreadMessage.text).order_by(ThreadMessage.id))).all()
    assert [t for (t,) in read] == [QUESTION, answer]


async def test_a_reporter_cannot_answer_someone_elses_declaration(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    declaration_id = await asked(database, "GRT-2026-000031")
    dispatcher = _dispatcher(store, database, config)
    stranger = ChatDriver(dispatcher, user_id="u2", channel="test")
    await stranger.send("/jawab")
    assert thread.NOTHING_OPEN in stranger.text
    # As if the owner's notice had been forwarded to them.
    stranger.last = [Reply("x", (Choice(f"jawab:{declaration_id}", "Jawab pertanyaan UPPG"),))]
    await stranger.press(f"jawab:{declaration_id}")
    assert thread.NOT_FOUND in stranger.text
    assert QUESTION not in stranger.text

    owner = ChatDriver(dispatcher, user_id="u1", channel="test")
    await owner.send("/jawab")
    assert QUESTION in owner.text
    await owner.send("Sudah saya kirim lewat pos.")
    await owner.send("/batal")
    assert "Yakin" in owner.text


async def test_a_jawab_button_with_an_odd_id_is_not_an_error(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    from bot.messages import Incoming
    from handlers import texts

    dispatcher = _dispatcher(store, database, settings)
    for data in ("jawab:²", "jawab:" + "9" * 5000, f"jawab:{2**31}", "jawab:-1"):
        replies = await dispatcher.dispatch(Incoming("test", "u1", "u1", choice=data))
        assert replies and texts.ERROR not in [r.text for r in replies], data
        assert replies[0].text == thread.NOT_FOUND, data


async def test_a_refusal_reporter_is_asked_and_answers_and_the_uppg_can_record_it(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        declaration_id = await new_declaration(
            database, "GRT-2026-000032", report_type="penolakan", user_key="test:u1"
        )
        reporter, run = _reporter_and_worker(database, config, stub)
        async with database.transaction() as session:
            await ask_reporter(
                session,
                declaration_id,
                "Kapan parsel itu Anda kembalikan?",
                actor="siti",
                internal_note="pemberi rekanan dinas",
            )
        while await run.run_once():
            pass
        ((chat, notice),) = reporter.sent
        assert chat == "u1" and "Kapan parsel itu Anda kembalikan?" in notice.reply.text
        assert "rekanan dinas" not in notice.reply.text

        me = ChatDriver(_dispatcher(store, database, config), user_id="u1", channel="test")
        me.last = [notice.reply]
        await me.press(f"jawab:{declaration_id}")
        await me.send("hari senin kemarin, diantar balik ke kantornya")
        await me.press("thread:kirim")
        assert "sudah dikirim ke UPPG" in me.text
        while await run.run_once():
            pass
        answers = [t for t in stub.texts() if "Jawaban Ani Lestari untuk GRT-2026-000032" in t]
        assert len(answers) == 1 and "diantar balik" in answers[0]
        # The group may now record the refusal from the answer.
        assert f"u:c:{declaration_id}" in str(stub.sent("sendMessage")[-1].params)


async def test_words_typed_under_the_confirmation_send_or_add_never_replace(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    # "Selesai" typed where "Kirim ke UPPG" was offered became the answer, and the answer
    # typed before it was gone.
    config = uppg_settings(settings)
    await asked(database, "GRT-2026-000033")
    me = ChatDriver(_dispatcher(store, database, config), user_id="u1", channel="test")
    await me.send("/jawab")
    await me.send("Jamnya merk Seiko")
    await me.send("kartu ucapannya sudah saya buang")
    assert "Jamnya merk Seiko\nkartu ucapannya sudah saya buang" in me.text
    await me.send("selesai ya pak")
    assert "sudah dikirim ke UPPG" in me.text
    async with database.sessions() as session:
        texts = (
            (
                await session.execute(
                    select(ThreadMessage.text).where(ThreadMessage.direction == "from_reporter")
                )
            )
            .scalars()
            .all()
        )
    assert texts == ["Jamnya merk Seiko\nkartu ucapannya sudah saya buang"]


async def test_a_reply_with_a_photo_a_remark_and_a_question_back_is_all_kept(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    await asked(database, "GRT-2026-000034")
    me = ChatDriver(_dispatcher(store, database, config), user_id="u1", channel="test")
    await me.send("/jawab")
    await me.send("ini fotonya pak", attachments=(_file("kuitansi.png", "image/png", PNG),))
    assert "Lampiran diterima (1 berkas)" in me.text
    assert "ini fotonya pak" in me.text and "Kirim jawaban ini ke UPPG?" in me.text
    await me.send("udah sy kirim td lewat email juga")
    await me.send("maksudnya kuitansi yg asli atau fotokopi?")
    assert "ini fotonya pak\nudah sy kirim td lewat email juga\nmaksudnya" in me.text
    await me.send("ok kirim")
    assert "sudah dikirim ke UPPG" in me.text
    assert "Pertanyaan Anda ikut terkirim" in me.text
    async with database.sessions() as session:
        (answer,) = (
            (
                await session.execute(
                    select(ThreadMessage).where(ThreadMessage.direction == "from_reporter")
                )
            )
            .scalars()
            .all()
        )
        files = list((await session.execute(select(DeclarationAttachment))).scalars())
    assert answer.text == (
        "ini fotonya pak\nudah sy kirim td lewat email juga\n"
        "maksudnya kuitansi yg asli atau fotokopi?"
    )
    assert [(f.thread_message_id, f.name) for f in files] == [(answer.id, "kuitansi.png")]


async def test_photos_alone_then_done_words_send_the_photos_not_the_words(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    # "udah itu aja" after the photos became the answer's text.
    config = uppg_settings(settings)
    await asked(database, "GRT-2026-000035")
    me = ChatDriver(_dispatcher(store, database, config), user_id="u1", channel="test")
    await me.send("/jawab")
    await me.send("", attachments=(_file("kuitansi.png", "image/png", PNG),))
    assert "Lampiran diterima (1 berkas)" in me.text
    await me.send("udah itu aja")
    assert "(lampiran saja)" in me.text and "Lampiran: 1 berkas" in me.text
    await me.send("kirim")
    assert "sudah dikirim ke UPPG" in me.text and "Pertanyaan Anda" not in me.text
    async with database.sessions() as session:
        texts = (
            (
                await session.execute(
                    select(ThreadMessage.text).where(ThreadMessage.direction == "from_reporter")
                )
            )
            .scalars()
            .all()
        )
    assert texts == [""]


async def test_a_yes_typed_after_the_photo_is_kept_as_the_answer(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    # "udah" (yes, already) typed after the photo was taken for "that is all" and dropped:
    # the confirmation showed "(lampiran saja)" and the answer went without it.
    config = uppg_settings(settings)
    await asked(database, "GRT-2026-000036")
    me = ChatDriver(_dispatcher(store, database, config), user_id="u1", channel="test")
    await me.send("/jawab")
    await me.send("", attachments=(_file("kuitansi.png", "image/png", PNG),))
    await me.send("udah")
    assert "(lampiran saja)" not in me.text and "Jawaban Anda:\nudah" in me.text
    await me.send("kirim")
    assert "sudah dikirim ke UPPG" in me.text
    async with database.sessions() as session:
        texts = (
            (
                await session.execute(
                    select(ThreadMessage.text).where(ThreadMessage.direction == "from_reporter")
                )
            )
            .scalars()
            .all()
        )
    assert texts == ["udah"]
