"""A concern sent on WhatsApp and followed up with its code from a Telegram account.

The real app (webhook, channels, dispatcher, Redis, database) with the Graph API stub and the
Telegram emulator. Afterwards the database (outbox included), Redis and the logs are searched
for the sender's WhatsApp number and Telegram id: neither may appear with the concern. (A
Telegram chat id is the key of that chat's own encrypted, expiring conversation state, as for
every chat; a WhatsApp number appears nowhere, not even there.)
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from tests.handlers.test_concern import all_rows
from tests.telegram_emulator.harness import Emulator, new_token
from tests.whatsapp_stub import WA_ID, GraphStub, WhatsAppUser, body_text

pytestmark = pytest.mark.e2e

TELEGRAM_USER = 7350042
CODE = re.compile(r"Kode laporan: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


@pytest.fixture
async def both(
    wa_settings: Settings, telegram_emulator: Emulator
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """One app with WhatsApp (the stub) and Telegram (the emulator) switched on."""
    settings = wa_settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(new_token()),
            "telegram_api_base_url": telegram_emulator.proxy.api_base_url,
        }
    )
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield runtime, client
    await runtime.close()


def _telegram_text(text: str, update_id: int) -> dict[str, Any]:
    person = {"id": TELEGRAM_USER, "is_bot": False, "first_name": "Anon"}
    chat = {"id": TELEGRAM_USER, "type": "private", "first_name": "Anon"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": chat,
            "from": person,
            "text": text,
        },
    }


async def test_whatsapp_concern_followed_up_from_telegram(
    both: tuple[Runtime, httpx.AsyncClient],
    graph_stub: GraphStub,
    telegram_emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
    redis_client: Any,
) -> None:
    runtime, client = both
    caplog.set_level(logging.INFO)  # DEBUG is refused in production
    user = WhatsAppUser(client=client, stub=graph_stub)
    await user.type("lapor dugaan suap")
    await user.press("aduan:baru")
    await user.type(
        "Pejabat pengadaan di dinas PU meminta komitmen fee 10 persen kepada kontraktor "
        "pemenang tender jalan desa, disampaikan di rumah makan dekat kantor bulan lalu."
    )
    await user.press("aduan:how:dengar")
    await user.press("aduan:files:done")
    await user.press("aduan:anonim")
    await user.press("aduan:kirim")
    found = CODE.search(user.text)
    assert found, user.text
    code = found.group(1)

    # From a Telegram account the code opens the same concern.
    token = runtime.settings.telegram_bot_token
    assert token is not None
    channel = runtime.telegram
    assert channel is not None
    await channel.handle_update(channel.parse(_telegram_text(f"kode {code}", 1)))
    await channel.handle_update(channel.parse(_telegram_text("Kontraktornya CV Sumber Rezeki", 2)))
    sent = [
        m["text"]
        for m in telegram_emulator.proxy.bot(token.get_secret_value()).messages
        if m["chat"]["id"] == TELEGRAM_USER
    ]
    shown = "\n".join(sent)
    assert "Status: Diterima" in shown and "Keterangan Anda sudah kami tambahkan." in shown

    stored = await all_rows(runtime.db)
    logged = caplog.text
    for identifier in (WA_ID, str(TELEGRAM_USER)):
        assert identifier not in stored, f"{identifier} stored in the database"
        assert identifier not in logged, f"{identifier} in a log line"
    assert code not in stored and code.replace("-", "") not in stored
    assert "komitmen fee" not in stored and "Sumber Rezeki" not in stored
    assert "fkap.concern_received" in stored  # the compliance function is told (number only)
    assert all(WA_ID not in body_text(m) for m in graph_stub.sent)

    # Redis: no key or value holds the WhatsApp number, the code or the story in clear.
    keys = [k async for k in redis_client.scan_iter(f"{runtime.settings.redis_namespace}:*")]
    assert keys, "the conversations were kept in Redis"
    for key in keys:
        shown_key = key.decode()
        assert WA_ID not in shown_key, f"the WhatsApp number in the key {shown_key}"
        value = await _raw(redis_client, key)
        for secret in (WA_ID, code, code.replace("-", ""), "komitmen fee", "Sumber Rezeki"):
            assert secret.encode() not in value, f"{secret!r} in clear under {shown_key}"
        if str(TELEGRAM_USER) in shown_key:
            # The Telegram chat's own conversation state, under its chat id: never the
            # concern's key, and nothing of the concern stored in clear.
            assert "aduan" not in shown_key and "concern" not in shown_key


async def _raw(client: Any, key: bytes) -> bytes:
    """Every byte Redis keeps under a key, whatever its type."""
    kind = (await client.type(key)).decode()
    if kind == "string":
        return bytes(await client.get(key) or b"")
    if kind == "hash":
        pairs = await client.hgetall(key)
        return b"\n".join(k + b"=" + v for k, v in pairs.items())
    if kind in ("list",):
        return b"\n".join(await client.lrange(key, 0, -1))
    if kind == "set":
        return b"\n".join(await client.smembers(key))
    if kind == "zset":
        return b"\n".join(await client.zrange(key, 0, -1))
    if kind == "stream":
        entries = await client.xrange(key)
        return b"\n".join(k + b"=" + v for _, fields in entries for k, v in fields.items())
    return b""
