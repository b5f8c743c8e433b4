"""The back-office worker: outbox delivery plus the daily jobs, as a command or in-process.

`gratibot worker` runs it in the foreground (docker-compose's worker service; `--check` is its
healthcheck). With EMBEDDED_WORKER on (the default without REDIS_URL) `serve`, `telegram` and
`chat` run it as a background task too, so a single-process install delivers. Several workers
at once are safe: claims and daily jobs are idempotent (bot/outbox.py, bot/digest.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import text
from telegram import Bot

from bot.backoffice.deliveries import Deliveries
from bot.backoffice.digest import DailyJobs
from bot.backoffice.outbox import OutboxWorker
from bot.backoffice.threads import DbThreads
from bot.config import Settings
from bot.store.attachments import LocalAttachmentStore
from bot.store.database import Database
from bot.uppg_actions import UppgActions
from bot.uppg_chat import UppgTelegram, close_bot
from bot.workdays import WorkCalendar

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


def calendar_from_settings(settings: Settings) -> WorkCalendar:
    return WorkCalendar(cuti_bersama_is_workday=settings.cuti_bersama_is_workday)


def uppg_bot(settings: Settings) -> Bot | None:
    """python-telegram-bot's Bot for the UPPG chat, when a token and the chat are set."""
    if not (settings.telegram_bot_token and settings.uppg_telegram_chat_id):
        return None
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
    )


def wire_backoffice(runtime: Runtime) -> None:
    """Adds the back office to a runtime: thread port, file store, UPPG chat handler."""
    settings = runtime.settings
    services = runtime.services
    services.threads = DbThreads(runtime.db)
    bot = uppg_bot(settings)
    if bot is not None and settings.uppg_telegram_chat_id:
        runtime.closers.append(lambda: close_bot(bot))
        actions = UppgActions(
            bot,
            settings.uppg_telegram_chat_id,
            runtime.db,
            today=lambda: datetime.now(settings.tz),
        )
        runtime.uppg_telegram = actions.handle
    if settings.worker_embedded:
        start_embedded(runtime, bot)


def build_worker(runtime: Runtime, bot: Bot | None) -> tuple[OutboxWorker, DailyJobs]:
    """The outbox worker and the daily jobs over a runtime's database and senders."""
    settings = runtime.settings
    calendar = calendar_from_settings(settings)
    uppg = (
        UppgTelegram(bot, settings.uppg_telegram_chat_id)
        if bot is not None and settings.uppg_telegram_chat_id
        else None
    )
    deliveries = Deliveries(
        db=runtime.db,
        settings=settings,
        calendar=calendar,
        senders=runtime.senders,
        files=LocalAttachmentStore(
            settings.effective_attachment_dir, max_bytes=settings.max_attachment_bytes
        ),
        uppg=uppg,
    )
    worker = OutboxWorker(
        runtime.db,
        deliveries.topics(),
        lock_seconds=settings.outbox_lock_seconds,
        max_backoff=settings.outbox_max_backoff_seconds,
        poll_seconds=settings.outbox_poll_seconds,
    )
    return worker, DailyJobs(runtime.db, settings, calendar)


def start_embedded(runtime: Runtime, bot: Bot | None) -> None:
    """Runs the worker as a background task of this process, stopped by runtime.close()."""
    worker, daily = build_worker(runtime, bot)
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

    runtime.closers.append(close)


async def check_database(settings: Settings) -> bool:
    """Whether the database answers (the healthcheck)."""
    db = Database(settings.effective_database_url)
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        log.warning("database check failed: %s", type(exc).__name__)
        return False
    finally:
        await db.dispose()


def worker_command(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 0 when the database answers (healthcheck).")
    ] = False,
) -> None:
    """Deliver the outbox (UPPG cards, reporter notices) and send the daily digest."""
    from bot.cli import run_with_runtime, settings_or_exit

    settings = settings_or_exit()
    if check:
        ok = asyncio.run(check_database(settings))
        raise typer.Exit(0 if ok else 1)
    settings = settings.model_copy(update={"embedded_worker": False})

    async def body(runtime: Runtime) -> None:
        bot = uppg_bot(runtime.settings)
        worker, daily = build_worker(runtime, bot)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        log.info("worker %s started", worker.worker_id)
        try:
            await worker.run(stop, tick=daily.tick)
        finally:
            if bot is not None:
                await close_bot(bot)
        log.info("worker stopped")

    run_with_runtime(settings, body)
