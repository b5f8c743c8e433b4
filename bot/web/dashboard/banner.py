"""The banner on every dashboard page while the UPPG's messages cannot get through.

The check (bot.backoffice.delivery_status.delivery_health: channels configured, failed and
stuck outbox messages) runs at most every CHECK_SECONDS per process, on an officer's request,
and the result is put on request.state for the base layout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request

from bot.backoffice.delivery_status import Health, delivery_health
from bot.runtime import Runtime

CHECK_SECONDS = 30.0


@dataclass
class _Cached:
    health: Health
    at: float


async def load(request: Request) -> Health:
    """The current problems (cached briefly), also stored as request.state.banner."""
    runtime: Runtime = request.app.state.runtime
    cached: _Cached | None = getattr(request.app.state, "delivery_banner", None)
    if cached is None or time.monotonic() - cached.at > CHECK_SECONDS:
        async with runtime.db.sessions() as session:
            health = await delivery_health(session, runtime.settings, datetime.now(UTC))
        cached = _Cached(health, time.monotonic())
        request.app.state.delivery_banner = cached
    request.state.banner = cached.health
    return cached.health


def forget(request: Request) -> None:
    """Checks again on the next page (after the officer did something that may change it)."""
    request.app.state.delivery_banner = None
