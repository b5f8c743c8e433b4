"""What a conversation turn costs in Bot API calls, and what the user sees (stub Bot API).

A typed answer: one sendMessage. A press: answerCallbackQuery and one edit, which shows the
choice and the next question in the pressed message. A press on an older keyboard: only a
notice above the chat, and nothing else changes. Through the webhook, the answerCallbackQuery
rides in the webhook's answer, so a press costs the edit alone.
"""

from __future__ import annotations

import asyncio
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


async def _through_webhook(phone: Phone, press: Any) -> tuple[list[Call], dict[str, Any] | None]:
    """A press as the webhook hands it over: the answer it would carry, and the calls made."""
    replies = phone.channel.replies
    update_id = phone.updates + 1
    waiting = replies.expect(update_id)
    calls, method = await asyncio.gather(press, replies.wait(update_id, waiting))
    return calls, method


async def test_through_the_webhook_a_press_costs_one_call(
    runtime: Runtime, stub: BotApiStub
) -> None:
    assert runtime.telegram is not None
    phone = Phone(runtime.telegram, stub)
    (greeting,) = await phone.type("/start")
    menu = greeting.params["reply_markup"]
    bantuan = _button(menu, "Bantuan")

    calls, method = await _through_webhook(phone, phone.press(100, texts.GREETING, menu, bantuan))
    # The spinner stops with the webhook's answer; the only request is the edit.
    assert [c.method for c in calls] == ["editMessageText"]
    assert method == {"method": "answerCallbackQuery", "callback_query_id": f"q{phone.updates - 1}"}

    # A stale press: the notice rides in the webhook's answer, and nothing else happens.
    calls, method = await _through_webhook(phone, phone.press(100, texts.GREETING, menu, bantuan))
    assert calls == []
    assert method is not None and method["text"] == texts.STALE_BUTTON
    assert "show_alert" not in method


async def test_a_press_the_webhook_stopped_waiting_for_answers_itself(
    runtime: Runtime, stub: BotApiStub
) -> None:
    assert runtime.telegram is not None
    phone = Phone(runtime.telegram, stub)
    (greeting,) = await phone.type("/start")
    menu = greeting.params["reply_markup"]
    replies = phone.channel.replies
    replies.wait_seconds = 0.0
    update_id = phone.updates + 1
    # The webhook gave up before the turn was done (a slow turn): it answers plainly...
    assert await replies.wait(update_id, replies.expect(update_id)) is None
    calls = await phone.press(100, texts.GREETING, menu, _button(menu, "Bantuan"))
    # ...and the channel makes the call itself.
    assert sorted(c.method for c in calls) == ["answerCallbackQuery", "editMessageText"]


async def test_an_update_with_nothing_to_carry_releases_the_webhook(
    runtime: Runtime, stub: BotApiStub
) -> None:
    assert runtime.telegram is not None
    phone = Phone(runtime.telegram, stub)
    replies = phone.channel.replies
    # A webhook waiting on a typed message (or the UPPG chat's press, answered by its own
    # handler) is let go as soon as the update is handled, with a plain answer.
    waiting = replies.expect(phone.updates + 1)
    calls = await phone.type("/start")
    assert [c.method for c in calls] == ["sendMessage"]
    assert waiting.done() and waiting.result() is None
