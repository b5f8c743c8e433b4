"""The declaration as the wave's personas typed it (2 Dec 2026): each fix in the words typed."""

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


async def _step_by_step(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send("per langkah")
    await chat.send("terima")


async def test_pak_camat_typed_again_is_the_givers_name_and_the_counter_stays(
    chat: ChatDriver,
) -> None:
    await _step_by_step(chat)
    assert chat.last[-1].text.startswith("Langkah 2/")
    await chat.send("Pak Camat")
    asked = chat.last[-1].text
    assert "Jabatan pemberi: Camat" in asked
    assert "Langkah 2/" in asked and "Langkah 3/" not in asked
    # The narrower question only, once: not the giver question again under it.
    assert asked.count("Siapa") == 1 and "Siapa nama beliau?" in asked
    await chat.send("Pak Camat")
    asked = chat.last[-1].text
    assert "Nama pemberi: Pak Camat" in asked
    assert "Dari instansi atau perusahaan apa Pak Camat?" in asked


async def test_a_company_typed_again_at_the_givers_name_names_the_giver(
    chat: ChatDriver,
) -> None:
    await _step_by_step(chat)
    await chat.send("PT Bumi Hijau, yang kirim orang kurirnya")
    assert "Siapa nama beliau?" in chat.last[-1].text
    await chat.send("PT Bumi Hijau, yang kirim orang kurirnya")
    asked = chat.last[-1].text
    assert "Nama pemberi: PT Bumi Hijau" in asked
    assert "Siapa nama beliau?" not in asked


async def test_a_name_typed_after_pak_camat_is_the_name(chat: ChatDriver) -> None:
    await _step_by_step(chat)
    await chat.send("Pak Camat")
    await chat.send("Pak Budi Hartono")
    asked = chat.last[-1].text
    assert "Siapa nama beliau?" not in asked
    assert "Budi Hartono" in asked
