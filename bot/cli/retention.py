"""`gratibot retention`: see (--dry-run) or apply now what the daily retention job removes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import settings_or_exit

if TYPE_CHECKING:
    from bot.backoffice.retention import Expired, Outcome, Stale
    from bot.config import Settings


async def _look(settings: Settings, now: datetime) -> tuple[list[Expired], Stale]:
    from bot.backoffice.retention import expired, stale
    from bot.store.database import Database

    db = Database.from_settings(settings)
    try:
        await db.migrate()
        return await expired(db, settings, now), await stale(db, settings, now)
    finally:
        await db.dispose()


async def _apply(settings: Settings, now: datetime) -> Outcome:
    from bot.backoffice.retention import apply_retention
    from bot.store.attachments import LocalAttachmentStore
    from bot.store.database import Database

    db = Database.from_settings(settings)
    assert db.cipher is not None
    files = LocalAttachmentStore(
        settings.effective_attachment_dir,
        max_bytes=settings.max_attachment_bytes,
        cipher=db.cipher,
    )
    try:
        await db.migrate()
        return await apply_retention(db, settings, files, now)
    finally:
        await db.dispose()


def retention(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what would be removed; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Apply without asking.")] = False,
) -> None:
    """Personal data of declarations closed more than RETENTION_YEARS ago: list or remove it.

    The worker does this every day; run it here to check first (--dry-run) or to apply now.
    Every declaration is anonymised in its own audited transaction (README: Retention).
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    settings = settings_or_exit(log_level="WARNING")
    now = datetime.now(UTC)
    found, old = asyncio.run(_look(settings, now))
    console = Console()
    years = settings.retention_years
    # Admins read Indonesian (the dashboard's language); the command's help stays English.
    console.print(
        f"Retensi {years} tahun setelah laporan ditutup: {len(found)} laporan akan dianonimkan, "
        f"{old.profiles} profil pelapor dan {old.drafts} penanda draf akan dihapus."
    )
    if found:
        table = Table("nomor", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("ditutup", no_wrap=True)
        table.add_column("pesan percakapan")
        table.add_column("lampiran")
        for item in found:
            table.add_row(
                item.number,
                item.closed_at.strftime("%Y-%m-%d"),
                str(item.thread_messages),
                str(item.attachments),
            )
        console.print(table)
    if dry_run:
        console.print("Uji coba (--dry-run): tidak ada yang diubah.")
        return
    if not (found or old.profiles or old.drafts):
        return
    if not yes and not typer.confirm("Hapus data pribadi ini sekarang?", default=False):
        typer.echo("Tidak ada yang diubah.")
        raise typer.Exit(1)
    outcome = asyncio.run(_apply(settings, now))
    typer.echo(
        f"{len(outcome.declarations)} laporan dianonimkan; {outcome.files} berkas, "
        f"{outcome.profiles} profil, {outcome.drafts} penanda draf dihapus. "
        "Semuanya tercatat di log audit."
    )
