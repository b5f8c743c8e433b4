"""reporter's name, NIP and e-mail encrypted at rest; a word index to search the name

The columns become Sealed (bot/store/sealed.py): each value is encrypted with
DATA_ENCRYPTION_KEY. The NIP was already searchable by its blind index (filled here where it
was missing); the name, searched by substring until now, gets a word index so a whole word
still finds it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.migration_key import MigrationKey, update_rows
from bot.store.sealed import FERNET_PREFIX, word_index

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

declarations = sa.table(
    "declarations",
    sa.column("id", sa.Integer),
    sa.column("reporter_name", sa.Text),
    sa.column("reporter_nip", sa.Text),
    sa.column("reporter_email", sa.Text),
    sa.column("nip_index", sa.String),
    sa.column("name_index", sa.Text),
)
profiles = sa.table(
    "profiles",
    sa.column("id", sa.Integer),
    sa.column("name", sa.Text),
    sa.column("nip", sa.Text),
    sa.column("email", sa.Text),
)

COLUMNS = {
    "declarations": (("reporter_name", 200), ("reporter_nip", 18), ("reporter_email", 200)),
    "profiles": (("name", 200), ("nip", 18), ("email", 200)),
}


def _types(to_text: bool) -> None:
    # SQLite ignores lengths; its batch mode would copy and drop the declarations table,
    # which with foreign keys on deletes the rows that cascade from it.
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COLUMNS.items():
        for name, length in columns:
            old, new = (sa.String(length), sa.Text()) if to_text else (sa.Text(), sa.String(255))
            op.alter_column(table, name, existing_type=old, type_=new)


def upgrade() -> None:
    _types(to_text=True)
    op.add_column("declarations", sa.Column("name_index", sa.Text(), nullable=True))
    bind = op.get_bind()
    key = MigrationKey()

    def seal(value: str | None) -> str | None:
        if value is None or value.startswith(FERNET_PREFIX):
            return value
        return key.cipher.encrypt(value)

    rows = bind.execute(
        sa.select(
            declarations.c.id,
            declarations.c.reporter_name,
            declarations.c.reporter_nip,
            declarations.c.reporter_email,
            declarations.c.nip_index,
        )
    ).all()
    sealed = []
    for row in rows:
        if row.reporter_name and row.reporter_name.startswith(FERNET_PREFIX):
            continue  # sealed already
        nip_index = row.nip_index
        if row.reporter_nip and not nip_index:
            nip_index = key.cipher.index(row.reporter_nip)
        sealed.append(
            {
                "row_id": row.id,
                "reporter_name": seal(row.reporter_name),
                "reporter_nip": seal(row.reporter_nip),
                "reporter_email": seal(row.reporter_email),
                "nip_index": nip_index,
                "name_index": word_index(key.cipher, row.reporter_name),
            }
        )
    update_rows(bind, declarations, sealed)
    found = bind.execute(
        sa.select(profiles.c.id, profiles.c.name, profiles.c.nip, profiles.c.email)
    ).all()
    update_rows(
        bind,
        profiles,
        [
            {"row_id": p.id, "name": seal(p.name), "nip": seal(p.nip), "email": seal(p.email)}
            for p in found
        ],
    )


def downgrade() -> None:
    # The values stay encrypted (decrypting them needs the key and belongs to no schema).
    op.drop_column("declarations", "name_index")
    _types(to_text=False)
