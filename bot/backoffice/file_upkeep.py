"""The worker's daily care of attachment files: keyed names, and sealed with the current key.

Once a day (and at the worker's first tick, so an upgrade takes effect at the next start) files
still stored under their plain SHA-256 are moved to keyed names (bot/store/attachment_names.py)
and files still in clear, or sealed with a previous data key, are sealed with the current one
(bot/store/sealed_files.py). Both steps only repeat what is done when run again, so several
workers at once are safe; a file removed meanwhile (retention) is never written back. The
daily pass reads the first bytes of each file, not the file.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.crypto import Cipher
from bot.store.attachment_names import rename_legacy
from bot.store.attachments import AttachmentStore
from bot.store.database import Database
from bot.store.sealed_files import seal_existing

log = logging.getLogger(__name__)


class FileUpkeep:
    """Moves and seals attachment files under one root (see above)."""

    def __init__(self, db: Database, files: AttachmentStore, root: Path, cipher: Cipher) -> None:
        self.db = db
        self.files = files
        self.root = root
        self.cipher = cipher

    async def run(self) -> None:
        try:
            await rename_legacy(self.db, self.files)
            if self.root.is_dir():
                done = await asyncio.to_thread(seal_existing, self.root, self.cipher)
                if done.sealed or done.renewed:
                    log.info(
                        "sealed %d attachment file(s) from clear, %d from an older key",
                        done.sealed,
                        done.renewed,
                    )
        except Exception:
            # Tomorrow's pass tries again; delivery must not stop for this.
            log.exception("attachment file upkeep failed")
