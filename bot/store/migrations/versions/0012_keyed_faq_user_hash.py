"""faq questions: the user hash keyed with the data key

faq_questions.user_hash was SHA-256 of "gratibot-faq:<user key>", no secret: a Telegram id or a
WhatsApp pseudonym could be found again by hashing every candidate. It becomes HMAC-SHA256 under
a lookup secret (bot.crypto: DATA_LOOKUP_KEY, which outlives a key rotation;
bot.knowledge.source.user_hash). A hash of a user key
the database knows (declarations, drafts, profiles) is recomputed, so a pressed suggestion
still finds its question; every other one is cleared (the hash only links suggestions).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:50:00
"""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa
from alembic import op

from bot.store.migration_key import MigrationKey, update_rows

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

questions = sa.table(
    "faq_questions", sa.column("id", sa.Integer), sa.column("user_hash", sa.String)
)
USER_TABLES = ("declarations", "drafts", "profiles")


def _plain_hash(user_key: str) -> str:
    # The hash as rows before this revision hold it.
    return hashlib.sha256(f"gratibot-faq:{user_key}".encode()).hexdigest()


class Keys(MigrationKey):
    def keyed(self, user_key: str) -> str:
        # bot.knowledge.source.user_hash, as it is from this revision on.
        secret = self.cipher.lookup("gratibot faq user v1")
        return hmac.new(secret, user_key.encode(), hashlib.sha256).hexdigest()


def _hashed_rows(bind: sa.Connection) -> list[tuple[int, str]]:
    """(id, hash) of every question that holds a user hash."""
    query = sa.select(questions.c.id, questions.c.user_hash).where(
        questions.c.user_hash.is_not(None)
    )
    return [(int(row.id), str(row.user_hash)) for row in bind.execute(query)]


def upgrade() -> None:
    bind = op.get_bind()
    hashed = _hashed_rows(bind)
    if not hashed:
        return  # a fresh database needs no key
    known: set[str] = set()
    for name in USER_TABLES:
        table = sa.table(name, sa.column("user_key", sa.String))
        known |= {row.user_key for row in bind.execute(sa.select(table.c.user_key).distinct())}
    plain = {_plain_hash(key): key for key in known if key}
    keys = Keys()
    found = {h: keys.keyed(plain[h]) for _, h in hashed if h in plain}
    update_rows(bind, questions, [{"row_id": i, "user_hash": found.get(h)} for i, h in hashed])


def downgrade() -> None:
    # A keyed hash cannot be turned back into the plain one: the links are dropped.
    bind = op.get_bind()
    rows = [{"row_id": i, "user_hash": None} for i, _ in _hashed_rows(bind)]
    update_rows(bind, questions, rows)
