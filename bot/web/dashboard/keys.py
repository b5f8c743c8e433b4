"""The key that signs dashboard session cookies: WEB_SECRET_KEY, or one generated under var/."""

from __future__ import annotations

import logging
import os
import secrets

from bot.config import Settings

log = logging.getLogger(__name__)


def web_secret(settings: Settings) -> str:
    """The configured key, or in development a key generated once under var/."""
    if settings.web_secret_key is not None:
        return settings.web_secret_key.get_secret_value()
    if settings.environment == "production":
        raise RuntimeError("WEB_SECRET_KEY must be set in production")
    path = settings.var_dir / "web.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another worker process created it first.
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        log.warning("generated a development dashboard key at %s", path)
    return path.read_text().strip()
