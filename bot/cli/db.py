"""`gratibot db`: database maintenance."""

from __future__ import annotations

import typer

from bot.cli.common import settings_or_exit

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply database migrations (also done automatically at start)."""
    from bot.crypto import cipher_from_settings
    from bot.store.database import run_migrations

    settings = settings_or_exit()
    run_migrations(settings.effective_database_url, cipher_from_settings(settings))
    typer.echo("database is up to date")


@app.command("seal-attachments")
def seal_attachments() -> None:
    """Encrypt in place the attachment files stored before files were encrypted."""
    from bot.crypto import cipher_from_settings
    from bot.store.sealed_files import seal_existing

    settings = settings_or_exit()
    root = settings.effective_attachment_dir
    done = seal_existing(root, cipher_from_settings(settings)) if root.is_dir() else 0
    typer.echo(f"{done} file(s) encrypted")
