"""The local set-up the README describes: `gratibot serve` beside `gratibot chat --user ID`.
The serve process's worker has no console sender, so it kept failing the console user's
notices and putting them off (up to 15 minutes); the chat, once open, makes them due at once
and shows them."""

from __future__ import annotations

import io

from sqlalchemy import select

from bot.backoffice.deliveries import no_sender
from bot.backoffice.outbox import due_again
from bot.backoffice.workflow import change_status
from bot.channels.console import ConsoleSender
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import SENT, OutboxMessage
from handlers import statuses as st
from tests.bot.backoffice.kit import Clock, deliveries, new_declaration, uppg_settings, worker


async def test_an_opened_chat_gets_the_notices_a_serve_process_put_off(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    declaration = await new_declaration(database, "GRT-2026-000040", user_key="console:101")
    async with database.transaction() as session:
        await change_status(
            session, declaration, st.DIVERIFIKASI, actor="siti", details={"message": "Lengkap."}
        )
    clock = Clock()
    serve = worker(database, deliveries(database, config, None), clock, "serve")
    await serve.run_once()
    async with database.sessions() as session:
        notice = (
            await session.execute(
                select(OutboxMessage).where(OutboxMessage.topic == "reporter.status_changed")
            )
        ).scalar_one()
    assert notice.status != SENT and notice.next_attempt_at > clock.now
    assert notice.last_error == "NotConfigured: no sender for channel console in this process"

    screen = io.StringIO()
    chat = worker(
        database,
        deliveries(database, config, None, senders={"console": ConsoleSender("101", screen)}),
        clock,
        "chat",
    )
    await chat.run_once()
    assert "Pesan dari UPPG" not in screen.getvalue()  # not due yet: put off
    await due_again(database, no_sender("console"))
    await chat.run_once()
    assert "Pesan dari UPPG" in screen.getvalue() and "Lengkap." in screen.getvalue()
