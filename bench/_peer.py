"""The peer: a plain python-telegram-bot ConversationHandler bot behind a FastAPI webhook.

What a Python developer would otherwise write, after python-telegram-bot's examples
(conversationbot.py for the states, inlinekeyboard2.py for answering a press by editing the
pressed message, customwebhookbot.py for the webhook): an Application with its defaults (one
update at a time, conversation state in memory, no persistence, no rate limiter), /start with
a menu, a help button, a question answered from a table, then a declaration whose every step
takes the typed answer or the pressed button and asks the next question. It gives the replies
gratibot gave to the same steps (bench/_traffic.py records them), so both bots send the same
texts and keyboards; it keeps no database, no Redis and checks nothing it is told.

Run as `python -m bench._peer PORT SCRIPT.json` with PEER_API_BASE_URL and PEER_SECRET set.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

MENU, ASK, FORM = range(3)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# (text, [(callback data, label), ...]) per answer.
Answer = tuple[str, list[tuple[str, str]]]


def _markup(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data)] for data, label in buttons]
    )


def build_application(
    token: str, base_url: str, script: dict[str, Any]
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot: a ConversationHandler over the script's answers."""
    greeting: Answer = tuple(script["greeting"])
    help_answer: Answer = tuple(script["help"])
    faq: dict[str, Answer] = {q: tuple(a) for q, a in script["faq"].items()}
    form: list[Answer] = [tuple(a) for a in script["form"]]

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Greets and shows the menu."""
        assert update.message is not None
        await update.message.reply_text(greeting[0], reply_markup=_markup(greeting[1]))
        return MENU

    async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Answers the Bantuan button by editing the menu into the help text."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(help_answer[0], reply_markup=_markup(help_answer[1]))
        return ASK

    async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Answers a typed question from the table, then the declaration begins."""
        assert update.message is not None and update.message.text is not None
        text, buttons = faq.get(update.message.text, ("Maaf, belum ada jawaban.", []))
        await update.message.reply_text(text, reply_markup=_markup(buttons))
        context.user_data["step"] = 0  # type: ignore[index]
        return FORM

    async def form_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Stores the answer (typed or pressed) and asks the next question."""
        data: dict[str, Any] = context.user_data
        step = data.get("step", 0)
        query = update.callback_query
        answer = query.data if query is not None else update.message.text  # type: ignore[union-attr]
        data.setdefault("answers", []).append(answer)
        text, buttons = form[min(step, len(form) - 1)]
        data["step"] = step + 1
        if query is not None:
            await query.answer()
            await query.edit_message_text(text, reply_markup=_markup(buttons))
        else:
            assert update.message is not None
            await update.message.reply_text(text, reply_markup=_markup(buttons))
        return FORM if step + 1 < len(form) else ConversationHandler.END

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Ends the conversation."""
        assert update.message is not None
        await update.message.reply_text("Dibatalkan.")
        return ConversationHandler.END

    application = Application.builder().token(token).base_url(base_url).updater(None).build()
    application.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                MENU: [CallbackQueryHandler(show_help)],
                ASK: [MessageHandler(filters.TEXT & ~filters.COMMAND, answer_question)],
                FORM: [
                    CommandHandler("lapor", form_step),
                    MessageHandler(filters.TEXT & ~filters.COMMAND, form_step),
                    CallbackQueryHandler(form_step),
                ],
            },
            fallbacks=[CommandHandler("batal", cancel)],
        )
    )
    return application


def build() -> FastAPI:
    """The webhook app (python-telegram-bot's customwebhookbot.py, with FastAPI)."""
    script = json.loads(Path(os.environ["PEER_SCRIPT"]).read_text(encoding="utf-8"))
    secret = os.environ["PEER_SECRET"]
    application = build_application(
        os.environ["PEER_TOKEN"], os.environ["PEER_API_BASE_URL"], script
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with application:
            await application.start()
            yield
            await application.stop()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    @app.post("/telegram/webhook")
    async def webhook(request: Request) -> JSONResponse:
        if request.headers.get(SECRET_HEADER) != secret:
            return JSONResponse({"ok": False}, status_code=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return JSONResponse({"ok": True})

    return app


if __name__ == "__main__":
    from bot.web import serving

    serving.run(
        "bench._peer:build",
        host="127.0.0.1",
        port=int(sys.argv[1]),
        workers=1,
        factory=True,
        log_level="warning",
        proxy_headers=True,
    )
