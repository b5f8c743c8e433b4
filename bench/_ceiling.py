"""The ceiling for the webhook benchmark: a FastAPI app whose webhook only answers 200."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse


def build() -> FastAPI:
    """Same route and answer as bot/web/telegram_webhook.py, with no work behind it."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    @app.post("/telegram/webhook")
    async def webhook() -> JSONResponse:
        return JSONResponse({"ok": True})

    return app


if __name__ == "__main__":
    import sys

    from bot.web import serving

    # python -m bench._ceiling PORT WORKERS: the options of `gratibot serve` (bot/cli.py).
    serving.run(
        "bench._ceiling:build",
        host="127.0.0.1",
        port=int(sys.argv[1]),
        workers=int(sys.argv[2]),
        factory=True,
        log_level="info",
        proxy_headers=True,
    )
