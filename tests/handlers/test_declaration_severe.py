"""The severe form bugs of issue 12, each as the reporter met it (these failed before the fix)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.sessions import MemorySessionStore, SessionStore
from bot.store.database import Database
from handlers import texts
from handlers.session import Session
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    Declarant,
    answer_until,
    complete_declaration,
    declaration_dispatcher,
    declaration_services,
)

# Wednesday 2 December 2026, the day the reporter met bug 2.
TODAY = datetime(2026, 12, 2, 10, tzinfo=JAKARTA)


@pytest.fixture
def store() -> SessionStore:
    return MemorySessionStore()


@pytest.fixture
async def chat(store: SessionStore, tmp_path: Path) -> AsyncIterator[ChatDriver]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'severe.db'}")
    await db.migrate()
    services = declaration_services(db, tmp_path / "files")
    yield ChatDriver(declaration_dispatcher(store, services, Clock(TODAY)))
    await db.dispose()


async def answers(store: SessionStore, key: str = "test:u1") -> dict[str, object]:
    async with store.conversation(key) as conv:
        session = conv.session or Session()
    parked = session.memo.get("parked") or {}
    data = session.data if session.flow == "lapor" else parked.get("data") or {}
    return dict(data.get("a") or {})


# --- 1. a draft parked by /cek comes back with /lapor ---------------------------------------


@pytest.mark.parametrize("leave", ["/cek", "/jawab"])
async def test_lapor_during_another_flow_offers_the_parked_draft(
    chat: ChatDriver, leave: str
) -> None:
    await answer_until(chat, Declarant(), "Di mana pemberian")
    await chat.send(leave)
    assert texts.DRAFT_PARKED in chat.text
    await chat.send("/lapor")  # in the middle of the other flow
    assert "sudah tidak tersimpan" not in chat.text
    assert "Lanjutkan draf" in [c.label for r in chat.last for c in r.choices]
    await chat.press("lapor:resume")
    assert "Di mana pemberian" in chat.last[-1].text
    number = await complete_declaration(chat, Declarant(), start="")
    assert number.startswith("GRT-2026-")


async def test_lapor_after_the_check_ended_offers_the_parked_draft(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Di mana pemberian")
    await chat.send("/cek")
    await chat.send("/batal")  # the check holds nothing typed: it ends at once
    await chat.send("/lapor")
    assert "sudah tidak tersimpan" not in chat.text
    await chat.press("lapor:resume")
    assert "Di mana pemberian" in chat.last[-1].text


# --- 2. a day and month still to come this year is asked about -----------------------------


@pytest.mark.parametrize(
    ("typed", "asked"),
    [("10 Desember", "10 Desember 2025"), ("3/12", "3 Desember 2025")],
)
async def test_a_date_still_to_come_is_asked_about_not_moved_silently(
    chat: ChatDriver, store: SessionStore, typed: str, asked: str
) -> None:
    await answer_until(chat, Declarant(), "Kapan pemberian")
    await chat.send(typed)
    assert asked in chat.last[-1].text and "benar?" in chat.last[-1].text
    await chat.send("bukan")
    assert "Kapan pemberian" in chat.last[-1].text
    assert "received_date" not in await answers(store)


async def test_a_date_not_typed_in_full_is_echoed_with_its_day_name(
    chat: ChatDriver, store: SessionStore
) -> None:
    await answer_until(chat, Declarant(), "Kapan pemberian")
    await chat.send("kemarin")
    assert "Selasa, 1 Desember 2026, benar?" in chat.last[-1].text
    await chat.send("iya")
    assert (await answers(store))["received_date"] == "2026-12-01"
    assert "Di mana pemberian" in chat.last[-1].text


# --- 3. several fields in one message, questions and emoji at free-text steps -------------


async def test_identity_in_one_message_is_never_saved_as_the_name(
    chat: ChatDriver, store: SessionStore
) -> None:
    await answer_until(chat, Declarant(), "nama lengkap Anda")
    await chat.send(
        "Nama saya Rina Marlina, NIK 3201011505900011, NIP 199005152015031001, staf di Bappeda"
    )
    saved = await answers(store)
    assert saved.get("name") == "Rina Marlina"
    assert saved.get("nik") == "3201011505900011"
    assert saved.get("nip") == "199005152015031001"
    assert str(saved.get("jabatan")).casefold() == "staf"
    assert saved.get("unit_kerja") == "Bappeda"
    # What was read is shown back, the NIK masked.
    assert "3201********0011" in chat.text and "3201011505900011" not in chat.text


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("nama lengkap Anda", "maksudnya nama lengkap pakai gelar atau tidak"),
        ("jabatan Anda", "apa harus jabatan lengkap"),
    ],
)
async def test_a_question_at_a_text_step_is_answered_not_stored(
    chat: ChatDriver, store: SessionStore, question: str, typed: str
) -> None:
    await answer_until(chat, Declarant(), question)
    await chat.send(typed)
    saved = await answers(store)
    assert typed not in saved.values()
    assert question in chat.last[-1].text
    assert len(chat.texts[0]) > 20  # an answer came first, not only the question again


@pytest.mark.parametrize("typed", ["😀😀😀", "3201011505900011", "budi@contoh.go.id", "12345"])
async def test_a_name_is_not_emoji_digits_or_an_email(
    chat: ChatDriver, store: SessionStore, typed: str
) -> None:
    await answer_until(chat, Declarant(), "nama lengkap Anda")
    await chat.send(typed)
    assert (await answers(store)).get("name") is None
    assert "nama lengkap Anda" in chat.last[-1].text


# --- 4. a question at a validated step ------------------------------------------------------


async def test_a_question_at_the_nip_step_is_not_called_a_wrong_nip(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "NIP Anda")
    await chat.send("apakah alamat saya aman?")
    assert "NIP harus 18 angka" not in chat.text
    assert "NIP Anda" in chat.last[-1].text
    assert "enkripsi" in chat.text or "terenkripsi" in chat.text


@pytest.mark.parametrize("typed", ["lapor", "lanjutkan draf"])
async def test_lapor_typed_without_a_slash_in_the_check_offers_the_draft(
    chat: ChatDriver, typed: str
) -> None:
    await answer_until(chat, Declarant(), "Di mana pemberian")
    await chat.send("/cek")
    await chat.send(typed)  # no check answer is "lapor": it means the draft put aside
    assert "Lanjutkan draf" in [c.label for r in chat.last for c in r.choices]
