"""The worker's daily file upkeep, on SQLite and PostgreSQL: attachment files stored under
the plain SHA-256 of their content (which confirmed a known document to anyone listing the
store) are moved to keyed names and sealed, every row follows, and a second pass does nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.backoffice.worker import build_worker
from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.holidays_id import work_calendar
from bot.store.attachments import LocalAttachmentStore, content_hmac
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from bot.store.models import DeclarationAttachment
from bot.store.sealed_files import MAGIC
from handlers.ports import Policy
from tests.bot.store.test_declarations import draft

JAKARTA = ZoneInfo("Asia/Jakarta")
LETTER = b"%PDF-1.4\nUndangan pernikahan untuk Budi Santoso, Jl. Merdeka No. 5\n"


@pytest.fixture
def database(any_database: Database) -> Database:
    return any_database


async def test_legacy_file_names_are_moved_to_keyed_names_by_the_daily_job(
    database: Database, settings: Settings
) -> None:
    root = settings.effective_attachment_dir
    sha = hashlib.sha256(LETTER).hexdigest()
    legacy = f"{sha[:2]}/{sha}"
    # As an installation from before encryption left it: clear, under its plain SHA-256.
    (root / sha[:2]).mkdir(parents=True)
    (root / legacy).write_bytes(LETTER)
    cipher = cipher_from_settings(settings)
    port = SqlDeclarations(database, cipher, Policy(timezone=JAKARTA, calendar=work_calendar()))
    # Two declarations send the same file (one file on disk), from drafts of that time.
    ref: dict[str, Any] = {"k": legacy, "n": "undangan.pdf", "m": "application/pdf", "s": 70}
    for key in ("a", "b"):
        await port.submit(
            user_key=f"telegram:{key}",
            channel="telegram",
            chat_id=key,
            idempotency_key=key,
            draft=draft(attachments=[ref]),  # type: ignore[arg-type]
            submitted_at=datetime(2026, 12, 1, 9, tzinfo=JAKARTA),
        )

    _, daily = build_worker(database, settings, {}, None, cipher)
    await daily.tick()  # the first tick of the day, before the digest time too

    files = LocalAttachmentStore(root, max_bytes=10**6, cipher=cipher)
    async with database.sessions() as session:
        rows = (await session.execute(select(DeclarationAttachment))).scalars().all()
    assert {r.storage_key for r in rows} == {files.key_of(sha)} and len(rows) == 2
    # The rows record a keyed hash, never the plain SHA-256 that named the old file; the move
    # leaves it as it is (the receipts' digests are unchanged).
    assert all(r.content_hmac == content_hmac(cipher, sha) != sha for r in rows)
    on_disk = [p for p in root.rglob("*") if p.is_file()]
    assert len(on_disk) == 1 and sha not in on_disk[0].name
    assert on_disk[0].read_bytes().startswith(MAGIC) and b"Budi" not in on_disk[0].read_bytes()
    assert await files.read(files.key_of(sha)) == LETTER
    # A draft begun before the move still names the old key: it reads the moved file.
    assert not (root / legacy).exists() and await files.read(legacy) == LETTER

    # The next day's pass finds nothing left to do.
    daily._upkept_on = None
    await daily.run(datetime(2026, 12, 2, 1, tzinfo=UTC))
    assert [p for p in root.rglob("*") if p.is_file()] == on_disk
