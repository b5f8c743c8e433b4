"""Declarations in the database: the DeclarationPort the "Lapor gratifikasi" flow uses.

`submit` stores everything in ONE transaction: the next number of the year, the declaration
with its deadlines, its attachments, the reporter's profile, the end of the tracked draft and
the outbox event for the UPPG. It is idempotent per draft id: a second "Kirim" or a retried
message returns the first receipt (the unique idempotency_key decides under a race).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.config import Settings
from bot.crypto import Cipher
from bot.store.attachments import content_hmac, row_key
from bot.store.database import Database
from bot.store.digest import content_digest
from bot.store.models import (
    Declaration,
    DeclarationAttachment,
    Draft,
    NumberCounter,
    Profile,
    outbox_message,
)
from bot.store.sealed import word_index
from handlers import statuses
from handlers.answers import AnswerKey, Answers
from handlers.deadlines import gift_deadlines
from handlers.ports import DeclarationSummary, Policy, Receipt

TOPIC_SUBMITTED = "uppg.declaration_submitted"
# Declaration.details key: the working days the stored deadlines were counted with
# ({"uppg": 10, "kpk": 30}), so their labels keep stating them after a setting changes.
WORKDAYS_DETAIL = "workdays"


@dataclass(frozen=True)
class WorkdayCounts:
    """The working-day counts a label states ("Batas 30 hari kerja ke KPK")."""

    uppg: int  # the reporter's deadline to the UPPG (UPPG_DEADLINE_WORKDAYS)
    kpk: int  # the gift's own deadline to KPK, Pasal 12C ayat (2) (KPK_DEADLINE_WORKDAYS)
    forwarding: int  # the UPPG's days to forward to KPK (UPPG_TO_KPK_WORKDAYS)
    completion: int  # completing an incomplete report (COMPLETION_WORKDAYS)
    decision: int  # KPK's decision, Pasal 12C ayat (3) (KPK_DECISION_WORKDAYS)


def workday_counts(settings: Settings) -> WorkdayCounts:
    """The counts the settings give today, for labels that belong to no one declaration."""
    return WorkdayCounts(
        uppg=settings.uppg_deadline_workdays,
        kpk=settings.kpk_deadline_workdays,
        forwarding=settings.uppg_to_kpk_workdays,
        completion=settings.completion_workdays,
        decision=settings.kpk_decision_workdays,
    )


def counts_of(declaration: Declaration, settings: Settings) -> WorkdayCounts:
    """The counts this declaration's stored deadlines were computed with.

    uppg_deadline and kpk_deadline are counted once, at submission, and stored; the counts
    used are stored with them (details["workdays"], bot/store/declarations.py), so a label
    next to a stored date keeps stating the days that date was counted with after a setting
    changes. A declaration stored before the counts were recorded takes today's settings."""
    today = workday_counts(settings)
    return WorkdayCounts(
        uppg=recorded_count(declaration, "uppg") or today.uppg,
        kpk=recorded_count(declaration, "kpk") or today.kpk,
        forwarding=today.forwarding,
        completion=today.completion,
        decision=today.decision,
    )


def recorded_count(declaration: Declaration, key: str) -> int | None:
    """The working days ("uppg" or "kpk") stored with this declaration's deadlines, or None."""
    recorded = (declaration.details or {}).get(WORKDAYS_DETAIL)
    value = recorded.get(key) if isinstance(recorded, dict) else None
    return value if isinstance(value, int) and value > 0 else None


def content_hash(item: Any) -> str:
    """The SHA-256 of a draft's file: kept with it, or (a draft from before that) its key,
    which was then the plain SHA-256."""
    return str(item.get("h") or str(item["k"]).rsplit("/", 1)[-1])


def _text(draft: Answers, key: AnswerKey) -> str | None:
    value = draft.get(key)
    return str(value) if value not in (None, "") else None


def _utc(moment: datetime) -> datetime:
    """Stored in UTC: SQLite keeps no offset, and CURRENT_TIMESTAMP defaults are UTC too."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(value: str | None) -> datetime | None:
    try:
        return _utc(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None


def _bool(draft: Answers, key: AnswerKey) -> bool | None:
    value = draft.get(key)
    return value if isinstance(value, bool) else None


# The saved identity, read on every declaration's start: a plain row (SQLAlchemy Core) costs
# the worker about half the CPU of an ORM object and its session (bench/webhook.py).
PROFILE_COLUMNS = (
    Profile.name, Profile.nik_enc, Profile.nip, Profile.jabatan, Profile.unit_kerja,
    Profile.address_enc, Profile.phone_enc, Profile.email, Profile.consent_at,
)  # fmt: skip


class SqlDeclarations:
    """Declarations, profiles and drafts on SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, cipher: Cipher, policy: Policy) -> None:
        db.use_cipher(cipher)
        self.db = db
        self.cipher = cipher
        self.policy = policy

    # --- submit ------------------------------------------------------------------------------

    async def submit(
        self,
        *,
        user_key: str,
        channel: str,
        chat_id: str,
        idempotency_key: str,
        draft: Answers,
        submitted_at: datetime,
    ) -> Receipt:
        """Stores a declaration once per idempotency key and returns its receipt."""
        existing = await self._find(idempotency_key)
        if existing is not None:
            return existing
        try:
            async with self.db.transaction() as session:
                declaration = await self._insert(
                    session, user_key, channel, chat_id, idempotency_key, draft, submitted_at
                )
            files = len(draft.get("attachments") or [])
            return self._receipt(declaration, created=True, attachments=files)
        except IntegrityError:
            # Another worker stored the same draft first: answer with its receipt.
            existing = await self._find(idempotency_key)
            if existing is None:
                raise
            return existing

    async def _insert(
        self,
        session: AsyncSession,
        user_key: str,
        channel: str,
        chat_id: str,
        idempotency_key: str,
        draft: Answers,
        submitted_at: datetime,
    ) -> Declaration:
        today = submitted_at.astimezone(self.policy.timezone).date()
        received = date.fromisoformat(str(draft["received_date"]))
        report_type = str(draft.get("report_type") or "penerimaan")
        number = await self._next_number(session, today.year)
        when = gift_deadlines(received, today, self.policy)
        receiving = report_type == "penerimaan"
        files = [f for f in draft.get("attachments") or [] if isinstance(f, dict)]
        nip = _text(draft, "nip")
        declaration = Declaration(
            number=number,
            idempotency_key=idempotency_key,
            user_key=user_key,
            channel=channel,
            chat_id=chat_id,
            report_type=report_type,
            status=statuses.DITERIMA,
            reporter_name=str(draft.get("name") or ""),
            reporter_nip=nip,
            nip_index=self.cipher.index(nip) if nip else None,
            name_index=word_index(self.cipher, str(draft.get("name") or "")),
            reporter_jabatan=_text(draft, "jabatan"),
            reporter_unit=_text(draft, "unit_kerja"),
            reporter_email=_text(draft, "email"),
            reporter_nik_enc=self.cipher.encrypt(_text(draft, "nik")),
            reporter_address_enc=self.cipher.encrypt(_text(draft, "address")),
            reporter_phone_enc=self.cipher.encrypt(_text(draft, "phone")),
            confidential=bool(draft.get("confidential")),
            giver_name=_text(draft, "giver_name"),
            giver_position=_text(draft, "giver_position"),
            giver_institution=_text(draft, "giver_institution"),
            giver_address_enc=self.cipher.encrypt(_text(draft, "giver_address")),
            giver_relation=_text(draft, "giver_relation"),
            occasion=_text(draft, "occasion"),
            occasion_other=_text(draft, "occasion_other"),
            reason=_text(draft, "reason"),
            object_type=_text(draft, "object_type"),
            object_type_other=_text(draft, "object_type_other"),
            description=_text(draft, "description"),
            value_rp=int(draft["value_rp"]) if draft.get("value_rp") is not None else None,
            received_date=received,
            received_place=_text(draft, "received_place"),
            chronology=_text(draft, "chronology"),
            object_location=_text(draft, "object_location") if receiving else None,
            wants_compensation=_bool(draft, "compensation") if receiving else None,
            details={
                "consent_at": draft.get("consent"),
                **(
                    {
                        WORKDAYS_DETAIL: {
                            "uppg": self.policy.uppg_deadline_workdays,
                            "kpk": self.policy.kpk_deadline_workdays,
                        }
                    }
                    if receiving
                    else {}
                ),
            },
            declared_true_at=_moment(draft.get("declared_true")),
            submitted_at=_utc(submitted_at),
            uppg_deadline=when.uppg if receiving else None,
            kpk_deadline=when.kpk if receiving else None,
            late=when.late_kpk if receiving else False,
        )
        session.add(declaration)
        await session.flush()
        hashes = []
        for item in files:
            sha256 = content_hash(item)
            hashes.append(content_hmac(self.cipher, sha256))
            session.add(
                DeclarationAttachment(
                    declaration_id=declaration.id,
                    kind="photo" if str(item.get("m") or "").startswith("image/") else "document",
                    name=str(item.get("n") or "lampiran"),
                    mime_type=item.get("m"),
                    size=int(item.get("s") or 0),
                    content_hmac=hashes[-1],
                    storage_key=row_key(self.cipher, str(item["k"]), sha256),
                )
            )
        declaration.content_digest = content_digest(declaration, self.cipher, hashes)
        await self._upsert_profile(session, user_key, draft)
        await session.execute(delete(Draft).where(Draft.user_key == user_key))
        session.add(
            outbox_message(
                TOPIC_SUBMITTED,
                f"declaration:{declaration.id}:submitted",
                {"declaration_id": declaration.id},
            )
        )
        await session.flush()
        return declaration

    async def _next_number(self, session: AsyncSession, year: int) -> str:
        """GRT-2026-000123: the UPDATE holds the counter's row lock until commit."""
        bump = (
            update(NumberCounter)
            .where(NumberCounter.year == year)
            .values(last=NumberCounter.last + 1)
            .returning(NumberCounter.last)
        )
        last = (await session.execute(bump)).scalar_one_or_none()
        if last is None:
            try:
                async with session.begin_nested():
                    session.add(NumberCounter(year=year, last=1))
                last = 1
            except IntegrityError:
                # The first declaration of the year raced with ours: take the next one.
                last = (await session.execute(bump)).scalar_one()
        return f"GRT-{year}-{last:06d}"

    async def _upsert_profile(self, session: AsyncSession, user_key: str, draft: Answers) -> None:
        profile = (
            await session.execute(select(Profile).where(Profile.user_key == user_key))
        ).scalar_one_or_none()
        if profile is None:
            profile = Profile(user_key=user_key, name="")
            session.add(profile)
        profile.name = str(draft.get("name") or "")
        profile.nip = _text(draft, "nip")
        profile.jabatan = _text(draft, "jabatan")
        profile.unit_kerja = _text(draft, "unit_kerja")
        profile.email = _text(draft, "email")
        profile.nik_enc = self.cipher.encrypt(_text(draft, "nik"))
        profile.address_enc = self.cipher.encrypt(_text(draft, "address"))
        profile.phone_enc = self.cipher.encrypt(_text(draft, "phone"))
        consent = _text(draft, "consent")
        if consent and profile.consent_at is None:
            try:
                profile.consent_at = _utc(datetime.fromisoformat(consent))
            except ValueError:
                pass

    async def _find(self, idempotency_key: str) -> Receipt | None:
        """The receipt of an already stored draft, or None."""
        async with self.db.sessions() as session:
            found = (
                await session.execute(
                    select(Declaration)
                    .where(Declaration.idempotency_key == idempotency_key)
                    .options(selectinload(Declaration.attachments))
                )
            ).scalar_one_or_none()
            if found is None:
                return None
            return self._receipt(found, created=False, attachments=len(found.attachments))

    def _receipt(self, declaration: Declaration, *, created: bool, attachments: int) -> Receipt:
        return Receipt(
            id=declaration.id,
            number=declaration.number,
            status=declaration.status,
            report_type=declaration.report_type,
            received_date=declaration.received_date,
            submitted_on=self._local_date(declaration.submitted_at),
            created=created,
            object_type=declaration.object_type,
            value_rp=declaration.value_rp,
            uppg_deadline=declaration.uppg_deadline,
            kpk_deadline=declaration.kpk_deadline,
            late=declaration.late,
            attachments=attachments,
            object_location=declaration.object_location,
            uppg_workdays=recorded_count(declaration, "uppg"),
            kpk_workdays=recorded_count(declaration, "kpk"),
        )

    def _local_date(self, moment: datetime) -> date:
        return _utc(moment).astimezone(self.policy.timezone).date()

    # --- reading -----------------------------------------------------------------------------

    async def list_for_reporter(self, user_key: str) -> list[DeclarationSummary]:
        """The reporter's own declarations, newest first."""
        async with self.db.sessions() as session:
            rows = (
                await session.execute(
                    select(Declaration)
                    .where(Declaration.user_key == user_key)
                    .order_by(Declaration.submitted_at.desc(), Declaration.id.desc())
                    .limit(50)
                )
            ).scalars()
            return [
                DeclarationSummary(
                    number=row.number,
                    status=row.status,
                    report_type=row.report_type,
                    received_date=row.received_date,
                    submitted_on=self._local_date(row.submitted_at),
                    object_type=row.object_type,
                    value_rp=row.value_rp,
                )
                for row in rows
            ]

    async def load_profile(self, user_key: str) -> dict[str, Any] | None:
        """The reporter's saved identity, decrypted, or None."""
        async with self.db.engine.connect() as conn:
            return self._profile(
                (
                    await conn.execute(select(*PROFILE_COLUMNS).where(Profile.user_key == user_key))
                ).first()
            )

    def _profile(self, profile: Row[*tuple[Any, ...]] | None) -> dict[str, Any] | None:
        if profile is None or not profile.name:
            return None
        return {
            "name": profile.name,
            "nik": self.cipher.decrypt(profile.nik_enc),
            "nip": profile.nip,
            "jabatan": profile.jabatan,
            "unit_kerja": profile.unit_kerja,
            "address": self.cipher.decrypt(profile.address_enc),
            "phone": self.cipher.decrypt(profile.phone_enc),
            "email": profile.email,
            "consent_at": profile.consent_at.isoformat() if profile.consent_at else None,
        }

    # --- drafts ------------------------------------------------------------------------------

    async def track_draft(
        self, *, user_key: str, channel: str, chat_id: str, received_date: date
    ) -> None:
        """Records (or updates) the reporter's unfinished declaration."""
        for _attempt in range(2):
            try:
                async with self.db.transaction() as session:
                    draft = (
                        await session.execute(select(Draft).where(Draft.user_key == user_key))
                    ).scalar_one_or_none()
                    if draft is None:
                        session.add(
                            Draft(
                                user_key=user_key,
                                channel=channel,
                                chat_id=chat_id,
                                received_date=received_date,
                            )
                        )
                    else:
                        if draft.received_date != received_date:
                            draft.reminded_at = None  # a new date deserves its own reminder
                        draft.received_date = received_date
                        draft.channel, draft.chat_id = channel, chat_id
                return
            except IntegrityError:
                continue  # inserted concurrently: update it on the second pass

    async def drop_draft(self, user_key: str) -> bool:
        """Forgets the reporter's unfinished declaration; True if one was tracked."""
        async with self.db.engine.begin() as conn:
            result = await conn.execute(delete(Draft).where(Draft.user_key == user_key))
        return bool(result.rowcount)

    async def start_fresh(self, user_key: str) -> tuple[bool, dict[str, Any] | None]:
        """drop_draft and load_profile on one connection, in one transaction: every checkout
        of a pooled PostgreSQL connection is a ping and a BEGIN first, and the two were 15% of
        a worker's CPU at declaration starts (bench/webhook.py, py-spy)."""
        async with self.db.engine.begin() as conn:
            dropped = await conn.execute(delete(Draft).where(Draft.user_key == user_key))
            profile = (
                await conn.execute(select(*PROFILE_COLUMNS).where(Profile.user_key == user_key))
            ).first()
        return bool(dropped.rowcount), self._profile(profile)
