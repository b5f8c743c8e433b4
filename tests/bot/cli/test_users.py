"""`gratibot users`: creating and managing dashboard accounts, as an operator runs it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.passwords import verify_password
from bot.store.accounts import AccountError, add_user, list_users, set_active, set_password
from bot.store.database import Database
from bot.store.models import User
from bot.web.dashboard.auth import Attempt, address_limit, authenticate
from tests.bot.cli.test_common import gratibot


def stored_users(tmp: Path) -> list[User]:
    async def go() -> list[User]:
        db = Database(f"sqlite+aiosqlite:///{tmp / 'var' / 'gratibot.db'}")
        try:
            async with db.sessions() as session:
                return list((await session.execute(select(User))).scalars().all())
        finally:
            await db.dispose()

    return asyncio.run(go())


def test_users_add_and_list(tmp_path: Path) -> None:
    added = gratibot(
        "users", "add", "siti", "--role", "officer", "--password-stdin",
        stdin="kata-sandi-siti-1\n", tmp=tmp_path,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "created officer siti" in added.stdout
    admin = gratibot(
        "users", "add", "ketua", "--role", "admin", "--password-stdin",
        stdin="kata-sandi-ketua-1\n", tmp=tmp_path,
    )  # fmt: skip
    assert admin.returncode == 0, admin.stderr
    listed = gratibot("users", "list", tmp=tmp_path)
    assert listed.stdout.splitlines() == ["ketua\tadmin\tactive", "siti\tofficer\tactive"]
    [siti] = [u for u in stored_users(tmp_path) if u.username == "siti"]
    assert siti.password_hash.startswith("$argon2")
    assert verify_password(siti.password_hash, "kata-sandi-siti-1")


def test_users_add_refuses_bad_input(tmp_path: Path) -> None:
    def add(*args: str, password: str = "kata-sandi-siti-1") -> tuple[int, str]:
        result = gratibot(
            "users", "add", *args, "--password-stdin", stdin=password + "\n", tmp=tmp_path
        )
        return result.returncode, result.stderr

    assert add("siti")[0] == 0
    assert add("siti") == (1, "gratibot: user 'siti' already exists\n")
    code, err = add("budi", "--role", "boss")
    assert code == 1 and "officer, admin" in err
    code, err = add("budi", password="pendek")
    assert code == 1 and "at least 10 characters" in err
    assert [u.username for u in stored_users(tmp_path)] == ["siti"]


def test_users_passwd_disable_enable(tmp_path: Path) -> None:
    gratibot("users", "add", "siti", "--password-stdin", stdin="kata-sandi-siti-1\n", tmp=tmp_path)
    changed = gratibot(
        "users", "passwd", "siti", "--password-stdin", stdin="kata-sandi-baru-22\n", tmp=tmp_path
    )
    assert changed.returncode == 0, changed.stderr
    assert verify_password(stored_users(tmp_path)[0].password_hash, "kata-sandi-baru-22")
    assert gratibot("users", "disable", "siti", tmp=tmp_path).returncode == 0
    assert "disabled" in gratibot("users", "list", tmp=tmp_path).stdout
    assert gratibot("users", "enable", "siti", tmp=tmp_path).returncode == 0
    missing = gratibot("users", "disable", "nobody", tmp=tmp_path)
    assert (missing.returncode, missing.stderr) == (1, "gratibot: no user 'nobody'\n")


async def test_accounts_on_both_databases(database: Database) -> None:
    async with database.transaction() as session:
        await add_user(session, "siti", "kata-sandi-siti-1", "officer")
        await add_user(session, "ketua", "kata-sandi-ketua-1", "admin")
    async with database.transaction() as session:
        with pytest.raises(AccountError):
            await add_user(session, "dua kata", "kata-sandi-siti-1", "officer")
    async with database.transaction() as session:
        await set_password(session, "siti", "kata-sandi-baru-22")
        await set_active(session, "ketua", False)
    now, limit = datetime.now(UTC), address_limit(20)
    siti = Attempt("siti", "kata-sandi-baru-22", address_key="address:test")
    ketua = Attempt("ketua", "kata-sandi-ketua-1", address_key="address:test")
    assert (await authenticate(database, siti, now=now, address=limit)).outcome == "ok"
    assert (await authenticate(database, ketua, now=now, address=limit)).outcome == "refused"
    async with database.sessions() as session:
        users = await list_users(session)
    assert [(u.username, u.role, u.active) for u in users] == [
        ("ketua", "admin", False),
        ("siti", "officer", True),
    ]


def test_users_add_prompts_twice(tmp_path: Path) -> None:
    mismatch = gratibot(
        "users", "add", "siti", stdin="kata-sandi-siti-1\nlain-sekali-123\n", tmp=tmp_path
    )
    assert mismatch.returncode != 0
    assert "do not match" in mismatch.stderr + mismatch.stdout
    assert not (tmp_path / "var" / "gratibot.db").exists()  # asked before touching the database
    typed = gratibot(
        "users", "add", "siti", stdin="kata-sandi-siti-1\nkata-sandi-siti-1\n", tmp=tmp_path
    )
    assert typed.returncode == 0, typed.stderr
    assert verify_password(stored_users(tmp_path)[0].password_hash, "kata-sandi-siti-1")
