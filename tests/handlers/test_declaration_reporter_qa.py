"""Reporter-side QA of "Lapor gratifikasi" (2 Dec 2026, second pass): what employees typed
that the form took wrongly, each typed here as it was typed in the chat."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.sessions import SessionStore
from bot.store.database import Database
from handlers.context import Services
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    declaration_dispatcher,
    declaration_services,
)


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    services: Services = declaration_services(database, tmp_path / "files")
    clock = Clock(datetime(2026, 12, 2, 10, tzinfo=JAKARTA))  # a Wednesday
    return ChatDriver(declaration_dispatcher(store, services, clock))


async def _story(chat: ChatDriver, story: str) -> str:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(story)
    return chat.last[-1].text


# --- named days ---------------------------------------------------------------------------


async def test_a_holiday_in_the_story_is_its_latest_date_shown_and_confirmed(
    chat: ChatDriver,
) -> None:
    understood = await _story(
        chat, "pas hari guru kemarin wali murid ngasih batik ke saya di sekolah, kira2 300rb"
    )
    # Shown with its name: "Benar, lanjut" confirms the date the deadlines are counted from.
    assert "Tanggal: Rabu, 25 November 2026 (Hari Guru)" in understood


async def test_natal_typed_in_december_is_last_christmas_not_this_years(
    chat: ChatDriver,
) -> None:
    understood = await _story(chat, "pas natal kemarin dapat parsel dari vendor, kira2 1 jt")
    assert "Kamis, 25 Desember 2025 (Natal)" in understood
    assert "2026 (Natal)" not in understood


async def test_a_holiday_date_corrected_at_the_show_back_takes_the_day_typed(
    chat: ChatDriver,
) -> None:
    understood = await _story(
        chat, "waktu lebaran dapat amplop dari kontraktor, isinya 2 juta, di rumah"
    )
    assert "Sabtu, 21 Maret 2026 (Idul Fitri)" in understood
    await chat.send("tanggalnya salah, tgl 23 maret")
    assert "Senin, 23 Maret 2026" in chat.last[-1].text
    assert "(Idul Fitri)" not in chat.last[-1].text
