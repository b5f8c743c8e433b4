"""`gratibot telegram` (long polling) end to end against the telegram-test-api emulator."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from handlers import texts
from tests.telegram_emulator import scenarios
from tests.telegram_emulator.harness import (
    BotProcess,
    Emulator,
    TelegramUser,
    bot_env,
    clear_namespace,
    new_token,
    wait_until,
)

pytestmark = pytest.mark.e2e


@dataclass
class PollingBot:
    emulator: Emulator
    token: str
    process: BotProcess

    def user(self, **kwargs: object) -> TelegramUser:
        return TelegramUser(self.emulator, self.token, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def polling_bot(
    telegram_emulator: Emulator,
    redis_url: str,
    pg_database: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PollingBot]:
    """One `gratibot telegram` process for the module; each test talks as its own user."""
    token = new_token()
    namespace = f"gt-test-{uuid.uuid4().hex[:12]}"
    var = tmp_path_factory.mktemp("tg-polling")
    env = bot_env(
        token=token,
        api_base_url=telegram_emulator.proxy.api_base_url,
        redis_url=redis_url,
        namespace=namespace,
        database_url=pg_database or f"sqlite:///{var / 'bot.db'}",
        var=var / "var",
    )
    process = BotProcess(["telegram"], env, var, "polling")
    process.start()
    state = telegram_emulator.proxy.bot(token)
    wait_until(lambda: bool(state.commands) or not process.alive(), 90, "the bot to start")
    assert process.alive(), process.output
    yield PollingBot(telegram_emulator, token, process)
    process.stop()
    clear_namespace(redis_url, namespace)


async def test_start_shows_the_menu_and_sets_indonesian_commands(polling_bot: PollingBot) -> None:
    await scenarios.start_and_menu(polling_bot.user())
    commands = polling_bot.emulator.proxy.bot(polling_bot.token).commands
    assert [c["command"] for c in commands] == [
        "start",
        "lapor",
        "status",
        "cek",
        "jawab",
        "tanya",
        "aduan",
        "batal",
        "bantuan",
    ]
    assert all(c["description"] for c in commands)


async def test_button_press_is_answered_in_place(polling_bot: PollingBot) -> None:
    answered_before = len(polling_bot.emulator.proxy.bot(polling_bot.token).answered_callbacks)
    await scenarios.button_press_answers_in_place(polling_bot.user())
    answered = polling_bot.emulator.proxy.bot(polling_bot.token).answered_callbacks
    # The press and the stale press, each answered once.
    assert len(answered) == answered_before + 2


async def test_faq_question(polling_bot: PollingBot, tmp_path: Path) -> None:
    await scenarios.faq_question(polling_bot.user(), tmp_path)


async def test_status(polling_bot: PollingBot, tmp_path: Path) -> None:
    await scenarios.status_command(polling_bot.user(), tmp_path)


async def test_redelivered_update_has_one_effect(polling_bot: PollingBot) -> None:
    user = polling_bot.user()
    assert await user.say("/start") == [texts.GREETING]
    # Telegram hands the same update out again (as after a crash before the offset moved on).
    polling_bot.emulator.proxy.replay_last(polling_bot.token)
    assert await scenarios.sentinel(user) == [texts.HELP]


async def test_other_groups_are_ignored(polling_bot: PollingBot) -> None:
    group = polling_bot.user(chat_type="group", chat_id=-(10**9 + uuid.uuid4().int % 10**6))
    await scenarios.group_messages_ignored(group, polling_bot.user())


async def test_photo_outside_a_form_gets_a_polite_answer(polling_bot: PollingBot) -> None:
    user = polling_bot.user()
    await user.send_photo(scenarios.PHOTO)
    replies = await user.replies()
    assert replies and "Maaf" in replies[0]
    assert "Traceback" not in polling_bot.process.output


async def test_whole_declaration(polling_bot: PollingBot) -> None:
    user = polling_bot.user()
    number = await scenarios.declaration(user)
    assert number.startswith("GRT-")


def test_cli_without_a_token_says_how_to_get_one(tmp_path: Path) -> None:
    from tests.bot.cli.test_common import gratibot

    result = gratibot("telegram", tmp=tmp_path, TELEGRAM_BOT_TOKEN="")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "BotFather" in result.stderr


def test_cli_with_telegram_unreachable_fails_in_one_line(tmp_path: Path) -> None:
    from tests.bot.cli.test_common import gratibot
    from tests.conftest import free_port

    result = gratibot(
        "telegram",
        tmp=tmp_path,
        TELEGRAM_BOT_TOKEN=new_token(),
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}/bot",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "gratibot: Telegram refused to start: NetworkError" in result.stderr
