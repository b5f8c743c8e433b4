"""The Telegram channel in-process, against the emulator: files, tokens, groups, notifications."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.render import MAX_CALLBACK_BYTES, resolve_callback
from bot.config import Settings
from bot.messages import Reply, choices
from bot.runtime import Runtime, build_runtime
from handlers.ports import AttachmentRejected
from tests.telegram_emulator.harness import Emulator, TelegramUser, clear_namespace, new_token

pytestmark = pytest.mark.e2e

UPPG_CHAT = -1001234567


@pytest.fixture
async def runtime(
    settings: Settings, telegram_emulator: Emulator, redis_url: str, namespace: str
) -> AsyncIterator[Runtime]:
    """A runtime on Redis whose Telegram token talks to the emulator."""
    configured = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=settings.var_dir,
        knowledge_dir=settings.knowledge_dir,
        telegram_bot_token=new_token(),
        telegram_api_base_url=telegram_emulator.proxy.api_base_url,
        redis_url=redis_url,
        redis_namespace=namespace,
        uppg_telegram_chat_id=str(UPPG_CHAT),
        max_attachment_bytes=1000,
    )
    rt = await build_runtime(configured)
    yield rt
    await rt.close()
    clear_namespace(redis_url, namespace)


@pytest.fixture
def channel(runtime: Runtime) -> TelegramChannel:
    assert runtime.telegram is not None
    return runtime.telegram


def _token(runtime: Runtime) -> str:
    assert runtime.settings.telegram_bot_token is not None
    return runtime.settings.telegram_bot_token.get_secret_value()


def _update(update_id: int, chat: dict[str, Any], **message: Any) -> dict[str, Any]:
    person = {"id": 4242, "is_bot": False, "first_name": "Sari"}
    return {
        "update_id": update_id,
        "message": {"message_id": 7, "date": int(time.time()), "chat": chat, "from": person}
        | message,
    }


PRIVATE = {"id": 4242, "type": "private", "first_name": "Sari"}


async def test_photo_is_fetched_with_get_file(
    channel: TelegramChannel, telegram_emulator: Emulator, runtime: Runtime
) -> None:
    data = b"\xff\xd8" + b"x" * 500
    file_id, unique = telegram_emulator.proxy.add_file(_token(runtime), data)
    sizes = [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 60, "file_size": 50},
        {"file_id": file_id, "file_unique_id": unique, "width": 640, "height": 480},
    ]
    update = Update.de_json(_update(1, PRIVATE, photo=sizes), channel.bot)
    assert update.message is not None
    (photo,) = channel.attachments(update.message)
    assert photo.kind == "photo"
    assert photo.mime_type == "image/jpeg"
    assert photo.download is not None
    # The largest size is taken, and its bytes come through getFile and the file URL.
    assert await photo.download() == data


async def test_files_over_the_limit_are_refused(
    channel: TelegramChannel, telegram_emulator: Emulator, runtime: Runtime
) -> None:
    token = _token(runtime)
    big_id, big_unique = telegram_emulator.proxy.add_file(token, b"y" * 1001)
    declared = {"file_id": big_id, "file_unique_id": big_unique, "file_size": 5000}
    undeclared = {"file_id": big_id, "file_unique_id": big_unique, "file_name": "nota.pdf"}
    for document in (declared, undeclared):
        update = Update.de_json(_update(2, PRIVATE, document=document), channel.bot)
        assert update.message is not None
        (attachment,) = channel.attachments(update.message)
        assert attachment.download is not None
        with pytest.raises(AttachmentRejected, match="terlalu besar"):
            await attachment.download()


async def test_updates_are_handled_once_and_groups_routed(
    channel: TelegramChannel, runtime: Runtime, telegram_emulator: Emulator
) -> None:
    seen: list[int] = []

    async def uppg(update: Any) -> None:
        seen.append(update.update_id)

    channel.uppg = uppg
    uppg_chat = {"id": UPPG_CHAT, "type": "supergroup", "title": "UPPG"}
    other_chat = {"id": -1009999, "type": "group", "title": "Arisan"}
    for raw in (
        _update(101, uppg_chat, text="/antrian"),
        _update(101, uppg_chat, text="/antrian"),
        _update(102, other_chat, text="/start"),
        _update(103, PRIVATE, text="/start"),
        _update(103, PRIVATE, text="/start"),
    ):
        await channel.handle_update(Update.de_json(raw, channel.bot))
    assert seen == [101]
    user = TelegramUser(telegram_emulator, _token(runtime), user_id=4242)
    texts = [m["text"] for m in telegram_emulator.proxy.bot(_token(runtime)).messages]
    assert len(user.messages()) == 1
    assert len(texts) == 1


async def test_notification_with_long_choice_ids(
    runtime: Runtime, telegram_emulator: Emulator
) -> None:
    sender = runtime.senders["telegram"]
    long_id = "jawab:" + "a" * 90
    reply = Reply("UPPG menanyakan detail laporan Anda.", choices((long_id, "Jawab sekarang")))
    await sender.notify("5151", Notification(reply))
    (message,) = [
        m for m in telegram_emulator.proxy.bot(_token(runtime)).messages if m["chat"]["id"] == 5151
    ]
    (button,) = message["reply_markup"]["inline_keyboard"][0]
    assert len(button["callback_data"].encode()) <= MAX_CALLBACK_BYTES
    assert await resolve_callback(button["callback_data"], runtime.store) == long_id


async def test_notification_to_an_unknown_chat_id_fails_permanently(
    runtime: Runtime, settings: Settings
) -> None:
    sender = runtime.senders["telegram"]
    with pytest.raises(DeliveryFailed) as failure:
        await sender.notify("not-a-chat", Notification(Reply("Halo")))
    assert failure.value.permanent
