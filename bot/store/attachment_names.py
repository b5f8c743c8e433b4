"""Moving attachment files stored under their plain SHA-256 to their keyed names.

Until December 2026 a file was named by the SHA-256 of its clear content, which let anyone who
could list the store confirm that a known document was there. Now a file is named by a keyed
hash (bot.store.attachments.file_key). `rename_legacy` moves each old file: it writes the file
under its new name (sealed with the current key, since the name is part of what is sealed),
points every row at it, then removes the old file once no row names it. Each step can be
repeated, so a pass stopped halfway is finished by the next one, and several workers at once
only repeat each other's work. The worker runs it daily (bot/backoffice/digest.py); so does
`gratibot keys rotate`.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import String, func, select, update

from bot.store.attachments import AttachmentStore
from bot.store.database import Database
from bot.store.models import DeclarationAttachment

log = logging.getLogger(__name__)

A = DeclarationAttachment


@dataclass
class RenameReport:
    moved: int = 0
    missing: int = 0


def _legacy_name() -> object:
    """The key a file had under its plain SHA-256: "ab/ab...", from the row's own hash."""
    return func.substr(A.sha256, 1, 2, type_=String) + "/" + A.sha256


async def rename_legacy(db: Database, store: AttachmentStore) -> RenameReport:
    """Moves every attachment still stored under its plain SHA-256 to its keyed name."""
    report = RenameReport()
    async with db.sessions() as session:
        rows = (
            await session.execute(
                select(A.storage_key, A.sha256).where(A.storage_key == _legacy_name()).distinct()
            )
        ).all()
    for old, sha256 in rows:
        new = store.key_of(sha256)
        if not await store.blobs.exists(new):
            try:
                data = await store.read(old)
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
            await session.execute(update(A).where(A.storage_key == old).values(storage_key=new))
        async with db.sessions() as session:
            still = await session.scalar(select(func.count()).where(A.storage_key == old))
        if not still:
            await store.delete(old)
        report.moved += 1
    if report.moved:
        log.info("moved %d attachment file(s) to keyed names", report.moved)
    return report
