"""Re-encrypting the database under the current data key (`gratibot keys rotate`).

Every text and JSON column of every table is read in batches (by primary key), and each Fernet
token in it (a sealed column, an `_enc` column, a WhatsApp chat id, a token inside a JSON
document) that a previous key opens is written again under the current key. Scanning every
column, rather than a list of them, means a column sealed later is rotated without anyone
remembering to add it here. A value already under the current key is left as it is, so a run
can stop at any point and the next one goes on (each batch is one transaction), and a second
run changes nothing. A write only lands if the value is still the one that was read, so a row
the application changed meanwhile is never overwritten with an older value.

The concern columns encrypted with the concern's own key (bot/store/concerns.py) are not the
data key's and are skipped; the concern's key itself (`key_enc`) is rotated like any value.
A token that no configured key opens is counted as unreadable and left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, String, Text

from bot.crypto import Cipher
from bot.store.database import Database
from bot.store.models import Base
from bot.store.sealed import FERNET_PREFIX, Sealed, SealedTexts

# Encrypted with a concern's own key, not with the data key.
OWN_KEYS = {
    ("concerns", "story_enc"),
    ("concerns", "identity_enc"),
    ("concern_messages", "body_enc"),
    ("concern_files", "name_enc"),
}
BATCH = 500


@dataclass
class RekeyReport:
    """Values re-encrypted, found under the current key already, and that no key opens."""

    rotated: int = 0
    current: int = 0
    unreadable: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


class _Renewer:
    """Renews the tokens of one value (a string, or a JSON document), counting."""

    def __init__(self, cipher: Cipher, report: RekeyReport) -> None:
        self.cipher = cipher
        self.report = report

    def token(self, value: str) -> str:
        if not value.startswith(FERNET_PREFIX):
            return value
        if self.cipher.is_current(value):
            self.report.current += 1
            return value
        renewed = self.cipher.rotate(value)
        if renewed is None:
            self.report.unreadable += 1
            return value
        self.report.rotated += 1
        return renewed

    def document(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.token(value)
        if isinstance(value, list):
            return [self.document(item) for item in value]
        if isinstance(value, dict):
            return {key: self.document(item) for key, item in value.items()}
        return value


def _columns(table: sa.Table) -> list[sa.Column[Any]]:
    return [
        column
        for column in table.columns
        if isinstance(column.type, String | Sealed | JSON | SealedTexts)
        and not column.primary_key
        and (table.name, column.name) not in OWN_KEYS
    ]


async def rekey_database(db: Database, cipher: Cipher, *, batch: int = BATCH) -> RekeyReport:
    """Writes every value under a previous key again under the current key (see above)."""
    report = RekeyReport()
    renew = _Renewer(cipher, report)
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        columns = _columns(table)
        if len(keys) != 1 or not columns:
            continue
        before = report.rotated
        await _rekey_table(db, table, keys[0], columns, renew, batch)
        if report.rotated > before:
            report.by_table[table.name] = report.rotated - before
    return report


async def _rekey_table(
    db: Database,
    table: sa.Table,
    key: sa.Column[Any],
    columns: list[sa.Column[Any]],
    renew: _Renewer,
    batch: int,
) -> None:
    # Raw text, never through the Sealed type (which would decrypt it).
    raw = {c.name: sa.cast(sa.literal_column(c.name), Text) for c in columns}
    plain = sa.table(table.name, sa.column(key.name))
    has_token = sa.or_(*(text.like(f"%{FERNET_PREFIX}%") for text in raw.values()))
    last: Any = None
    while True:
        query = sa.select(plain.c[key.name], *(t.label(n) for n, t in raw.items()))
        query = query.select_from(plain).where(has_token).order_by(plain.c[key.name])
        if last is not None:
            query = query.where(plain.c[key.name] > last)
        async with db.transaction() as session:
            rows = (await session.execute(query.limit(batch))).mappings().all()
            for row in rows:
                for column in columns:
                    old = row[column.name]
                    if old is None or FERNET_PREFIX not in old:
                        continue
                    await _renew_value(session, table, key, column, row[key.name], old, renew)
        if len(rows) < batch:
            return
        last = rows[-1][key.name]


async def _renew_value(
    session: Any,
    table: sa.Table,
    key: sa.Column[Any],
    column: sa.Column[Any],
    row_id: Any,
    old: str,
    renew: _Renewer,
) -> None:
    is_json = isinstance(column.type, JSON | SealedTexts)
    if is_json:
        document = json.loads(old)
        new: Any = renew.document(document)
        changed = new != document
    else:
        new = renew.token(old)
        changed = new != old
    if not changed:
        return
    kind = JSON if is_json else Text
    target = sa.table(table.name, sa.column(key.name), sa.column(column.name, kind))
    await session.execute(
        target.update()
        .where(
            target.c[key.name] == row_id,
            sa.cast(sa.literal_column(column.name), Text) == old,
        )
        .values({column.name: new})
    )
