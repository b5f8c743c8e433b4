"""UPPG's question answered while a declaration is being filled in (QA regression)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.backoffice.threads import DbThreads
from bot.backoffice.workflow import change_status
from bot.messages import Choice, Reply
from bot.sessions import SessionStore
from bot.store.database import Database
from handlers import statuses as st
from handlers import texts
from tests.bot.backoffice.kit import new_declaration
from tests.driver import ChatDriver
from tests.handlers.declaration_script import declaration_dispatcher, declaration_services


async def test_the_notice_button_works_mid_declaration_and_the_draft_is_kept(
    store: SessionStore, database: Database, tmp_path: Path
) -> None:
    declaration_id = await new_declaration(database, "GRT-2026-000031", user_key="test:u1")
    async with database.transaction() as session:
        await change_status(
            session, declaration_id, st.PERLU_DILENGKAPI, actor="sari", details={"message": "Foto?"}
        )
    services = dataclasses.replace(
        declaration_services(database, tmp_path), threads=DbThreads(database)
    )
    me = ChatDriver(declaration_dispatcher(store, services))
    await me.send("/lapor")
    await me.press("lapor:consent:ya")
    await me.press("lapor:steps")
    await me.press("lapor:report_type:penerimaan")
    await me.send("Andi Wijaya")
    # The notice arrived in the meantime; its button is pressed.
    me.last = [Reply("Pertanyaan UPPG", (Choice(f"jawab:{declaration_id}", "Jawab"),))]
    await me.press(f"jawab:{declaration_id}")
    assert texts.DRAFT_PARKED in me.text
    assert "Foto?" in me.text and "ketik jawaban" in me.text
    await me.send("/batal")
    await me.send("/lapor")
    await me.press("lapor:resume")
    assert "jabatan atau pekerjaan Andi Wijaya" in me.last[-1].text
