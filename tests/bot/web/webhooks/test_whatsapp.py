"""/whatsapp/webhook on the real app: handshake, signatures, statuses, redelivery, odd types."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from pydantic import SecretStr

from bot.channels.whatsapp.channel import NOTES, UNSUPPORTED_TEXT
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from handlers import texts
from tests.conftest import RedisServer
from tests.whatsapp_stub import (
    VERIFY_TOKEN,
    WA_ID,
    GraphStub,
    WhatsAppApp,
    WhatsAppUser,
    body_text,
    fixture,
    sign,
)


def user(wa_app: WhatsAppApp, stub: GraphStub, wa_id: str = WA_ID) -> WhatsAppUser:
    return WhatsAppUser(client=wa_app.client, stub=stub, wa_id=wa_id)


@asynccontextmanager
async def replica(settings: Settings) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """Another app process with these settings (its own runtime), sharing Redis."""
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        ):
            yield runtime, client
    finally:
        await runtime.close()


async def test_handshake_echoes_the_challenge(wa_app: WhatsAppApp) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = await wa_app.client.get("/whatsapp/webhook", params=params)
    assert response.status_code == 200
    assert response.text == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
async def test_handshake_refuses_a_wrong_token(wa_app: WhatsAppApp, params: dict[str, str]) -> None:
    response = await wa_app.client.get("/whatsapp/webhook", params=params)
    assert response.status_code == 403
    assert "1" not in response.text


@pytest.mark.parametrize(
    "header",
    [None, b"", b"sha256=", b"sha256=" + b"0" * 64, b"md5=abc", "sha256=\u00e9".encode("latin-1")],
)
async def test_unsigned_or_badly_signed_deliveries_are_refused(
    wa_app: WhatsAppApp, graph_stub: GraphStub, header: bytes | None
) -> None:
    body = json.dumps(user(wa_app, graph_stub).payload("text", text={"body": "/start"})).encode()
    headers: dict[str, str | bytes] = {"content-type": "application/json"}
    if header is not None:
        headers["x-hub-signature-256"] = header
    response = await wa_app.client.post("/whatsapp/webhook", content=body, headers=headers)
    assert response.status_code == 403
    assert graph_stub.sent == []


async def test_a_signature_over_another_body_or_secret_is_refused(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    body = json.dumps(user(wa_app, graph_stub).payload("text", text={"body": "/start"})).encode()
    tampered = body.replace(b"/start", b"/menu!")
    for content, header in ((tampered, sign(body)), (body, sign(body, "another-secret"))):
        response = await wa_app.client.post(
            "/whatsapp/webhook",
            content=content,
            headers={"content-type": "application/json", "x-hub-signature-256": header},
        )
        assert response.status_code == 403
    assert graph_stub.sent == []


async def test_a_text_message_is_answered_with_the_menu_as_a_list(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    alice = user(wa_app, graph_stub)
    sent = await alice.type("/start")
    assert len(sent) == 1
    message = sent[0]
    assert message["messaging_product"] == "whatsapp"
    assert message["to"] == WA_ID
    interactive = message["interactive"]
    # Five menu entries: more than three buttons, so a list.
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows][:2] == ["menu:lapor", "menu:cek"]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert "Selamat datang" in interactive["body"]["text"]
    assert graph_stub.bad_auth == 0


async def test_status_callbacks_are_ignored(wa_app: WhatsAppApp, graph_stub: GraphStub) -> None:
    body = json.dumps(fixture("statuses")).encode()
    response = await wa_app.client.post(
        "/whatsapp/webhook",
        content=body,
        headers={"content-type": "application/json", "x-hub-signature-256": sign(body)},
    )
    assert response.status_code == 200
    assert graph_stub.sent == []


@pytest.mark.parametrize("kind", ["sticker", "location", "audio", "unsupported"])
async def test_unsupported_types_get_one_polite_message(
    wa_app: WhatsAppApp, graph_stub: GraphStub, kind: str
) -> None:
    alice = user(wa_app, graph_stub)
    assert (await alice.deliver(alice.payload(kind))).status_code == 200
    # Each type says what to do instead (a voice note: type it); others the general note.
    assert [m["text"]["body"] for m in alice.new] == [NOTES.get(kind, UNSUPPORTED_TEXT)]
    assert "teks, tombol, foto, dan dokumen" in UNSUPPORTED_TEXT
    # A burst (three more stickers at once) does not get a message each.
    assert (await alice.deliver(alice.payload("sticker"))).status_code == 200
    assert alice.new == []


async def test_a_redelivered_message_has_one_effect(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    alice = user(wa_app, graph_stub)
    payload = alice.payload("text", text={"body": "/start"})
    assert (await alice.deliver(payload)).status_code == 200
    assert len(alice.new) == 1
    assert (await alice.deliver(payload)).status_code == 200
    assert alice.new == []
    assert len(graph_stub.to(WA_ID)) == 1


async def test_a_message_delivered_to_two_replicas_at_once_has_one_effect(
    wa_app: WhatsAppApp, wa_settings: Settings, graph_stub: GraphStub
) -> None:
    # A second replica: its own runtime and app, sharing Redis with the first.
    async with replica(wa_settings) as (_runtime, other):
        alice = user(wa_app, graph_stub)
        body = json.dumps(alice.payload("text", text={"body": "/start"})).encode()
        headers = {"content-type": "application/json", "x-hub-signature-256": sign(body)}
        responses = await asyncio.gather(
            *(
                client.post("/whatsapp/webhook", content=body, headers=headers)
                for client in (wa_app.client, other, wa_app.client, other)
            )
        )
    assert [r.status_code for r in responses] == [200] * 4
    assert len(graph_stub.to(WA_ID)) == 1


async def test_messages_for_another_business_number_are_ignored(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    alice = user(wa_app, graph_stub)
    payload = alice.payload("text", text={"body": "/start"})
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert (await alice.deliver(payload)).status_code == 200
    assert graph_stub.sent == []


async def test_phone_numbers_stay_out_of_logs(
    wa_app: WhatsAppApp, graph_stub: GraphStub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alice = user(wa_app, graph_stub)
    graph_stub.refuse_next = [131026]  # the first send fails: a warning is logged
    await alice.type("/start")
    await alice.deliver(alice.payload("sticker"))
    await alice.type("/start")
    logged = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert any("whatsapp" in r.getMessage() or "sending" in r.getMessage() for r in logged)
    assert all(WA_ID not in r.getMessage() for r in logged)


async def test_an_oversized_body_is_refused(wa_app: WhatsAppApp, graph_stub: GraphStub) -> None:
    body = b'{"object": "whatsapp_business_account", "pad": "' + b"x" * 1_100_000 + b'"}'
    response = await wa_app.client.post(
        "/whatsapp/webhook",
        content=body,
        headers={"content-type": "application/json", "x-hub-signature-256": sign(body)},
    )
    assert response.status_code == 413
    assert graph_stub.sent == []


async def test_without_whatsapp_configured_deliveries_wait(
    wa_settings: Settings, graph_stub: GraphStub
) -> None:
    # Signed correctly, but this process has no WHATSAPP_TOKEN: 503 makes Meta retry later.
    settings = wa_settings.model_copy(update={"whatsapp_token": None})
    async with replica(settings) as (runtime, client):
        body = json.dumps(fixture("text")).encode()
        response = await client.post(
            "/whatsapp/webhook",
            content=body,
            headers={"content-type": "application/json", "x-hub-signature-256": sign(body)},
        )
    assert "whatsapp" not in runtime.senders
    assert response.status_code == 503
    assert graph_stub.sent == []


async def test_a_delivery_during_a_redis_outage_is_refused_and_handled_when_redelivered(
    wa_settings: Settings, graph_stub: GraphStub, redis_server: RedisServer
) -> None:
    settings = wa_settings.model_copy(update={"redis_url": redis_server.url})
    async with replica(settings) as (_runtime, client):
        alice = WhatsAppUser(client=client, stub=graph_stub)
        payload = alice.payload("text", text={"body": "/start"})
        redis_server.stop()
        assert (await alice.deliver(payload)).status_code == 503
        assert graph_stub.sent == []
        redis_server.start()
        # Meta delivers the same message again: now it is answered, once.
        assert (await alice.deliver(payload)).status_code == 200
        assert len(alice.new) == 1
        assert (await alice.deliver(payload)).status_code == 200
        assert alice.new == []


async def test_one_delivery_with_several_users_and_statuses_answers_each_user(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    alice, bob = user(wa_app, graph_stub), user(wa_app, graph_stub, "6281200000002")
    payload = alice.payload("text", text={"body": "/start"})
    value = payload["entry"][0]["changes"][0]["value"]
    bob_message = bob.payload("text", text={"body": "/bantuan"})["entry"][0]["changes"][0]
    value["messages"].append(bob_message["value"]["messages"][0])
    value["contacts"].append(bob_message["value"]["contacts"][0])
    value["statuses"] = fixture("statuses")["entry"][0]["changes"][0]["value"]["statuses"]
    assert (await alice.deliver(payload)).status_code == 200
    (to_alice,) = graph_stub.to(WA_ID)
    (to_bob,) = graph_stub.to("6281200000002")
    assert "Selamat datang" in to_alice["interactive"]["body"]["text"]
    assert "Panduan" in to_bob["interactive"]["body"]["text"]


async def test_a_blank_token_leaves_whatsapp_off_without_an_error(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # .env.example has WHATSAPP_TOKEN= and WHATSAPP_PHONE_NUMBER_ID= for a Telegram-only install.
    blank = settings.model_copy(
        update={"whatsapp_token": SecretStr(""), "whatsapp_phone_number_id": ""}
    )
    runtime = await build_runtime(blank)
    try:
        assert "whatsapp" not in runtime.senders
    finally:
        await runtime.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "whatsapp_business_account", "entry": "x"},
        {"object": "whatsapp_business_account", "entry": [1]},
        {"object": "whatsapp_business_account", "entry": [{"changes": {"a": 1}}]},
        {"object": "whatsapp_business_account", "entry": [{"changes": [{"value": []}]}]},
        {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "messages", "value": {"messages": "hi"}}]}],
        },
        {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "messages", "value": {"metadata": "x"}}]}],
        },
    ],
)
async def test_a_signed_but_malformed_delivery_is_a_400(
    wa_app: WhatsAppApp, graph_stub: GraphStub, payload: dict[str, object]
) -> None:
    body = json.dumps(payload).encode()
    response = await wa_app.client.post(
        "/whatsapp/webhook",
        content=body,
        headers={"content-type": "application/json", "x-hub-signature-256": sign(body)},
    )
    assert response.status_code == 400
    assert graph_stub.sent == []


@pytest.mark.parametrize(
    "message_fields",
    [
        {"text": "not an object"},
        {"text": {"body": ["a"]}},
        {"type": "interactive", "interactive": "x"},
        {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": 3}},
        {"type": "image", "image": ["x"]},
        {"type": "document", "document": {"id": {"x": 1}}},
        {"from": {"x": 1}},
    ],
)
async def test_a_message_of_the_wrong_shape_is_a_400_not_a_500(
    wa_app: WhatsAppApp, graph_stub: GraphStub, message_fields: dict[str, object]
) -> None:
    alice = user(wa_app, graph_stub)
    payload = alice.payload("text")
    payload["entry"][0]["changes"][0]["value"]["messages"][0].update(message_fields)
    assert (await alice.deliver(payload)).status_code == 400
    assert graph_stub.sent == []


async def test_a_text_of_thousands_of_digits_gets_an_answer(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    alice = user(wa_app, graph_stub)
    await alice.type("/start")  # a numbered list is on screen: a typed number could pick from it
    sent = await alice.type("9" * 5000)
    assert sent, "no reply to a long number"
    assert all(texts.ERROR not in body_text(m) for m in sent)


async def test_past_the_intake_length_a_delivery_is_deferred_then_taken(
    wa_settings: Settings, graph_stub: GraphStub
) -> None:
    """INTAKE_MAX_LENGTH unhandled updates are stored: the next delivery is answered 503 (Meta
    delivers it again later) and nothing of it is sent; once there is room it is taken."""
    settings = wa_settings.model_copy(update={"intake_max_length": 1})
    async with replica(settings) as (runtime, client):
        # A delivery another replica holds and has not handled yet fills the stream.
        held = await runtime.intake.accept("whatsapp", "{}")
        alice = WhatsAppUser(client=client, stub=graph_stub)
        payload = alice.payload("text", text={"body": "/start"})
        assert (await alice.deliver(payload)).status_code == 503
        assert graph_stub.sent == []
        await runtime.intake.done(held)
        assert (await alice.deliver(payload)).status_code == 200
        assert len(alice.new) == 1
