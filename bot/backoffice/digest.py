"""Daily jobs: the UPPG's deadline digest, the one reminder per unfinished draft, retention.

The digest and reminders are enqueued into the outbox with a dedupe key (the digest's date, the
draft's id and received date), so several worker replicas never send one twice: the unique key
lets only one insert win. They run on working days, after settings.digest_time (local time).
Retention (bot/backoffice/retention.py) runs once a day, every day, after the same time; its
per-declaration claim keeps replicas from doing it twice. The attachment files' upkeep
(bot/backoffice/file_upkeep.py) runs at the first tick of each day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bot.backoffice.deadlines import declaration_deadlines, policy_for
from bot.backoffice.file_upkeep import FileUpkeep
from bot.backoffice.outbox import utcnow
from bot.backoffice.retention import FileRemover, apply_retention
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import Declaration, Draft, OutboxMessage, outbox_message
from handlers import statuses as st
from handlers.deadlines import uppg_due
from handlers.formatting import tanggal
from handlers.workdays import WorkCalendar

log = logging.getLogger(__name__)

HORIZON_WORKDAYS = 3
CLOSED = st.CLOSED


async def digest_lines(
    db: Database, settings: Settings, calendar: WorkCalendar, today: date
) -> tuple[list[str], list[str]]:
    """(due within the next 3 working days, overdue): one line per open deadline."""
    horizon = calendar.add_workdays(today, HORIZON_WORKDAYS)
    due_soon: list[tuple[date, str]] = []
    overdue: list[tuple[date, str]] = []
    async with db.sessions() as session:
        rows = await session.execute(
            select(Declaration)
            .where(Declaration.status.not_in(CLOSED))
            .options(selectinload(Declaration.changes))
            .order_by(Declaration.id)
        )
        for declaration in rows.scalars():
            deadlines = declaration_deadlines(declaration, declaration.changes, calendar, settings)
            for deadline in deadlines:
                due = deadline.due
                if deadline.done or due is None:  # None: the SK's date, not entered yet
                    continue
                line = f"• {declaration.number}: {deadline.label}, {tanggal(due, short=True)}"
                if deadline.overdue(today):
                    late = calendar.workdays_between(due, today)
                    overdue.append((due, f"{line} (lewat {late} hari kerja)"))
                elif due <= horizon:
                    due_soon.append((due, line))
    return [t for _, t in sorted(due_soon)], [t for _, t in sorted(overdue)]


class DailyJobs:
    """Enqueues the digest and draft reminders when their time has come (idempotent)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        calendar: WorkCalendar,
        *,
        clock: Callable[[], datetime] = utcnow,
        every_seconds: float = 60.0,
        files: FileRemover | None = None,
        upkeep: FileUpkeep | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.calendar = calendar
        self.clock = clock
        self.every_seconds = every_seconds
        self.files = files
        self.upkeep = upkeep
        self._upkept_on: date | None = None
        self._last: datetime | None = None
        self._retained_on: date | None = None

    async def tick(self) -> None:
        """Runs the jobs at most once a minute (the worker calls this on every poll)."""
        now = self.clock()
        if self._last is not None and (now - self._last).total_seconds() < self.every_seconds:
            return
        self._last = now
        await self.run(now)

    async def run(self, now: datetime) -> None:
        local = now.astimezone(self.settings.tz)
        today = local.date()
        if self.upkeep is not None and self._upkept_on != today:
            self._upkept_on = today
            await self.upkeep.run()
        if local.time() < self.settings.digest_time:
            return
        await self.retention(now, today)
        if not self.calendar.is_workday(today):
            return
        await self.enqueue_digest(today)
        await self.enqueue_reminders(today)

    async def retention(self, now: datetime, today: date) -> None:
        """Removes the personal data whose retention period is over, once a day."""
        if self.files is None or self._retained_on == today:
            return
        await apply_retention(self.db, self.settings, self.files, now)
        self._retained_on = today

    async def enqueue_digest(self, today: date) -> bool:
        """Adds today's digest to the outbox once; False when it is already there."""
        if not (self.settings.uppg_telegram_chat_id or self.settings.uppg_whatsapp_list):
            return False
        key = f"digest:{today.isoformat()}"
        try:
            async with self.db.transaction() as session:
                found = await session.execute(
                    select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
                )
                if found.first() is not None:
                    return False
                session.add(outbox_message("uppg.digest", key, {"date": today.isoformat()}))
        except IntegrityError:
            # Another replica inserted it between our check and our insert.
            return False
        log.info("daily digest for %s enqueued", today.isoformat())
        return True

    def legal_deadline(self, received: date) -> date:
        """The reporter's deadline to the UPPG (handlers/deadlines.py, like the receipt)."""
        return uppg_due(received, policy_for(self.settings, self.calendar))

    def reminder_due(self, received: date, today: date) -> bool:
        """Within draft_reminder_workdays working days of the deadline, and not past it."""
        deadline = self.legal_deadline(received)
        if today > deadline:
            return False
        return self.calendar.workdays_between(today, deadline) <= (
            self.settings.draft_reminder_workdays
        )

    async def enqueue_reminders(self, today: date) -> int:
        """One reminder per unfinished draft whose deadline is near; marks it reminded."""
        async with self.db.sessions() as session:
            rows = await session.execute(
                select(Draft).where(Draft.reminded_at.is_(None), Draft.received_date.is_not(None))
            )
            drafts = list(rows.scalars())
        sent = 0
        for draft in drafts:
            assert draft.received_date is not None
            if not self.reminder_due(draft.received_date, today):
                continue
            if await self._remind(draft, self.legal_deadline(draft.received_date)):
                sent += 1
        return sent

    async def _remind(self, draft: Draft, deadline: date) -> bool:
        key = f"draft:{draft.id}:{draft.received_date}"
        try:
            async with self.db.transaction() as session:
                # The conditional update is the claim: only one replica sees rowcount 1.
                result = await session.execute(
                    update(Draft)
                    .where(Draft.id == draft.id, Draft.reminded_at.is_(None))
                    .values(reminded_at=utcnow())
                )
                if getattr(result, "rowcount", 0) != 1:
                    return False
                found = await session.execute(
                    select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
                )
                if found.first() is not None:
                    return False
                payload = {
                    "draft_id": draft.id,
                    "channel": draft.channel,
                    "chat_id": draft.chat_id,
                    "deadline": deadline.isoformat(),
                }
                session.add(outbox_message("reporter.draft_reminder", key, payload))
        except IntegrityError:
            return False
        return True
