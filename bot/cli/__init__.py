"""The `gratibot` command: one Typer app over the modules of this package.

Each module imports what its commands need only when they run, so `gratibot --help` and every
command start without loading the bot, the web app or the database.
"""

from __future__ import annotations

import typer

from bot.cli import chat, db, kb, keys, outbox, retention, serve, users, verify, worker

app = typer.Typer(help="gratibot: gratification reporting and Q&A chatbot.", no_args_is_help=True)
app.command()(chat.chat)
app.command()(serve.serve)
app.command()(serve.telegram)
app.command("worker")(worker.worker)
app.command("retention")(retention.retention)
app.command()(kb.ask)
app.command()(verify.verify)
app.add_typer(kb.app, name="kb")
app.add_typer(db.app, name="db")
app.add_typer(keys.app, name="keys")
app.add_typer(users.app, name="users")
app.add_typer(outbox.app, name="outbox")


def main() -> None:
    app()
