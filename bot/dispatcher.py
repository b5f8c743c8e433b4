"""Per conversation: lock -> load session -> handlers -> save -> send.

Every channel hands its messages to `Dispatcher.dispatch`. Messages of one conversation are
processed one at a time (the store's lock), so two quick messages never lose an update; the
session is saved as one document, so a crash never leaves half of a step behind.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.messages import Incoming, Reply
from bot.sessions import Admission, Duplicate, LockTimeout, SessionStore
from handlers import router, texts
from handlers.context import Context, Services
from handlers.errors import ServiceUnavailable
from handlers.session import Session

log = logging.getLogger(__name__)

# Sends a turn's replies; returns the tag of the keyboard it sent (channels that tag theirs).
Sender = Callable[[Incoming, list[Reply]], Awaitable[str | None]]
Route = Callable[[Context], Awaitable[None]]

# Failures of a backing service: the user gets "gangguan" and the session stays as it was.
UNAVAILABLE = (ServiceUnavailable, RedisError, OperationalError, DBAPIError, OSError)


class Dispatcher:
    """Runs the flows for incoming messages of any channel."""

    def __init__(
        self,
        store: SessionStore,
        services: Services,
        *,
        route: Route = router.handle,
        clock: Callable[[], datetime] | None = None,
        flood_max_messages: int = 20,
        flood_window_seconds: int = 10,
        dedupe_ttl_seconds: int = 24 * 3600,
    ) -> None:
        self.store = store
        self.services = services
        self.route = route
        self.tz: ZoneInfo = services.policy.timezone
        self.clock = clock or (lambda: datetime.now(self.tz))
        self.flood_max_messages = flood_max_messages
        self.flood_window_seconds = flood_window_seconds
        self.dedupe_ttl_seconds = dedupe_ttl_seconds

    async def dispatch(
        self,
        incoming: Incoming,
        send: Sender | None = None,
        *,
        dedupe: tuple[str, str] | None = None,
    ) -> list[Reply]:
        """Handles one message and sends the replies (also returned, for tests and the CLI).

        dedupe: the channel's (scope, update id); a repeated update has no effect at all.
        """
        admission = Admission(
            dedupe=dedupe,
            dedupe_ttl=self.dedupe_ttl_seconds,
            flood_window=self.flood_window_seconds,
        )
        try:
            async with self.store.conversation(incoming.conversation_key, admission) as conv:
                if conv.hits > self.flood_max_messages:
                    # Said once per window; later messages in the window are dropped quietly.
                    warning = (
                        [] if conv.hits > self.flood_max_messages + 1 else [Reply(texts.FLOOD)]
                    )
                    await self._send(send, incoming, warning)
                    return warning
                live = conv.session.keyboard if conv.session else None
                if incoming.keyboard is not None and incoming.keyboard != live:
                    # A button of an earlier question: no effect, the channel says so.
                    stale = [Reply(texts.STALE_BUTTON)]
                    await self._send(send, incoming, stale)
                    return stale
                ctx = Context(
                    incoming=incoming,
                    session=conv.session or Session(),
                    services=self.services,
                    now=self.clock(),
                )
                await self.route(ctx)
                ctx.session.updated_at = ctx.now.isoformat(timespec="seconds")
                # Sent while the lock is held, so the replies of one user keep their order;
                # the session is written as the lock is released, with the live keyboard.
                ctx.session.keyboard = await self._send(send, incoming, ctx.replies)
                conv.save(ctx.session)
                return ctx.replies
        except Duplicate:
            log.info("duplicate update on %s ignored", incoming.channel)
            return []
        except LockTimeout:
            replies = [Reply(texts.BUSY)]
        except UNAVAILABLE as exc:
            log.warning("service unavailable on %s: %s", incoming.channel, type(exc).__name__)
            replies = [Reply(texts.GANGGUAN)]
        except Exception:
            log.exception("handler failed on %s", incoming.channel)
            replies = [Reply(texts.ERROR)]
        await self._send(send, incoming, replies)
        return replies

    async def _send(
        self, send: Sender | None, incoming: Incoming, replies: list[Reply]
    ) -> str | None:
        if send is None or not replies:
            return None
        try:
            return await send(incoming, replies)
        except Exception as exc:
            # The session is already saved; the channel logs and retries on its own.
            log.warning("sending to %s failed: %s", incoming.channel, type(exc).__name__)
            return None
