"""The signed receipt in the chat: /status offers it, a press sends the PDF as a file, and
nobody gets someone else's receipt."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.dispatcher import Dispatcher
from bot.documents.receipt import ReceiptFiles, verify
from bot.documents.signing import signer_from_settings
from bot.holidays_id import work_calendar
from bot.messages import Incoming
from bot.sessions import SessionStore
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from handlers.ask import NoFaq
from handlers.context import Services
from handlers.ports import Policy
from tests.bot.backoffice.kit import new_declaration
from tests.driver import ChatDriver


async def test_the_reporter_downloads_a_signed_receipt(
    store: SessionStore, database: Database, settings: Settings
) -> None:
    await new_declaration(database, "GRT-2026-000031", user_key="test:u1")
    await new_declaration(database, "GRT-2026-000032", user_key="test:someone-else")
    policy = Policy(timezone=ZoneInfo("Asia/Jakarta"), calendar=work_calendar())
    cipher = cipher_from_settings(settings)
    signer = signer_from_settings(settings)
    services = Services(
        policy=policy,
        faq=NoFaq(),
        declarations=SqlDeclarations(database, cipher, policy),
        receipts=ReceiptFiles(database, settings, cipher, signer),
    )
    me = ChatDriver(Dispatcher(store, services), user_id="u1", channel="test")

    replies = await me.send("/status")
    offered = [c for r in replies for c in r.choices]
    assert offered[0].label == "Unduh tanda terima GRT-2026-000031"

    replies = await me.press("tandaterima:GRT-2026-000031")
    [file] = [a for r in replies for a in r.attachments]
    assert file.name == "tanda-terima-GRT-2026-000031.pdf"
    assert file.download is not None
    content = await file.download()
    assert verify(content, signer).genuine

    # Someone else's number (a forged button) gets a polite no and no file.
    forged = Incoming(
        channel="test", user_id="u1", chat_id="u1", choice="tandaterima:GRT-2026-000032"
    )
    replies = await me._dispatch(forged)
    assert not [a for r in replies for a in r.attachments]
    assert "tidak ditemukan" in replies[0].text
