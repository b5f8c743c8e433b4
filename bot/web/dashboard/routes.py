"""Wires the UPPG dashboard into the web app: its routers, error pages and stylesheet."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse, Response

from bot.web.dashboard import admin, audit, concerns, detail, downloads, login
from bot.web.dashboard.pages import install_handlers, is_dashboard_path

STATIC = Path(__file__).parent / "static"

_static = APIRouter()


@_static.get("/dashboard/static/style.css", include_in_schema=False)
async def stylesheet() -> Response:
    return FileResponse(STATIC / "style.css", media_type="text/css")


@_static.get("/", include_in_schema=False)
async def home() -> Response:
    return RedirectResponse("/dashboard", status_code=303)


__all__ = ["install", "is_dashboard_path"]


def install(app: FastAPI) -> None:
    """Adds the dashboard to the app (one call from bot.web.app.create_app)."""
    install_handlers(app)
    routers = (_static, login.router, detail.router, downloads.router, admin.router, audit.router)
    for module_router in (*routers, concerns.router):
        app.include_router(module_router)
