"""What a conversation turn costs in Bot API calls, and what the user sees (stub Bot API).

A typed answer: one sendMessage. A press: answerCallbackQuery and one edit, which shows the
choice and the next question in the pressed message. A press on an older keyboard: only a
notice above the chat, and nothing else changes.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from bot.channels.telegram.channel import TelegramChannel
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.sessions import MemorySessionStore
from handlers import texts
from tests.bot.channels.telegram.stub import TOKEN, BotApiStub, Call, running_stub

USER = 4242


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    async with running_stub() as found:
        yield found


@pytest.fixture
async def runtime(settings: Settings, stub: BotApiStub) -> AsyncIterator[Runtime]:
    config = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base_url": stub.base_url,
            "embedded_worker": False,
        }
    )
    rt = await build_runtime(config, store=MemorySessionStore())
    yield rt
    await rt.close()


def _person() -> dict[str, Any]:
    return {"id": USER, "is_bot": False, "first_name": "Sari"}


def _chat() -> dict[str, Any]:
    return {"id": USER, "type": "private", "first_name": "Sari"}


class Phone:
    """One user's side: types and presses; each returns the Bot API calls it caused."""

    def __init__(self, channel: TelegramChannel, stub: BotApiStub) -> None:
        self.channel = channel
        self.stub = stub
        self.updates = 0

    async def _handle(self, body: dict[str, Any]) -> list[Call]:
        self.updates += 1
        before = len(self.stub.calls)
        await self.channel.handle_update(self.channel.parse({"update_id": self.updates, **body}))
        return self.stub.calls[before:]

    async def type(self, text: str) -> list[Call]:
        message = {"message_id": 1000 + self.updates, "date": int(time.time()), "chat": _chat(),
                   "from": _person(), "text": text}  # fmt: skip
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        return await self._handle({"message": message})

    async def press(self, message_id: int, text: str, markup: str, data: str) -> list[Call]:
        query = {
            "id": f"q{self.updates}",
            "from": _person(),
            "chat_instance": "ci",
            "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "chat": _chat(),
                        "text": text, "reply_markup": json.loads(markup)},
        }  # fmt: skip
        return await self._handle({"callback_query": query})


def _button(markup: str, label: str) -> str:
    rows = json.loads(markup)["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


async def test_typed_answers_cost_one_call_and_presses_two(
    runtime: Runtime, stub: BotApiStub
) -> None:
    assert runtime.telegram is not None
    phone = Phone(runtime.telegram, stub)

    (greeting,) = await phone.type("/start")
    assert greeting.method == "sendMessage" and greeting.params["text"] == texts.GREETING
    menu = greeting.params["reply_markup"]
    message_id = 100  # the stub's first message id

    # A press: the spinner stops and the pressed message shows the choice and the answer.
    calls = await phone.press(message_id, texts.GREETING, menu, _button(menu, "Bantuan"))
    assert sorted(c.method for c in calls) == ["answerCallbackQuery", "editMessageText"]
    (edit,) = [c for c in calls if c.method == "editMessageText"]
    assert edit.params["text"] == f"{texts.GREETING}\n\n✅ Bantuan\n\n{texts.HELP}"
    assert int(edit.params["message_id"]) == message_id
    new_menu = edit.params["reply_markup"]
    assert _button(new_menu, "Bantuan") != _button(menu, "Bantuan")  # a new turn, a new tag

    # The same button pressed again (a double tap): stale, nothing but a notice.
    calls = await phone.press(message_id, texts.GREETING, menu, _button(menu, "Bantuan"))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == texts.STALE_BUTTON

    # Typing: one new message; the buttons above are not touched, only stale.
    calls = await phone.type("/bantuan")
    assert [c.method for c in calls] == ["sendMessage"]
    calls = await phone.press(
        message_id, edit.params["text"], new_menu, _button(new_menu, "Bantuan")
    )
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", texts.STALE_BUTTON)
    ]
