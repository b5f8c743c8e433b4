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
    """Encrypt in place the attachment files still in clear (the worker also does this
    daily, with moving files to keyed names)."""
    from bot.crypto import cipher_from_settings
    from bot.store.sealed_files import seal_existing

    settings = settings_or_exit()
    root = settings.effective_attachment_dir
    report = seal_existing(root, cipher_from_settings(settings)) if root.is_dir() else None
    typer.echo(f"{report.sealed + report.renewed if report else 0} file(s) encrypted")
