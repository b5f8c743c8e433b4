"""declarations: the reporter's free text encrypted at rest

The story (chronology), the description of the gift, the giver's reason and the place where it
was received are typed freely, so they may hold a phone number, an address or a NIK of anyone.
The columns become Sealed (bot/store/sealed.py), like the reporter's identity in 0011; nothing
searches them. Values already sealed are left as they are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.migration_key import MigrationKey, update_rows
from bot.store.sealed import FERNET_PREFIX

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COLUMNS = ("chronology", "description", "reason", "received_place")
declarations = sa.table(
    "declarations", sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in COLUMNS)
)


def _place_type(to_text: bool) -> None:
    # A sealed value is longer than the 300 characters the place had. SQLite ignores lengths
    # (and its batch mode would copy and drop the table, cascading deletes).
    if op.get_bind().dialect.name == "sqlite":
        return
    old, new = (sa.String(300), sa.Text()) if to_text else (sa.Text(), sa.String(300))
    op.alter_column("declarations", "received_place", existing_type=old, type_=new)


def upgrade() -> None:
    _place_type(to_text=True)
    bind = op.get_bind()
    rows = bind.execute(sa.select(declarations)).all()
    key = MigrationKey()

    def seal(value: str | None) -> str | None:
        if value is None or value.startswith(FERNET_PREFIX):
            return value
        return key.cipher.encrypt(value)

    sealed = []
    for row in rows:
        values = {c: getattr(row, c) for c in COLUMNS}
        if all(v is None or v.startswith(FERNET_PREFIX) for v in values.values()):
            continue  # nothing in clear (and no key needed for a fresh database)
        sealed.append({"row_id": row.id, **{c: seal(v) for c, v in values.items()}})
    update_rows(bind, declarations, sealed)


def downgrade() -> None:
    # The values stay encrypted (decrypting them needs the key and belongs to no schema).
    _place_type(to_text=False)
