"""Retention: personal data is kept RETENTION_YEARS after a declaration is closed, then removed.

The privacy notice promises it (UU 27/2022 PDP); the worker runs it once a day
(digest.DailyJobs) and `gratibot retention --dry-run` shows an admin what it would do.

For each declaration closed more than RETENTION_YEARS ago, in one transaction:
- the declaration is anonymised: the reporter's identity (name, NIK, NIP, position, address,
  phone, e-mail, chat ids), the giver's name, position and address, and every free text
  (description, chronology, reason, place, "lainnya" texts, form details) are removed; what
  a recap counts stays (number, type, unit, occasion, object type, value, dates, status, KPK
  reference and SK);
- its thread with the reporter is deleted, with its attachments (rows, and each file once no
  other attachment refers to it);
- the texts of its status changes (message to the reporter, internal note, reason) and the
  copies of those texts in the audit log are removed;
- one audit entry ("retention") records what was removed.
A claim on `anonymised_at` makes the job safe with several workers. Reporter profiles and
draft markers not touched for RETENTION_YEARS are deleted too (audited).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.store.database import Database
from bot.store.declarations import WORKDAYS_DETAIL
from bot.store.models import (
    AuditLog,
    Declaration,
    DeclarationAttachment,
    Draft,
    Profile,
    StatusChange,
    ThreadMessage,
)
from bot.store.sealed import TEXT_KEYS

log = logging.getLogger(__name__)

ACTOR = "sistem:retensi"
REMOVED = "(dihapus: masa retensi berakhir)"
# Texts in status changes and audit entries that may carry personal data (sealed at rest).
TEXT_DETAILS = TEXT_KEYS


class FileRemover(Protocol):
    """Where attachment files live (bot.store.attachments.AttachmentStore)."""

    async def delete(self, key: str) -> bool: ...


@dataclass(frozen=True)
class Expired:
    """One declaration whose retention period is over, and what removing it touches."""

    declaration_id: int
    number: str
    closed_at: datetime
    attachments: int
    thread_messages: int


def cutoff(now: datetime, years: int) -> datetime:
    """The moment `years` before now (29 February becomes 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


async def expired(db: Database, settings: Settings, now: datetime) -> list[Expired]:
    """The declarations closed more than RETENTION_YEARS ago and not yet anonymised."""
    before = cutoff(now, settings.retention_years)
    attachments = (
        select(func.count())
        .where(DeclarationAttachment.declaration_id == Declaration.id)
        .scalar_subquery()
    )
    messages = (
        select(func.count()).where(ThreadMessage.declaration_id == Declaration.id).scalar_subquery()
    )
    query = (
        select(Declaration.id, Declaration.number, Declaration.closed_at, attachments, messages)
        .where(Declaration.closed_at.is_not(None), Declaration.closed_at <= before)
        .where(Declaration.anonymised_at.is_(None))
        .order_by(Declaration.closed_at, Declaration.id)
    )
    async with db.sessions() as session:
        rows = (await session.execute(query)).all()
    return [Expired(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]


@dataclass(frozen=True)
class Stale:
    """Reporter profiles and draft markers untouched for the retention period."""

    profiles: int
    drafts: int


def _stale_profiles(before: datetime) -> Any:
    # A profile still serves a reporter with a declaration that is open or within retention.
    live = select(Declaration.id).where(
        Declaration.user_key == Profile.user_key,
        Declaration.anonymised_at.is_(None),
        or_(Declaration.closed_at.is_(None), Declaration.closed_at > before),
    )
    return select(Profile.id).where(Profile.updated_at <= before, ~live.exists())


async def stale(db: Database, settings: Settings, now: datetime) -> Stale:
    before = cutoff(now, settings.retention_years)
    async with db.sessions() as session:
        profiles = await session.execute(
            select(func.count()).select_from(_stale_profiles(before).subquery())
        )
        drafts = await session.execute(
            select(func.count()).select_from(Draft).where(Draft.updated_at <= before)
        )
        return Stale(int(profiles.scalar_one()), int(drafts.scalar_one()))


def _scrub(details: dict[str, Any] | None) -> dict[str, Any]:
    return {k: (REMOVED if k in TEXT_DETAILS and v else v) for k, v in (details or {}).items()}


async def _anonymise(session: AsyncSession, declaration: Declaration) -> None:
    """Removes the personal data and free texts, keeping what a recap counts."""
    declaration.reporter_name = REMOVED
    declaration.name_index = None
    declaration.nip_index = None
    for column in (
        "reporter_nip",
        "reporter_jabatan",
        "reporter_email",
        "reporter_nik_enc",
        "reporter_address_enc",
        "reporter_phone_enc",
        "giver_name",
        "giver_position",
        "giver_address_enc",
        "reason",
        "occasion_other",
        "object_type_other",
        "description",
        "chronology",
        "received_place",
    ):
        setattr(declaration, column, None)
    declaration.user_key = f"retensi:{declaration.id}"
    declaration.chat_id = ""
    # The working days its deadlines were counted with are no personal data: kept, so the
    # anonymised record's labels still match its dates.
    counts = (declaration.details or {}).get(WORKDAYS_DETAIL)
    declaration.details = {WORKDAYS_DETAIL: counts} if isinstance(counts, dict) else {}
    changes = await session.execute(
        select(StatusChange).where(StatusChange.declaration_id == declaration.id)
    )
    for change in changes.scalars():
        change.note = REMOVED if change.note else None
        change.internal_note = REMOVED if change.internal_note else None
        change.details = _scrub(change.details)
    entries = await session.execute(select(AuditLog).where(AuditLog.target == declaration.number))
    for entry in entries.scalars():
        if any(k in (entry.details or {}) for k in TEXT_DETAILS):
            entry.details = _scrub(entry.details)


async def _drop_thread(session: AsyncSession, declaration_id: int) -> tuple[int, int, list[str]]:
    """Deletes the thread and the attachments; returns (messages, attachments, file keys)."""
    rows = await session.execute(
        select(DeclarationAttachment).where(DeclarationAttachment.declaration_id == declaration_id)
    )
    attachments = list(rows.scalars())
    keys = sorted({a.storage_key for a in attachments})
    await session.execute(
        delete(DeclarationAttachment).where(DeclarationAttachment.declaration_id == declaration_id)
    )
    removed = await session.execute(
        delete(ThreadMessage).where(ThreadMessage.declaration_id == declaration_id)
    )
    return int(getattr(removed, "rowcount", 0) or 0), len(attachments), keys


async def _unused(session: AsyncSession, keys: list[str]) -> list[str]:
    """The file keys no attachment refers to any more (files are stored once per content)."""
    if not keys:
        return []
    used = await session.execute(
        select(DeclarationAttachment.storage_key).where(DeclarationAttachment.storage_key.in_(keys))
    )
    still = set(used.scalars())
    return [k for k in keys if k not in still]


@dataclass(frozen=True)
class Outcome:
    """What one run removed."""

    declarations: list[str]
    files: int
    profiles: int
    drafts: int


async def apply_retention(
    db: Database, settings: Settings, files: FileRemover, now: datetime
) -> Outcome:
    """Anonymises every expired declaration (one transaction each, audited) and deletes stale
    profiles and drafts. Safe to run from several workers at once."""
    done: list[str] = []
    files_deleted = 0
    for item in await expired(db, settings, now):
        async with db.transaction() as session:
            claimed = await session.execute(
                update(Declaration)
                .where(Declaration.id == item.declaration_id, Declaration.anonymised_at.is_(None))
                .values(anonymised_at=now)
            )
            if getattr(claimed, "rowcount", 0) != 1:
                continue  # another worker took it
            declaration = await session.get(Declaration, item.declaration_id)
            assert declaration is not None
            await _anonymise(session, declaration)
            messages, attachments, keys = await _drop_thread(session, declaration.id)
            unused = await _unused(session, keys)
            session.add(
                AuditLog(
                    actor=ACTOR,
                    action="retention",
                    target=declaration.number,
                    details={
                        "closed_at": item.closed_at.isoformat(timespec="seconds"),
                        "retention_years": settings.retention_years,
                        "thread_messages": messages,
                        "files": attachments,
                    },
                    at=now,
                )
            )
        # Files go after the commit: a failed transaction never loses a file still referred to.
        for key in unused:
            try:
                files_deleted += await files.delete(key)
            except OSError as exc:
                log.warning("retention could not delete a file: %s", type(exc).__name__)
        done.append(item.number)
    profiles, drafts = await _drop_stale(db, settings, now)
    if done or profiles or drafts:
        log.info(
            "retention: %d declarations anonymised, %d files, %d profiles, %d drafts deleted",
            len(done),
            files_deleted,
            profiles,
            drafts,
        )
    return Outcome(done, files_deleted, profiles, drafts)


async def _drop_stale(db: Database, settings: Settings, now: datetime) -> tuple[int, int]:
    before = cutoff(now, settings.retention_years)
    async with db.transaction() as session:
        ids = list((await session.execute(_stale_profiles(before))).scalars())
        if ids:
            await session.execute(delete(Profile).where(Profile.id.in_(ids)))
        drafts = await session.execute(delete(Draft).where(Draft.updated_at <= before))
        count = int(getattr(drafts, "rowcount", 0) or 0)
        if ids or count:
            session.add(
                AuditLog(
                    actor=ACTOR,
                    action="retention_profiles",
                    details={"profiles": len(ids), "drafts": count},
                    at=now,
                )
            )
    return len(ids), count
