"""Request body limits: 413 without reading the body, on the webhooks and the dashboard."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from bot.web.limits import FORM_OVERHEAD, WEBHOOK_MAX_BODY
from tests.bot.web.dashboard.conftest import add_user, login
from tests.whatsapp_stub import WhatsAppApp

CHUNK = 64 * 1024
SECRET = "telegram-webhook-secret-1"


class Body:
    """A request body streamed in chunks, counting how many the server took."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.taken = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        while sent < self.size:
            self.taken += 1
            chunk = b"x" * min(CHUNK, self.size - sent)
            sent += len(chunk)
            yield chunk


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    settings = settings.model_copy(update={"telegram_webhook_secret": SecretStr(SECRET)})
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime)
    app.state.runtime = runtime
    app.state.telegram = object()  # as if Telegram were reached: the route reads the body
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http, runtime
    await runtime.close()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_10_mb_telegram_update_is_refused_unread(
    app_client: tuple[httpx.AsyncClient, Runtime], declared: bool
) -> None:
    http, _ = app_client
    body = Body(10 * 1024 * 1024)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "content-type": "application/json"}
    if declared:
        headers["content-length"] = str(body.size)
    response = await http.post("/telegram/webhook", content=body, headers=headers)
    assert response.status_code == 413
    # Declared: not one chunk read. Chunked: read up to the limit only, not 10 MB.
    most = 1 if declared else WEBHOOK_MAX_BODY // CHUNK + 2
    assert body.taken <= most, body.taken


async def test_a_whatsapp_delivery_over_1_mb_is_refused(wa_app: WhatsAppApp) -> None:
    body = Body(WEBHOOK_MAX_BODY + 1)
    response = await wa_app.client.post(
        "/whatsapp/webhook",
        content=body,
        headers={"content-type": "application/json", "content-length": str(body.size)},
    )
    assert response.status_code == 413


async def test_a_webhook_body_under_the_limit_goes_through(
    app_client: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, _ = app_client
    response = await http.post(
        "/telegram/webhook",
        content=b"{" + b" " * (WEBHOOK_MAX_BODY - 10) + b"}",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200  # read, found unreadable, acknowledged


async def test_a_dashboard_upload_over_the_limit_gets_a_page_in_indonesian(
    app_client: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, runtime = app_client
    await add_user(runtime.db, "siti")
    await login(http, "siti")
    too_big = runtime.settings.max_attachment_bytes + FORM_OVERHEAD + 1
    body = Body(too_big)
    response = await http.post(
        "/dashboard/declarations/1/status",
        content=body,
        headers={
            "content-type": "multipart/form-data; boundary=x",
            "content-length": str(too_big),
        },
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar: lampiran paling besar 10 MB" in response.text
    assert body.taken <= 1


async def test_the_login_form_has_the_dashboard_limit(
    app_client: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, _ = app_client
    response = await http.post(
        "/login",
        content=b"username=" + b"a" * (20 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
