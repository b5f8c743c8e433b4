"""Updates of one chat run in order; different chats run side by side."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.channels.telegram.updates import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = {"id": chat_id, "type": "private"}
    person = {"id": chat_id, "is_bot": False, "first_name": "A"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": person, "text": "x"}
    return Update.de_json({"update_id": update_id, "message": message}, None)


async def test_one_chat_in_order_chats_concurrently() -> None:
    processor = PerChatUpdateProcessor(16)
    done: list[tuple[int, int]] = []
    running = 0
    most_running = 0

    async def handle(chat_id: int, update_id: int, pause: float) -> None:
        nonlocal running, most_running
        running += 1
        most_running = max(most_running, running)
        await asyncio.sleep(pause)
        running -= 1
        done.append((chat_id, update_id))

    tasks: list[asyncio.Task[Any]] = []
    async with processor:
        # The first update of each chat is the slowest: a later one must still wait for it.
        for update_id, (chat_id, pause) in enumerate(
            [(1, 0.2), (2, 0.2), (1, 0.0), (2, 0.0), (1, 0.05), (2, 0.0)]
        ):
            update = _update(update_id, chat_id)
            tasks.append(
                asyncio.create_task(
                    processor.process_update(update, handle(chat_id, update_id, pause))
                )
            )
        await asyncio.gather(*tasks)
    assert [u for c, u in done if c == 1] == [0, 2, 4]
    assert [u for c, u in done if c == 2] == [1, 3, 5]
    assert most_running == 2
