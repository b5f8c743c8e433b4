"""`gratibot keys new` and `gratibot keys rotate`, as an admin runs them on a SQLite install."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.crypto import Cipher
from bot.holidays_id import work_calendar
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from bot.store.models import Declaration
from handlers.ports import Policy
from tests.bot.cli.test_common import gratibot
from tests.bot.store.test_declarations import submit

JAKARTA = ZoneInfo("Asia/Jakarta")


def declare(url: str, cipher: Cipher) -> None:
    async def go() -> None:
        db = Database(url, cipher=cipher)
        await db.migrate()
        port = SqlDeclarations(db, cipher, Policy(timezone=JAKARTA, calendar=work_calendar()))
        await submit(port, "d", user="telegram:5")
        await db.dispose()

    asyncio.run(go())


def reporter_nik(url: str, cipher: Cipher) -> str | None:
    async def go() -> str | None:
        db = Database(url, cipher=cipher)
        async with db.sessions() as session:
            row = (await session.execute(select(Declaration))).scalar_one()
        await db.dispose()
        assert row.reporter_name == "Budi Santoso"
        return cipher.decrypt(row.reporter_nik_enc)

    return asyncio.run(go())


def test_new_key_then_rotate_then_the_old_key_can_go(tmp_path: Path) -> None:
    first = Fernet.generate_key().decode()
    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'gratibot.db'}"
    declare(url, Cipher(first.encode()))

    made = gratibot("keys", "new", tmp=tmp_path, DATA_ENCRYPTION_KEY=first)
    assert made.returncode == 0, made.stderr
    lines = dict(
        line.split("=", 1) for line in made.stdout.splitlines() if not line.startswith("#")
    )
    assert set(lines) == {"DATA_ENCRYPTION_KEY", "DATA_ENCRYPTION_OLD_KEYS", "DATA_LOOKUP_KEY"}
    assert lines["DATA_ENCRYPTION_OLD_KEYS"] == first != lines["DATA_ENCRYPTION_KEY"]

    # Without the lookup key the rotation refuses: searches and codes would be lost later.
    refused = gratibot(
        "keys",
        "rotate",
        tmp=tmp_path,
        DATA_ENCRYPTION_KEY=lines["DATA_ENCRYPTION_KEY"],
        DATA_ENCRYPTION_OLD_KEYS=first,
    )
    assert refused.returncode == 2 and "DATA_LOOKUP_KEY" in refused.stderr

    done = gratibot("keys", "rotate", tmp=tmp_path, **lines)
    assert done.returncode == 0, done.stderr
    assert "value(s) re-encrypted (" in done.stdout and "declarations 8" in done.stdout
    assert "DATA_ENCRYPTION_OLD_KEYS can now be removed" in done.stdout
    again = gratibot("keys", "rotate", "--batch", "1", tmp=tmp_path, **lines)
    assert "database: 0 value(s) re-encrypted" in again.stdout, again.stdout

    new_only = Cipher(
        lines["DATA_ENCRYPTION_KEY"].encode(), lookup=lines["DATA_LOOKUP_KEY"].encode()
    )
    assert reporter_nik(url, new_only) == "3201011505900001"
    # Only the new key and the lookup key: every command still starts and reads.
    after = gratibot(
        "keys",
        "rotate",
        tmp=tmp_path,
        DATA_ENCRYPTION_KEY=lines["DATA_ENCRYPTION_KEY"],
        DATA_LOOKUP_KEY=lines["DATA_LOOKUP_KEY"],
    )
    assert after.returncode == 0 and "everything is under the current key" in after.stdout


def test_a_mistyped_old_key_stops_at_start_in_one_line(tmp_path: Path) -> None:
    result = gratibot(
        "keys",
        "rotate",
        tmp=tmp_path,
        DATA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATA_ENCRYPTION_OLD_KEYS="bukan-kunci",
    )
    assert result.returncode == 2 and "DATA_ENCRYPTION_OLD_KEYS" in result.stderr
    assert "bukan-kunci" not in result.stderr
