"""The WhatsApp channel end to end: webhook in, flows, Graph API out (stub on loopback)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import redis.asyncio as aioredis
from cryptography.fernet import Fernet

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.channels.whatsapp.channel import WhatsAppChannel, iter_messages
from bot.channels.whatsapp.graph import NOT_DOWNLOADED_MESSAGE, WRONG_TYPE_MESSAGE
from bot.channels.whatsapp.ids import WhatsAppIds
from bot.channels.whatsapp.window import last_inbound, window_open
from bot.config import Settings
from bot.crypto import Cipher
from bot.messages import Attachment, Reply, choices
from bot.runtime import build_runtime
from handlers import router, texts
from handlers.context import Context
from handlers.flow import Flow
from handlers.ports import AttachmentRejected
from tests.whatsapp_stub import (
    PHONE_ID,
    WA_ID,
    GraphStub,
    Media,
    WhatsAppApp,
    WhatsAppUser,
    body_text,
    fixture,
    offered,
)

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
KINDS = choices(("jenis:barang", "Barang"), ("jenis:uang", "Uang"), ("jenis:lain", "Lainnya"))
CATEGORIES = choices(
    ("kat:makan", "Makanan"),
    ("kat:parsel", "Parsel hari raya dari rekanan kerja"),
    ("kat:tiket", "Tiket perjalanan"),
    ("kat:voucher", "Voucher belanja"),
    ("kat:acara", "Undangan acara"),
    ("kat:lain", "Lainnya"),
)
GIVERS = choices(*((f"dinas:{n}", f"Dinas nomor {n}") for n in range(1, 13)))


# A small test flow with every kind of question the WhatsApp channel must carry.
async def _start(ctx: Context) -> None:
    ctx.session.flow, ctx.session.state = "wa-demo", "jenis"
    ctx.ask("Apa yang Anda terima?", KINDS, free_text=False)


async def _resume(ctx: Context) -> None:
    questions = {
        "jenis": ("Apa yang Anda terima?", KINDS),
        "kategori": ("Termasuk kategori apa?", CATEGORIES),
        "pemberi": ("Dari instansi mana?", GIVERS),
        "nilai": ("Berapa perkiraan nilainya? Contoh: 1,5 jt", ()),
        "foto": ("Silakan kirim foto pemberiannya.", ()),
    }
    text, options = questions[ctx.session.state or "jenis"]
    ctx.ask(text, options, free_text=not options)


async def _handle(ctx: Context) -> None:
    state = ctx.session.state
    data = ctx.session.data
    if state in ("jenis", "kategori", "pemberi") and ctx.choice is None:
        ctx.say("Mohon pilih salah satu pilihan.")
        await _resume(ctx)
        return
    if state == "jenis":
        data["jenis"], ctx.session.state = ctx.choice, "kategori"
    elif state == "kategori":
        data["kategori"], ctx.session.state = ctx.choice, "pemberi"
    elif state == "pemberi":
        data["pemberi"], ctx.session.state = ctx.choice, "nilai"
    elif state == "nilai":
        data["nilai"], ctx.session.state = ctx.text, "foto"
    elif state == "foto":
        if not ctx.incoming.attachments:
            ctx.say("Mohon kirim foto, bukan teks.")
            await _resume(ctx)
            return
        attachment = ctx.incoming.attachments[0]
        assert attachment.download is not None
        try:
            content = await attachment.download()
        except AttachmentRejected as exc:
            ctx.say(f"Berkas {attachment.name} tidak dapat diterima: {exc}")
            await _resume(ctx)
            return
        ctx.say(
            "Terima kasih, laporan Anda tercatat.\n"
            f"Nomor: WA-1\nJenis: {data['jenis']}\nKategori: {data['kategori']}\n"
            f"Pemberi: {data['pemberi']}\nNilai: {data['nilai']}\n"
            f"Foto: {attachment.name}, {len(content)} byte"
        )
        ctx.session.reset_flow()
        return
    await _resume(ctx)


DEMO = Flow(name="wa-demo", start=_start, handle=_handle, resume=_resume)


@pytest.fixture
def demo_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(router.FLOWS, "wa-demo", DEMO)
    monkeypatch.setitem(router.COMMAND_FLOWS, "demo", "wa-demo")


@pytest.fixture
def alice(wa_app: WhatsAppApp, graph_stub: GraphStub) -> WhatsAppUser:
    return WhatsAppUser(client=wa_app.client, stub=graph_stub)


def channel(wa_app: WhatsAppApp) -> WhatsAppChannel:
    sender = wa_app.runtime.senders["whatsapp"]
    assert isinstance(sender, WhatsAppChannel)
    return sender


@pytest.mark.usefixtures("demo_flow")
async def test_a_whole_report_through_buttons_lists_numbers_and_typing(
    alice: WhatsAppUser, graph_stub: GraphStub
) -> None:
    graph_stub.media["880000000000001"] = Media(JPEG, "image/jpeg")

    await alice.type("/demo")
    assert alice.last_interactive is not None
    assert alice.last_interactive["interactive"]["type"] == "button"
    assert offered(alice.last_interactive) == [(c.id, c.label) for c in KINDS]

    # Typing a button's label works like pressing it.
    await alice.type("uang")
    assert "kategori" in alice.text
    assert alice.last_interactive is not None
    assert alice.last_interactive["interactive"]["type"] == "list"

    # A list row is picked; its title was cut to 24 characters, the id is what counts.
    await alice.press("kat:parsel")
    assert "instansi" in alice.text
    (numbered,) = alice.new
    assert numbered["type"] == "text"
    assert "11. Dinas nomor 11" in numbered["text"]["body"]

    # A number outside the list is not a choice: the question comes again.
    await alice.type("13")
    assert "Mohon pilih" in alice.text
    await alice.type("11")
    assert "nilainya" in alice.text

    # A number typed as a free-text answer stays text.
    await alice.type("1500000")
    assert "foto" in alice.text

    await alice.type("nanti saja")
    assert "Mohon kirim foto" in alice.text
    await alice.deliver(alice.payload("image"))
    assert "laporan Anda tercatat" in alice.text
    assert "Jenis: jenis:uang" in alice.text
    assert "Kategori: kat:parsel" in alice.text
    assert "Pemberi: dinas:11" in alice.text
    assert "Nilai: 1500000" in alice.text
    assert f"{len(JPEG)} byte" in alice.text
    assert graph_stub.media_fetches == 1
    assert graph_stub.bad_auth == 0


@pytest.mark.usefixtures("demo_flow")
async def test_a_rejected_file_gets_a_clear_message_and_the_same_question(
    alice: WhatsAppUser, graph_stub: GraphStub, wa_app: WhatsAppApp
) -> None:
    limit = wa_app.runtime.settings.max_attachment_bytes
    graph_stub.media["880000000000001"] = Media(JPEG, "image/jpeg", declared_size=limit + 1)
    await alice.type("/demo")
    await alice.press("jenis:barang")
    await alice.press("kat:makan")
    await alice.type("1")
    await alice.type("200 ribu")
    await alice.deliver(alice.payload("image"))
    assert "tidak dapat diterima: ukurannya lebih dari 10 MB." in alice.text
    assert alice.text.endswith("Silakan kirim foto pemberiannya.")
    assert graph_stub.media_fetches == 0
    # The answers so far are kept: a good photo now finishes the report.
    graph_stub.media["880000000000001"] = Media(JPEG, "image/jpeg")
    await alice.deliver(alice.payload("image"))
    assert "Nilai: 200 ribu" in alice.text


async def test_media_download_enforces_size_and_type(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    wa = channel(wa_app)
    limit = wa.settings.max_attachment_bytes
    image, document = fixture("image"), fixture("document")
    (photo,) = list(iter_messages(image, PHONE_ID, wa.downloader, wa.ids))
    (doc,) = list(iter_messages(document, PHONE_ID, wa.downloader, wa.ids))
    assert photo.incoming is not None and doc.incoming is not None
    (picture,) = photo.incoming.attachments
    (pdf,) = doc.incoming.attachments
    assert (picture.kind, picture.mime_type, photo.incoming.text) == (
        "photo",
        "image/jpeg",
        "Foto parsel",
    )
    assert (pdf.kind, pdf.name, pdf.ref) == ("document", "undangan.pdf", "880000000000002")
    assert picture.download is not None and pdf.download is not None

    graph_stub.media["880000000000001"] = Media(JPEG, "image/jpeg")
    graph_stub.media["880000000000002"] = Media(b"%PDF-1.4 test", "application/pdf")
    assert await picture.download() == JPEG
    assert await pdf.download() == b"%PDF-1.4 test"

    # Meta says it is small, but more bytes arrive: cut off while streaming.
    graph_stub.media["880000000000001"] = Media(b"x" * (limit + 1), "image/jpeg", 10)
    with pytest.raises(AttachmentRejected, match="lebih dari 10 MB"):
        await picture.download()
    graph_stub.media["880000000000002"] = Media(b"MZ...", "application/x-msdownload")
    with pytest.raises(AttachmentRejected) as rejected:
        await pdf.download()
    assert str(rejected.value) == WRONG_TYPE_MESSAGE
    # An expired media id (the Graph API says 404): the user is asked to send it again.
    del graph_stub.media["880000000000002"]
    with pytest.raises(AttachmentRejected) as rejected:
        await pdf.download()
    assert str(rejected.value) == NOT_DOWNLOADED_MESSAGE


async def test_a_document_outside_a_form_is_answered_without_downloading(
    alice: WhatsAppUser, wa_app: WhatsAppApp
) -> None:
    # Outside a form the document is not downloaded; the bot answers as to any message.
    await alice.deliver(alice.payload("document"))
    assert alice.new
    assert alice.stub.media_fetches == 0


async def test_the_last_inbound_time_is_recorded_from_the_message(
    alice: WhatsAppUser, wa_app: WhatsAppApp
) -> None:
    store = wa_app.runtime.store
    ids = channel(wa_app).ids
    sent_at = int(time.time()) - 3600
    await alice.deliver(alice.payload("text", text={"body": "/start"}, timestamp=str(sent_at)))
    # Kept under the number's pseudonym, never the number.
    assert await last_inbound(store, WA_ID) is None
    assert await last_inbound(store, ids.user(WA_ID)) == datetime.fromtimestamp(sent_at, UTC)
    # A late redelivery of an older message never moves it back.
    await alice.deliver(alice.payload("text", text={"body": "/start"}, timestamp=str(sent_at - 60)))
    assert await last_inbound(store, ids.user(WA_ID)) == datetime.fromtimestamp(sent_at, UTC)
    assert await window_open(store, ids.user(WA_ID))
    assert not await window_open(store, ids.user("6281299999999"))


async def test_a_notification_inside_the_window_is_free_text(
    alice: WhatsAppUser, wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    await alice.type("/start")
    before = len(graph_stub.sent)
    note = Notification(
        Reply("Laporan GR-7 sedang diverifikasi UPPG."),
        template="status_update",
        params=("GR-7", "diverifikasi"),
    )
    # A reporter's chat id as the database keeps it: the number, encrypted.
    sealed = channel(wa_app).ids.chat(WA_ID)
    assert WA_ID not in sealed
    await channel(wa_app).notify(sealed, note)
    (message,) = graph_stub.sent[before:]
    assert message["type"] == "text"
    assert body_text(message) == "Laporan GR-7 sedang diverifikasi UPPG."


async def test_a_notification_after_24_hours_goes_out_as_a_template(
    alice: WhatsAppUser, wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    a_day_ago = int(time.time()) - 25 * 3600
    await alice.deliver(alice.payload("text", text={"body": "/start"}, timestamp=str(a_day_ago)))
    before = len(graph_stub.sent)
    note = Notification(
        Reply("Laporan GR-7 sudah diteruskan ke KPK.", choices(("status", "Lihat status"))),
        template="status_update",
        params=("GR-7", "diteruskan\nke KPK"),
    )
    await channel(wa_app).notify(channel(wa_app).ids.chat(WA_ID), note)
    (message,) = graph_stub.sent[before:]
    assert message["type"] == "template"
    assert message["to"] == WA_ID
    template = message["template"]
    settings = wa_app.runtime.settings
    assert template["name"] == settings.whatsapp_template_status_update
    assert template["language"] == {"code": "id"}
    assert template["components"] == [
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": "GR-7"},
                # Meta refuses new lines in parameters.
                {"type": "text", "text": "diteruskan ke KPK"},
            ],
        }
    ]


async def test_without_a_template_nothing_is_sent_outside_the_window(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        await channel(wa_app).notify("6281299999999", Notification(Reply("Halo")))
    assert failed.value.permanent
    with pytest.raises(DeliveryFailed):
        await channel(wa_app).notify(
            "6281299999999", Notification(Reply("Halo"), template="no-such-key")
        )
    assert graph_stub.sent == []


async def test_meta_refusing_free_text_falls_back_to_the_template(
    alice: WhatsAppUser, wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    await alice.type("/start")
    graph_stub.refuse_next = [131047]
    before = len(graph_stub.sent)
    note = Notification(Reply("Mohon lengkapi laporan GR-9."), template="uppg_question")
    await channel(wa_app).notify(WA_ID, note)
    (message,) = graph_stub.sent[before:]
    assert message["template"]["name"] == wa_app.runtime.settings.whatsapp_template_uppg_question
    params = message["template"]["components"][0]["parameters"]
    assert params == [{"type": "text", "text": "Mohon lengkapi laporan GR-9."}]


async def test_a_permanent_refusal_is_reported_and_a_transient_one_retried(
    alice: WhatsAppUser, wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    await alice.type("/start")
    graph_stub.refuse_next = [131026]  # receiver incapable: do not retry
    with pytest.raises(DeliveryFailed) as failed:
        await channel(wa_app).notify(WA_ID, Notification(Reply("Halo"), template="reminder"))
    assert failed.value.permanent
    graph_stub.refuse_next = [130429]  # rate limited: retried after a pause
    await channel(wa_app).notify(WA_ID, Notification(Reply("Halo lagi"), template="reminder"))
    assert body_text(graph_stub.sent[-1]) == "Halo lagi"


async def test_a_file_the_bot_sends_is_uploaded_then_sent_by_media_id(
    alice: WhatsAppUser, wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    pdf = b"%PDF-1.4 tanda terima"

    async def content() -> bytes:
        return pdf

    receipt = Attachment(
        kind="document",
        name="tanda-terima.pdf",
        mime_type="application/pdf",
        download=content,
    )
    await alice.type("/start")
    before = len(graph_stub.sent)
    await channel(wa_app).notify(
        WA_ID, Notification(Reply("Tanda terima:", attachments=(receipt,)))
    )
    document, text = graph_stub.sent[before:]
    (upload,) = graph_stub.uploads
    assert upload == {"id": upload["id"], "size": len(pdf), "type": "application/pdf"}
    assert document["document"] == {"id": upload["id"], "filename": "tanda-terima.pdf"}
    assert body_text(text) == "Tanda terima:"


@pytest.mark.usefixtures("demo_flow")
async def test_numbers_mean_the_numbered_list_only_while_it_is_the_question(
    alice: WhatsAppUser, wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    graph_stub.media["880000000000001"] = Media(JPEG, "image/jpeg")
    await alice.type("/demo")
    await alice.press("jenis:barang")
    await alice.press("kat:makan")
    # A "gangguan" notice in between leaves the numbered question standing.
    await channel(wa_app).send_replies(WA_ID, [Reply(texts.GANGGUAN)])
    await alice.type("12")
    assert "nilainya" in alice.text
    # The next question is free text: "3" is an answer, not the third instansi.
    await alice.type("3")
    assert "foto" in alice.text
    await alice.deliver(alice.payload("image"))
    assert "Pemberi: dinas:12\nNilai: 3\n" in alice.text


async def test_a_chat_id_that_does_not_decrypt_is_a_permanent_failure(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    other = Cipher(Fernet.generate_key())
    with pytest.raises(DeliveryFailed) as failed:
        await channel(wa_app).notify(other.encrypt(WA_ID) or "", Notification(Reply("Halo")))
    assert failed.value.permanent and graph_stub.sent == []


async def test_no_redis_key_or_value_holds_the_number(
    alice: WhatsAppUser, wa_app: WhatsAppApp, namespace: str, redis_url: str
) -> None:
    await alice.type("/start")
    await alice.deliver(alice.payload("sticker"))
    await alice.type("lapor")
    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [k.decode() async for k in client.scan_iter(match=f"{namespace}:*")]
        values = [str(await client.get(k)) for k in keys if await client.type(k) == b"string"]
    finally:
        await client.aclose()
    pseudonym = channel(wa_app).ids.user(WA_ID)
    assert any(pseudonym in k for k in keys), keys
    assert not any(WA_ID in k for k in keys + values), keys


async def test_keys_written_before_pseudonyms_are_renamed_at_start(
    wa_settings: Settings, redis_url: str, namespace: str
) -> None:
    client = aioredis.Redis.from_url(redis_url)
    wamid = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA"
    old = {
        f"{namespace}:session:whatsapp:{WA_ID}": "{}",
        f"{namespace}:value:wa-last-inbound:{WA_ID}": "2026-12-01T00:00:00+00:00",
        f"{namespace}:seen:wa-msg:{wamid}": "1",
        f"{namespace}:lock:whatsapp:{WA_ID}": "t",
        f"{namespace}:session:telegram:5151": "{}",
    }
    try:
        for key, value in old.items():
            await client.set(key, value, ex=3600)
        runtime = await build_runtime(wa_settings)
        try:
            ids = WhatsAppIds(runtime.cipher)
        finally:
            await runtime.close()
        keys = {k.decode() async for k in client.scan_iter(match=f"{namespace}:*")}
        assert keys == {
            f"{namespace}:session:whatsapp:{ids.user(WA_ID)}",
            f"{namespace}:value:wa-last-inbound:{ids.user(WA_ID)}",
            f"{namespace}:seen:wa-msg:{ids.message(wamid)}",
            f"{namespace}:session:telegram:5151",
        }
        # Renamed keys keep their expiry.
        assert 0 < await client.ttl(f"{namespace}:session:whatsapp:{ids.user(WA_ID)}") <= 3600
    finally:
        await client.aclose()


async def test_the_runtime_registers_whatsapp_only_when_fully_configured(
    wa_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = await build_runtime(wa_settings)
    try:
        assert isinstance(runtime.senders["whatsapp"], WhatsAppChannel)
    finally:
        await runtime.close()
    half = wa_settings.model_copy(update={"whatsapp_phone_number_id": None})
    runtime = await build_runtime(half)
    try:
        assert "whatsapp" not in runtime.senders
        assert "WHATSAPP_PHONE_NUMBER_ID" in caplog.text
    finally:
        await runtime.close()
