"""A story typed at the menu is never lost: "mau lapor, ..." starts the form with it, and a
story asked as a question keeps it for "Lapor sekarang" under the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sessions import SessionStore
from bot.store.database import Database
from tests.driver import ChatDriver
from tests.handlers.declaration_script import declaration_dispatcher, declaration_services


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    return ChatDriver(declaration_dispatcher(store, declaration_services(database, tmp_path)))


STORY_KEPT = "Cerita Anda sudah saya simpan"
READ_BACK = "Yang saya tangkap dari cerita Anda"


@pytest.mark.parametrize(
    "typed",
    [
        "mau lapor, kemarin sore sy dpt parsel dr pt maju jaya isinya kue sm sarung, kira2 750rb",
        "Saya ingin melaporkan pemberian uang 2 juta dari kontraktor tgl 28 nov di kantor",
        "lapor pak, td pagi dikasih amplop 500rb sm rekanan cv sumber rezeki",
    ],
)
async def test_a_wish_to_report_with_the_story_starts_the_form_with_it(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send(typed)
    assert STORY_KEPT in chat.text and "pemberitahuan data pribadi" in chat.text
    await chat.press("lapor:consent:ya")
    assert READ_BACK in chat.text


async def test_the_story_reaches_its_fields(chat: ChatDriver) -> None:
    await chat.send(
        "mau lapor, kemarin sore sy dpt parsel dr pt maju jaya isinya kue sm sarung, kira2 750rb"
    )
    await chat.press("lapor:consent:ya")
    assert "PT maju jaya" in chat.text and "Rp750.000" in chat.text


async def test_a_story_asked_as_a_question_goes_along_with_lapor_sekarang(
    chat: ChatDriver,
) -> None:
    await chat.send("kemarin sy dpt parsel dr pt maju jaya isinya kue, kira2 750rb, hrs lapor?")
    assert STORY_KEPT not in chat.text  # a question: answered first
    await chat.press("menu:lapor")
    assert STORY_KEPT in chat.text
    await chat.press("lapor:consent:ya")
    assert READ_BACK in chat.text and "Rp750.000" in chat.text


async def test_the_kept_story_lives_for_one_turn_only(chat: ChatDriver) -> None:
    await chat.send("kemarin sy dpt parsel dr pt maju jaya isinya kue, kira2 750rb, hrs lapor?")
    await chat.send("makasih")
    await chat.press("menu:lapor")
    assert STORY_KEPT not in chat.text


@pytest.mark.parametrize(
    "typed", ["mau lapor ke kpk langsung bisa ga?", "mau lapor gratifikasi gimana caranya"]
)
async def test_a_question_about_reporting_is_answered_not_taken_as_a_story(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send(typed)
    assert STORY_KEPT not in chat.text and "pemberitahuan data pribadi" not in chat.text


async def test_a_greeting_in_front_of_the_wish_still_starts_the_form_with_the_story(
    chat: ChatDriver,
) -> None:
    await chat.send(
        "assalamualaikum pak, sy mau lapor, kemarin sore dapet amplop dr kontraktor isinya 2 juta"
    )
    assert STORY_KEPT in chat.text and "pemberitahuan data pribadi" in chat.text
    await chat.press("lapor:consent:ya")
    assert READ_BACK in chat.text and "Rp2.000.000" in chat.text


@pytest.mark.parametrize(
    "typed",
    [
        "sy mau lapor laptop kantor rusak ke siapa ya",
        "lapor pak, ada pegawai yg sering bolos",
        "mau lapor kehilangan motor dinas kemarin di parkiran",
    ],
)
async def test_a_wish_to_report_something_that_is_no_gift_does_not_start_the_form(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send(typed)
    assert "pemberitahuan data pribadi" not in chat.text and STORY_KEPT not in chat.text


@pytest.mark.parametrize(
    "typed",
    [
        "saya mau lapor bapak kepala dinas kasih saya batik tadi",
        "mau lapor td sore ada tamu nitip kue buat sy di pos satpam",
        "mau lapor, kmrn ditransfer 1,5jt sm pihak ketiga",
    ],
)
async def test_a_gift_told_without_the_word_gift_still_starts_the_form(
    chat: ChatDriver, typed: str
) -> None:
    await chat.send(typed)
    assert STORY_KEPT in chat.text
