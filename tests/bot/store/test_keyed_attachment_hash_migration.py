"""Migration 0015 (SQLite and PostgreSQL): attachment rows record a keyed hash of the content,
never its plain SHA-256; a receipt issued before the upgrade still matches the archive, and a
file still under its plain-SHA-256 name is still moved to its keyed name."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.crypto import Cipher
from bot.documents.receipt import Facts, Verdict, archive_note
from bot.store.attachment_names import rename_legacy
from bot.store.attachments import NAMES, LocalAttachmentStore, content_hmac, file_key
from bot.store.database import Database
from bot.store.digest import content_digest
from bot.store.models import Declaration
from bot.store.sealed import FERNET_PREFIX
from tests.bot.store.alembic_steps import declaration_row, migrate_to

# A scanned invitation, a photo of the parcel, and the receipt photo sent in the thread.
LETTER = b"%PDF-1.4\nUndangan resepsi pernikahan, Gedung Serbaguna Sleman"
PARCEL = b"\xff\xd8\xff\xe0 foto parsel lebaran dari CV Maju"
RECEIPT = b"\x89PNG\r\n\x1a\n foto kuitansi toko kue"
SUBMITTED = datetime(2026, 11, 20, 3, tzinfo=UTC)

ROW = declaration_row(
    number="GRT-2026-000015",
    submitted_at=SUBMITTED,
    received_date=date(2026, 11, 19),
    description="parsel lebaran isi kue kering",
    chronology="diantar kurir ke rumah kmrn sore",
)
SEALED = ("reporter_name", "description", "chronology")
# The table as the database holds it (sealed columns as their tokens, no decryption).
DECLARATIONS = sa.table(
    "declarations",
    sa.column("id", sa.Integer),
    *(sa.column(c, sa.Text() if c in SEALED else Declaration.__table__.c[c].type) for c in ROW),
    sa.column("content_digest", sa.String),
)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _attachments(hash_column: str) -> sa.TableClause:
    return sa.table(
        "declaration_attachments",
        sa.column("id", sa.Integer),
        sa.column("declaration_id", sa.Integer),
        sa.column("thread_message_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("name", sa.String),
        sa.column("mime_type", sa.String),
        sa.column("size", sa.BigInteger),
        sa.column(hash_column, sa.String),
        sa.column("storage_key", sa.String),
    )


THREADS = sa.table(
    "thread_messages",
    sa.column("id", sa.Integer),
    sa.column("declaration_id", sa.Integer),
    sa.column("direction", sa.String),
    sa.column("author", sa.String),
    sa.column("text", sa.Text),
)


async def _write_before_0015(db: Database, cipher: Cipher, root: Path) -> tuple[int, str]:
    """A declaration as 0014 left it: a parcel photo under its keyed name, a letter still
    under its plain-SHA-256 name (in clear, as before encryption), a receipt photo sent in
    the thread; its digest made over the plain SHA-256s. Its id and digest."""
    names = cipher.lookup(NAMES)
    legacy = f"{_sha(LETTER)[:2]}/{_sha(LETTER)}"
    (root / legacy).parent.mkdir(parents=True)
    (root / legacy).write_bytes(LETTER)
    files = LocalAttachmentStore(root, max_bytes=10**6, cipher=cipher)
    await files.blobs.put(file_key(names, _sha(PARCEL)), PARCEL)
    await files.blobs.put(file_key(names, _sha(RECEIPT)), RECEIPT)
    sealed = {c: cipher.encrypt(str(ROW[c])) for c in SEALED}
    as_read = Declaration(**ROW)
    digest = content_digest(as_read, cipher, [_sha(PARCEL), _sha(LETTER)])
    table = _attachments("sha256")
    async with db.engine.begin() as conn:
        declaration_id = (
            await conn.execute(
                DECLARATIONS.insert()
                .values(**(ROW | sealed), content_digest=digest)
                .returning(DECLARATIONS.c.id)
            )
        ).scalar_one()
        thread_id = (
            await conn.execute(
                THREADS.insert()
                .values(
                    declaration_id=declaration_id,
                    direction="from_reporter",
                    author="telegram:5151",
                    text=cipher.encrypt("ini kuitansinya pak"),
                )
                .returning(THREADS.c.id)
            )
        ).scalar_one()
        common = {"declaration_id": declaration_id, "thread_message_id": None, "size": 60}
        await conn.execute(
            table.insert(),
            [
                common
                | {
                    "kind": "photo",
                    "name": "IMG_0412.jpg",
                    "mime_type": "image/jpeg",
                    "sha256": _sha(PARCEL),
                    "storage_key": file_key(names, _sha(PARCEL)),
                },
                common
                | {
                    "kind": "document",
                    "name": "undangan.pdf",
                    "mime_type": "application/pdf",
                    "sha256": _sha(LETTER),
                    "storage_key": legacy,
                },
                common
                | {
                    "thread_message_id": thread_id,
                    "kind": "photo",
                    "name": "kuitansi.png",
                    "mime_type": "image/png",
                    "sha256": _sha(RECEIPT),
                    "storage_key": file_key(names, _sha(RECEIPT)),
                },
            ],
        )
    return declaration_id, digest


async def _raw(db: Database, hash_column: str) -> list[sa.Row[tuple[object, ...]]]:
    """The attachment rows as stored: name, hash, encrypted legacy hash (if the column is
    there), storage key."""
    legacy = "legacy_sha256_enc" if hash_column == "content_hmac" else "NULL"
    query = (
        f"SELECT name, {hash_column} AS hash, {legacy} AS legacy_sha256_enc, storage_key "
        "FROM declaration_attachments ORDER BY id"
    )
    async with db.engine.connect() as conn:
        return list((await conn.execute(sa.text(query))).all())


async def _note(db: Database, cipher: Cipher, number: str, digest: str) -> str | None:
    facts = Facts(number, SUBMITTED, digest, "0" * 16)
    async with db.sessions() as session:
        return await archive_note(Verdict(True, "asli", facts), session, cipher)


async def test_plain_hashes_become_keyed_and_old_receipts_still_match(
    any_database: Database, tmp_path: Path
) -> None:
    db = any_database
    cipher = db.cipher
    assert cipher is not None
    root = tmp_path / "attachments"
    await migrate_to(db, cipher, "0014", down=True)
    declaration_id, digest = await _write_before_0015(db, cipher, root)
    await migrate_to(db, cipher, "head")

    rows = await _raw(db, "content_hmac")
    plain = {_sha(PARCEL), _sha(LETTER), _sha(RECEIPT)}
    assert [r.hash for r in rows] == [
        content_hmac(cipher, _sha(data)) for data in (PARCEL, LETTER, RECEIPT)
    ]
    # The verifying query: no row's hash is a file's plain SHA-256.
    assert not plain & {r.hash for r in rows}
    stored = _attachments("content_hmac")
    async with db.engine.connect() as conn:
        clear = await conn.scalar(
            sa.select(sa.func.count()).where(stored.c.content_hmac.in_(sorted(plain)))
        )
    assert clear == 0
    # The files of the digest keep their plain hash encrypted, the thread's photo none.
    assert [str(r.legacy_sha256_enc)[:6] for r in rows[:2]] == [FERNET_PREFIX] * 2
    assert rows[2].legacy_sha256_enc is None
    assert not any(p in str(r.legacy_sha256_enc) for r in rows for p in plain)

    # A receipt issued before the upgrade still matches the archive.
    assert await _note(db, cipher, str(ROW["number"]), digest) == (
        "Isi laporan di arsip UPPG sama dengan saat tanda terima dibuat."
    )
    async with db.sessions() as session:
        d = (
            await session.execute(
                select(Declaration)
                .where(Declaration.id == declaration_id)
                .options(selectinload(Declaration.attachments))
            )
        ).scalar_one()
        assert d.content_digest == digest

    # The letter still under its plain-SHA-256 name is moved, checked against its row.
    files = LocalAttachmentStore(root, max_bytes=10**6, cipher=cipher)
    moved = await rename_legacy(db, files)
    assert (moved.moved, moved.missing) == (1, 0)
    letter_key = files.key_of(_sha(LETTER))
    assert [r.storage_key for r in await _raw(db, "content_hmac")][1] == letter_key
    assert await files.read(letter_key) == LETTER
    assert not any(p.name == _sha(LETTER) for p in root.rglob("*"))

    # Down: the plain values come back where they are known (the digest's files); the
    # thread's photo keeps its keyed value. Up again: the same keyed values as the first time.
    await migrate_to(db, cipher, "0014", down=True)
    down = await _raw(db, "sha256")
    assert [r.hash for r in down] == [
        _sha(PARCEL),
        _sha(LETTER),
        content_hmac(cipher, _sha(RECEIPT)),
    ]
    await migrate_to(db, cipher, "head")
    again = await _raw(db, "content_hmac")
    assert [r.hash for r in again][:2] == [r.hash for r in rows][:2]
    assert await _note(db, cipher, str(ROW["number"]), digest) == (
        "Isi laporan di arsip UPPG sama dengan saat tanda terima dibuat."
    )


async def test_a_changed_file_row_is_still_noticed_after_the_upgrade(
    any_database: Database, tmp_path: Path
) -> None:
    db = any_database
    cipher = db.cipher
    assert cipher is not None
    await migrate_to(db, cipher, "0014", down=True)
    _, digest = await _write_before_0015(db, cipher, tmp_path / "attachments")
    await migrate_to(db, cipher, "head")
    # Someone swaps the parcel photo's row for another file's.
    async with db.engine.begin() as conn:
        await conn.execute(
            # (the parcel photo: the declaration's only photo; its name is sealed since 0016)
            sa.text(
                "UPDATE declaration_attachments SET legacy_sha256_enc = :v "
                "WHERE kind = 'photo' AND thread_message_id IS NULL"
            ),
            {"v": cipher.encrypt(_sha(b"foto lain"))},
        )
    assert await _note(db, cipher, str(ROW["number"]), digest) == (
        "Perhatian: isi laporan di arsip UPPG berbeda dari sidik pada tanda terima."
    )
