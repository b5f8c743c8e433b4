"""The long-running bot processes: `gratibot serve` (web app) and `gratibot telegram` (polling)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import contact_or_exit, knowledge_or_exit, run_with_runtime, settings_or_exit

if TYPE_CHECKING:
    from bot.runtime import Runtime


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default WEB_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default WEB_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Run the web app: webhooks, health check and the UPPG dashboard."""
    from bot.web import serving

    settings = settings_or_exit()
    knowledge_or_exit(settings)
    contact_or_exit(settings)
    serving.run(
        "bot.web.main:build",
        workers=workers,
        factory=True,
        **serving.options(settings, host=host, port=port),
    )


def telegram() -> None:
    """Run the Telegram bot with long polling (one process; for webhooks use `serve`)."""
    from telegram.error import TelegramError

    from bot.channels.telegram import polling
    from bot.channels.telegram.bot import configured_token

    settings = settings_or_exit()
    knowledge_or_exit(settings)
    contact_or_exit(settings)
    if configured_token(settings) is None:
        typer.echo(
            "gratibot: TELEGRAM_BOT_TOKEN is not set (create a bot with BotFather)", err=True
        )
        raise typer.Exit(2)

    async def body(runtime: Runtime) -> None:
        assert runtime.telegram is not None
        await polling.run(runtime.telegram)

    try:
        run_with_runtime(settings, body)
    except TelegramError as exc:
        typer.echo(f"gratibot: Telegram refused to start: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
