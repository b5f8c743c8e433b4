"""`gratibot users`: dashboard accounts for UPPG officers and admins."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.cli.common import settings_or_exit

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.config import Settings

app = typer.Typer(help="Dashboard accounts (UPPG officers and admins).", no_args_is_help=True)
T = TypeVar("T")


def _settings() -> Settings:
    # Migration chatter would bury the one line this command prints.
    return settings_or_exit(log_level="WARNING")


def _in_transaction(settings: Settings, body: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs body in one transaction on a migrated database; AccountError exits 1."""
    from bot.store.accounts import AccountError
    from bot.store.database import Database

    async def go() -> T:
        db = Database.from_settings(settings)
        try:
            await db.migrate()
            async with db.transaction() as session:
                return await body(session)
        finally:
            await db.dispose()

    try:
        return asyncio.run(go())
    except AccountError as exc:
        typer.echo(f"gratibot: {exc}", err=True)
        raise typer.Exit(1) from None


def _read_password(from_stdin: bool) -> str:
    """The new password: one line from stdin for scripts, else typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first stdin line.")
]


@app.command("add")
def add(
    username: str,
    role: Annotated[str, typer.Option(help="officer or admin.")] = "officer",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account (the password is asked twice, or read with --password-stdin)."""
    settings = _settings()
    password = _read_password(password_stdin)

    async def body(session: AsyncSession) -> None:
        from bot.store import accounts

        await accounts.add_user(session, username, password, role)

    _in_transaction(settings, body)
    typer.echo(f"created {role} {username}")


@app.command("passwd")
def passwd(username: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password (also unlocks the account and ends its sessions)."""
    settings = _settings()
    password = _read_password(password_stdin)

    async def body(session: AsyncSession) -> None:
        from bot.store import accounts

        await accounts.set_password(session, username, password)

    _in_transaction(settings, body)
    typer.echo(f"password changed for {username}")


@app.command("disable")
def disable(username: str) -> None:
    """Deactivate an account (it can no longer log in)."""
    settings = _settings()

    async def body(session: AsyncSession) -> None:
        from bot.store import accounts

        await accounts.set_active(session, username, False)

    _in_transaction(settings, body)
    typer.echo(f"disabled {username}")


@app.command("enable")
def enable(username: str) -> None:
    """Reactivate an account and lift a lockout."""
    settings = _settings()

    async def body(session: AsyncSession) -> None:
        from bot.store import accounts

        await accounts.set_active(session, username, True)

    _in_transaction(settings, body)
    typer.echo(f"enabled {username}")


@app.command("fkap")
def fkap(
    username: str,
    revoke: Annotated[bool, typer.Option("--revoke", help="Withdraw the role.")] = False,
) -> None:
    """Grant the compliance function's role (FKAP): the queue of bribery concerns."""
    settings = _settings()

    async def body(session: AsyncSession) -> None:
        from bot.store import accounts

        await accounts.set_fkap(session, username, not revoke)

    _in_transaction(settings, body)
    typer.echo(f"{'revoked' if revoke else 'granted'} fkap for {username}")


@app.command("list")
def list_command() -> None:
    """List accounts with role, state and login back-off."""
    settings = _settings()

    async def body(session: AsyncSession) -> list[str]:
        from bot.store import accounts

        users = await accounts.list_users(session)
        pauses = await accounts.login_pauses(session, users, datetime.now(UTC))
        lines = []
        for user in users:
            state = "active" if user.active else "disabled"
            if user.id in pauses:
                state += f", logins paused until {pauses[user.id]:%Y-%m-%d %H:%M} UTC"
            role = f"{user.role}+fkap" if user.fkap else user.role
            lines.append(f"{user.username}\t{role}\t{state}")
        return lines

    lines = _in_transaction(settings, body)
    if not lines:
        typer.echo("no users yet: create one with `gratibot users add NAME --role admin`")
    for line in lines:
        typer.echo(line)
