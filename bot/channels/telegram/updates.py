"""Feeding updates to the channel: chats side by side, each chat's updates in arrival order.

The webhook and the poller hand every update to `UpdateFeed.put`, which runs the channel's
`handle_update` as a task. No python-telegram-bot Application sits in between: the channel is
the only handler, so its queue, handler lookup and per-update context would be work for
nothing. Updates of one chat wait for each other (python-telegram-bot's update processor, keyed
by chat), at most MAX_CONCURRENT run at once, and a failure is logged with its traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram.channel import TelegramChannel
from bot.intake import finish_or_cancel

log = logging.getLogger(__name__)

MAX_CONCURRENT = 64
CLOSE_SECONDS = 10.0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handles updates of different chats concurrently and those of one chat in arrival order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else 0
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class UpdateFeed:
    """Runs each update through the channel in the background."""

    def __init__(self, channel: TelegramChannel, max_concurrent: int = MAX_CONCURRENT) -> None:
        self.channel = channel
        self.processor = PerChatUpdateProcessor(max_concurrent)
        self._tasks: set[asyncio.Task[None]] = set()

    def put(self, update: Update) -> asyncio.Task[None]:
        """Starts handling an update; the task ends when it was handled (bot/intake.py waits
        for it before dropping the stored update)."""
        task = asyncio.create_task(
            self.processor.process_update(update, self.channel.handle_update(update))
        )
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            log.error("Telegram update failed: %s", type(error).__name__, exc_info=error)

    async def close(self) -> None:
        """Lets the updates in hand finish (cancelled after CLOSE_SECONDS)."""
        await finish_or_cancel(self._tasks, CLOSE_SECONDS)
