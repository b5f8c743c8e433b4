"""`gratibot telegram`: long polling in one process, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Updater

from bot.channels.telegram.bot import ALLOWED_UPDATES, POLL_TIMEOUT, set_commands
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.updates import UpdateFeed

log = logging.getLogger(__name__)


def _polling_error(exc: TelegramError) -> None:
    # The updater retries with backoff; log the kind of failure only.
    log.warning("getUpdates failed: %s", type(exc).__name__)


async def run(channel: TelegramChannel, stop: asyncio.Event | None = None) -> None:
    """Polls for updates with the channel's Bot and handles them until stop is set (or a
    signal arrives). The Bot itself is the runtime's, closed with it."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    queue: asyncio.Queue[object] = asyncio.Queue()
    updater = Updater(channel.bot, queue)
    feed = UpdateFeed(channel)

    async def forward() -> None:
        while True:
            update = await queue.get()
            if isinstance(update, Update):
                feed.put(update)

    await updater.initialize()
    await set_commands(channel.bot)
    # Also removes a webhook left by `gratibot serve`, so switching modes just works.
    await updater.start_polling(
        timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES, error_callback=_polling_error
    )
    forwarding = asyncio.create_task(forward())
    log.info("Telegram long polling started")
    try:
        await stop.wait()
    finally:
        log.info("stopping Telegram long polling")
        await updater.stop()
        forwarding.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await forwarding
        while not queue.empty():
            update = queue.get_nowait()
            if isinstance(update, Update):
                feed.put(update)
        await feed.close()
