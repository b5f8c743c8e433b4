"""declaration_attachments, status_changes, audit_log: file names, aid recipients and legacy
storage keys no longer in clear

A file's name is what the sender's phone called it, and real names name people
("KTP_budi_3201011505900001.jpg"): `declaration_attachments.name` becomes Sealed
(bot/store/sealed.py), read back in clear for the download, the PDF and the lists. An
officer's download was audited with that name, and a status change with its document's: the
download entries keep the attachment's id only, the status changes say "terlampir".

Who received a gift passed on as social aid (`aid_recipient`, typed by the UPPG) may name a
person: it joins the typed texts sealed in the details of status changes and audit entries
(SealedTexts, TEXT_KEYS).

A file still stored under its plain SHA-256 ("ab/<sha256>") was named by its rows until the
worker moved it: the storage key showed the content hash 0015 took out of the hash column.
Such a key becomes a legacy reference, the SHA-256 sealed deterministically
(bot.store.attachments.legacy_reference), which the store follows to the file; the worker
still moves the file at its next start.

Values already sealed are left as they are, so the upgrade can be run again. Downgrade opens
the names, the aid recipients and the references again (the older code reads them in clear,
and 0015's downgrade finds a thread file's plain hash in its storage key); the file names taken
out of the audit entries are not put back.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from bot.store.migration_key import MigrationKey, update_rows
from bot.store.sealed import FERNET_PREFIX

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLE = "declaration_attachments"
# As bot.store.attachments (HASHES, REFERENCES, legacy_reference) and bot.store.sealed were
# when this was written.
HASHES = "gratibot attachment hashes v1"
REFERENCES = "gratibot legacy attachment references v1"
REFERENCE_PREFIX = "legacy/"
REFERENCE_AD = [b"gratibot legacy attachment reference"]
LEGACY_KEY = re.compile(r"[0-9a-f]{2}/([0-9a-f]{64})")
AID = "aid_recipient"
# As bot.backoffice.workflow.FILE_ATTACHED: what a status change's entry says of its document.
FILE_ATTACHED = "terlampir"

attachments = sa.table(
    TABLE,
    sa.column("id", sa.Integer),
    sa.column("name", sa.Text),
    sa.column("content_hmac", sa.String),
    sa.column("storage_key", sa.String),
)


def _name_type(to_text: bool) -> None:
    # A sealed name is longer than the 255 characters the name had. SQLite ignores lengths
    # (and its batch mode would copy and drop the table).
    if op.get_bind().dialect.name == "sqlite":
        return
    old, new = (sa.String(255), sa.Text()) if to_text else (sa.Text(), sa.String(255))
    op.alter_column(TABLE, "name", existing_type=old, type_=new)


def _reference(secret: bytes, sha256: str) -> str:
    sealed = AESSIV(secret).encrypt(bytes.fromhex(sha256), REFERENCE_AD)
    return REFERENCE_PREFIX + base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def _referenced(secret: bytes, key: str) -> str | None:
    if not key.startswith(REFERENCE_PREFIX):
        return None
    body = key[len(REFERENCE_PREFIX) :]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return AESSIV(secret).decrypt(raw, REFERENCE_AD).hex()


def _is_legacy(hashes: bytes, storage_key: str, recorded: str) -> str | None:
    """The plain SHA-256 a storage key shows, when it is one (not a keyed name of the same
    shape: those are told apart by the row's keyed hash, as in bot.store.attachment_names)."""
    named = LEGACY_KEY.fullmatch(storage_key)
    if named is None:
        return None
    keyed = hmac.new(hashes, named.group(1).encode(), hashlib.sha256).hexdigest()
    return named.group(1) if keyed == recorded else None


def _in_clear(value: object) -> bool:
    return isinstance(value, str) and not value.startswith(FERNET_PREFIX)


def upgrade() -> None:
    _name_type(to_text=True)
    bind = op.get_bind()
    key = MigrationKey()

    converted = []
    for row in bind.execute(sa.select(attachments)).all():
        clear_name = _in_clear(row.name)
        legacy = LEGACY_KEY.fullmatch(row.storage_key or "")
        if not clear_name and legacy is None:
            continue  # nothing to do (and no key needed for a fresh database)
        storage_key = row.storage_key
        if legacy is not None:
            sha256 = _is_legacy(key.cipher.lookup(HASHES), row.storage_key, row.content_hmac)
            if sha256 is not None:
                storage_key = _reference(key.cipher.lookup(REFERENCES), sha256)
        name = key.cipher.encrypt(row.name) if clear_name else row.name
        converted.append({"row_id": row.id, "name": name, "storage_key": storage_key})
    update_rows(bind, attachments, converted)

    for name in ("status_changes", "audit_log"):
        audit = (sa.column("action", sa.String),) if name == "audit_log" else ()
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("details", sa.JSON), *audit)
        changed = []
        for row in bind.execute(sa.select(table)).all():
            details = row.details if isinstance(row.details, dict) else {}
            new = dict(details)
            if _in_clear(details.get(AID)):
                new[AID] = key.cipher.encrypt(details[AID])
            if name == "audit_log" and row.action == "download_attachment":
                new.pop("name", None)
            if name == "audit_log" and row.action == "status_change" and "file" in details:
                new["file"] = FILE_ATTACHED
            if new != details:
                changed.append({"row_id": row.id, "details": new})
        update_rows(bind, table, changed)


def downgrade() -> None:
    bind = op.get_bind()
    key = MigrationKey()

    opened = []
    for row in bind.execute(sa.select(attachments)).all():
        sealed_name = str(row.name or "").startswith(FERNET_PREFIX)
        reference = str(row.storage_key or "").startswith(REFERENCE_PREFIX)
        if not sealed_name and not reference:
            continue
        storage_key = row.storage_key
        if reference:
            sha256 = _referenced(key.cipher.lookup(REFERENCES), row.storage_key)
            storage_key = f"{sha256[:2]}/{sha256}" if sha256 else row.storage_key
        name = (key.cipher.decrypt(row.name) or "")[:255] if sealed_name else row.name
        opened.append({"row_id": row.id, "name": name, "storage_key": storage_key})
    update_rows(bind, attachments, opened)

    for name in ("status_changes", "audit_log"):
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("details", sa.JSON))
        changed = []
        for row in bind.execute(sa.select(table)).all():
            details = row.details if isinstance(row.details, dict) else {}
            value = details.get(AID)
            if isinstance(value, str) and value.startswith(FERNET_PREFIX):
                changed.append(
                    {"row_id": row.id, "details": {**details, AID: key.cipher.decrypt(value)}}
                )
        update_rows(bind, table, changed)
    _name_type(to_text=False)
