"""`gratibot keys`: a new data key, and re-encrypting everything under it."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import settings_or_exit

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.crypto import Cipher

app = typer.Typer(help="Data encryption keys.", no_args_is_help=True)


@app.command("new")
def new() -> None:
    """Print the settings for a new data key: the new key, the keys still to be read, and the
    lookup key that keeps searches, WhatsApp pseudonyms and receipt codes working."""
    from cryptography.fernet import Fernet

    from bot.crypto import cipher_from_settings

    settings = settings_or_exit()
    cipher = cipher_from_settings(settings)
    typer.echo("# Put these three lines in the settings of every process (web, worker, bot)")
    typer.echo("# and restart them; then run `gratibot keys rotate`. Keep DATA_LOOKUP_KEY")
    typer.echo("# for good; remove DATA_ENCRYPTION_OLD_KEYS once the rotation says so.")
    typer.echo(f"DATA_ENCRYPTION_KEY={Fernet.generate_key().decode()}")
    typer.echo(f"DATA_ENCRYPTION_OLD_KEYS={','.join(k.decode() for k in cipher.ring.keys)}")
    typer.echo(f"DATA_LOOKUP_KEY={cipher.lookup_key.decode()}")


async def _rotate(settings: Settings, cipher: Cipher, batch: int) -> list[str]:
    from bot.store.attachment_names import rename_legacy
    from bot.store.attachments import LocalAttachmentStore
    from bot.store.database import Database
    from bot.store.rekey import rekey_database
    from bot.store.sealed_files import seal_existing

    lines = []
    db = Database(
        settings.effective_database_url, timeout=settings.database_timeout_seconds, cipher=cipher
    )
    try:
        await db.migrate()
        data = await rekey_database(db, cipher, batch=batch)
        tables = ", ".join(f"{name} {count}" for name, count in data.by_table.items())
        lines.append(
            f"database: {data.rotated} value(s) re-encrypted{f' ({tables})' if tables else ''}, "
            f"{data.current} already under the current key"
        )
        root = settings.effective_attachment_dir
        files = LocalAttachmentStore(root, max_bytes=settings.max_attachment_bytes, cipher=cipher)
        moved = await rename_legacy(db, files)
        sealed = await asyncio.to_thread(seal_existing, root, cipher) if root.is_dir() else None
    finally:
        await db.dispose()
    if sealed is not None:
        lines.append(
            f"attachment files: {sealed.renewed} re-encrypted, {sealed.sealed} encrypted from "
            f"clear, {sealed.current} already under the current key, {moved.moved} moved to "
            f"keyed names"
        )
    sessions = await _rotate_sessions(settings, cipher)
    if sessions is not None:
        lines.append(f"sessions in Redis: {sessions} re-encrypted")
    unreadable = data.unreadable + (sealed.unreadable if sealed else 0)
    if unreadable:
        lines.append(
            f"NOT DONE: {unreadable} value(s) or file(s) open with no configured key: list the "
            "key that wrote them in DATA_ENCRYPTION_OLD_KEYS and run this again"
        )
    return lines


async def _rotate_sessions(settings: Settings, cipher: Cipher) -> int | None:
    if not settings.redis_url:
        return None
    from bot.sessions import RedisSessionStore

    store = RedisSessionStore.from_url(
        settings.redis_url, namespace=settings.redis_namespace, cipher=cipher
    )
    try:
        return await store.rekey()
    finally:
        await store.close()


@app.command("rotate")
def rotate(
    batch: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = 500,
) -> None:
    """Re-encrypt every encrypted value and file under DATA_ENCRYPTION_KEY, reading the keys
    in DATA_ENCRYPTION_OLD_KEYS. Safe while the bot runs, and to run again: what is done
    already is left as it is, so a stopped run goes on where it stopped."""
    from bot.crypto import cipher_from_settings

    settings = settings_or_exit()
    cipher = cipher_from_settings(settings)
    if len(cipher.ring.keys) > 1 and settings.data_lookup_key is None:
        typer.echo(
            "gratibot: set DATA_LOOKUP_KEY first (`gratibot keys new` prints it): without it, "
            "once the old keys are removed, NIP and name search, WhatsApp conversations and "
            "concern receipt codes would no longer be found",
            err=True,
        )
        raise typer.Exit(2)
    lines = asyncio.run(_rotate(settings, cipher, batch))
    for line in lines:
        typer.echo(line)
    if lines and lines[-1].startswith("NOT DONE"):
        raise typer.Exit(1)
    if len(cipher.ring.keys) > 1:
        typer.echo("done: DATA_ENCRYPTION_OLD_KEYS can now be removed (restart every process)")
    else:
        typer.echo("done: everything is under the current key")
