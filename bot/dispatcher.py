"""Per conversation: lock -> load session -> handlers -> save -> send -> unlock.

Every channel hands its messages to `Dispatcher.dispatch`. Messages of one conversation are
processed one at a time (the store's lock), so two quick messages never lose an update; the
session is saved as one document, so a crash never leaves half of a step behind. It is saved
before the replies go out, and the replies with it (under the update id, until they went out):
a process that dies after saving never leaves the answer to the next question aimed at the
previous field, and the process that takes the update over (bot/intake.py) sends the saved
replies instead of running the turn again. Only a process that dies in the moment between a
reply's arrival at the chat API and the unlock that marks the update done can make a
taken-over update answer twice.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.messages import Choice, Incoming, Reply
from bot.sessions import Admission, Duplicate, LockTimeout, SessionStore
from handlers import router, texts
from handlers.context import Context, Services
from handlers.errors import ServiceUnavailable
from handlers.session import Session

log = logging.getLogger(__name__)

Sender = Callable[[Incoming, list[Reply]], Awaitable[None]]
Route = Callable[[Context], Awaitable[None]]

# Failures of a backing service: the user gets "gangguan" and the session stays as it was.
UNAVAILABLE = (ServiceUnavailable, RedisError, OperationalError, DBAPIError, OSError)
# Longest text a flow sees (Telegram's own limit). WhatsApp allows 65,536 characters; a longer
# text is answered with a polite note and never reaches a flow, a parser or a log.
MAX_TEXT_CHARS = 4096


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
        keyboard: str | None = None,
    ) -> list[Reply]:
        """Handles one message and sends the replies (also returned, for tests and the CLI).

        dedupe: the channel's (scope, update id); a repeated update has no effect at all, and
        one whose turn was saved but whose replies may not have gone out gets those replies.
        keyboard: the tag the channel puts on this turn's buttons (Telegram), kept in the
        session as the live one; a press from any other tagged keyboard has no effect.
        """
        admission = Admission(
            dedupe=dedupe,
            dedupe_ttl=self.dedupe_ttl_seconds,
            flood_window=self.flood_window_seconds,
        )
        try:
            async with self.store.conversation(incoming.conversation_key, admission) as conv:
                if conv.replay is not None:
                    # Handled by a process that died before it could send: no second turn.
                    replay = conv.replay
                    if conv.session is not None and any(r.choices for r in replay):
                        # The buttons go out under this channel's new tag: the live one.
                        conv.session.keyboard = keyboard
                        conv.save(conv.session)
                        await conv.commit(replay)
                    await self._send(send, incoming, replay)
                    return replay
                if conv.hits > self.flood_max_messages:
                    # Said once per window; later messages in the window are dropped quietly.
                    warning = (
                        [] if conv.hits > self.flood_max_messages + 1 else [Reply(texts.FLOOD)]
                    )
                    await conv.commit(warning)
                    await self._send(send, incoming, warning)
                    return warning
                live = conv.session.keyboard if conv.session else None
                if incoming.keyboard is not None and incoming.keyboard != live:
                    # A button of an earlier question: no effect, the channel says so.
                    stale = [Reply(texts.STALE_BUTTON)]
                    await conv.commit(stale)
                    await self._send(send, incoming, stale)
                    return stale
                if incoming.text is not None and len(incoming.text) > MAX_TEXT_CHARS:
                    # Nothing else is saved: the question asked before is still open; its
                    # buttons come again (now the live ones) so the user can answer it.
                    session = conv.session or Session()
                    offered = tuple(Choice(id=i, label=label) for i, label in session.offered)
                    replies = [Reply(texts.TOO_LONG, offered)]
                    if offered and keyboard is not None:
                        session.keyboard = keyboard
                        conv.save(session)
                    await conv.commit(replies)
                    await self._send(send, incoming, replies)
                    return replies
                ctx = Context(
                    incoming=incoming,
                    session=conv.session or Session(),
                    services=self.services,
                    now=self.clock(),
                )
                await self.route(ctx)
                ctx.session.updated_at = ctx.now.isoformat(timespec="seconds")
                offers = any(reply.choices for reply in ctx.replies)
                ctx.session.keyboard = keyboard if offers else None
                conv.save(ctx.session)
                await conv.commit(ctx.replies)
                # Sent while the lock is held, so the replies of one user keep their order.
                await self._send(send, incoming, ctx.replies)
                return ctx.replies
        except Duplicate:
            log.info("duplicate update on %s ignored", incoming.channel)
            return []
        except LockTimeout:
            replies = [Reply(texts.BUSY)]
        except UNAVAILABLE as exc:
            log.warning(
                "service unavailable on %s: %s", incoming.channel, describe(exc), exc_info=exc
            )
            replies = [Reply(texts.GANGGUAN)]
        except Exception:
            log.exception("handler failed on %s", incoming.channel)
            replies = [Reply(texts.ERROR)]
        await self._send(send, incoming, replies)
        return replies

    async def _send(self, send: Sender | None, incoming: Incoming, replies: list[Reply]) -> None:
        if send is None or not replies:
            return
        try:
            await send(incoming, replies)
        except Exception as exc:
            # The session is already saved; the channel logs and retries on its own.
            log.warning(
                "sending to %s failed: %s", incoming.channel, type(exc).__name__, exc_info=exc
            )


def describe(exc: BaseException) -> str:
    """What went wrong, for the log: the error's kind and meaning, never its data.

    An OSError says which one ("[ENOSPC] No space left on device", EACCES, ...); a database
    error its driver's class and, for PostgreSQL, its SQLSTATE (53100 disk full, 57014 a
    statement timeout), for SQLite its message ("database or disk is full"). No file names,
    SQL or parameters. The chain is followed (ServiceUnavailable wraps the real cause).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    names: list[str] = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names.append(type(current).__name__)
        chain = " <- ".join(names)
        if isinstance(current, OSError) and current.errno:
            code = errno.errorcode.get(current.errno, str(current.errno))
            return f"{chain} [{code}] {os.strerror(current.errno)}"
        if isinstance(current, DBAPIError) and current.orig is not None:
            return f"{chain} ({_database_error(current.orig)})"
        current = current.__cause__ or current.__context__
    return " <- ".join(names)


def _database_error(orig: BaseException) -> str:
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate:
        # asyncpg's own class (DiskFullError, QueryCanceledError) says it in words.
        cause = orig.__cause__ or orig.__context__
        kind = type(cause).__name__ if cause is not None else type(orig).__name__
        return f"{kind}, SQLSTATE {sqlstate}"
    # SQLite's messages name conditions and columns, never values.
    first = str(orig).strip().splitlines()[:1]
    return f"{type(orig).__name__}: {first[0][:200] if first else '-'}"
