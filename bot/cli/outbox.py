"""`gratibot outbox`: see what waits or died in the outbox, and send dead messages again."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import settings_or_exit

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.store.models import OutboxMessage

app = typer.Typer(help="The outbox of messages to deliver.", no_args_is_help=True)


async def _rows(settings: Settings, status: str | None, limit: int) -> list[OutboxMessage]:
    from sqlalchemy import select

    from bot.store.database import Database
    from bot.store.models import OutboxMessage

    db = Database.from_settings(settings)
    try:
        await db.migrate()
        async with db.sessions() as session:
            query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
            if status:
                query = query.where(OutboxMessage.status == status)
            return list((await session.execute(query)).scalars())
    finally:
        await db.dispose()


async def _counts(settings: Settings) -> dict[str, int]:
    from sqlalchemy import func, select

    from bot.store.database import Database
    from bot.store.models import OutboxMessage

    db = Database.from_settings(settings)
    try:
        await db.migrate()
        async with db.sessions() as session:
            rows = await session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
            return {status: int(count) for status, count in rows.all()}
    finally:
        await db.dispose()


@app.command("list")
def list_(
    status: Annotated[
        str | None, typer.Option(help="Only this status: pending, sent or dead.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
) -> None:
    """Counts by status, then the newest messages (no message content is shown)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from bot.store.models import PENDING

    settings = settings_or_exit()
    counts = asyncio.run(_counts(settings))
    console = Console()
    console.print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "empty")
    # Compact, so topics and times stay whole in an 80-column terminal; the error wraps.
    table = Table("id", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("topic", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("tries")
    table.add_column("next try (UTC)", no_wrap=True)
    table.add_column("last error", overflow="fold")
    for row in asyncio.run(_rows(settings, status, limit)):
        table.add_row(
            str(row.id),
            row.topic,
            row.status,
            str(row.attempts),
            row.next_attempt_at.strftime("%m-%d %H:%M:%S") if row.status == PENDING else "",
            (row.last_error or "")[:80],
        )
    console.print(table)


async def _retry(settings: Settings, ids: list[int]) -> int:
    from sqlalchemy import update

    from bot.backoffice.outbox import utcnow
    from bot.store.database import Database
    from bot.store.models import DEAD, PENDING, OutboxMessage

    db = Database.from_settings(settings)
    try:
        async with db.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == DEAD)
                .values(status=PENDING, attempts=0, next_attempt_at=utcnow(), locked_until=None)
            )
            return int(getattr(result, "rowcount", 0))
    finally:
        await db.dispose()


@app.command("retry")
def retry(ids: Annotated[list[int], typer.Argument(help="Ids of dead messages.")]) -> None:
    """Puts dead messages back in the queue (after fixing what made them fail)."""
    settings = settings_or_exit()
    count = asyncio.run(_retry(settings, ids))
    typer.echo(f"{count} message(s) queued again")
