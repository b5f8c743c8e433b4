"""`gratibot verify FILE`: is a receipt genuine and unaltered (and what does the archive say)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from bot.cli.common import settings_or_exit


def verify(
    file: Path = typer.Argument(..., help="The receipt PDF (Tanda terima)."),  # noqa: B008
    archive: bool = typer.Option(True, help="Also compare with the declaration in the database."),
) -> None:
    """Checks a receipt's Ed25519 signature over every byte; exit 0 genuine, 1 not."""
    from bot.crypto import cipher_from_settings
    from bot.documents.receipt import archive_note
    from bot.documents.receipt import verify as check
    from bot.documents.signing import signer_from_settings
    from bot.store.database import Database

    settings = settings_or_exit()
    try:
        content = file.read_bytes()
    except OSError as exc:
        typer.echo(f"gratibot: berkas tidak dapat dibaca: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    verdict = check(content, signer_from_settings(settings))
    typer.echo(("ASLI: " if verdict.genuine else "TIDAK SAH: ") + verdict.message)
    facts = verdict.facts
    if verdict.genuine and facts is not None:
        local = facts.received_at.astimezone(settings.tz)
        typer.echo(f"Nomor laporan: {facts.number}")
        typer.echo(f"Diterima UPPG: {local:%Y-%m-%d %H.%M} ({settings.timezone})")
        typer.echo(f"Sidik isi laporan (SHA-256): {facts.digest}")
        typer.echo(f"Kunci penanda tangan: {facts.key_id}")
        if archive:

            async def note() -> str | None:
                db = Database.from_settings(settings)
                try:
                    async with db.sessions() as session:
                        return await archive_note(verdict, session, cipher_from_settings(settings))
                finally:
                    await db.dispose()

            found = asyncio.run(note())
            if found:
                typer.echo(found)
    raise typer.Exit(0 if verdict.genuine else 1)
