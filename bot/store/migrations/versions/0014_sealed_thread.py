"""thread_messages, status_changes, audit_log: the follow-up thread encrypted at rest

The UPPG's questions and the reporter's answers in a declaration's thread are typed freely, so
an answer may give a phone number, an address or a NIK ("no hp sy 0812..., alamat Jl. ...");
an officer's internal note may too. The thread's first question is also the message of the
status change that asked it (perlu dilengkapi), so status_changes' message and internal note
go with it, and so do the copies of the message, the internal note and a reason kept in the
details of status changes and audit entries (sealed by key: dates, numbers and statuses stay
readable). The columns become Sealed and SealedTexts (bot/store/sealed.py), like the
declaration's free text in 0013; nothing searches them. Values already sealed are left as they
are, so the upgrade can be run again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.migration_key import MigrationKey, update_rows
from bot.store.sealed import FERNET_PREFIX

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# As bot.store.sealed.TEXT_KEYS was when this was written.
TEXT_KEYS = ("message", "internal_note", "reason")
TABLES = {
    "thread_messages": ("text", "internal_note"),
    "status_changes": ("note", "internal_note"),
}


def upgrade() -> None:
    bind = op.get_bind()
    key = MigrationKey()

    def seal(value: str | None) -> str | None:
        if value is None or value.startswith(FERNET_PREFIX):
            return value
        return key.cipher.encrypt(value)

    for name, columns in TABLES.items():
        table = sa.table(
            name, sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in columns)
        )
        sealed = []
        for row in bind.execute(sa.select(table)).all():
            values = {c: getattr(row, c) for c in columns}
            if all(v is None or v.startswith(FERNET_PREFIX) for v in values.values()):
                continue  # nothing in clear (and no key needed for a fresh database)
            sealed.append({"row_id": row.id, **{c: seal(v) for c, v in values.items()}})
        update_rows(bind, table, sealed)

    for name in ("status_changes", "audit_log"):
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("details", sa.JSON))
        sealed = []
        for row in bind.execute(sa.select(table)).all():
            details = row.details if isinstance(row.details, dict) else {}
            clear = [k for k in TEXT_KEYS if _in_clear(details.get(k))]
            if clear:
                opened = {k: key.cipher.encrypt(v) if k in clear else v for k, v in details.items()}
                sealed.append({"row_id": row.id, "details": opened})
        update_rows(bind, table, sealed)


def _in_clear(value: object) -> bool:
    return isinstance(value, str) and not value.startswith(FERNET_PREFIX)


def downgrade() -> None:
    # No schema change; the values stay encrypted, as in 0011 and 0013 (decrypting them
    # needs the key and belongs to no schema).
    pass
