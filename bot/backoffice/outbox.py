"""The outbox worker: delivers OutboxMessage rows with retries, never losing one.

A message is written in the same transaction as the change that caused it (a declaration, a
status change). The worker polls the table for due messages, claims a batch by setting
locked_by/locked_until (PostgreSQL: a sub-select with FOR UPDATE SKIP LOCKED, so replicas never
claim the same row; SQLite: the single UPDATE statement is atomic as SQLite has one writer),
delivers each one by its topic and marks it sent right after the channel accepted it.

Failures: a transient error (channel down, flood limit, timeout, anything unexpected) is retried
forever with exponential backoff capped at `max_backoff` seconds, so a channel down for hours
only delays delivery. Only a permanent DeliveryFailed (the message itself can never be
delivered) marks the row dead; that is logged and visible in the table (status, last_error).

A worker that dies holding a claim leaves locked_until in the past after `lock_seconds`; any
worker then reclaims the row. A worker whose batch runs long (a slow channel) hands back the
messages its claim no longer safely covers instead of sending them late.

At-least-once, honestly: a delivery that completed is marked sent in the next statement. If the
process dies between the channel accepting a message and that commit, the row is delivered
again after its lock expires. The window is one database round-trip; deliveries of several
parts (a card with photos) checkpoint their progress after each part, so at most one part can
be repeated.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from bot.backoffice.notify import DeliveryFailed
from bot.store.database import Database
from bot.store.models import DEAD, PENDING, SENT, OutboxMessage

log = logging.getLogger(__name__)


class NotConfigured(DeliveryFailed):
    """The destination is not set up in this process (yet): kept and retried, logged quietly,
    so a local install without a UPPG chat is not flooded with warnings."""


@dataclass
class Claimed:
    """A claimed message handed to a topic's delivery function."""

    id: int
    topic: str
    dedupe_key: str
    payload: dict[str, Any]
    attempts: int
    checkpoint: Callable[[dict[str, Any]], Awaitable[None]] = field(repr=False)
    token: str = ""
    locked_until: datetime | None = None


# A delivery returns the follow-up messages to enqueue in the same transaction that marks it
# sent (a fan-out to several destinations), or nothing.
Delivery = Callable[[Claimed], Awaitable[Sequence[OutboxMessage] | None]]


def utcnow() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int, *, base: float = 5.0, cap: float = 900.0) -> float:
    """Seconds before the next try after `attempts` failures: 5, 10, 20 ... up to cap."""
    return float(min(cap, base * 2 ** max(0, min(attempts - 1, 30))))


# Workers in this process, woken when a transaction commits a new outbox row.
_wakers: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()


def failure_reason(exc: BaseException) -> str:
    """What a failed try leaves in last_error: the exception's type and message."""
    return f"{type(exc).__name__}: {exc}"[:1000]


async def due_again(db: Database, failed_with: BaseException) -> None:
    """Makes the pending messages whose last try failed as `failed_with` did due at once, and
    wakes this process's workers: a process that can deliver them has just started (an
    interactive chat, for its console user's notices, which a `serve` beside it could not
    deliver and kept putting off, for up to 15 minutes)."""
    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.last_error == failure_reason(failed_with),
            )
            .values(next_attempt_at=utcnow())
        )
    wake_workers()


def wake_workers() -> None:
    """Wakes every worker of this process (they then poll at once)."""
    for loop, wake in list(_wakers):
        if loop.is_closed():
            _wakers.discard((loop, wake))
            continue
        loop.call_soon_threadsafe(wake.set)


def _note_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    if any(isinstance(obj, OutboxMessage) for obj in session.new):
        session.info["outbox_new"] = True


def _wake_after_commit(session: Session) -> None:
    if session.info.pop("outbox_new", False):
        wake_workers()


def _forget_on_rollback(session: Session) -> None:
    session.info.pop("outbox_new", None)


event.listen(Session, "before_flush", _note_new_rows)
event.listen(Session, "after_commit", _wake_after_commit)
event.listen(Session, "after_soft_rollback", lambda s, _t: _forget_on_rollback(s))


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class OutboxWorker:
    """Claims due outbox rows and delivers them by topic."""

    def __init__(
        self,
        db: Database,
        deliveries: Mapping[str, Delivery],
        *,
        worker_id: str | None = None,
        batch: int = 20,
        lock_seconds: float = 300.0,
        max_backoff: float = 900.0,
        poll_seconds: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.deliveries = dict(deliveries)
        self.worker_id = worker_id or default_worker_id()
        self.batch = batch
        self.lock_seconds = lock_seconds
        self.max_backoff = max_backoff
        self.poll_seconds = poll_seconds
        self.clock = clock

    async def claim(self) -> list[Claimed]:
        """Locks up to `batch` due messages for this worker, in one short transaction."""
        now = self.clock()
        token = f"{self.worker_id[:60]}:{uuid.uuid4().hex[:8]}"
        until = now + timedelta(seconds=self.lock_seconds)
        due = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until <= now),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(self.batch)
            # PostgreSQL: rows another worker is claiming are skipped, not waited for.
            # SQLite ignores it: one writer at a time, and this UPDATE is one statement.
            .with_for_update(skip_locked=True)
        )
        async with self.db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(due.scalar_subquery()))
                .values(
                    locked_by=token,
                    locked_until=until,
                    attempts=OutboxMessage.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            rows = (
                await session.execute(
                    select(OutboxMessage)
                    .where(OutboxMessage.locked_by == token)
                    .order_by(OutboxMessage.id)
                )
            ).scalars()
            return [
                Claimed(
                    id=row.id,
                    topic=row.topic,
                    dedupe_key=row.dedupe_key,
                    payload=dict(row.payload),
                    attempts=row.attempts,
                    checkpoint=self._checkpointer(row.id, token),
                    token=token,
                    locked_until=until,
                )
                for row in rows
            ]

    def _checkpointer(self, message_id: int, token: str) -> Callable[[dict[str, Any]], Any]:
        async def checkpoint(payload: dict[str, Any]) -> None:
            """Saves a multi-part delivery's progress, so a retry skips the parts done."""
            async with self.db.transaction() as session:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message_id, OutboxMessage.locked_by == token)
                    .values(payload=payload)
                )

        return checkpoint

    async def run_once(self) -> int:
        """Claims and delivers one batch; returns how many messages it handled."""
        claimed = await self.claim()
        for index, message in enumerate(claimed):
            if self._lock_nearly_over(message):
                # A slow channel ate the claim's time: hand the rest back rather than risk
                # another worker taking them over while we still send.
                await self._release(claimed[index:])
                return index
            await self._deliver(message)
        return len(claimed)

    def _lock_nearly_over(self, message: Claimed) -> bool:
        if message.locked_until is None:
            return False
        margin = timedelta(seconds=min(60.0, self.lock_seconds / 2))
        return self.clock() >= message.locked_until - margin

    async def _release(self, messages: Sequence[Claimed]) -> None:
        async with self.db.transaction() as session:
            for message in messages:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message.id, OutboxMessage.locked_by == message.token)
                    .values(locked_until=None, attempts=OutboxMessage.attempts - 1)
                )

    async def _deliver(self, message: Claimed) -> None:
        delivery = self.deliveries.get(message.topic)
        try:
            if delivery is None:
                raise DeliveryFailed(f"no delivery for topic {message.topic}", permanent=True)
            follow_ups = await delivery(message)
        except DeliveryFailed as exc:
            await self._failed(message, exc, permanent=exc.permanent, retry_after=exc.retry_after)
            return
        except Exception as exc:
            # Unknown errors are treated as transient: retrying is safer than losing.
            await self._failed(message, exc, permanent=False, retry_after=None)
            return
        await self._sent(message, follow_ups or ())

    async def _sent(self, message: Claimed, follow_ups: Sequence[OutboxMessage]) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.status == PENDING)
                .values(status=SENT, sent_at=now, locked_until=None, last_error=None)
            )
            if getattr(result, "rowcount", 1) == 0:
                log.warning("outbox %s was already settled elsewhere", message.id)
                return
            existing = set()
            if follow_ups:
                keys = [m.dedupe_key for m in follow_ups]
                found = await session.execute(
                    select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
                )
                existing = set(found.scalars())
            for follow_up in follow_ups:
                if follow_up.dedupe_key not in existing:
                    follow_up.next_attempt_at = now  # due at once, by this worker's clock
                    session.add(follow_up)
        log.info("outbox %s (%s) delivered", message.id, message.topic)

    async def _failed(
        self,
        message: Claimed,
        exc: BaseException,
        *,
        permanent: bool,
        retry_after: float | None,
    ) -> None:
        now = self.clock()
        # The reason is the exception's type and message; our channels never put message text
        # or personal data into it, and the log filter redacts numbers anyway.
        reason = failure_reason(exc)
        values: dict[str, Any] = {"last_error": reason, "locked_until": None}
        if permanent:
            values["status"] = DEAD
            log.error("outbox %s (%s) is dead: %s", message.id, message.topic, reason)
        else:
            delay = backoff(message.attempts, cap=self.max_backoff)
            if retry_after is not None:
                delay = max(delay, retry_after)
            values["next_attempt_at"] = now + timedelta(seconds=delay)
            level = logging.INFO if isinstance(exc, NotConfigured) else logging.WARNING
            log.log(
                level,
                "outbox %s (%s) attempt %s failed, retry in %.0fs: %s",
                message.id,
                message.topic,
                message.attempts,
                delay,
                reason,
            )
        async with self.db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.status == PENDING)
                .values(**values)
            )

    async def run(
        self,
        stop: asyncio.Event,
        *,
        tick: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Polls until stop is set; `tick` runs before each poll (the daily jobs)."""
        wake = asyncio.Event()
        entry = (asyncio.get_running_loop(), wake)
        _wakers.add(entry)
        try:
            while not stop.is_set():
                handled = 0
                # Cleared before polling: a row committed during the poll wakes the next wait.
                wake.clear()
                try:
                    if tick is not None:
                        await tick()
                    handled = await self.run_once()
                except Exception as exc:
                    # The database may be down; keep polling, it will come back.
                    log.warning("outbox poll failed: %s", type(exc).__name__, exc_info=exc)
                if handled >= self.batch:
                    continue
                await _wait_any(stop, wake, self.poll_seconds)
        finally:
            _wakers.discard(entry)


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
