"""Key rotation on SQLite and PostgreSQL: everything written under the old data key reads
under the new one alone once `rekey_database` and `seal_existing` have run, keyed lookups
(NIP search, WhatsApp pseudonyms, concern receipt codes) keep working, and a second run
changes nothing."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from bot.channels.whatsapp.ids import WhatsAppIds
from bot.crypto import Cipher
from bot.holidays_id import work_calendar
from bot.messages import Attachment
from bot.sessions import RedisSessionStore, Session
from bot.store.attachments import LocalAttachmentStore, LocalBlobStore, content_hmac
from bot.store.concerns import SqlConcerns
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from bot.store.models import (
    AuditLog,
    Concern,
    Declaration,
    DeclarationAttachment,
    Profile,
    StatusChange,
    ThreadMessage,
)
from bot.store.rekey import _columns, rekey_database
from bot.store.sealed_files import seal_existing
from handlers.ports import ConcernView, Policy
from tests.bot.store.test_declarations import draft, submit
from tests.conftest import data_cipher

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 1, 9, tzinfo=JAKARTA)
NUMBER = "6281234567890"
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"foto kuitansi parsel " * 20
ANSWER = "sdh sy kirim fotonya pak, kl perlu tlp aja ke 0812-9876-5432"


@pytest.fixture
def database(any_database: Database) -> Database:
    return any_database


def reopened(db: Database, cipher: Cipher) -> Database:
    """The same database opened by a process configured with other keys."""
    return Database(db.url, search_path=db.search_path, cipher=cipher)


def photo() -> Attachment:
    async def download() -> bytes:
        return PHOTO

    return Attachment(kind="photo", name="IMG_0001.jpg", download=download)


async def write_everything(db: Database, old: Cipher, root: Path) -> dict[str, Any]:
    """A WhatsApp reporter's declaration with a photo, and an anonymous concern, all under
    the old key."""
    ids = WhatsAppIds(old)
    files = LocalAttachmentStore(root, max_bytes=10**6, cipher=old)
    stored = await files.save(photo())
    ref = {"k": stored.key, "n": stored.name, "m": stored.mime_type, "s": stored.size}
    port = SqlDeclarations(db, old, Policy(timezone=JAKARTA, calendar=work_calendar()))
    await port.submit(
        user_key=f"wa:{ids.user(NUMBER)}",
        channel="whatsapp",
        chat_id=ids.chat(NUMBER),
        idempotency_key="draft-1",
        draft=draft(attachments=[ref | {"h": stored.sha256}]),  # type: ignore[arg-type]
        submitted_at=NOW,
    )
    async with db.transaction() as session:
        declaration = (await session.execute(select(Declaration))).scalar_one()
        session.add(
            ThreadMessage(
                declaration_id=declaration.id,
                direction="from_reporter",
                author=declaration.user_key,
                text=ANSWER,
            )
        )
    concerns = SqlConcerns(db, old, LocalBlobStore(root), max_bytes=10**6)
    receipt = await concerns.submit(
        key=concerns.new_key(),
        story={"what": "Kepala seksi minta uang pelicin untuk izin"},
        identity=None,
        files=[],
        today=date(2026, 12, 1),
    )
    return {"file": stored.key, "code": receipt.code, "concern": receipt.number}


async def test_rotation_moves_every_value_and_file_to_the_new_key(
    database: Database, tmp_path: Path
) -> None:
    old = data_cipher(tmp_path)
    root = tmp_path / "attachments"
    written = await write_everything(database, old, root)

    new_key = Fernet.generate_key()
    during = Cipher(new_key, old_keys=[old.key], lookup=old.lookup_key)
    rotating = reopened(database, during)
    try:
        report = await rekey_database(rotating, during, batch=1)
        files = seal_existing(root, during)
        assert report.unreadable == 0 and files.unreadable == 0
        # The reporter's name, NIK, NIP, address, phone and chat id, the giver's address,
        # the profile's copies, the concern's own key.
        assert report.rotated >= 12
        assert {"declarations", "profiles", "concerns", "thread_messages"} <= set(report.by_table)
        assert files.renewed == 1
        again = await rekey_database(rotating, during)
        assert again.rotated == 0 and again.current == report.rotated
        assert seal_existing(root, during).renewed == 0
    finally:
        await rotating.dispose()

    # The old key removed: only the new key and the lookup key are configured.
    after = Cipher(new_key, lookup=old.lookup_key)
    db = reopened(database, after)
    try:
        async with db.sessions() as session:
            row = (await session.execute(select(Declaration))).scalar_one()
            profile = (await session.execute(select(Profile))).scalar_one()
            concern = (await session.execute(select(Concern))).scalar_one()
        assert row.reporter_name == "Budi Santoso" and row.reporter_nip == "199005152015031001"
        assert after.decrypt(row.reporter_nik_enc) == "3201011505900001"
        assert after.decrypt(profile.address_enc) == "Jl. Merdeka No. 5"
        # Keyed lookups are unchanged: the dashboard still finds the NIP, the WhatsApp user is
        # still the same reporter, and the number still decrypts for a notice.
        assert row.nip_index == after.index("199005152015031001")
        ids = WhatsAppIds(after)
        assert row.user_key == f"wa:{ids.user(NUMBER)}" and ids.number(row.chat_id) == NUMBER
        for token in (row.reporter_nik_enc, row.chat_id, concern.key_enc):
            with pytest.raises(InvalidToken):
                Fernet(old.key).decrypt(str(token).encode())
        # The thread's answer reads under the new key alone; the photo's keyed hash, like
        # the other keyed lookups, is the same (it hangs on the lookup key).
        async with db.sessions() as session:
            message = (await session.execute(select(ThreadMessage))).scalar_one()
            attachment = (await session.execute(select(DeclarationAttachment))).scalar_one()
        assert message.text == ANSWER
        assert attachment.content_hmac == content_hmac(old, hashlib.sha256(PHOTO).hexdigest())
        # The raw tokens no longer open with the old key.
        async with db.engine.connect() as conn:
            raw = await conn.scalar(sa.text("SELECT text FROM thread_messages"))
        with pytest.raises(InvalidToken):
            Fernet(old.key).decrypt(str(raw).encode())
        # The concern opens with its receipt code, the photo with the new key.
        concerns = SqlConcerns(db, after, LocalBlobStore(root), max_bytes=10**6)
        view = await concerns.open(written["code"], asker="telegram:77")
        assert isinstance(view, ConcernView) and view.number == written["concern"]
        files_now = LocalAttachmentStore(root, max_bytes=10**6, cipher=after)
        assert await files_now.read(written["file"]) == PHOTO
    finally:
        await db.dispose()


async def test_a_value_written_under_the_old_key_mid_rotation_is_taken_by_the_next_run(
    database: Database, tmp_path: Path
) -> None:
    old = data_cipher(tmp_path)
    new_key = Fernet.generate_key()
    during = Cipher(new_key, old_keys=[old.key], lookup=old.lookup_key)
    rotating = reopened(database, during)
    try:
        port = SqlDeclarations(database, old, Policy(timezone=JAKARTA, calendar=work_calendar()))
        await submit(port, "a", user="telegram:1")
        first = await rekey_database(rotating, during)
        # A process not yet restarted writes one more declaration with the old key.
        await submit(port, "b", user="telegram:2", name="Sri Wahyuni")
        second = await rekey_database(rotating, during)
        assert second.rotated > 0 and second.current == first.rotated
        assert (await rekey_database(rotating, during)).rotated == 0
    finally:
        await rotating.dispose()
    after = reopened(database, Cipher(new_key, lookup=old.lookup_key))
    try:
        async with after.sessions() as session:
            names = (await session.execute(select(Declaration.reporter_name))).scalars().all()
        assert sorted(names) == ["Budi Santoso", "Sri Wahyuni"]
    finally:
        await after.dispose()


async def test_sessions_in_redis_are_re_encrypted_with_their_time_to_live(
    redis_url: str, namespace: str
) -> None:
    client = aioredis.Redis.from_url(redis_url)
    old = Cipher(Fernet.generate_key())
    store = RedisSessionStore(client, namespace=namespace, cipher=old, ttl_seconds=600)
    async with store.conversation("whatsapp:abc") as conv:
        conv.save(Session(flow="lapor", data={"nik": "3404014501900001"}))
    new_key = Fernet.generate_key()
    during = Cipher(new_key, old_keys=[old.key], lookup=old.lookup_key)
    rotating = RedisSessionStore(client, namespace=namespace, cipher=during)
    try:
        assert await rotating.rekey() == 1
        assert await rotating.rekey() == 0
        after = RedisSessionStore(
            client, namespace=namespace, cipher=Cipher(new_key, lookup=old.lookup_key)
        )
        loaded = await after.load("whatsapp:abc")
        assert loaded is not None and loaded.data["nik"] == "3404014501900001"
        assert 0 < await client.ttl(f"{namespace}:session:whatsapp:abc") <= 600
    finally:
        keys = [k async for k in client.scan_iter(f"{namespace}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


def test_rotation_covers_the_sealed_thread_and_the_legacy_file_hashes() -> None:
    # Both columns are scanned for tokens like every other text column.
    threads = {c.name for c in _columns(ThreadMessage.__table__)}  # type: ignore[arg-type]
    changes = {c.name for c in _columns(StatusChange.__table__)}  # type: ignore[arg-type]
    files = {c.name for c in _columns(DeclarationAttachment.__table__)}  # type: ignore[arg-type]
    assert {"text", "internal_note"} <= threads and {"note", "internal_note"} <= changes
    assert "legacy_sha256_enc" in files and "details" in changes
    assert "details" in {c.name for c in _columns(AuditLog.__table__)}  # type: ignore[arg-type]
