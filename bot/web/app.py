"""The FastAPI application factory: webhooks, health, and the UPPG dashboard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot import passwords
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.web.client_address import ClientAddress
from bot.web.dashboard import routes as dashboard_routes
from bot.web.fast_path import App
from bot.web.limits import FORM_OVERHEAD, WEBHOOK_MAX_BODY, BodyLimit
from bot.web.webhooks import telegram as telegram_webhook
from bot.web.webhooks import whatsapp as whatsapp_webhook


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """Builds the app; the runtime is created at start-up unless a test passes one in."""
    passwords.configure(settings.password_hash_cost)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        app.state.runtime = runtime or await build_runtime(settings)
        try:
            yield
        finally:
            dashboard_routes.shutdown()
            if owned:
                await app.state.runtime.close()

    app = App(title="gratibot", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    form_limit = settings.max_attachment_bytes + FORM_OVERHEAD

    def body_limit(path: str) -> int:
        return form_limit if dashboard_routes.is_dashboard_path(path) else WEBHOOK_MAX_BODY

    app.add_middleware(BodyLimit, limit_for=body_limit)
    # Audit entries record the address of the request that wrote them.
    app.add_middleware(ClientAddress)
    app.include_router(telegram_webhook.router)
    app.direct[telegram_webhook.PATH] = telegram_webhook.TelegramWebhook(app)
    app.include_router(whatsapp_webhook.router)
    dashboard_routes.install(app)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """Reports whether the session store and database answer."""
        rt: Runtime = app.state.runtime
        checks: dict[str, str] = {}
        try:
            await rt.store.ping()
            checks["sessions"] = "ok"
        except Exception as exc:
            checks["sessions"] = type(exc).__name__
        try:
            async with rt.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = type(exc).__name__
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse({"ok": healthy, **checks}, status_code=200 if healthy else 503)

    return app
