"""The "Lapor gratifikasi" flow through the dispatcher, with real Redis and the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.messages import Attachment
from bot.models import Declaration, DeclarationAttachment, Draft, OutboxMessage, Profile
from bot.sessions import SessionStore
from handlers.context import Services
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    Declarant,
    complete_declaration,
    declaration_dispatcher,
    declaration_services,
)

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"x" * 200


def photo(name: str = "parsel.jpg", data: bytes = JPEG) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(
        kind="photo", name=name, mime_type="image/jpeg", size=len(data), download=download
    )


@pytest.fixture
def services(database: Database, tmp_path: Path) -> Services:
    return declaration_services(database, tmp_path / "files")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 10, tzinfo=JAKARTA))


@pytest.fixture
def chat(store: SessionStore, services: Services, clock: Clock) -> ChatDriver:
    return ChatDriver(declaration_dispatcher(store, services, clock))


async def count(database: Database, model: type[object]) -> int:
    async with database.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_penerimaan_happy_path_stores_everything(
    chat: ChatDriver, database: Database, tmp_path: Path
) -> None:
    who = Declarant(attachments=[photo()])
    number = await complete_declaration(chat, who)
    assert number == "GRT-2026-000001"
    receipt = chat.texts[0]
    assert "Status: Diterima UPPG" in receipt
    assert "Perkiraan nilai: Rp1.500.000" in receipt
    assert "Tanggal diterima: 23 November 2026" in receipt
    assert "Lampiran: 1 berkas" in receipt
    # 10 working days after Monday 23 Nov 2026; 30 working days reach into January.
    assert "Ke UPPG: 10 hari kerja, paling lambat Senin, 7 Desember 2026" in receipt
    assert "UU 20/2001 Pasal 12C" in receipt
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
        files = (await session.execute(select(DeclarationAttachment))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalar_one()
        profile = (await session.execute(select(Profile))).scalar_one()
    assert row.report_type == "penerimaan" and row.value_rp == 1_500_000
    assert row.received_date == date(2026, 11, 23)
    assert row.uppg_deadline == date(2026, 12, 7) and row.late is False
    assert row.giver_relation == "rekanan" and row.object_location == "dititipkan_uppg"
    assert row.reporter_nik_enc and "3201011505900001" not in row.reporter_nik_enc
    assert row.reporter_phone_enc and "812" not in row.reporter_phone_enc
    assert row.wants_compensation is False and row.status == "diterima"
    assert [f.mime_type for f in files] == ["image/jpeg"]
    assert (tmp_path / "files" / files[0].storage_key).read_bytes() == JPEG
    assert outbox.topic == "uppg.declaration_submitted"
    assert outbox.dedupe_key == f"declaration:{row.id}:submitted"
    assert outbox.payload == {"declaration_id": row.id}
    assert profile.name == "Budi Santoso" and profile.consent_at is not None
    assert await count(database, Draft) == 0


async def test_penolakan_happy_path_has_no_location_or_deadlines(
    chat: ChatDriver, database: Database
) -> None:
    who = Declarant(report_type="penolakan", object_type="uang", value="Rp 5.000.000")
    await complete_declaration(chat, who)
    receipt = chat.texts[0]
    assert "Penolakan" in receipt and "Ke KPK" not in receipt
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.report_type == "penolakan" and row.object_location is None
    assert row.uppg_deadline is None and row.value_rp == 5_000_000
