"""Requests to the Bot API: the file URL, and retries (stamina, in test mode: no sleeping)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.channels.telegram.bot import file_base_url
from bot.channels.telegram.request import make_request


def test_file_url_follows_the_api_url() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:9000/bot/") == "http://127.0.0.1:9000/file/bot"


class FlakyApi(BaseHTTPRequestHandler):
    """Answers 502 to the first `failures` requests, then a valid getMe."""

    failures = 0
    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("content-length") or 0))
        if type(self).calls <= type(self).failures:
            self.send_response(502)
            self.end_headers()
            return
        body = b'{"ok": true, "result": {"id": 1, "is_bot": true, "first_name": "g"}}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def flaky() -> Iterator[str]:
    FlakyApi.calls = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()


CLIENTS = pytest.mark.parametrize("client", ["aiohttp", "httpx"])


@CLIENTS
async def test_5xx_answers_are_retried(flaky: str, client: str) -> None:
    FlakyApi.failures = 2
    async with Bot("1:x", base_url=flaky, request=make_request(client)) as bot:
        assert bot.id == 1
    assert FlakyApi.calls == 3


@CLIENTS
async def test_retries_give_up_after_the_last_attempt(flaky: str, client: str) -> None:
    FlakyApi.failures = 100
    bot = Bot("1:x", base_url=flaky, request=make_request(client))
    with pytest.raises(NetworkError):
        await bot.initialize()
    assert FlakyApi.calls == 3
    await bot.shutdown()
