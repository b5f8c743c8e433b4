"""The `gratibot` command."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from bot.backoffice.worker import worker_command
from bot.config import Settings, SettingsError, load_settings
from bot.logs import setup_logging
from bot.messages import Incoming, Reply
from bot.outbox_cli import outbox_app
from bot.runtime import Runtime, build_runtime
from bot.users_cli import app as users_app

app = typer.Typer(help="gratibot: gratification reporting and Q&A chatbot.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.command("worker")(worker_command)
app.add_typer(outbox_app, name="outbox")

T = TypeVar("T")


def settings_or_exit(**overrides: object) -> Settings:
    """Loads settings; on error prints one line and exits 2."""
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        typer.echo(f"gratibot: {exc}", err=True)
        raise typer.Exit(2) from None
    setup_logging(settings.log_level)
    return settings


def run_with_runtime(settings: Settings, body: Callable[[Runtime], Awaitable[T]]) -> T:
    """Builds the runtime, runs body, and closes everything, reporting failures in one line."""

    async def go() -> T:
        runtime = await build_runtime(settings)
        try:
            return await body(runtime)
        finally:
            await runtime.close()

    try:
        return asyncio.run(go())
    except (OSError, ConnectionError) as exc:
        typer.echo(f"gratibot: cannot start: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None


@app.command()
def chat(
    json_mode: Annotated[
        bool, typer.Option("--json", help="One JSON line out per input line.")
    ] = False,
    user: Annotated[str, typer.Option(help="The local user id.")] = "local",
) -> None:
    """Chat with the bot in the terminal (works offline, no configuration needed)."""
    from bot.channels import console

    settings = settings_or_exit(log_level="WARNING") if json_mode else settings_or_exit()

    async def body(runtime: Runtime) -> None:
        async def dispatch(incoming: Incoming) -> list[Reply]:
            return await runtime.dispatcher.dispatch(incoming)

        if json_mode:
            await console.run_json(dispatch, user, sys.stdin, sys.stdout)
        else:
            # The UPPG's notices (status changes, questions) appear in the chat.
            runtime.senders.setdefault("console", console.ConsoleSender(user, sys.stdout))
            await console.run_interactive(dispatch, user)

    run_with_runtime(settings, body)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default WEB_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default WEB_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Run the web app: webhooks, health check and the UPPG dashboard."""
    from bot.web import serving

    settings = settings_or_exit()
    serving.run(
        "bot.web.main:build",
        host=host or settings.web_host,
        port=port or settings.web_port,
        workers=workers,
        factory=True,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )


@app.command()
def telegram() -> None:
    """Run the Telegram bot with long polling (one process; for webhooks use `serve`)."""
    from telegram.error import TelegramError

    from bot.channels import telegram_polling
    from bot.channels.telegram_bot import configured_token

    settings = settings_or_exit()
    if configured_token(settings) is None:
        typer.echo(
            "gratibot: TELEGRAM_BOT_TOKEN is not set (create a bot with BotFather)", err=True
        )
        raise typer.Exit(2)
    try:
        run_with_runtime(settings, telegram_polling.run)
    except TelegramError as exc:
        typer.echo(f"gratibot: Telegram refused to start: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (also done automatically at start)."""
    from bot.store.database import run_migrations

    settings = settings_or_exit()
    run_migrations(settings.effective_database_url)
    typer.echo("database is up to date")


def _knowledge_commands() -> None:
    from bot import kb_cli

    app.command()(kb_cli.ask)
    app.add_typer(kb_cli.kb_app, name="kb")


_knowledge_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
