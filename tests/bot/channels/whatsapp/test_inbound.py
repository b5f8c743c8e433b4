"""What WhatsApp users really send, through the webhook and the Graph API stub: a press on a
list or a button, a number or a label typed instead, a voice note, a sticker, a location, a
contact card, a PDF or photo with a caption, an edited message, a reaction, a message that
arrives after the 24-hour window. Each gets a polite Indonesian answer or none (a reaction);
never a stack trace, never a number from a contact card in the logs or in Redis."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.channels.whatsapp.channel import NOTES, UNSUPPORTED_TEXT
from handlers import texts
from tests.whatsapp_stub import GraphStub, Media, WhatsAppApp, WhatsAppUser, offered, the_message

VCARD_NUMBER = "6281377788899"
PDF = b"%PDF-1.4 undangan pernikahan"


@pytest.fixture
def alice(wa_app: WhatsAppApp, graph_stub: GraphStub) -> WhatsAppUser:
    return WhatsAppUser(client=wa_app.client, stub=graph_stub)


def message_of(alice: WhatsAppUser, kind: str, **content: Any) -> dict[str, Any]:
    """A text fixture turned into a message of another type with this content."""
    payload = alice.payload("text")
    message = the_message(payload)
    del message["text"]
    message["type"] = kind
    message.update(content)
    return payload


def contact_card() -> dict[str, Any]:
    return {
        "contacts": [
            {
                "name": {"formatted_name": "Pak Andi Rekanan", "first_name": "Andi"},
                "phones": [{"phone": "+62 813-7778-8899", "wa_id": VCARD_NUMBER, "type": "CELL"}],
                "emails": [{"email": "andi@contoh.co.id", "type": "WORK"}],
            }
        ]
    }


def no_trace(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing went wrong in handling: no warning, no traceback."""
    bad = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


async def test_a_pressed_list_row_and_a_typed_number_pick_the_same_menu_item(
    alice: WhatsAppUser,
) -> None:
    await alice.type("halo")
    assert alice.last_interactive is not None
    assert alice.last_interactive["interactive"]["type"] == "list"
    menu = offered(alice.last_interactive)
    assert menu[1] == ("menu:cek", "Cek wajib lapor")
    await alice.press("menu:cek")
    pressed = alice.text
    assert "Cek wajib lapor (1/5)" in pressed
    # Another user types "2" at the same menu: the second row.
    budi = WhatsAppUser(client=alice.client, stub=alice.stub, wa_id="6281200000002")
    await budi.type("halo")
    await budi.type("2")
    assert budi.text == pressed


@pytest.mark.parametrize("typed", ["Cek wajib lapor", "cek wajib lapor 👍", "cek wajb lapor"])
async def test_a_menu_label_typed_with_an_emoji_or_a_typo_works_like_the_press(
    alice: WhatsAppUser, typed: str
) -> None:
    await alice.type("/start")
    await alice.type(typed)
    assert "Cek wajib lapor (1/5)" in alice.text


async def test_a_typed_button_label_answers_a_reply_button_question(
    alice: WhatsAppUser,
) -> None:
    await alice.type("/lapor")
    assert alice.last_interactive is not None
    assert alice.last_interactive["interactive"]["type"] == "button"
    labels = [title for _id, title in offered(alice.last_interactive)]
    assert labels == ["Ya, lanjutkan", "Nanti saja"]
    await alice.type("ya lanjutkan 🙏")
    assert "Ceritakan singkat pemberiannya" in alice.text


@pytest.mark.parametrize(
    ("kind", "content", "words"),
    [
        (
            "audio",
            {
                "audio": {
                    "id": "880000000000009",
                    "mime_type": "audio/ogg; codecs=opus",
                    "voice": True,
                }
            },
            "pesan suara",
        ),
        ("video", {"video": {"id": "880000000000010", "mime_type": "video/mp4"}}, "video"),
        (
            "sticker",
            {"sticker": {"id": "880000000000011", "mime_type": "image/webp", "animated": False}},
            "stiker",
        ),
        ("location", {"location": {"latitude": -6.9, "longitude": 107.6}}, "nama tempat"),
        ("contacts", contact_card(), "ketik nomornya"),
        (
            "unsupported",
            {"errors": [{"code": 131051, "title": "Message type unknown"}]},
            "teks, tombol",
        ),
    ],
)
async def test_a_message_the_bot_cannot_read_gets_a_note_saying_what_to_do(
    alice: WhatsAppUser,
    wa_app: WhatsAppApp,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    content: dict[str, Any],
    words: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    assert (await alice.deliver(message_of(alice, kind, **content))).status_code == 200
    (note,) = alice.new
    assert note["type"] == "text"
    body = note["text"]["body"]
    assert body == NOTES.get(kind, UNSUPPORTED_TEXT)
    assert words in body and body.startswith(("Maaf", "Terima kasih"))
    assert alice.stub.media_fetches == 0
    no_trace(caplog)


async def test_a_contact_card_in_the_middle_of_a_form_keeps_the_question_and_no_number(
    alice: WhatsAppUser,
    wa_app: WhatsAppApp,
    caplog: pytest.LogCaptureFixture,
    redis_url: str,
    namespace: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    await alice.type("/cek")
    question = alice.text
    await alice.deliver(message_of(alice, "contacts", **contact_card()))
    assert "kartu kontak" in alice.text
    # The question is still open: its first option, typed as a number, answers it.
    await alice.type("1")
    assert "(2/5)" in alice.text and alice.text != question
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (VCARD_NUMBER, "7778-8899", "andi@contoh.co.id", "Pak Andi Rekanan"):
        assert secret not in logged
    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [k.decode() async for k in client.scan_iter(match=f"{namespace}:*")]
        values = [str(await client.get(k)) for k in keys if await client.type(k) == b"string"]
    finally:
        await client.aclose()
    assert not any(VCARD_NUMBER in v or "andi@contoh" in v for v in keys + values)


async def test_a_reaction_or_a_removed_reaction_gets_no_answer(
    alice: WhatsAppUser, caplog: pytest.LogCaptureFixture
) -> None:
    await alice.type("/start")
    await alice.deliver(alice.payload("reaction"))
    assert alice.new == []
    removed = alice.payload("reaction")
    the_message(removed)["reaction"] = {"message_id": "wamid.OUT1"}
    await alice.deliver(removed)
    assert alice.new == []
    no_trace(caplog)


async def test_an_edited_message_is_not_taken_again_and_the_user_is_told(
    alice: WhatsAppUser,
) -> None:
    await alice.type("/start")
    edit = message_of(
        alice,
        "edit",
        edit={
            "original_message_id": "wamid.TESTold",
            "message": {"type": "text", "text": {"body": "lapor"}},
        },
    )
    await alice.deliver(edit)
    assert alice.text == NOTES["edit"]
    # Nothing started: the menu's numbers still mean the menu.
    await alice.type("2")
    assert "Cek wajib lapor (1/5)" in alice.text


@pytest.mark.parametrize(
    ("kind", "media"),
    [
        (
            "document",
            {
                "id": "880000000000002",
                "mime_type": "application/pdf",
                "filename": "undangan.pdf",
                "caption": "ini undangan dr vendor, wajib lapor ga?",
            },
        ),
        (
            "image",
            {
                "id": "880000000000001",
                "mime_type": "image/jpeg",
                "caption": "parsel dr rekanan kmrn, hrs lapor?",
            },
        ),
    ],
)
async def test_a_caption_outside_a_form_is_read_as_the_question(
    alice: WhatsAppUser, graph_stub: GraphStub, kind: str, media: dict[str, Any]
) -> None:
    graph_stub.media[media["id"]] = Media(PDF, "application/pdf")
    payload = message_of(alice, kind, **{kind: media})
    await alice.deliver(payload)
    # The caption is what the user asked: it gets an answer, not "cannot read that".
    assert alice.new
    assert UNSUPPORTED_TEXT not in alice.text
    assert texts.FAQ_UNKNOWN not in alice.text
    assert graph_stub.media_fetches == 0


async def test_a_message_that_arrives_after_the_window_gets_no_free_text(
    alice: WhatsAppUser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    two_days_ago = str(int(time.time()) - 48 * 3600)
    await alice.deliver(alice.payload("text", text={"body": "halo"}, timestamp=two_days_ago))
    assert alice.new == []
    late_sticker = message_of(alice, "sticker", sticker={"id": "1", "mime_type": "image/webp"})
    the_message(late_sticker)["timestamp"] = two_days_ago
    await alice.deliver(late_sticker)
    assert alice.new == []
    assert any("older than 24 hours" in r.getMessage() for r in caplog.records)
    no_trace(caplog)
    # Once the user writes again the window is open, and the bot answers.
    await alice.type("halo")
    assert texts.GREETING in alice.text


async def test_opening_the_chat_for_the_first_time_gets_the_greeting_and_the_menu(
    alice: WhatsAppUser,
) -> None:
    await alice.deliver(message_of(alice, "request_welcome"))
    assert texts.GREETING in alice.text
    assert alice.last_interactive is not None
    assert ("menu:lapor", "Lapor gratifikasi") in offered(alice.last_interactive)


async def test_a_row_of_an_earlier_list_or_an_unknown_id_gets_an_answer_not_an_error(
    alice: WhatsAppUser, caplog: pytest.LogCaptureFixture
) -> None:
    await alice.type("/cek")
    first = alice.last_interactive
    assert first is not None
    await alice.press("cek:giver:rekanan")
    assert "(2/5)" in alice.text
    # WhatsApp keeps old lists pressable: a row of the first question, pressed now.
    stale = alice.payload("button_reply")
    the_message(stale)["interactive"] = {
        "type": "list_reply",
        "list_reply": {"id": "cek:giver:atasan", "title": "Atasan"},
    }
    await alice.deliver(stale)
    assert alice.new and texts.ERROR not in alice.text
    # An id the bot never sent (an old version's button, a forged payload).
    forged = alice.payload("button_reply")
    the_message(forged)["interactive"] = {
        "type": "button_reply",
        "button_reply": {"id": "tidak:ada:tombol:ini", "title": "??"},
    }
    await alice.deliver(forged)
    assert alice.new and texts.ERROR not in alice.text
    no_trace(caplog)
