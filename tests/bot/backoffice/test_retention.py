"""Retention: RETENTION_YEARS after closing, a declaration's personal data, thread and files go
(each removal audited), what recaps count stays; open or recent reports are untouched; the daily
job runs it once a day on any day; `gratibot retention --dry-run` shows it first."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.backoffice.digest import DailyJobs
from bot.backoffice.retention import REMOVED, apply_retention, cutoff, expired, stale
from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.holidays_id import work_calendar
from bot.store.database import Database
from bot.store.models import (
    AuditLog,
    Declaration,
    DeclarationAttachment,
    Draft,
    Profile,
    StatusChange,
    ThreadMessage,
)
from handlers import statuses as st
from tests.bot.backoffice.kit import PDF, PNG, files_of, new_declaration, pdf
from tests.bot.cli.test_common import gratibot

NOW = datetime(2032, 3, 1, 3, 0, tzinfo=UTC)
LONG_AGO = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)  # more than 5 years before NOW
RECENT = datetime(2031, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def database(any_database: Database) -> Database:
    """Every test here runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""
    return any_database


async def _stored(settings: Settings, data: bytes, name: str) -> str:
    return (await files_of(settings).save(pdf(name, data))).key


async def _closed_with_history(
    db: Database, settings: Settings, number: str, closed_at: datetime | None, keys: list[str]
) -> int:
    cipher = cipher_from_settings(settings)
    declaration_id = await new_declaration(
        db,
        number,
        user_key=f"telegram:{number[-3:]}",
        status=st.SELESAI if closed_at else st.DITERUSKAN_KPK,
        closed_at=closed_at,
        reporter_nik_enc=cipher.encrypt("3201010101010001"),
        reporter_phone_enc=cipher.encrypt("081234567890"),
        reporter_email="ani@dinkes.go.id",
        giver_address_enc=cipher.encrypt("Jl. Proyek 9"),
        chronology="Diberikan oleh Pak Budi di rumah saya.",
        reason="Ucapan terima kasih atas izin proyek.",
        # The days its deadlines were counted with (bot/store/declarations.py) are no
        # personal data: retention keeps them, so its labels still match its dates.
        details={"giver_phone": "0812", "workdays": {"uppg": 7, "kpk": 30}},
    )
    async with db.transaction() as session:
        asked = ThreadMessage(
            declaration_id=declaration_id, direction="to_reporter", author="siti", text="Foto?"
        )
        answer = ThreadMessage(
            declaration_id=declaration_id,
            direction="from_reporter",
            author=f"telegram:{number[-3:]}",
            text="Ini foto rumah saya di Jl. Melati 3.",
        )
        session.add_all([asked, answer])
        await session.flush()
        for key in keys:
            session.add(
                DeclarationAttachment(
                    declaration_id=declaration_id,
                    thread_message_id=answer.id,
                    kind="photo",
                    name="foto.png",
                    mime_type="image/png",
                    size=10,
                    content_hmac="0" * 64,
                    storage_key=key,
                )
            )
        session.add(
            StatusChange(
                declaration_id=declaration_id,
                from_status=st.DITARIK,
                to_status=st.SELESAI,
                actor="siti",
                note="Terima kasih, Bu Ani.",
                internal_note="Suaminya pegawai rekanan.",
                details={"reason": "Ani minta ditutup", "handed_over_on": "2026-01-10"},
            )
        )
        session.add(
            AuditLog(
                actor="siti",
                action="status_change",
                target=number,
                details={"from": "x", "to": "y", "internal_note": "Suaminya pegawai rekanan."},
            )
        )
    return declaration_id


async def test_expired_declarations_lose_their_personal_data_and_files(
    database: Database, settings: Settings
) -> None:
    shared = await _stored(settings, PNG, "shared.png")
    own = await _stored(settings, PDF, "own.pdf")
    old = await _closed_with_history(database, settings, "GRT-2026-000101", LONG_AGO, [own, shared])
    recent = await _closed_with_history(database, settings, "GRT-2026-000102", RECENT, [shared])
    still_open = await _closed_with_history(database, settings, "GRT-2026-000103", None, [])
    async with database.transaction() as session:
        session.add_all(
            [
                Profile(user_key="telegram:101", name="Ani", updated_at=LONG_AGO),
                Profile(user_key="telegram:102", name="Budi", updated_at=LONG_AGO),  # live report
                Profile(user_key="telegram:999", name="Citra", updated_at=RECENT),
                Draft(user_key="telegram:555", channel="telegram", chat_id="555",
                      updated_at=LONG_AGO),
            ]
        )  # fmt: skip

    assert cutoff(NOW, 5) == datetime(2027, 3, 1, 3, 0, tzinfo=UTC)
    found = await expired(database, settings, NOW)
    assert [(e.number, e.thread_messages, e.attachments) for e in found] == [
        ("GRT-2026-000101", 2, 2)
    ]
    assert (await stale(database, settings, NOW)).__dict__ == {"profiles": 1, "drafts": 1}

    outcome = await apply_retention(database, settings, files_of(settings), NOW)
    assert outcome.declarations == ["GRT-2026-000101"]
    assert (outcome.files, outcome.profiles, outcome.drafts) == (1, 1, 1)

    blobs = files_of(settings).blobs
    assert not await blobs.exists(own)
    assert await blobs.exists(shared)  # another declaration still refers to it
    async with database.sessions() as session:
        gone = await session.get(Declaration, old)
        assert gone is not None and gone.anonymised_at == NOW
        assert gone.reporter_name == REMOVED
        for column in (
            "reporter_nik_enc", "reporter_phone_enc", "reporter_email", "reporter_nip",
            "giver_name", "giver_address_enc", "chronology", "reason", "description",
        ):  # fmt: skip
            assert getattr(gone, column) is None, column
        assert gone.user_key == f"retensi:{old}"
        assert gone.details == {"workdays": {"uppg": 7, "kpk": 30}}
        # What a recap counts stays.
        assert (gone.number, gone.status, gone.value_rp) == ("GRT-2026-000101", "selesai", 1500000)
        assert (gone.received_date, gone.reporter_unit) == (date(2026, 11, 16), "Dinas Kesehatan")
        threads = await session.execute(
            select(func.count())
            .select_from(ThreadMessage)
            .where(ThreadMessage.declaration_id == old)
        )
        assert threads.scalar_one() == 0
        kept = await session.execute(
            select(DeclarationAttachment.declaration_id).order_by(DeclarationAttachment.id)
        )
        assert list(kept.scalars()) == [recent]
        change = (
            await session.execute(select(StatusChange).where(StatusChange.declaration_id == old))
        ).scalar_one()
        assert (change.note, change.internal_note) == (REMOVED, REMOVED)
        assert change.details == {"reason": REMOVED, "handed_over_on": "2026-01-10"}
        entries = (
            (
                await session.execute(
                    select(AuditLog)
                    .where(AuditLog.target == "GRT-2026-000101")
                    .order_by(AuditLog.id)
                )
            )
            .scalars()
            .all()
        )
        assert entries[0].details["internal_note"] == REMOVED
        assert (entries[-1].actor, entries[-1].action) == ("sistem:retensi", "retention")
        assert entries[-1].details == {
            "closed_at": "2026-02-02T03:00:00+00:00",
            "retention_years": 5,
            "thread_messages": 2,
            "files": 2,
        }
        for untouched in (recent, still_open):
            found_row = await session.get(Declaration, untouched)
            assert found_row is not None and found_row.anonymised_at is None
            assert found_row.chronology is not None
        profiles = (await session.execute(select(Profile.user_key).order_by(Profile.id))).scalars()
        assert list(profiles) == ["telegram:102", "telegram:999"]

    # A second run finds nothing more to do.
    again = await apply_retention(database, settings, files_of(settings), NOW)
    assert (again.declarations, again.profiles, again.drafts) == ([], 0, 0)


async def test_two_workers_anonymise_a_declaration_once(
    database: Database, settings: Settings
) -> None:
    await _closed_with_history(database, settings, "GRT-2026-000201", LONG_AGO, [])
    runs = await asyncio.gather(
        apply_retention(database, settings, files_of(settings), NOW),
        apply_retention(database, settings, files_of(settings), NOW),
    )
    assert sorted(len(r.declarations) for r in runs) == [0, 1]
    async with database.sessions() as session:
        audited = await session.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "retention")
        )
        assert audited.scalar_one() == 1


async def test_the_daily_job_runs_retention_once_a_day_on_any_day(
    database: Database, settings: Settings
) -> None:
    await _closed_with_history(database, settings, "GRT-2026-000301", LONG_AGO, [])
    jobs = DailyJobs(database, settings, work_calendar(), files=files_of(settings))
    sunday_early = datetime(2032, 2, 29, 0, 0, tzinfo=UTC)  # 07:00 WIB, before DIGEST_TIME
    await jobs.run(sunday_early)
    assert len(await expired(database, settings, sunday_early)) == 1
    await jobs.run(sunday_early + timedelta(hours=2))  # 09:00 WIB on a Sunday
    assert await expired(database, settings, NOW) == []
    await _closed_with_history(database, settings, "GRT-2026-000302", LONG_AGO, [])
    await jobs.run(sunday_early + timedelta(hours=3))  # the same day: not again
    assert len(await expired(database, settings, NOW)) == 1
    await jobs.run(NOW)  # the next day
    assert await expired(database, settings, NOW) == []


def test_the_admin_command_shows_first_and_then_applies(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, environment="test", var_dir=tmp_path / "var")  # type: ignore[call-arg]

    async def seed() -> None:
        db = Database.from_settings(settings)
        await db.migrate()
        await _closed_with_history(
            db, settings, "GRT-2020-000401", LONG_AGO - timedelta(days=2000), []
        )
        await _closed_with_history(db, settings, "GRT-2026-000402", datetime.now(UTC), [])
        await db.dispose()

    asyncio.run(seed())
    shown = gratibot("retention", "--dry-run", tmp=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "1 laporan akan dianonimkan" in shown.stdout
    assert "GRT-2020-000401" in shown.stdout and "GRT-2026-000402" not in shown.stdout
    assert "tidak ada yang diubah" in shown.stdout
    again = gratibot("retention", "--dry-run", tmp=tmp_path)
    assert "1 laporan akan dianonimkan" in again.stdout  # the dry run changed nothing
    declined = gratibot("retention", stdin="n\n", tmp=tmp_path)
    assert declined.returncode == 1 and "Tidak ada yang diubah" in declined.stdout
    applied = gratibot("retention", "--yes", tmp=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "1 laporan dianonimkan" in applied.stdout
    after = gratibot("retention", "--dry-run", tmp=tmp_path)
    assert "0 laporan akan dianonimkan" in after.stdout
