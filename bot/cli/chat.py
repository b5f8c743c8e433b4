"""`gratibot chat`: the bot in this terminal, interactive or one JSON line per turn."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import knowledge_or_exit, run_with_runtime, settings_or_exit

if TYPE_CHECKING:
    from bot.messages import Incoming, Reply
    from bot.runtime import Runtime


def chat(
    json_mode: Annotated[
        bool, typer.Option("--json", help="One JSON line out per input line.")
    ] = False,
    user: Annotated[str, typer.Option(help="The local user id.")] = "local",
) -> None:
    """Chat with the bot in the terminal (works offline, no configuration needed)."""
    from bot.backoffice.deliveries import no_sender
    from bot.backoffice.outbox import due_again
    from bot.channels import console

    settings = settings_or_exit(log_level="WARNING") if json_mode else settings_or_exit()
    knowledge_or_exit(settings)

    async def body(runtime: Runtime) -> None:
        async def dispatch(incoming: Incoming) -> list[Reply]:
            return await runtime.dispatcher.dispatch(incoming)

        # The UPPG's notices (status changes, questions) appear in the chat, also those a
        # `serve` beside it could not deliver and put off; in JSON mode as their own lines.
        sender = console.JsonNoticeSender if json_mode else console.ConsoleSender
        runtime.senders.setdefault("console", sender(user, sys.stdout))
        await due_again(runtime.db, no_sender("console"))
        if json_mode:
            if settings.worker_embedded:
                # Those already waiting come first, before the script's first turn.
                await runtime.worker()[0].run_once()
            await console.run_json(dispatch, user, sys.stdin, sys.stdout)
        else:
            await console.run_interactive(dispatch, user)

    run_with_runtime(settings, body)
