"""The daily digest and draft reminders, computed in working days around Christmas 2026
(Fri 25 Dec is a holiday; Thu 24 Dec is cuti bersama, counted as a working day by default),
sent once per day however many workers run."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.backoffice.deadlines import policy_for
from bot.backoffice.digest import DailyJobs, digest_lines
from bot.backoffice.workflow import change_status
from bot.config import Settings
from bot.holidays_id import work_calendar
from bot.store.database import Database
from bot.store.models import Draft, OutboxMessage
from handlers import statuses as st
from handlers.deadlines import forwarding_due
from tests.bot.backoffice.kit import (
    Clock,
    RecordingSender,
    deliveries,
    new_declaration,
    outbox_rows,
    uppg_settings,
    worker,
)
from tests.bot.channels.telegram.stub import running_stub

CALENDAR = work_calendar()
# Received by the UPPG on Tue 15 Dec 2026, 09:00 WIB: forward to KPK within 10 working days,
# that day being day one: 15..18, 21..24 (8), Christmas skipped, 28 (9), 29 (10). The gift
# itself was received on 10 Dec, so its own 30-day date (22 Jan 2027) does not cap this.
RECEIVED = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)
GIFT = date(2026, 12, 10)
DUE = date(2026, 12, 29)


def _wib(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 7, 0, tzinfo=UTC)


async def test_digest_lists_what_falls_due_within_three_working_days_and_overdue(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings)
    await new_declaration(
        database, "GRT-2026-000050", uppg_received_at=RECEIVED, received_date=GIFT
    )
    closed = await new_declaration(
        database, "GRT-2026-000051", uppg_received_at=RECEIVED, report_type="penolakan"
    )
    async with database.transaction() as session:
        await change_status(session, closed, st.DICATAT, actor="sari")

    policy = policy_for(config, CALENDAR)
    assert forwarding_due(GIFT, RECEIVED.date(), policy) == DUE
    # Tue 22 Dec: the next 3 working days are 23, 24, 28: not yet.
    assert await digest_lines(database, config, CALENDAR, date(2026, 12, 22)) == ([], [])
    # Wed 23 Dec: 24, 28, 29: due soon.
    due, late = await digest_lines(database, config, CALENDAR, date(2026, 12, 23))
    assert due == ["• GRT-2026-000050: UPPG meneruskan ke KPK, 29 Des 2026"] and late == []
    # Wed 30 Dec: overdue by one working day.
    due, late = await digest_lines(database, config, CALENDAR, date(2026, 12, 30))
    assert due == []
    assert late == ["• GRT-2026-000050: UPPG meneruskan ke KPK, 29 Des 2026 (lewat 1 hari kerja)"]
    # Without cuti bersama counted as working days the deadline moves a day later.
    strict = work_calendar(cuti_bersama_is_workday=False)
    _, late = await digest_lines(database, config, strict, date(2026, 12, 30))
    assert late == []


async def test_the_digest_is_sent_once_a_day_on_working_days_after_its_time(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        await new_declaration(
            database, "GRT-2026-000052", uppg_received_at=RECEIVED, received_date=GIFT
        )
        replicas = [DailyJobs(database, config, CALENDAR) for _ in range(2)]

        await replicas[0].run(_wib(date(2026, 12, 23), 7))  # before 07:30
        await replicas[0].run(_wib(date(2026, 12, 25), 9))  # Christmas
        await replicas[0].run(_wib(date(2026, 12, 26), 9))  # Saturday
        assert [r.topic for r in await outbox_rows(database)] == ["uppg.declaration_submitted"]

        for replica in replicas:
            await replica.run(_wib(date(2026, 12, 23), 8))
            await replica.run(_wib(date(2026, 12, 23), 15))
        digests = [r for r in await outbox_rows(database) if r.topic == "uppg.digest"]
        assert [r.dedupe_key for r in digests] == ["digest:2026-12-23"]

        run = worker(database, deliveries(database, config, stub), Clock(), "w")
        while await run.run_once():
            pass
        (text,) = [t for t in stub.texts() if t.startswith("📅")]
        assert "23 Des 2026" in text and "GRT-2026-000052" in text and "29 Des 2026" in text
        assert "Jatuh tempo dalam 3 hari kerja (1)" in text and "Lewat" not in text


async def test_one_reminder_per_unfinished_draft_before_the_legal_deadline(
    database: Database, settings: Settings
) -> None:
    config = uppg_settings(settings, draft_reminder_workdays=3)
    async with database.transaction() as session:
        # Received Mon 14 Dec, day one: 10 working days -> Mon 28 Dec (Christmas skipped).
        session.add(
            Draft(
                user_key="telegram:7",
                channel="telegram",
                chat_id="7",
                received_date=date(2026, 12, 14),
            )
        )
        session.add(Draft(user_key="telegram:8", channel="telegram", chat_id="8"))
    jobs = DailyJobs(database, config, CALENDAR)
    assert jobs.legal_deadline(date(2026, 12, 14)) == date(2026, 12, 28)
    assert not jobs.reminder_due(date(2026, 12, 14), date(2026, 12, 21))  # 22,23,24,28 left
    assert jobs.reminder_due(date(2026, 12, 14), date(2026, 12, 22))  # 23,24,28 left
    assert not jobs.reminder_due(date(2026, 12, 14), date(2026, 12, 29))  # too late

    await jobs.run(_wib(date(2026, 12, 21), 9))
    assert [r.topic for r in await outbox_rows(database)] == []
    await jobs.run(_wib(date(2026, 12, 22), 9))
    await DailyJobs(database, config, CALENDAR).run(_wib(date(2026, 12, 23), 9))
    reminders = [r for r in await outbox_rows(database) if r.topic == "reporter.draft_reminder"]
    assert len(reminders) == 1
    assert reminders[0].payload["deadline"] == "2026-12-28"
    async with database.sessions() as session:
        drafts = {d.chat_id: d for d in (await session.execute(select(Draft))).scalars()}
    assert drafts["7"].reminded_at is not None and drafts["8"].reminded_at is None

    reporter = RecordingSender()
    run = worker(database, deliveries(database, config, None, {"telegram": reporter}), Clock(), "w")
    while await run.run_once():
        pass
    ((chat, notice),) = reporter.sent
    assert chat == "7" and "28 Des 2026" in notice.reply.text
    assert notice.template == "reminder"
    async with database.sessions() as session:
        assert (await session.execute(select(OutboxMessage.status))).scalars().all() == ["sent"]
