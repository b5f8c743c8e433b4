"""Two `gratibot serve` replicas behind a load balancer, fed by the emulator's webhook."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from handlers import texts
from tests.conftest import free_port
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
from tests.telegram_emulator.proxy import SECRET_HEADER

pytestmark = pytest.mark.e2e


@dataclass
class Replicas:
    emulator: Emulator
    token: str
    secret: str
    urls: list[str]
    processes: list[BotProcess]

    def user(self, **kwargs: Any) -> TelegramUser:
        return TelegramUser(self.emulator, self.token, **kwargs)

    @property
    def hits(self) -> dict[str, int]:
        return dict(self.emulator.proxy.bot(self.token).backend_hits)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def replicas(
    telegram_emulator: Emulator,
    redis_url: str,
    pg_database: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Replicas]:
    """Two serve processes sharing Redis and the database; the proxy balances round-robin."""
    token = new_token()
    secret = f"secret-{uuid.uuid4().hex}"
    namespace = f"gt-test-{uuid.uuid4().hex[:12]}"
    var = tmp_path_factory.mktemp("tg-webhook")
    proxy = telegram_emulator.proxy
    env = {
        **bot_env(
            token=token,
            api_base_url=proxy.api_base_url,
            redis_url=redis_url,
            namespace=namespace,
            database_url=pg_database or f"sqlite:///{var / 'bot.db'}",
            var=var / "var",
        ),
        "TELEGRAM_WEBHOOK_URL": proxy.lb_url(token),
        "TELEGRAM_WEBHOOK_SECRET": secret,
    }
    ports = [free_port(), free_port()]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    proxy.bot(token).backends = [f"{url}/telegram/webhook" for url in urls]
    processes = []
    for number, port in enumerate(ports):
        process = BotProcess(
            ["serve", "--host", "127.0.0.1", "--port", str(port)], env, var, f"serve{number}"
        )
        processes.append(process)
        # One after the other: both run the database migrations at start.
        process.start()
        wait_until(
            lambda p=process, u=urls[number]: _healthy(f"{u}/healthz") or not p.alive(),  # type: ignore[misc]
            90,
            "gratibot serve",
        )
        assert process.alive(), process.output
    state = proxy.bot(token)
    wait_until(lambda: state.webhook_url == proxy.lb_url(token), 30, "setWebhook")
    yield Replicas(telegram_emulator, token, secret, urls, processes)
    for process in processes:
        process.stop()
    clear_namespace(redis_url, namespace)


def test_webhook_is_registered_with_secret_and_update_types(replicas: Replicas) -> None:
    state = replicas.emulator.proxy.bot(replicas.token)
    assert state.webhook_secret == replicas.secret
    assert state.allowed_updates == ["message", "callback_query"]
    assert [c["command"] for c in state.commands][:3] == ["start", "lapor", "status"]


def _update(user: TelegramUser, text: str) -> dict[str, Any]:
    return {
        "update_id": 10**8 + uuid.uuid4().int % 10**8,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": user.chat,
            "from": user.person,
            "text": text,
            "entities": [{"offset": 0, "length": len(text), "type": "bot_command"}],
        },
    }


async def test_missing_or_wrong_secret_is_refused(replicas: Replicas) -> None:
    user = replicas.user()
    body = _update(user, "/start")
    url = f"{replicas.urls[0]}/telegram/webhook"
    async with httpx.AsyncClient(timeout=10) as client:
        missing = await client.post(url, json=body)
        wrong = await client.post(url, json=body, headers={SECRET_HEADER: "guess"})
        garbage = await client.post(
            url, content=b"{not json", headers={SECRET_HEADER: replicas.secret}
        )
    assert missing.status_code == 401
    assert wrong.status_code == 403
    # An unreadable body from Telegram itself is accepted: a retry would not make it readable.
    assert garbage.status_code == 200
    # Neither refused update reached the bot: the user's next message is the first one seen.
    assert await scenarios.sentinel(user) == [texts.HELP]


async def test_start_and_menu(replicas: Replicas) -> None:
    await scenarios.start_and_menu(replicas.user())


async def test_faq_question(replicas: Replicas, tmp_path: Path) -> None:
    await scenarios.faq_question(replicas.user(), tmp_path)


async def test_status(replicas: Replicas, tmp_path: Path) -> None:
    await scenarios.status_command(replicas.user(), tmp_path)


async def test_same_update_on_both_replicas_has_one_effect(replicas: Replicas) -> None:
    user = replicas.user()
    body = _update(user, "/start")
    lb = replicas.emulator.proxy.lb_url(replicas.token)
    before = replicas.hits
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(2):
            response = await client.post(lb, json=body, headers={SECRET_HEADER: replicas.secret})
            assert response.status_code == 200
    after = replicas.hits
    # Round robin: each replica got the update once.
    assert all(after[url] == before.get(url, 0) + 1 for url in after)
    assert await user.replies() == [texts.GREETING]
    assert await scenarios.sentinel(user) == [texts.HELP]


async def test_conversation_alternating_between_replicas(replicas: Replicas) -> None:
    before = replicas.hits
    await scenarios.button_press_answers_in_place(replicas.user())
    after = replicas.hits
    handled = [after[url] - before.get(url, 0) for url in after]
    # Five updates (/start, the press, /bantuan, the stale press, /bantuan), handed out in turn
    # to both replicas: the live keyboard's tag lives in the shared session.
    assert sorted(handled) == [2, 3]


async def test_other_groups_are_ignored(replicas: Replicas) -> None:
    group = replicas.user(chat_type="supergroup", chat_id=-(10**12 + uuid.uuid4().int % 10**6))
    await scenarios.group_messages_ignored(group, replicas.user())


async def test_whole_declaration_across_replicas(replicas: Replicas) -> None:
    user = replicas.user()
    number = await scenarios.declaration(user)
    assert number.startswith("GRT-")
    assert all(count > 0 for count in replicas.hits.values())


async def test_unreachable_telegram_leaves_the_app_serving(tmp_path: Path) -> None:
    """Telegram down at start: health still answers, the webhook says 503 so updates come back."""
    from bot.config import Settings
    from bot.web.app import create_app

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp_path / "var",
        telegram_bot_token=new_token(),
        telegram_api_base_url=f"http://127.0.0.1:{free_port()}/bot",
        telegram_webhook_url="https://example.invalid/telegram/webhook",
        telegram_webhook_secret="right-secret",
    )
    user = {"id": 1, "is_bot": False, "first_name": "A"}
    update = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "from": user},
    }
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        assert (await client.get("/healthz")).status_code == 200
        refused = await client.post("/telegram/webhook", json=update)
        queued = await client.post(
            "/telegram/webhook", json=update, headers={SECRET_HEADER: "right-secret"}
        )
    assert refused.status_code == 401
    assert queued.status_code == 503


async def test_empty_settings_from_env_example_are_unset(tmp_path: Path) -> None:
    """TELEGRAM_BOT_TOKEN= and TELEGRAM_WEBHOOK_SECRET= (as copied from .env.example)."""
    from bot.config import Settings
    from bot.web.app import create_app

    for token in ("", new_token()):
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            var_dir=tmp_path / "var",
            telegram_bot_token=token,
            telegram_api_base_url=f"http://127.0.0.1:{free_port()}/bot",
            telegram_webhook_secret="",
        )
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://t") as client,
        ):
            assert (await client.get("/healthz")).status_code == 200
            # An empty secret must never match an empty header.
            empty = await client.post(
                "/telegram/webhook", json={"update_id": 1}, headers={SECRET_HEADER: ""}
            )
            assert empty.status_code == 403
