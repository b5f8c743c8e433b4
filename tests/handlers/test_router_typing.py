"""Commands and menu labels typed instead of pressed, greetings and thanks (QA regressions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sessions import SessionStore
from bot.store.database import Database
from handlers import texts
from handlers.session import Session
from tests.driver import ChatDriver
from tests.handlers.declaration_script import declaration_dispatcher, declaration_services


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    return ChatDriver(declaration_dispatcher(store, declaration_services(database, tmp_path)))


@pytest.mark.parametrize("typed", ["Lapor gratifikasi", "lapor", "LAPOR!"])
async def test_a_typed_menu_label_starts_the_flow_in_a_new_chat(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send(typed)
    assert "pemberitahuan data pribadi" in chat.text


async def test_typed_batal_cancels_a_form_and_ya_confirms(chat: ChatDriver) -> None:
    await start_draft(chat)
    await chat.send("batal")
    assert texts.CANCEL_CONFIRM in chat.text
    await chat.send("ya")
    assert texts.CANCELLED in chat.text


async def test_typed_gak_keeps_the_form(chat: ChatDriver) -> None:
    await start_draft(chat)
    await chat.send("batal")
    await chat.send("gak")
    assert texts.NOT_CANCELLED in chat.text and NEXT_QUESTION in chat.text


async def test_a_menu_word_inside_a_form_is_an_answer_not_a_command(chat: ChatDriver) -> None:
    await start_draft(chat)
    await chat.send("status")  # a (strange) position of the giver, not /status
    assert "instansi atau perusahaan" in chat.last[-1].text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Halo", texts.GREETING),
        ("assalamualaikum", texts.GREETING),
        ("makasih", texts.THANKS),
        ("tidak", texts.ACKNOWLEDGED),
        ("ok", texts.ACKNOWLEDGED),
        ("👍", texts.ACKNOWLEDGED),
        ("makasih infonya pak 🙏", texts.THANKS),
        ("dadah", texts.BYE),
    ],
)
async def test_greetings_and_thanks_get_a_friendly_menu(
    chat: ChatDriver, typed: str, expected: str
) -> None:
    await chat.send(typed)
    assert chat.texts == [expected]
    assert "menu:lapor" in chat.choice_ids


NEXT_QUESTION = "jabatan atau pekerjaan Andi Wijaya"


async def start_draft(chat: ChatDriver) -> None:
    """A declaration with one answer typed (the giver's name), step by step."""
    await chat.send("/lapor")
    await chat.press("lapor:consent:ya")
    await chat.press("lapor:steps")
    await chat.press("lapor:report_type:penerimaan")
    await chat.send("Andi Wijaya")
    assert NEXT_QUESTION in chat.last[-1].text


@pytest.mark.parametrize("command", ["/cek", "/jawab"])
async def test_another_flow_mid_declaration_keeps_the_draft(chat: ChatDriver, command: str) -> None:
    await start_draft(chat)
    await chat.send(command)
    assert texts.DRAFT_PARKED in chat.text
    await chat.send("/batal")  # leave /cek (nothing typed there yet)
    await chat.send("/lapor")
    assert "Anda masih punya draf" in chat.text
    await chat.press("lapor:resume")
    assert NEXT_QUESTION in chat.last[-1].text
    assert "tidak tersimpan" not in chat.text


async def test_a_menu_button_after_status_mid_check_leaves_the_check(chat: ChatDriver) -> None:
    await chat.send("/cek")
    await chat.press("cek:giver:rekanan")
    await chat.send("/status")
    await chat.press("menu:lapor")
    assert "pemberitahuan data pribadi" in chat.text


async def test_status_mid_declaration_asks_the_same_question_again(chat: ChatDriver) -> None:
    await start_draft(chat)
    await chat.send("/status")
    assert NEXT_QUESTION in chat.last[-1].text
    assert "menu:cek" not in chat.choice_ids


@pytest.mark.parametrize(
    "typed",
    ["status laporan saya", "status laporan sy gmn", "pak, laporan sy udh sampai mana ya"],
)
async def test_asking_after_ones_own_report_shows_the_status(chat: ChatDriver, typed: str) -> None:
    await chat.send(typed)
    assert "Anda belum punya laporan gratifikasi" in chat.text


@pytest.mark.parametrize("typed", ["9" * 4096, "²", "٣" * 4096, "1" * 30, "9" * 5000])
async def test_odd_numbers_at_a_button_question_are_re_asked_not_errors(
    chat: ChatDriver, typed: str
) -> None:
    """A number is converted only when it is short ASCII digits (int() refuses more than
    4,300 digits and cannot read "²"): anything else is text, and the question is re-asked."""
    await chat.send("/lapor")
    await chat.send(typed)
    assert texts.ERROR not in chat.texts
    # The first question with buttons is the privacy notice's "Apakah Anda setuju?".
    expected = texts.TOO_LONG if len(typed) > 4096 else "pemberitahuan data pribadi"
    assert expected in chat.text
    await chat.send("1")  # the first button, by its number
    assert "Ceritakan singkat" in chat.text


@pytest.mark.parametrize(
    "typed",
    [
        "pak mau lapor gratifikasi",
        "saya mau lapor",
        "sy ingin melaporkan gratifikasi dong",
        "Assalamualaikum bu, mau laporin hadiah",
        "selamat siang min, saya mau lapor penolakan gratifikasi",
        # After an answer: a yes in front, "just" and "now" ("oke mau lapor aja" got suggestions).
        "oke mau lapor aja",
        "yaudah langsung lapor sekarang",
        "kalau gitu sy mau lapor aja deh",
    ],
)
async def test_a_short_wish_to_report_starts_the_declaration(chat: ChatDriver, typed: str) -> None:
    await chat.send(typed)
    assert "pemberitahuan data pribadi" in chat.text


async def test_a_wish_to_report_bribery_starts_the_concern_not_a_declaration(
    chat: ChatDriver,
) -> None:
    await chat.send("Assalamualaikum pak, saya mau lapor dugaan suap")
    direct = ChatDriver(chat.dispatcher, user_id="u2")
    await direct.send("/aduan")
    assert chat.texts == direct.texts and "pemberitahuan data pribadi" not in chat.text


@pytest.mark.parametrize("typed", ["mau lapor tapi takut", "mau lapor gratifikasi gimana caranya"])
async def test_a_wish_with_more_in_it_is_a_question_not_a_command(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send(typed)
    assert "pemberitahuan data pribadi" not in chat.text


@pytest.mark.parametrize(("typed", "shown"), [("5", "belum punya laporan"), ("4", "dugaan suap")])
async def test_a_menu_number_beyond_the_buttons_on_screen_is_the_main_menus(
    chat: ChatDriver, store: SessionStore, typed: str, shown: str
) -> None:
    # Under an answer only its two feedback buttons are offered: "5" was "pilih nomor 1-6".
    async with store.conversation("test:u1") as conv:
        session = Session()
        session.offered = [["faq:up:x", "Membantu"], ["faq:down:x", "Tidak membantu"]]
        conv.save(session)
    await chat.send(typed)
    assert shown in chat.text
