"""Sending to a user outside a conversation turn (status changes, reminders, UPPG questions).

Each channel that is configured registers a ChannelSender in Runtime.senders under its channel
name ("telegram", "whatsapp", "console"). WhatsApp decides itself between free text (inside the
24-hour window) and an approved template (outside it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.messages import Reply


@dataclass(frozen=True)
class Notification:
    """What to tell a user, with the template to use where free text is not allowed.

    template: the key of a template in settings (e.g. "status_update", "reminder");
    params: its body parameters, in order.
    """

    reply: Reply
    template: str | None = None
    params: Sequence[str] = ()


class ChannelSender(Protocol):
    async def notify(self, chat_id: str, notification: Notification) -> None:
        """Delivers the notification or raises (the outbox worker retries)."""
        ...


class UppgChat(Protocol):
    """The UPPG officers' group chat (Telegram): cards with their buttons, then the files."""

    async def send(
        self,
        reply: Reply,
        *,
        start: int = 0,
        progress: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        """Sends the text (part 0) then each attachment, from part `start` on; after each
        part, `progress(parts done)` is awaited so a retry resumes after it."""
        ...


class DeliveryFailed(Exception):
    """A channel refused or could not take a message; retry later unless permanent.

    retry_after: seconds the channel asked us to wait (a flood limit), if it said so.
    """

    def __init__(
        self, reason: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after
