"""declaration_attachments: a keyed hash of each file's content instead of its plain SHA-256

`sha256` held the plain SHA-256 of the file: anyone reading the table could hash a known
document (a letter, an invitation, a template) and see whether it was attached. The column
becomes `content_hmac`, an HMAC-SHA256 of that SHA-256 under a lookup secret of its own
(bot.store.attachments.content_hmac; lookup secrets outlive a key rotation). Keying the
SHA-256 rather than the bytes converts every row from the value it holds, whether or not its
file is still there, and without reading any file.

Receipts already issued sign a content digest made over the plain SHA-256 of the files sent
with the declaration (bot/store/digest.py). For those rows alone (no thread message; a photo
or a document) the plain value is kept encrypted in `legacy_sha256_enc`, so the receipt check
still recomputes the digest it signed; rows written from now on have none.

Downgrade puts back the plain value where it is known (from `legacy_sha256_enc`, or from a
file still stored under its plain-SHA-256 name); other rows (thread answers, status-change
documents, which the older code reads for nothing) keep their keyed value.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 13:10:00
"""

from __future__ import annotations

import hashlib
import hmac
import re

import sqlalchemy as sa
from alembic import op

from bot.store.migration_key import MigrationKey, update_rows

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLE = "declaration_attachments"
# As bot.store.attachments.HASHES and content_hmac were when this was written.
PURPOSE = "gratibot attachment hashes v1"
# Files whose hash enters their declaration's content digest (bot/documents/receipt.py).
IN_DIGEST = ("photo", "document")
LEGACY_KEY = re.compile(r"[0-9a-f]{2}/([0-9a-f]{64})")


def _table(hash_column: str) -> sa.TableClause:
    return sa.table(
        TABLE,
        sa.column("id", sa.Integer),
        sa.column("thread_message_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("storage_key", sa.String),
        sa.column(hash_column, sa.String),
        sa.column("legacy_sha256_enc", sa.Text),
    )


def _keyed(secret: bytes, sha256: str) -> str:
    return hmac.new(secret, sha256.encode(), hashlib.sha256).hexdigest()


def upgrade() -> None:
    op.execute(f"ALTER TABLE {TABLE} RENAME COLUMN sha256 TO content_hmac")
    op.add_column(TABLE, sa.Column("legacy_sha256_enc", sa.Text(), nullable=True))
    bind = op.get_bind()
    table = _table("content_hmac")
    rows = bind.execute(sa.select(table)).all()
    if not rows:
        return  # a fresh database needs no key
    cipher = MigrationKey().cipher
    secret = cipher.lookup(PURPOSE)
    keyed = []
    for row in rows:
        in_digest = row.thread_message_id is None and row.kind in IN_DIGEST
        keyed.append(
            {
                "row_id": row.id,
                "content_hmac": _keyed(secret, row.content_hmac),
                "legacy_sha256_enc": cipher.encrypt(row.content_hmac) if in_digest else None,
            }
        )
    update_rows(bind, table, keyed)


def downgrade() -> None:
    bind = op.get_bind()
    table = _table("content_hmac")
    rows = bind.execute(sa.select(table)).all()
    if rows:
        key = MigrationKey()
        plain = []
        for row in rows:
            value = None
            if row.legacy_sha256_enc is not None:
                value = key.cipher.decrypt(row.legacy_sha256_enc)
            else:
                named = LEGACY_KEY.fullmatch(row.storage_key)
                secret = key.cipher.lookup(PURPOSE)
                if named and _keyed(secret, named.group(1)) == row.content_hmac:
                    value = named.group(1)
            if value is not None:
                plain.append({"row_id": row.id, "content_hmac": value})
        update_rows(bind, table, plain)
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN legacy_sha256_enc")
    op.execute(f"ALTER TABLE {TABLE} RENAME COLUMN content_hmac TO sha256")
