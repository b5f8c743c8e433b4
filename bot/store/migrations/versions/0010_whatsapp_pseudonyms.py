"""whatsapp numbers out of user keys: pseudonyms in keys, the number only encrypted

A WhatsApp user id is the user's phone number. Rows written before this revision hold it in
user_key ("whatsapp:62812..."), chat_id, thread authors, status-change and audit actors, and
outbox payloads (reporters' chat ids, officers' destinations). Each becomes the number's
pseudonym (bot.crypto.Cipher.pseudonym), or for chat ids the number encrypted with
DATA_ENCRYPTION_KEY, which the WhatsApp channel decrypts when it sends. chat_id columns grow to
hold an encrypted value. FAQ question hashes of a known user key are recomputed, the others
cleared (an unkeyed hash of a phone number can be reversed by trying every number).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:50:00
"""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from alembic import op

from bot.store.migration_key import MigrationKey, update_rows

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PREFIX = "whatsapp:"
NUMBER = re.compile(r"\+?\d{5,20}")
OFFICER_DEST = re.compile(r"wa:(\+?\d{5,20})")

declarations = sa.table(
    "declarations",
    sa.column("id", sa.Integer),
    sa.column("user_key", sa.String),
    sa.column("channel", sa.String),
    sa.column("chat_id", sa.Text),
)
drafts = sa.table(
    "drafts",
    sa.column("id", sa.Integer),
    sa.column("user_key", sa.String),
    sa.column("channel", sa.String),
    sa.column("chat_id", sa.Text),
)
profiles = sa.table("profiles", sa.column("id", sa.Integer), sa.column("user_key", sa.String))
threads = sa.table("thread_messages", sa.column("id", sa.Integer), sa.column("author", sa.String))
changes = sa.table("status_changes", sa.column("id", sa.Integer), sa.column("actor", sa.String))
audit = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("actor", sa.String))
outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer),
    sa.column("dedupe_key", sa.String),
    sa.column("payload", sa.JSON),
)
questions = sa.table(
    "faq_questions", sa.column("id", sa.Integer), sa.column("user_hash", sa.String)
)


class Keys(MigrationKey):
    """The conversions, under the key of the running settings."""

    def user_key(self, key: str | None) -> str | None:
        """ "whatsapp:<number>" -> "whatsapp:<pseudonym>"; anything else unchanged."""
        if not key or not key.startswith(PREFIX) or not NUMBER.fullmatch(key[len(PREFIX) :]):
            return key
        return PREFIX + str(self.cipher.pseudonym(key[len(PREFIX) :]))

    def chat_id(self, chat_id: str | None) -> str | None:
        if not chat_id or not NUMBER.fullmatch(chat_id):
            return chat_id
        return str(self.cipher.encrypt(chat_id))

    def dest(self, dest: str) -> str:
        found = OFFICER_DEST.fullmatch(dest)
        return f"wa:{self.cipher.pseudonym(found.group(1))}" if found else dest


def _faq_hash(user_key: str) -> str:
    # bot.knowledge.source.user_hash, as it was when these rows were written.
    return hashlib.sha256(f"gratibot-faq:{user_key}".encode()).hexdigest()


def _chat_id_type(old: sa.types.TypeEngine[str], new: sa.types.TypeEngine[str]) -> None:
    # SQLite ignores lengths, and its batch mode would copy and drop the declarations table,
    # which with foreign keys on deletes the rows of every table that cascades from it.
    if op.get_bind().dialect.name == "sqlite":
        return
    for name in ("declarations", "drafts"):
        op.alter_column(name, "chat_id", existing_type=old, type_=new, nullable=False)


def upgrade() -> None:
    _chat_id_type(sa.String(length=80), sa.Text())
    bind = op.get_bind()
    keys = Keys()
    renamed: dict[str, str] = {}

    def new_user_key(old: str) -> str:
        new = keys.user_key(old) or old
        if new != old:
            renamed[old] = new
        return new

    for table in (declarations, drafts):
        found = bind.execute(
            sa.select(table.c.id, table.c.user_key, table.c.chat_id).where(
                table.c.channel == "whatsapp"
            )
        ).all()
        converted = []
        for row in found:
            user_key, chat_id = new_user_key(row.user_key), keys.chat_id(row.chat_id)
            if (user_key, chat_id) != (row.user_key, row.chat_id):
                converted.append({"row_id": row.id, "user_key": user_key, "chat_id": chat_id})
        update_rows(bind, table, converted)
    for table, column in (
        (profiles, profiles.c.user_key),
        (threads, threads.c.author),
        (changes, changes.c.actor),
        (audit, audit.c.actor),
    ):
        pairs = bind.execute(sa.select(table.c.id, column).where(column.like(f"{PREFIX}%"))).all()
        new_keys = ((row_id, value, new_user_key(value)) for row_id, value in pairs)
        update_rows(
            bind,
            table,
            [{"row_id": i, column.name: new} for i, old, new in new_keys if new != old],
        )

    messages = []
    for row in bind.execute(sa.select(outbox.c.id, outbox.c.dedupe_key, outbox.c.payload)).all():
        payload = dict(row.payload or {})
        dedupe_key = row.dedupe_key
        if payload.get("channel") == "whatsapp" and isinstance(payload.get("chat_id"), str):
            payload["chat_id"] = keys.chat_id(payload["chat_id"])
        dest = payload.get("dest")
        if isinstance(dest, str) and OFFICER_DEST.fullmatch(dest):
            payload["dest"] = keys.dest(dest)
            dedupe_key = dedupe_key.replace(f":{dest}", f":{payload['dest']}")
        if payload != (row.payload or {}) or dedupe_key != row.dedupe_key:
            messages.append({"row_id": row.id, "payload": payload, "dedupe_key": dedupe_key})
    update_rows(bind, outbox, messages)

    # A question's hash only links a pressed suggestion to it: a hash of a known WhatsApp key
    # is recomputed, and every other one cleared, since one of a user who never declared
    # cannot be told apart and could be reversed by trying every number.
    hashes = {_faq_hash(old): _faq_hash(new) for old, new in renamed.items()}
    hashed = bind.execute(
        sa.select(questions.c.id, questions.c.user_hash).where(questions.c.user_hash.is_not(None))
    ).all()
    update_rows(bind, questions, [{"row_id": i, "user_hash": hashes.get(h)} for i, h in hashed])


def downgrade() -> None:
    # Pseudonyms cannot be turned back into numbers; only the column type goes back.
    _chat_id_type(sa.Text(), sa.String(length=200))
