"""A 64 kB WhatsApp text gets a polite note at once and never blocks the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select

from bot.store.models import FaqQuestion
from handlers import texts
from tests.bot.web.healthz import keeps_healthz_under
from tests.whatsapp_stub import WA_ID, GraphStub, WhatsAppApp, WhatsAppUser

# WhatsApp's own limit. One unbroken run of letters was the worst case for the old masking.
LONG = "Mohon info " + "a" * (65_536 - 11)


async def test_a_64_kb_text_keeps_healthz_under_100_ms(
    wa_app: WhatsAppApp, graph_stub: GraphStub
) -> None:
    alice = WhatsAppUser(client=wa_app.client, stub=graph_stub, wa_id=WA_ID)
    await alice.type("/start")

    async def prepare() -> Callable[[], Awaitable[list[dict[str, Any]]]]:
        return lambda: alice.type(LONG)

    # Before: 32 s of masking on the event loop here (21 s on the machine).
    for sent in await keeps_healthz_under(wa_app.client, 0.1, prepare):
        assert [m["interactive"]["body"]["text"] for m in sent] == [texts.TOO_LONG]
    # Nothing of the text was stored: no unanswered-question row, the menu still open.
    async with wa_app.runtime.db.sessions() as db:
        assert (await db.scalar(select(func.count()).select_from(FaqQuestion))) == 0
    await asyncio.sleep(0)
    assert (await alice.press("menu:bantuan"))[0]["type"] in ("text", "interactive")
