"""Moving attachment files stored under their plain SHA-256 to their keyed names.

Until December 2026 a file was named by the SHA-256 of its clear content, which let anyone who
could list the store confirm that a known document was there. Now a file is named by a keyed
hash (bot.store.attachments.file_key). The old name is the plain SHA-256 itself, so such a file
is found by its name's shape and checked against the keyed hash its rows record (migration
0015); since migration 0016 its rows record it by a legacy reference, the SHA-256 sealed
(bot.store.attachments.legacy_reference), so no row shows it. `rename_legacy` moves each old
file: it writes the file under its new name (sealed with the current key, since the name is
part of what is sealed), points every row at it, then removes the old file once no row names
it. Each step can be repeated, so a pass stopped
halfway is finished by the next one, and several workers at once only repeat each other's
work. The worker runs it at its first tick and daily (bot/backoffice/file_upkeep.py); so does
`gratibot keys rotate`.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update

from bot.store.attachments import REFERENCE_PREFIX, AttachmentStore, content_hmac, row_key
from bot.store.database import Database
from bot.store.models import DeclarationAttachment
from bot.store.sealed import cipher_for

log = logging.getLogger(__name__)

A = DeclarationAttachment


@dataclass
class RenameReport:
    moved: int = 0
    missing: int = 0


async def rename_legacy(db: Database, store: AttachmentStore) -> RenameReport:
    """Moves every attachment still stored under its plain SHA-256 to its keyed name."""
    report = RenameReport()
    # Since migration 0016 a row names such a file by its legacy reference ("legacy/...", the
    # SHA-256 sealed). A row written before (a half-upgraded copy) may still hold the old name
    # "ab/ab...", the plain SHA-256 itself; a keyed name has the same shape, and an old one is
    # told apart by its rows' keyed hash, which is that of the name.
    async with db.sessions() as session:
        rows = (
            await session.execute(
                select(A.storage_key, A.content_hmac)
                .where(
                    or_(
                        A.storage_key.like(f"{REFERENCE_PREFIX}%"),
                        and_(func.length(A.storage_key) == 67, A.storage_key.like("__/%")),
                    )
                )
                .distinct()
            )
        ).all()
        cipher = cipher_for(session)
    for recorded_key, recorded in rows:
        sha256 = store.legacy_sha256(recorded_key)
        if sha256 is None:
            continue
        if content_hmac(cipher, sha256) != recorded:
            continue  # a keyed name (the same shape), not the plain SHA-256 of this file
        old = f"{sha256[:2]}/{sha256}"
        new = store.key_of(sha256)
        if not await store.blobs.exists(new):
            try:
                data = await store.blobs.get(old)
            except FileNotFoundError:
                # Rows whose file is gone (removed by hand): nothing to move; the download
                # says the file is missing, as it did before.
                report.missing += 1
                continue
            if hashlib.sha256(data).hexdigest() != sha256:
                log.error("an attachment file does not match its recorded hash; left as it is")
                report.missing += 1
                continue
            await store.blobs.put(new, data)
        async with db.transaction() as session:
            await session.execute(
                update(A).where(A.storage_key == recorded_key).values(storage_key=new)
            )
        async with db.sessions() as session:
            still = await session.scalar(
                select(func.count()).where(A.storage_key.in_([old, row_key(cipher, old, sha256)]))
            )
        if not still:
            await store.blobs.delete(old)
        report.moved += 1
    if report.moved:
        log.info("moved %d attachment file(s) to keyed names", report.moved)
    return report
