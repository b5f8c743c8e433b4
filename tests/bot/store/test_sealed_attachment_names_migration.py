"""Migration 0016 (SQLite and PostgreSQL): attachment file names sealed, the aid recipient sealed
in status-change and audit details, file names taken out of audit entries, and no storage key
left showing a file's plain SHA-256; every reader still gets the name and the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import select

from bot.crypto import Cipher
from bot.store.attachment_names import rename_legacy
from bot.store.attachments import NAMES, LocalAttachmentStore, content_hmac, file_key
from bot.store.database import Database
from bot.store.models import AuditLog, Declaration, DeclarationAttachment, StatusChange
from bot.store.sealed import FERNET_PREFIX
from tests.bot.store.alembic_steps import declaration_row, migrate_to

# A KTP photo as the reporter's phone named it, a scanned invitation under its plain-SHA-256
# name, and the same scan sent again in the thread (one file, two rows).
KTP_NAME = "KTP_budi_3201011505900001.jpg"
KTP = b"\xff\xd8\xff\xe0 foto ktp budi santoso"
LETTER_NAME = "undangan nikahan pak Slamet.pdf"
LETTER = b"%PDF-1.4\nUndangan resepsi, Jl. Kaliurang km 7 Sleman"
AID = "Bpk. Sutrisno (tetangga sebelah, Gg. Melati 3)"
DECLARATIONS = sa.table(
    "declarations",
    sa.column("id", sa.Integer),
    *(
        sa.column(c, sa.Text() if c == "reporter_name" else Declaration.__table__.c[c].type)
        for c in declaration_row()
    ),
)
ATTACHMENTS = sa.table(
    "declaration_attachments",
    sa.column("id", sa.Integer),
    sa.column("declaration_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name", sa.Text),
    sa.column("mime_type", sa.String),
    sa.column("size", sa.BigInteger),
    sa.column("content_hmac", sa.String),
    sa.column("storage_key", sa.String),
)
CHANGES = sa.table(
    "status_changes",
    sa.column("id", sa.Integer),
    sa.column("declaration_id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("actor", sa.String),
    sa.column("details", sa.JSON),
)
AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("target", sa.String),
    sa.column("details", sa.JSON),
)
CLOSING = {"aid_recipient": AID, "distributed_on": "2026-11-28"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _legacy(data: bytes) -> str:
    return f"{_sha(data)[:2]}/{_sha(data)}"


async def _write_at_0015(db: Database, cipher: Cipher, root: Path) -> None:
    """Rows as 0015 left them: names in clear, the letter still under its plain-SHA-256 name,
    the aid recipient and the downloaded file's name in clear in the details."""
    files = LocalAttachmentStore(root, max_bytes=10**6, cipher=cipher)
    await files.blobs.put(file_key(cipher.lookup(NAMES), _sha(KTP)), KTP)
    await files.blobs.put(_legacy(LETTER), LETTER)
    async with db.engine.begin() as conn:
        declaration_id = (
            await conn.execute(
                DECLARATIONS.insert()
                .values(**declaration_row(reporter_name=cipher.encrypt("Budi Santoso")))
                .returning(DECLARATIONS.c.id)
            )
        ).scalar_one()
        common = {"declaration_id": declaration_id, "size": 50}
        await conn.execute(
            ATTACHMENTS.insert(),
            [
                common
                | {
                    "kind": "photo",
                    "name": KTP_NAME,
                    "mime_type": "image/jpeg",
                    "content_hmac": content_hmac(cipher, _sha(KTP)),
                    "storage_key": file_key(cipher.lookup(NAMES), _sha(KTP)),
                },
                *(
                    common
                    | {
                        "kind": "document",
                        "name": LETTER_NAME,
                        "mime_type": "application/pdf",
                        "content_hmac": content_hmac(cipher, _sha(LETTER)),
                        "storage_key": _legacy(LETTER),
                    }
                    for _ in range(2)
                ),
            ],
        )
        await conn.execute(
            CHANGES.insert().values(
                declaration_id=declaration_id,
                to_status="disalurkan",
                actor="siti",
                details=CLOSING,
            )
        )
        target = "GRT-2026-000001"
        await conn.execute(
            AUDIT.insert(),
            [
                {
                    "actor": "siti",
                    "action": "download_attachment",
                    "target": target,
                    "details": {"attachment_id": 1, "name": KTP_NAME},
                },
                {
                    "actor": "siti",
                    "action": "status_change",
                    "target": target,
                    "details": {"from": "milik_negara", "to": "disalurkan", "file": KTP_NAME}
                    | CLOSING,
                },
            ],
        )


async def _raw(db: Database) -> tuple[list[sa.Row[tuple[object, ...]]], str]:
    """The attachment rows as stored (no decryption), and every details document as text."""
    async with db.engine.connect() as conn:
        rows = list(
            (
                await conn.execute(
                    select(ATTACHMENTS.c.name, ATTACHMENTS.c.storage_key).order_by(ATTACHMENTS.c.id)
                )
            ).all()
        )
        details = (
            await conn.execute(
                sa.text(
                    "SELECT CAST(details AS TEXT) FROM status_changes UNION ALL "
                    "SELECT CAST(details AS TEXT) FROM audit_log"
                )
            )
        ).scalars()
        return rows, "\n".join(details)


async def test_names_aid_recipients_and_legacy_keys_leave_the_clear(
    any_database: Database, tmp_path: Path
) -> None:
    db = any_database
    cipher = db.cipher
    assert cipher is not None
    root = tmp_path / "attachments"
    await migrate_to(db, cipher, "0015", down=True)
    await _write_at_0015(db, cipher, root)
    await migrate_to(db, cipher, "head")

    rows, details = await _raw(db)
    assert all(str(r.name).startswith(FERNET_PREFIX) for r in rows), rows
    # The verifying query: no storage key contains a row's plain SHA-256 (the file has not
    # been moved yet: the worker does that at its next start).
    plain = [_sha(KTP), _sha(LETTER)]
    async with db.engine.connect() as conn:
        showing = await conn.scalar(
            select(sa.func.count()).where(
                sa.or_(*(ATTACHMENTS.c.storage_key.contains(p) for p in plain))
            )
        )
    assert showing == 0
    assert rows[1].storage_key == rows[2].storage_key  # one file, one key
    assert str(rows[1].storage_key).startswith("legacy/")
    for needle in ("3201011505900001", "KTP_budi", "Sutrisno", "Melati"):
        assert needle not in details, needle
    assert "2026-11-28" in details and "disalurkan" in details  # dates, statuses readable

    # The readers: names and recipients in clear, the file behind each key.
    files = LocalAttachmentStore(root, max_bytes=10**6, cipher=cipher)
    async with db.sessions() as session:
        by_id = select(DeclarationAttachment).order_by(DeclarationAttachment.id)
        read = (await session.execute(by_id)).scalars().all()
        change = (await session.execute(select(StatusChange))).scalar_one()
        entries = (await session.execute(select(AuditLog).order_by(AuditLog.id))).scalars().all()
    assert [a.name for a in read] == [KTP_NAME, LETTER_NAME, LETTER_NAME]
    assert [await files.read(a.storage_key) for a in read] == [KTP, LETTER, LETTER]
    assert change.details == CLOSING
    assert entries[0].details == {"attachment_id": 1}
    assert entries[1].details["file"] == "terlampir"
    assert entries[1].details["aid_recipient"] == AID

    # Down: names, recipient and the plain-SHA-256 key come back as 0015 read them.
    await migrate_to(db, cipher, "0015", down=True)
    rows, details = await _raw(db)
    assert [r.name for r in rows] == [KTP_NAME, LETTER_NAME, LETTER_NAME]
    assert [r.storage_key for r in rows][1:] == [_legacy(LETTER)] * 2
    assert AID in details
    # Up again, then the worker's pass moves the letter to its keyed name.
    await migrate_to(db, cipher, "head")
    moved = await rename_legacy(db, files)
    assert (moved.moved, moved.missing) == (1, 0)
    rows, _ = await _raw(db)
    letter_key = files.key_of(_sha(LETTER))
    assert [r.storage_key for r in rows][1:] == [letter_key] * 2
    assert await files.read(letter_key) == LETTER
    assert not any(_sha(LETTER) in p.as_posix() for p in root.rglob("*"))
