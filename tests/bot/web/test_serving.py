"""`gratibot serve`: the shared socket has Nagle's algorithm off; its logs are redacted."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from bot.config import Settings
from bot.logs import setup_logging
from bot.web import serving
from bot.web.app import create_app
from bot.web.serving import Config
from tests.conftest import free_port


def test_shared_socket_and_its_connections_have_nodelay() -> None:
    config = Config("bot.web.main:build", host="127.0.0.1", port=0, workers=2, factory=True)
    listener = config.bind_socket()
    try:
        listener.listen()
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        with socket.create_connection(listener.getsockname()[:2]):
            accepted, _ = listener.accept()
            with accepted:
                # Linux copies the option to accepted sockets; asyncio would not set it here.
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        listener.close()


NIK = "3404011234567890"
VERIFY = "verify-token-of-the-operator"


@pytest.fixture
def root_logging() -> Iterator[None]:
    """setup_logging changes the process's root logger: put it back afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


async def test_access_and_error_logs_go_through_the_redaction_filter(
    settings: Settings, capsys: pytest.CaptureFixture[str], root_logging: None
) -> None:
    settings = settings.model_copy(
        update={"whatsapp_verify_token": SecretStr(VERIFY), "log_level": "INFO"}
    )
    setup_logging(settings.log_level, secrets=settings.secret_values())
    port = free_port()
    options = {**serving.options(settings, host="127.0.0.1", port=port)}
    config = uvicorn.Config(create_app(settings), **options)
    config.configure_logging()
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn exposes only a flag)
            await asyncio.sleep(0.02)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            # A NIK typed into the dashboard's search box, and Meta's handshake.
            await http.get("/dashboard", params={"q": NIK})
            params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "7"}
            await http.get("/whatsapp/webhook", params=params)
    finally:
        server.should_exit = True
        await task
    printed = capsys.readouterr().err
    assert '"GET /dashboard HTTP/1.1" 303' in printed  # the access log is on, path only
    assert NIK not in printed and VERIFY not in printed
    assert "hub.verify_token" not in printed


def test_serve_hands_logging_to_gratibot(settings: Settings) -> None:
    assert serving.options(settings)["log_config"] is None
