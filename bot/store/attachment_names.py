"""Moving attachment files stored under their plain SHA-256 to their keyed names.

Until December 2026 a file was named by the SHA-256 of its clear content, which let anyone who
could list the store confirm that a known document was there. Now a file is named by a keyed
hash (bot.store.attachments.file_key). The old name is the plain SHA-256 itself, so such a file
is found by its name's shape and checked against the keyed hash its rows record (migration
0015). `rename_legacy` moves each old file: it writes the file under its new name (sealed with
the current key, since the name is part of what is sealed), points every row at it, then
removes the old file once no row names it. Each step can be repeated, so a pass stopped
halfway is finished by the next one, and several workers at once only repeat each other's
work. The worker runs it daily (bot/backoffice/digest.py); so does
`gratibot keys rotate`.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import func, select, update

from bot.store.attachments import LEGACY_KEY, AttachmentStore, content_hmac
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
    # The old name "ab/ab..." is the plain SHA-256 itself (the row records only its keyed
    # hash since migration 0015). A keyed name has the same shape: an old one is told apart
    # by its rows' keyed hash, which is that of the name.
    async with db.sessions() as session:
        rows = (
            await session.execute(
                select(A.storage_key, A.content_hmac)
                .where(func.length(A.storage_key) == 67, A.storage_key.like("__/%"))
                .distinct()
            )
        ).all()
        cipher = cipher_for(session)
    for old, recorded in rows:
        if not LEGACY_KEY.fullmatch(old):
            continue
        sha256 = old.rsplit("/", 1)[1]
        if content_hmac(cipher, sha256) != recorded:
            continue  # a keyed name (the same shape), not the plain SHA-256 of this file
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
