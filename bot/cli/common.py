"""What every command shares: settings that exit in one line, and a runtime built and closed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.runtime import Runtime

T = TypeVar("T")


def settings_or_exit(**overrides: object) -> Settings:
    """Loads settings; on error prints one line and exits 2."""
    from bot import passwords
    from bot.config import SettingsError, load_settings
    from bot.logs import setup_logging

    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        typer.echo(f"gratibot: {exc}", err=True)
        raise typer.Exit(2) from None
    setup_logging(settings.log_level, secrets=settings.secret_values())
    passwords.configure(settings.password_hash_cost)
    return settings


def knowledge_or_exit(settings: Settings) -> None:
    """Refuses to start without the knowledge folder: every question would get the fallback."""
    refusal = settings.knowledge_dir_refusal()
    if refusal:
        typer.echo(f"gratibot: {refusal}", err=True)
        raise typer.Exit(2)


def contact_or_exit(settings: Settings) -> None:
    """In production, refuses to start without a UPPG contact in knowledge/uppg.yaml."""
    from bot.knowledge.files import production_refusal

    if settings.environment != "production":
        return
    refusal = production_refusal(settings.knowledge_dir)
    if refusal:
        typer.echo(f"gratibot: {refusal}", err=True)
        raise typer.Exit(2)


def run_with_runtime(settings: Settings, body: Callable[[Runtime], Awaitable[T]]) -> T:
    """Builds the runtime, runs body, and closes everything, reporting failures in one line."""
    from bot.runtime import build_runtime

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
