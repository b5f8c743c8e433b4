"""`gratibot worker`: delivers the outbox and runs the daily jobs in the foreground."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import knowledge_or_exit, run_with_runtime, settings_or_exit

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


def worker(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 0 when the database answers (healthcheck).")
    ] = False,
) -> None:
    """Deliver the outbox (UPPG cards, reporter notices) and send the daily digest."""
    from bot.backoffice.worker import check_database

    settings = settings_or_exit()
    if check:
        ok = asyncio.run(check_database(settings))
        raise typer.Exit(0 if ok else 1)
    # The working-day calendar reads knowledge/holidays.yaml.
    knowledge_or_exit(settings)
    settings = settings.model_copy(update={"embedded_worker": False})

    async def body(runtime: Runtime) -> None:
        outbox, daily = runtime.worker()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        log.info("worker %s started", outbox.worker_id)
        await outbox.run(stop, tick=daily.tick)
        log.info("worker stopped")

    run_with_runtime(settings, body)
