"""Rendering replies within WhatsApp's limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.whatsapp.render import (
    BUTTON_TITLE_LIMIT,
    INTERACTIVE_BODY_LIMIT,
    NUMBERED_HINT,
    ROW_TITLE_LIMIT,
    TEXT_LIMIT,
    render,
    split_text,
)
from bot.messages import Reply, choices


def test_plain_text_is_one_text_message() -> None:
    rendered = render(Reply("Halo"))
    assert rendered.messages == [{"type": "text", "text": {"body": "Halo", "preview_url": False}}]
    assert rendered.numbered == ()


def test_long_text_is_split_at_line_ends_within_the_limit() -> None:
    text = "\n".join(f"Baris {n} " + "x" * 60 for n in range(200))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= TEXT_LIMIT for p in parts)
    assert "\n".join(parts) == text
    messages = render(Reply(text)).messages
    assert [m["text"]["body"] for m in messages] == parts


def test_a_word_longer_than_the_limit_is_cut() -> None:
    parts = split_text("y" * (TEXT_LIMIT + 10))
    assert [len(p) for p in parts] == [TEXT_LIMIT, 10]


def test_up_to_three_short_choices_are_reply_buttons() -> None:
    reply = Reply("Diterima atau ditolak?", choices(("t", "Diterima"), ("d", "Ditolak")))
    (message,) = render(reply).messages
    interactive = message["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"]["text"] == "Diterima atau ditolak?"
    assert interactive["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": "t", "title": "Diterima"}},
        {"type": "reply", "reply": {"id": "d", "title": "Ditolak"}},
    ]


def test_a_label_too_long_for_a_button_makes_a_list_with_the_full_label() -> None:
    long_label = "Barang atau parsel makanan lebaran"
    assert len(long_label) > ROW_TITLE_LIMIT > BUTTON_TITLE_LIMIT
    (message,) = render(Reply("Jenis?", choices(("a", "Uang"), ("b", long_label)))).messages
    interactive = message["interactive"]
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert rows[0] == {"id": "a", "title": "Uang"}
    assert len(rows[1]["title"]) <= ROW_TITLE_LIMIT
    assert rows[1]["title"].endswith("…")
    assert rows[1]["description"] == long_label
    assert len(interactive["action"]["button"]) <= BUTTON_TITLE_LIMIT


def test_four_to_ten_choices_are_a_list() -> None:
    options = choices(*((f"c{n}", f"Pilihan {n}") for n in range(1, 11)))
    (message,) = render(Reply("Pilih satu:", options)).messages
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert message["interactive"]["type"] == "list"
    assert [r["id"] for r in rows] == [f"c{n}" for n in range(1, 11)]


def test_more_than_ten_choices_are_a_numbered_text_list() -> None:
    options = choices(*((f"c{n}", f"Pilihan {n}") for n in range(1, 13)))
    rendered = render(Reply("Pilih satu:", options))
    (message,) = rendered.messages
    body = message["text"]["body"]
    assert body.startswith("Pilih satu:")
    assert "\n1. Pilihan 1\n" in body
    assert "12. Pilihan 12" in body
    assert body.endswith(NUMBERED_HINT)
    assert rendered.numbered == options


def test_duplicate_titles_after_cutting_fall_back_to_numbers() -> None:
    options = choices(
        ("a", "Pemberian dari rekanan kerja A"), ("b", "Pemberian dari rekanan kerja B")
    )
    rendered = render(Reply("Dari siapa?", options))
    assert rendered.messages[0]["type"] == "text"
    assert rendered.numbered == options


def test_a_long_question_goes_first_as_text_then_the_buttons() -> None:
    text = ("Kalimat penjelasan. " * 80).strip() + "\nLanjutkan?"
    assert len(text) > INTERACTIVE_BODY_LIMIT
    messages = render(Reply(text, choices(("y", "Ya"), ("n", "Tidak")))).messages
    assert [m["type"] for m in messages] == ["text", "interactive"]
    body = messages[1]["interactive"]["body"]["text"]
    assert len(body) <= INTERACTIVE_BODY_LIMIT
    assert body.endswith("Lanjutkan?")


def test_choices_without_text_get_a_short_body() -> None:
    (message,) = render(Reply("", choices(("y", "Ya")))).messages
    assert message["interactive"]["body"]["text"] == "Silakan pilih:"


@given(st.text(alphabet=st.sampled_from("ab \n\nxyz"), max_size=400), st.integers(5, 60))
def test_split_text_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    # Only whitespace at the cuts may go.
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_a_cut_row_title_ends_at_a_word_not_inside_one() -> None:
    options = choices(
        ("lapor:report_type:penerimaan", "Penerimaan (saya menerima pemberian)"),
        ("lapor:report_type:penolakan", "Penolakan (saya menolak pemberian)"),
        ("cek:occasion:pisah", "Pisah sambut/pensiun/mutasi"),
        ("x", "Uang"),
    )
    (message,) = render(Reply("Apa jenis laporan Anda?", options)).messages
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == [
        "Penerimaan (saya…",
        "Penolakan (saya menolak…",
        "Pisah sambut/pensiun…",
        "Uang",
    ]
    # The whole label is under the cut title.
    assert rows[0]["description"] == "Penerimaan (saya menerima pemberian)"
    assert rows[2]["description"] == "Pisah sambut/pensiun/mutasi"
    assert "description" not in rows[3]
