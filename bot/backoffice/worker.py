"""The back-office worker: outbox delivery plus the daily jobs (digest, reminders, retention),
as a command or in-process.

`gratibot worker` (bot/cli/worker.py) runs it in the foreground (docker-compose's worker service;
`--check` is its healthcheck). With EMBEDDED_WORKER on (the default without REDIS_URL) `serve`,
`telegram` and `chat` run it as a background task too, so a single-process install delivers.
Several workers at once are safe: claims and daily jobs are idempotent (outbox.py, digest.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import text

from bot.backoffice.deliveries import Deliveries
from bot.backoffice.digest import DailyJobs
from bot.backoffice.file_upkeep import FileUpkeep
from bot.backoffice.notify import ChannelSender, UppgChat
from bot.backoffice.outbox import OutboxWorker
from bot.config import Settings
from bot.crypto import Cipher
from bot.holidays_id import work_calendar
from bot.store.attachments import LocalAttachmentStore
from bot.store.database import Database

log = logging.getLogger(__name__)


def build_worker(
    db: Database,
    settings: Settings,
    senders: Mapping[str, ChannelSender],
    uppg: UppgChat | None,
    cipher: Cipher,
) -> tuple[OutboxWorker, DailyJobs]:
    """The outbox worker and the daily jobs over a database, the senders and the UPPG chat."""
    calendar = work_calendar(
        cuti_bersama_is_workday=settings.cuti_bersama_is_workday,
        knowledge_dir=settings.knowledge_dir,
        check_seconds=settings.knowledge_check_seconds,
    )
    files = LocalAttachmentStore(
        settings.effective_attachment_dir, max_bytes=settings.max_attachment_bytes, cipher=cipher
    )
    deliveries = Deliveries(
        db=db,
        settings=settings,
        calendar=calendar,
        senders=senders,
        files=files,
        cipher=cipher,
        uppg=uppg,
    )
    worker = OutboxWorker(
        db,
        deliveries.topics(),
        lock_seconds=settings.outbox_lock_seconds,
        max_backoff=settings.outbox_max_backoff_seconds,
        poll_seconds=settings.outbox_poll_seconds,
    )
    upkeep = FileUpkeep(db, files, settings.effective_attachment_dir, cipher)
    return worker, DailyJobs(db, settings, calendar, files=files, upkeep=upkeep)


def run_in_background(worker: OutboxWorker, daily: DailyJobs) -> Callable[[], Awaitable[None]]:
    """Starts the worker as a task of this process; returns the function that stops it."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop, tick=daily.tick), name="outbox-worker")
    log.info("outbox worker runs in this process")

    async def close() -> None:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return close


async def check_database(settings: Settings) -> bool:
    """Whether the database answers (the healthcheck)."""
    db = Database.from_settings(settings)
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        # A health check answers in one line; the traceback of a refused connection is noise.
        log.warning("database check failed: %s", type(exc).__name__)
        return False
    finally:
        await db.dispose()
