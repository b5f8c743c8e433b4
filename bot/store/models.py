"""Database tables: declarations, reporter profiles, audit, outbox, FAQ logs, dashboard users.

Columns ending in _enc hold personal data encrypted with bot.crypto (UU 27/2022 PDP); Sealed
columns (the reporter's name, NIP and e-mail, free text, the thread's messages) and the typed
texts of SealedTexts details are encrypted by their type (bot/store/sealed.py) and read back
in clear. Attachment rows seal the file's name and record a keyed hash of the content, never
its plain SHA-256 (not in the storage key either).
Schema changes go through Alembic migrations in bot/migrations/versions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.store.sealed import Sealed, SealedTexts

# Stable constraint names, so migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and always read back timezone-aware (UTC).

    PostgreSQL keeps the offset; SQLite keeps none and hands back naive values. A naive value
    written by our code is UTC as well (CURRENT_TIMESTAMP defaults are UTC too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _now() -> Any:
    return func.now()


class Profile(Base):
    """A reporter's identity, kept so the next declaration need not ask again."""

    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("user_key", name="uq_profiles_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(80))  # "{channel}:{user id}"
    name: Mapped[str] = mapped_column(Sealed())
    nip: Mapped[str | None] = mapped_column(Sealed())
    jabatan: Mapped[str | None] = mapped_column(String(200))
    unit_kerja: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(Sealed())
    nik_enc: Mapped[str | None] = mapped_column(Text)
    address_enc: Mapped[str | None] = mapped_column(Text)
    phone_enc: Mapped[str | None] = mapped_column(Text)
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=_now(), onupdate=_now()
    )


class NumberCounter(Base):
    """The last declaration number used per year (GRT-2026-000123)."""

    __tablename__ = "number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Declaration(Base):
    """A gift received (penerimaan) or refused (penolakan), as the reporter declared it."""

    __tablename__ = "declarations"
    __table_args__ = (
        Index("ix_declarations_user_key_created", "user_key", "created_at"),
        Index("ix_declarations_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    # "{channel}:{user id}": for WhatsApp the number's pseudonym (bot/channels/whatsapp/ids.py).
    user_key: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(20))
    # Where to reach the reporter: for WhatsApp the number, encrypted.
    chat_id: Mapped[str] = mapped_column(Text)
    report_type: Mapped[str] = mapped_column(String(20))  # penerimaan | penolakan
    status: Mapped[str] = mapped_column(String(40))

    reporter_name: Mapped[str] = mapped_column(Sealed())
    reporter_nip: Mapped[str | None] = mapped_column(Sealed())
    reporter_jabatan: Mapped[str | None] = mapped_column(String(200))
    reporter_unit: Mapped[str | None] = mapped_column(String(200))
    reporter_email: Mapped[str | None] = mapped_column(Sealed())
    reporter_nik_enc: Mapped[str | None] = mapped_column(Text)
    reporter_address_enc: Mapped[str | None] = mapped_column(Text)
    reporter_phone_enc: Mapped[str | None] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)

    giver_name: Mapped[str | None] = mapped_column(String(200))
    giver_position: Mapped[str | None] = mapped_column(String(200))
    giver_institution: Mapped[str | None] = mapped_column(String(200))
    giver_address_enc: Mapped[str | None] = mapped_column(Text)  # personal data: encrypted
    giver_relation: Mapped[str | None] = mapped_column(String(40))
    occasion: Mapped[str | None] = mapped_column(String(40))
    occasion_other: Mapped[str | None] = mapped_column(String(200))  # typed for "lainnya"
    # Free text the reporter typed (the story, reasons, places) may hold anyone's personal
    # data: sealed like the identity (migration 0013).
    reason: Mapped[str | None] = mapped_column(Sealed())  # alasan pemberian
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_type_other: Mapped[str | None] = mapped_column(String(200))  # typed for "lainnya"
    description: Mapped[str | None] = mapped_column(Sealed())
    value_rp: Mapped[int | None] = mapped_column(BigInteger)
    received_date: Mapped[date] = mapped_column(Date)
    received_place: Mapped[str | None] = mapped_column(Sealed())
    chronology: Mapped[str | None] = mapped_column(Sealed())
    object_location: Mapped[str | None] = mapped_column(String(40))
    wants_compensation: Mapped[bool | None] = mapped_column(Boolean)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the reporter stated the report is true (the "Benar, kirim" button).
    declared_true_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    uppg_deadline: Mapped[date | None] = mapped_column(Date)
    kpk_deadline: Mapped[date | None] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    # The UPPG's side of the process.
    uppg_received_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    forwarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    kpk_reference: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[str | None] = mapped_column(String(40))
    sk_number: Mapped[str | None] = mapped_column(String(100))
    sk_date: Mapped[date | None] = mapped_column(Date)
    # When an object that became state property was handed over or paid for.
    handed_over_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # "Ditangani oleh": the officer responsible for this report in the work queue.
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # A keyed hash of the NIP (bot.crypto.Cipher.index), so the NIP can be searched once it
    # is only kept encrypted.
    nip_index: Mapped[str | None] = mapped_column(String(64), index=True)
    # The reporter's name kept sealed, found by whole words (bot.store.sealed.word_index).
    name_index: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of the declared content at submission (bot.documents.receipt), printed and
    # signed on the receipt.
    content_digest: Mapped[str | None] = mapped_column(String(64))
    # Set when the retention job removed the personal data (bot/backoffice/retention.py).
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=_now(), onupdate=_now()
    )

    attachments: Mapped[list[DeclarationAttachment]] = relationship(
        back_populates="declaration", order_by="DeclarationAttachment.id"
    )
    changes: Mapped[list[StatusChange]] = relationship(
        back_populates="declaration", order_by="StatusChange.id"
    )


class Draft(Base):
    """An unfinished declaration, tracked so its reporter can get one reminder before the
    legal deadline. The draft's answers stay in the session store; this row holds no answers."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_key", name="uq_drafts_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(Text)  # for WhatsApp the number, encrypted
    received_date: Mapped[date | None] = mapped_column(Date)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=_now(), onupdate=_now()
    )


class DeclarationAttachment(Base):
    """A photo or document attached to a declaration (or to a thread message)."""

    __tablename__ = "declaration_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id", ondelete="CASCADE"))
    thread_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread_messages.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    # The file's name as sent ("KTP_budi_3201....jpg" names a person): sealed (0016), read
    # back in clear for the download, the PDF and the lists.
    name: Mapped[str] = mapped_column(Sealed())
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    # A keyed hash of the content (bot.store.attachments.content_hmac), never the plain
    # SHA-256: a plain one would confirm that a known document is attached (migration 0015).
    content_hmac: Mapped[str] = mapped_column(String(64))
    # Only rows stored before 0015 whose hash is part of their declaration's content digest:
    # the plain SHA-256 that digest (printed on receipts already issued) was made with,
    # encrypted, so the receipt check can still recompute it (bot/store/digest.py).
    legacy_sha256_enc: Mapped[str | None] = mapped_column(Text)
    # The file's keyed name; for a file not yet moved from its plain-SHA-256 name, a legacy
    # reference that seals that SHA-256 (bot.store.attachments.legacy_reference, 0016).
    storage_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())

    declaration: Mapped[Declaration] = relationship(back_populates="attachments")


class StatusChange(Base):
    """One step of a declaration through the process: who moved it, when, from what, why.

    note is the message sent to the reporter (the first question of a thread, for perlu
    dilengkapi); internal_note is for the UPPG only and is never sent. Both are typed freely,
    so both are sealed (migration 0014)."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Sealed())
    internal_note: Mapped[str | None] = mapped_column(Sealed())
    # A reason typed by the officer is sealed; dates and numbers stay readable.
    details: Mapped[dict[str, Any]] = mapped_column(SealedTexts(), default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())

    declaration: Mapped[Declaration] = relationship(back_populates="changes")


class ThreadMessage(Base):
    """A message between the UPPG and the reporter about one declaration."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), index=True
    )
    # The status change that asked this question (perlu dilengkapi), if any.
    status_change_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_changes.id", ondelete="SET NULL")
    )
    direction: Mapped[str] = mapped_column(String(20))  # to_reporter | from_reporter
    author: Mapped[str] = mapped_column(String(120))
    # Typed freely on both sides (a reporter's answer may give a phone number or an
    # address): sealed at rest, read back in clear (migration 0014).
    text: Mapped[str] = mapped_column(Sealed())
    # For the UPPG only, never sent (a further question's internal note); sealed too.
    internal_note: Mapped[str | None] = mapped_column(Sealed())
    at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    # When an officer first opened the declaration after this reporter's answer came in:
    # until then the work queue shows it as unread (set for reporter answers only).
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditLog(Base):
    """Who did what to which record (views and exports of personal data included)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now(), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(120))
    # The copies of an officer's message, internal note or reason are sealed (migration 0014).
    details: Mapped[dict[str, Any]] = mapped_column(SealedTexts(), default=dict)
    # The address a dashboard request came from (bot/store/audit.py fills it in).
    ip: Mapped[str | None] = mapped_column(String(45))


class OutboxMessage(Base):
    """A message to deliver (UPPG card, reporter notification), written in the same transaction
    as the change that caused it and delivered by the worker with retries."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(60))
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # PENDING|SENT|DEAD
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    locked_by: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# Outbox message statuses.
PENDING, SENT, DEAD = "pending", "sent", "dead"


def outbox_message(
    topic: str, dedupe_key: str, payload: dict[str, Any], *, at: datetime | None = None
) -> OutboxMessage:
    """A new outbox row: add it to the session of the change that caused it, so the change
    and its message commit together (or not at all)."""
    return OutboxMessage(
        topic=topic,
        dedupe_key=dedupe_key,
        payload=payload,
        status=PENDING,
        attempts=0,
        next_attempt_at=at or datetime.now(UTC),
    )


class FaqQuestion(Base):
    """A question the matcher could not answer confidently, for the admins' review."""

    __tablename__ = "faq_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now(), index=True)
    text: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20))  # fallback | suggested | answered
    best_id: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(default=0.0)
    suggestions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    taken_id: Mapped[str | None] = mapped_column(String(80))
    # A hash of the conversation key, so a pressed suggestion finds its question row;
    # never the key itself (it identifies a person).
    user_hash: Mapped[str | None] = mapped_column(String(64), index=True)


class FaqFeedback(Base):
    """A "Membantu? Ya / Tidak" press under an answer."""

    __tablename__ = "faq_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    entry_id: Mapped[str] = mapped_column(String(80), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)


class User(Base):
    """A dashboard account: a UPPG officer or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # officer | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    telegram_user_id: Mapped[str | None] = mapped_column(String(40))
    # The anti-bribery compliance function (FKAP, SNI ISO 37001:2016 5.3.2): may open the concern
    # queue. Granted by an admin; an officer or an admin without it never sees a concern.
    fkap: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class DashboardSession(Base):
    """A logged-in dashboard session. The browser's cookie holds a random token; this row holds
    only its SHA-256, so a copy of the table opens no session. Deleting the row ends it."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class LoginThrottle(Base):
    """Failed dashboard logins counted for one key (an account, a client address, a trusted
    browser) and the back-off they earned; see bot/store/throttles.py."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Concern(Base):
    """A bribery concern (SNI ISO 37001:2016 clause 8.9), possibly anonymous.

    Nothing here identifies the sender: no user, chat or phone column, and only the day it came
    in (a time of day could be matched with a chat's history). The story, the identity the
    sender chose to give, the messages and the files are encrypted with a key of this concern
    alone (`key_enc`, itself encrypted with DATA_ENCRYPTION_KEY). The receipt code is stored
    only as `code_hash`, an Argon2id hash (bot/store/concerns.py)."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_enc: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    story_enc: Mapped[str] = mapped_column(Text)
    identity_enc: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)

    messages: Mapped[list[ConcernMessage]] = relationship(
        back_populates="concern", order_by="ConcernMessage.id", cascade="all, delete-orphan"
    )
    files: Mapped[list[ConcernFile]] = relationship(
        back_populates="concern", order_by="ConcernFile.id", cascade="all, delete-orphan"
    )


class ConcernMessage(Base):
    """One message of a concern's thread: from the sender (pelapor) or the FKAP (fkap).

    A status change is a message too (status set, body optional), so the thread is the case's
    history. `read_on` is when the other side first saw it."""

    __tablename__ = "concern_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    author: Mapped[str] = mapped_column(String(10))  # pelapor | fkap
    officer: Mapped[str | None] = mapped_column(String(80))
    body_enc: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    read_on: Mapped[date | None] = mapped_column(Date)

    concern: Mapped[Concern] = relationship(back_populates="messages")


class ConcernFile(Base):
    """Evidence sent with a concern: bytes encrypted with the concern's key, metadata removed."""

    __tablename__ = "concern_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("concern_messages.id"))
    storage_key: Mapped[str] = mapped_column(String(200))
    name_enc: Mapped[str] = mapped_column(Text)
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)

    concern: Mapped[Concern] = relationship(back_populates="files")


class CodeAttempt(Base):
    """A wrong receipt code, counted per chat (a keyed hash, kept one day) and in total."""

    __tablename__ = "concern_code_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
