"""Splitting long texts and short callback data for Telegram."""

from __future__ import annotations

from bot.channels.telegram.render import (
    MAX_CALLBACK_BYTES,
    MAX_TEXT,
    callback_data,
    resolve_callback,
    split_text,
    utf16_len,
)
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
