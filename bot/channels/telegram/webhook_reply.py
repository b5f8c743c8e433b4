"""A Bot API call carried in the webhook's own answer, instead of a request of its own.

Telegram lets a webhook answer its update with one Bot API method ({"method": ..., params});
the call costs no request, no connection and no rate-limit token, but its outcome is never
known. That suits answerCallbackQuery, which stops a pressed button's spinner and has nothing
to report back: for a press, the webhook waits (at most WAIT_SECONDS, typically a few
milliseconds) until the channel knows how to answer it, a plain "received" or a notice such
as "Tombol ini sudah tidak berlaku.", and returns it as its answer. When the wait runs out, or
the update is handled some other way (long polling, the UPPG chat, a takeover by another
replica), the channel makes the call itself, as before.
"""

from __future__ import annotations

import asyncio
from typing import Any

# Longer than a turn takes when all is well; a press that waits behind its chat's previous
# update, a lock or a slow database answers itself, so the webhook is never held long.
WAIT_SECONDS = 1.0

Method = dict[str, Any]


class WebhookReplies:
    """Per update id: the call the webhook's answer may carry, while the webhook waits."""

    def __init__(self, wait_seconds: float = WAIT_SECONDS) -> None:
        self.wait_seconds = wait_seconds
        self._waiting: dict[int, asyncio.Future[Method | None]] = {}

    def expect(self, update_id: int) -> asyncio.Future[Method | None]:
        """The webhook is about to hand this update over and will wait for its answer."""
        future: asyncio.Future[Method | None] = asyncio.get_running_loop().create_future()
        self._waiting[update_id] = future
        return future

    def offer(self, update_id: int, method: Method) -> bool:
        """True when the webhook's answer will carry `method`; False: call it yourself."""
        future = self._waiting.pop(update_id, None)
        if future is None or future.done():
            return False
        future.set_result(method)
        return True

    def release(self, update_id: int) -> None:
        """Nothing to carry for this update (or nothing more): the webhook answers plainly."""
        future = self._waiting.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def wait(self, update_id: int, future: asyncio.Future[Method | None]) -> Method | None:
        """The call to put in the webhook's answer, or None (the channel calls it itself)."""
        try:
            # On time-out wait_for cancels the future (an offer made before that still
            # counts), so a later offer is refused and the channel makes the call itself.
            return await asyncio.wait_for(future, self.wait_seconds)
        except TimeoutError:
            return None
        finally:
            if self._waiting.get(update_id) is future:
                del self._waiting[update_id]
