"""Delivery states in words: every reason the channels give maps to a sentence an officer
understands; the banner's checks read the settings and the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from bot.backoffice.delivery_status import (
    UNKNOWN_REASON,
    delivery_health,
    explain,
    reporter_channels,
    uppg_channels,
)
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import DEAD, outbox_message


@pytest.mark.parametrize(
    ("last_error", "words"),
    [
        ("NotConfigured: no sender for channel telegram in this process", "TELEGRAM_BOT_TOKEN"),
        ("NotConfigured: no sender for channel whatsapp in this process", "WHATSAPP_TOKEN"),
        ("DeliveryFailed: that console user is not in this chat", "uji coba"),
        ("DeliveryFailed: Forbidden", "memblokir bot"),
        ("DeliveryFailed: telegram forbidden: bot was blocked by the user", "memblokir bot"),
        ("DeliveryFailed: telegram refused: Bad Request: chat not found", "tidak ditemukan"),
        ("DeliveryFailed: telegram flood limit", "membatasi pengiriman"),
        ("GraphError: graph api 400 code 131047: OAuthException", "di luar 24 jam"),
        ("GraphError: graph api 503 code None: Service Unavailable", "sedang bermasalah"),
        ("DeliveryFailed: graph api unreachable: ConnectError", "tidak dapat dihubungi"),
        ("DeliveryFailed: no WhatsApp template configured for 'status_update'", "templat"),
        ("Gone: declaration 7 not found", "sudah tidak ada"),
        ("NotConfigured: no UPPG destination configured (UPPG_TELEGRAM_CHAT_ID)", "kanal UPPG"),
        ("DeliveryFailed: TimedOut", "tidak menjawab"),
    ],
)
def test_reasons_read_in_words(last_error: str, words: str) -> None:
    assert words in explain(last_error)


def test_an_unknown_reason_points_to_the_admin_command() -> None:
    assert explain("ZeroDivisionError: division by zero") == UNKNOWN_REASON
    assert "gratibot outbox list" in UNKNOWN_REASON


def test_channels_from_settings(settings: Settings) -> None:
    assert reporter_channels(settings) == [] and uppg_channels(settings) == []
    blank = settings.model_copy(update={"telegram_bot_token": SecretStr("  ")})
    assert reporter_channels(blank) == []
    telegram = settings.model_copy(
        update={"telegram_bot_token": SecretStr("1:x"), "uppg_telegram_chat_id": "-100"}
    )
    assert reporter_channels(telegram) == ["telegram"] and uppg_channels(telegram) == ["telegram"]
    # Officers' WhatsApp numbers need WhatsApp itself (token and phone number id).
    numbers = settings.model_copy(update={"uppg_whatsapp_numbers": "62811"})
    assert uppg_channels(numbers) == []
    whatsapp = numbers.model_copy(
        update={"whatsapp_token": SecretStr("t"), "whatsapp_phone_number_id": "1"}
    )
    assert reporter_channels(whatsapp) == ["whatsapp"] and uppg_channels(whatsapp) == ["whatsapp"]


async def test_health_counts_failed_and_stuck_messages(
    database: Database, settings: Settings
) -> None:
    now = datetime.now(UTC)
    async with database.transaction() as session:
        old_dead = outbox_message("reporter.question", "a", {})
        old_dead.status, old_dead.created_at = DEAD, now - timedelta(days=8)
        dead = outbox_message("reporter.question", "b", {})
        dead.status, dead.created_at = DEAD, now - timedelta(hours=1)
        waiting = outbox_message("reporter.question", "c", {})
        waiting.attempts, waiting.created_at = 2, now - timedelta(minutes=20)
        new = outbox_message("reporter.question", "d", {})  # just queued: not a problem
        session.add_all([old_dead, dead, waiting, new])
    async with database.sessions() as session:
        health = await delivery_health(session, settings, now)
    assert (health.failed, health.stuck) == (1, 1)
    assert len(health.problems) == 4  # no UPPG channel, no reporter channel, failed, stuck
