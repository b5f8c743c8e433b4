"""`gratibot telegram`: long polling in one process, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import TypeHandler

from bot.channels.telegram.bot import ALLOWED_UPDATES, POLL_TIMEOUT, build_application, set_commands
from bot.channels.telegram.channel import TelegramChannel, log_error
from bot.config import Settings

log = logging.getLogger(__name__)


def _polling_error(exc: TelegramError) -> None:
    # The updater retries with backoff; log the kind of failure only.
    log.warning("getUpdates failed: %s", type(exc).__name__)


async def run(
    settings: Settings,
    channel_for: Callable[[Bot], TelegramChannel],
    stop: asyncio.Event | None = None,
) -> None:
    """Polls for updates and dispatches them until stop is set (or a signal arrives).

    channel_for builds the channel around the polling Application's Bot."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    application = build_application(settings, polling=True)
    channel = channel_for(application.bot)
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(log_error)
    async with application:
        await set_commands(application.bot)
        await application.start()
        updater = application.updater
        assert updater is not None
        # Also removes a webhook left by `gratibot serve`, so switching modes just works.
        await updater.start_polling(
            timeout=POLL_TIMEOUT,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=_polling_error,
        )
        log.info("Telegram long polling started")
        await stop.wait()
        log.info("stopping Telegram long polling")
        await updater.stop()
        await application.stop()
