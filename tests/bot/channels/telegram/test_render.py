"""The one layout of Telegram messages: splitting, joining, callback data and tags."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.channels.telegram import render
from bot.channels.telegram.render import (
    CHOOSE,
    MAX_CALLBACK_BYTES,
    MAX_TEXT,
    Outgoing,
    callback_data,
    new_tag,
    parse_callback,
    plan,
    resolve_callback,
    split_text,
    utf16_len,
)
from bot.messages import Attachment, Reply, choices
from bot.sessions import SessionStore


def test_short_text_is_one_message() -> None:
    assert split_text("Halo") == ["Halo"]


def test_long_text_splits_at_paragraphs_within_the_limit() -> None:
    paragraphs = [f"Paragraf {n}: " + "kata " * 150 for n in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(utf16_len(c) <= MAX_TEXT for c in chunks)
    assert all(c.startswith("Paragraf") for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_emoji_count_twice_and_words_without_spaces_are_cut() -> None:
    emoji_text = "🎁" * 3000
    chunks = split_text(emoji_text)
    assert [utf16_len(c) for c in chunks] == [4096, 1904]
    assert "".join(chunks) == emoji_text
    assert [len(c) for c in split_text("x" * 5000)] == [4096, 904]


async def test_long_choice_ids_become_short_tokens(store: SessionStore) -> None:
    assert await callback_data("menu:lapor", store, 60) == "menu:lapor"
    long_id = "faq:" + "pemberian-dari-rekanan-" * 5
    data = await callback_data(long_id, store, 60)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    # Stable: the same id always gives the same token, on every replica.
    assert await callback_data(long_id, store, 60) == data
    assert await resolve_callback(data, store) == long_id
    assert await resolve_callback("menu:lapor", store) == "menu:lapor"
    # A token whose id has expired stays as it is; the dispatcher calls it a stale button.
    assert await resolve_callback("~" + "0" * 40, store) == "~" + "0" * 40


def test_a_turns_replies_join_into_as_few_messages_as_fit() -> None:
    yes_no = choices(("ya", "Ya"), ("tidak", "Tidak"))
    photo = Attachment(kind="photo", name="nota.jpg")
    planned = plan([Reply("Baik, nilai Rp 1.500.000 dicatat."), Reply("Ada bukti foto?", yes_no)])
    assert planned == [Outgoing("Baik, nilai Rp 1.500.000 dicatat.\n\nAda bukti foto?", yes_no)]
    # Buttons stay under their own text; a file is a message of its own.
    planned = plan([Reply("Pilih:", yes_no), Reply("Catatan."), Reply("", attachments=(photo,))])
    assert [m.text for m in planned] == ["Pilih:", "Catatan.", ""]
    assert planned[2].attachment == photo
    # Buttons without text join the text before them, or get a line of their own.
    assert plan([Reply("Pertanyaan?"), Reply("", yes_no)]) == [Outgoing("Pertanyaan?", yes_no)]
    assert plan([Reply("", yes_no)]) == [Outgoing(CHOOSE, yes_no)]
    # What would not fit one message is not joined.
    long = "kata " * 500
    assert len(plan([Reply(long), Reply(long)])) == 2


async def test_keyboards_carry_the_turns_tag(store: SessionStore) -> None:
    tag = new_tag()
    data = await callback_data("lapor:ya", store, 60, tag)
    assert data == f"lapor:ya|{tag}"
    assert parse_callback(data) == ("lapor:ya", tag)
    # Buttons sent outside a turn (notifications), and those from before tags, have none.
    assert parse_callback("jawab:12") == ("jawab:12", None)
    # A long id becomes a token, still tagged and within Telegram's 64 bytes.
    long_id = "faq:" + "pemberian-dari-rekanan-" * 3
    token = await callback_data(long_id, store, 60, tag)
    assert len(token.encode()) <= MAX_CALLBACK_BYTES
    untagged, found = parse_callback(token)
    assert found == tag and await resolve_callback(untagged, store) == long_id


def _press(data: str, rows: list[list[dict[str, str]]]) -> dict[str, Any]:
    return {
        "update_id": 9,
        "callback_query": {
            "id": "q9",
            "from": {"id": 7, "is_bot": False, "first_name": "Sari"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 31,
                "date": 0,
                "chat": {"id": 7, "type": "private"},
                "text": "Apakah pemberian sudah Anda terima?",
                "reply_markup": {"inline_keyboard": rows},
            },
        },
    }


def test_a_press_keeps_only_the_pressed_button() -> None:
    rows = [
        [{"text": "Ya, sudah", "callback_data": "lapor:ya|Xy3_"}],
        [{"text": "Belum", "callback_data": "lapor:belum|Xy3_"}],
        [{"text": "Batal", "callback_data": "batal|Xy3_"}],
    ]
    body = _press("lapor:belum|Xy3_", rows)
    slim = render.only_pressed_button(body)
    markup = slim["callback_query"]["message"]["reply_markup"]
    assert markup == {"inline_keyboard": [[{"text": "Belum", "callback_data": "lapor:belum|Xy3_"}]]}
    # Everything else is untouched, the original body too.
    assert slim["callback_query"]["message"]["text"] == "Apakah pemberian sudah Anda terima?"
    assert len(body["callback_query"]["message"]["reply_markup"]["inline_keyboard"]) == 3
    # The label the channel shows as "✅ Belum" is still found.
    update = Update.de_json(slim, None)
    assert update is not None and update.callback_query is not None
    message = update.callback_query.message
    assert isinstance(message, Message)
    assert render.pressed_label(message.reply_markup, "lapor:belum|Xy3_") == "Belum"


def test_a_press_on_a_button_no_longer_shown_keeps_no_button() -> None:
    body = _press("lapor:ya|old1", [[{"text": "Lanjut", "callback_data": "lanjut|new2"}]])
    slim = render.only_pressed_button(body)
    assert slim["callback_query"]["message"]["reply_markup"] == {"inline_keyboard": []}
    # A typed message and a press without a keyboard pass as they are.
    typed = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "halo"}}
    assert render.only_pressed_button(typed) is typed
    bare = _press("x", [])
    del bare["callback_query"]["message"]["reply_markup"]
    assert render.only_pressed_button(bare) is bare
