"""The declaration store on SQLite and PostgreSQL: one transaction, numbers, idempotency."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text

from bot.crypto import Cipher
from bot.holidays_id import work_calendar
from bot.store.attachments import row_key
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from bot.store.models import (
    Declaration,
    DeclarationAttachment,
    Draft,
    NumberCounter,
    OutboxMessage,
    Profile,
)
from handlers.ports import Policy


@pytest.fixture
def database(any_database: Database) -> Database:
    """Every test here runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""
    return any_database


JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 10, tzinfo=JAKARTA)


def draft(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "report_type": "penerimaan",
        "consent": NOW.isoformat(),
        "name": "Budi Santoso",
        "nik": "3201011505900001",
        "nip": "199005152015031001",
        "jabatan": "Analis",
        "unit_kerja": "Dinas Pendidikan",
        "address": "Jl. Merdeka No. 5",
        "phone": "+6281234567890",
        "email": None,
        "confidential": True,
        "giver_name": "Andi",
        "giver_relation": "rekanan",
        "occasion": "hari_raya",
        "object_type": "barang",
        "description": "Jam tangan",
        "value_rp": 3_000_000,
        "received_date": "2026-11-20",
        "received_place": "Kantor",
        "chronology": "Diantar kurir ke kantor.",
        "object_location": "disimpan_pelapor",
        "compensation": True,
        "attachments": [{"k": "ab/abc", "n": "foto.jpg", "m": "image/jpeg", "s": 10}],
    }
    base.update(changes)
    return base


@pytest.fixture
def cipher() -> Cipher:
    return Cipher(Fernet.generate_key())


@pytest.fixture
def port(database: Database, cipher: Cipher) -> SqlDeclarations:
    return SqlDeclarations(database, cipher, Policy(timezone=JAKARTA, calendar=work_calendar()))


async def submit(port: SqlDeclarations, key: str, user: str = "test:u1", **changes: Any) -> Any:
    return await port.submit(
        user_key=user,
        channel="test",
        chat_id=user.split(":")[1],
        idempotency_key=key,
        draft=draft(**changes),
        submitted_at=NOW,
    )


async def count(database: Database, model: type[object]) -> int:
    async with database.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_submit_stores_encrypted_data_deadlines_and_event(
    port: SqlDeclarations, database: Database, cipher: Cipher
) -> None:
    await port.track_draft(
        user_key="test:u1", channel="test", chat_id="u1", received_date=date(2026, 11, 20)
    )
    receipt = await submit(port, "draft-1")
    assert receipt.created and receipt.number == "GRT-2026-000001" and receipt.attachments == 1
    # 10 working days from Friday 20 Nov 2026, the day received being day one.
    assert receipt.uppg_deadline == date(2026, 12, 3) and not receipt.late
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
        profile = (await session.execute(select(Profile))).scalar_one()
        event = (await session.execute(select(OutboxMessage))).scalar_one()
    assert cipher.decrypt(row.reporter_nik_enc) == "3201011505900001"
    assert cipher.decrypt(row.reporter_address_enc) == "Jl. Merdeka No. 5"
    assert row.confidential is True and row.wants_compensation is True
    assert cipher.decrypt(profile.phone_enc) == "+6281234567890"
    assert event.payload == {"declaration_id": row.id}
    assert await count(database, Draft) == 0
    loaded = await port.load_profile("test:u1")
    assert loaded is not None and loaded["nik"] == "3201011505900001"
    assert loaded["consent_at"] is not None
    assert await port.load_profile("test:other") is None


async def test_same_key_twice_returns_the_same_receipt(
    port: SqlDeclarations, database: Database
) -> None:
    first = await submit(port, "draft-1")
    again = await submit(port, "draft-1")
    assert again.number == first.number and not again.created
    assert await count(database, Declaration) == 1
    assert await count(database, OutboxMessage) == 1


async def test_racing_submits_of_one_draft_make_one_row(
    port: SqlDeclarations, database: Database
) -> None:
    receipts = await asyncio.gather(*(submit(port, "draft-race") for _ in range(4)))
    assert len({r.number for r in receipts}) == 1
    assert sum(r.created for r in receipts) == 1
    assert await count(database, Declaration) == 1


async def test_numbers_count_up_per_year_without_gaps(
    port: SqlDeclarations, database: Database
) -> None:
    numbers = [(await submit(port, f"d{i}", user=f"test:u{i}")).number for i in range(3)]
    await asyncio.gather(*(submit(port, f"p{i}", user=f"test:p{i}") for i in range(3)))
    assert numbers == ["GRT-2026-000001", "GRT-2026-000002", "GRT-2026-000003"]
    async with database.sessions() as session:
        counter = (await session.execute(select(NumberCounter))).scalar_one()
        stored = (await session.execute(select(Declaration.number))).scalars().all()
    assert counter.year == 2026 and counter.last == 6
    assert sorted(stored) == [f"GRT-2026-{i:06d}" for i in range(1, 7)]


async def test_list_for_reporter_shows_only_own(port: SqlDeclarations) -> None:
    await submit(port, "a", user="test:budi")
    await submit(port, "b", user="test:siti", report_type="penolakan")
    await submit(port, "c", user="test:budi", value_rp=None)
    budi = await port.list_for_reporter("test:budi")
    assert [s.number for s in budi] == ["GRT-2026-000003", "GRT-2026-000001"]
    siti = await port.list_for_reporter("test:siti")
    assert [s.report_type for s in siti] == ["penolakan"]
    assert await port.list_for_reporter("test:nobody") == []


async def test_drafts_are_tracked_once_per_reporter(
    port: SqlDeclarations, database: Database
) -> None:
    for day in (19, 20):
        await port.track_draft(
            user_key="test:u1", channel="test", chat_id="u1", received_date=date(2026, 11, day)
        )
    async with database.sessions() as session:
        row = (await session.execute(select(Draft))).scalar_one()
    assert row.received_date == date(2026, 11, 20)
    assert await port.drop_draft("test:u1") is True
    assert await port.drop_draft("test:u1") is False


async def test_late_evening_in_jakarta_keeps_its_date(port: SqlDeclarations) -> None:
    # 23:30 WIB is 16:30 UTC: the receipt and /status must still say the 24th.
    late = datetime(2026, 11, 24, 23, 30, tzinfo=JAKARTA)
    receipt = await port.submit(
        user_key="test:u1",
        channel="test",
        chat_id="u1",
        idempotency_key="evening",
        draft=draft(),
        submitted_at=late,
    )
    assert receipt.submitted_on == date(2026, 11, 24)
    again = await submit(port, "evening")
    assert again.submitted_on == date(2026, 11, 24)
    [listed] = await port.list_for_reporter("test:u1")
    assert listed.submitted_on == date(2026, 11, 24)


async def test_a_draft_from_before_keyed_names_stores_no_plain_hash(
    port: SqlDeclarations, database: Database, cipher: Cipher
) -> None:
    """A photo sent before the upgrade (its draft key the plain SHA-256), the report sent after:
    the row records the legacy reference and the sealed name, never the hash or the name."""
    sha256 = "4f" + "0a" * 31
    legacy = [{"k": f"4f/{sha256}", "n": "KTP_budi_3201011505900001.jpg", "m": "image/jpeg"}]
    await submit(port, "k-legacy", attachments=legacy)
    async with database.engine.connect() as conn:
        stored = (
            await conn.execute(text("SELECT name, storage_key FROM declaration_attachments"))
        ).one()
    assert sha256 not in repr(stored) and "3201011505900001" not in repr(stored)
    assert stored.storage_key == row_key(cipher, f"4f/{sha256}", sha256)
    assert stored.storage_key.startswith("legacy/")
    async with database.sessions() as session:
        row = (await session.execute(select(DeclarationAttachment))).scalar_one()
    assert row.name == "KTP_budi_3201011505900001.jpg"
