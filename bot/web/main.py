"""The ASGI entry point for uvicorn (`factory=True`): settings from the environment."""

from fastapi import FastAPI

from bot.config import SettingsError, load_settings
from bot.knowledge.files import production_refusal
from bot.logs import setup_logging
from bot.web.app import create_app


def build() -> FastAPI:
    """Creates the app for one uvicorn worker."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise SystemExit(f"gratibot: {exc}") from None
    refusal = settings.knowledge_dir_refusal()
    if refusal:
        raise SystemExit(f"gratibot: {refusal}")
    if settings.environment == "production":
        refusal = production_refusal(settings.knowledge_dir)
        if refusal:
            raise SystemExit(f"gratibot: {refusal}")
    setup_logging(settings.log_level, secrets=settings.secret_values())
    return create_app(settings)
