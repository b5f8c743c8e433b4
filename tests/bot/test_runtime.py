"""The runtime's per-update work: the menu and the help need no database at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.config import Settings
from bot.runtime import build_runtime
from bot.sessions import MemorySessionStore
from tests.driver import ChatDriver


async def test_start_the_menu_and_help_need_no_database(settings: Settings) -> None:
    runtime = await build_runtime(
        settings.model_copy(update={"embedded_worker": False}), store=MemorySessionStore()
    )
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(runtime.db.engine.sync_engine, "before_cursor_execute", note)
    try:
        user = ChatDriver(runtime.dispatcher, user_id="42", channel="telegram")
        await user.send("/start")
        await user.press("menu:bantuan")
        await user.send("/start")
        await user.send("halo")
    finally:
        await runtime.close()
    assert statements == []
