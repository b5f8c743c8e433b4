"""The 24-hour customer service window and the approved templates used outside it.

Meta accepts free text to a user only within 24 hours of the user's last message; after that
only an approved template. The last inbound time per user is kept in the shared store (every
replica sees it), under the user's pseudonym (ids.py), never the number. When it is unknown
(expired, or the store was emptied) the window counts as closed: a template is always
accepted, free text might not be.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.config import Settings
from bot.sessions import SessionStore

SCOPE = "wa-last-inbound"
WINDOW = timedelta(hours=24)
# Sending takes a moment and clocks differ: close the window a little early.
MARGIN = timedelta(minutes=10)
# Keep the value a while past the window, so "last seen" can still be read for support.
KEEP_SECONDS = 7 * 24 * 3600
# A template's text with its parameters filled in may be at most 1,024 characters (Meta
# refuses a longer one); the README's longest template has 96 of its own, so 900 leave room.
PARAM_LIMIT = 900


async def record_inbound(store: SessionStore, user: str, at: datetime) -> None:
    """Remembers the user's latest message time (never moving it backwards)."""
    previous = await last_inbound(store, user)
    if previous is not None and previous >= at:
        return
    await store.put_value(SCOPE, user, at.astimezone(UTC).isoformat(), KEEP_SECONDS)


async def last_inbound(store: SessionStore, user: str) -> datetime | None:
    raw = await store.get_value(SCOPE, user)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


async def window_open(store: SessionStore, user: str, now: datetime | None = None) -> bool:
    """Whether free text may be sent to this user now."""
    last = await last_inbound(store, user)
    if last is None:
        return False
    now = now or datetime.now(UTC)
    return now - last < WINDOW - MARGIN


def template_names(settings: Settings) -> dict[str, str]:
    """Notification.template keys -> approved template names in WhatsApp Manager."""
    return {
        "status_update": settings.whatsapp_template_status_update,
        "reminder": settings.whatsapp_template_reminder,
        "uppg_question": settings.whatsapp_template_uppg_question,
    }


def clean_param(value: str) -> str:
    """Meta refuses template parameters with new lines, tabs or runs of spaces."""
    flat = re.sub(r"\s+", " ", value).strip()
    if len(flat) <= PARAM_LIMIT:
        return flat
    # Cut at a word end, not inside one.
    head = flat[: PARAM_LIMIT - 1]
    space = head.rfind(" ")
    return (head[:space] if space > PARAM_LIMIT // 2 else head).rstrip(" ,.;:") + "…"


def template_message(settings: Settings, notification: Notification) -> dict[str, Any]:
    """The template message object for a notification, or DeliveryFailed when it has none."""
    key = notification.template
    if key is None:
        raise DeliveryFailed("outside the 24-hour window and no template given", permanent=True)
    name = template_names(settings).get(key)
    if not name:
        raise DeliveryFailed(f"no WhatsApp template configured for {key!r}", permanent=True)
    # Without explicit parameters the whole text goes in the template's one parameter.
    params = list(notification.params) or [notification.reply.text]
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": settings.whatsapp_template_language},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": clean_param(p)} for p in params],
                }
            ],
        },
    }
