"""Shared pieces of the back-office tests: declarations, a recording sender, a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select

from bot.backoffice.deliveries import Deliveries
from bot.backoffice.notify import ChannelSender, DeliveryFailed, Notification
from bot.backoffice.outbox import OutboxWorker
from bot.backoffice.workflow import change_status, required_file
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.uppg import UppgTelegram
from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.holidays_id import work_calendar
from bot.messages import Attachment
from bot.store.attachments import LocalAttachmentStore
from bot.store.database import Database
from bot.store.models import Declaration, DeclarationAttachment, OutboxMessage, StatusChange
from bot.store.models import outbox_message as message
from handlers import statuses as st
from tests.bot.channels.telegram.stub import TOKEN, BotApiStub

UPPG_CHAT = "-1001"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
# A moment after every date below (local time 10:00, Wednesday 20 January 2027).
NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
SUBMITTED = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)
# Every detail any change may need, consistent with a gift received on 16 November 2026,
# reported on the 17th (new_declaration) and NOW.
FILLED: dict[str, str] = {
    "message": "Mohon lampirkan foto barang.",
    "internal_note": "Cek dengan Inspektur Pembantu II.",
    "forwarded_on": "2026-11-25",
    "kpk_reference": "GOL-123",
    "sk_number": "SK-1/2026",
    "sk_date": "2026-12-01",
    "handed_over_on": "2026-12-08",
    "aid_recipient": "Panti Asuhan Kasih Ibu",
    "distributed_on": "2026-11-18",
    "returned_on": "2026-11-18",
    "reason": "Pelapor mengirim laporan yang sama dua kali.",
}


@dataclass
class RecordingSender:
    """A channel port double: records notifications, or fails when told to."""

    sent: list[tuple[str, Notification]] = field(default_factory=list)
    fail: DeliveryFailed | None = None

    async def notify(self, chat_id: str, notification: Notification) -> None:
        if self.fail is not None:
            raise self.fail
        self.sent.append((chat_id, notification))


@dataclass
class Clock:
    """The real time plus however far a test has moved it forward."""

    offset: timedelta = timedelta()

    @property
    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


def uppg_settings(settings: Settings, stub: BotApiStub | None = None, **extra: Any) -> Settings:
    update: dict[str, Any] = {"embedded_worker": False, **extra}
    if stub is not None:
        update |= {
            "uppg_telegram_chat_id": UPPG_CHAT,
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base_url": stub.base_url,
        }
    return settings.model_copy(update=update)


def files_of(settings: Settings) -> LocalAttachmentStore:
    return LocalAttachmentStore(
        settings.effective_attachment_dir,
        max_bytes=settings.max_attachment_bytes,
        cipher=cipher_from_settings(settings),
    )


def deliveries(
    db: Database,
    settings: Settings,
    stub: BotApiStub | None,
    senders: dict[str, ChannelSender] | None = None,
) -> Deliveries:
    return Deliveries(
        db=db,
        settings=settings,
        calendar=work_calendar(cuti_bersama_is_workday=settings.cuti_bersama_is_workday),
        senders=senders if senders is not None else {},
        files=files_of(settings),
        cipher=cipher_from_settings(settings),
        uppg=uppg_chat(db, stub) if stub is not None else None,
    )


def uppg_chat(db: Database, stub: BotApiStub) -> UppgTelegram:
    """The UPPG chat as the runtime builds it, over the stub's Bot."""
    sender = TelegramSender(stub.bot(), None, 60)
    return UppgTelegram(sender, UPPG_CHAT, db, today=lambda: datetime.now(UTC))


def worker(db: Database, found: Deliveries, clock: Clock, name: str) -> OutboxWorker:
    return OutboxWorker(db, found.topics(), worker_id=name, clock=clock, lock_seconds=60)


async def store_photo(settings: Settings, name: str = "barang.png") -> Attachment:
    async def download() -> bytes:
        return PNG

    stored = await files_of(settings).save(
        Attachment(kind="photo", name=name, mime_type="image/png", download=download)
    )
    return Attachment(kind="photo", name=stored.name, ref=stored.key, mime_type=stored.mime_type)


def pdf(name: str = "SK KPK.pdf", data: bytes = PDF) -> Attachment:
    """A document as an officer uploads it (read when stored)."""

    async def download() -> bytes:
        return data

    return Attachment(
        kind="document", name=name, mime_type="application/pdf", size=len(data), download=download
    )


async def new_declaration(
    db: Database,
    number: str,
    *,
    report_type: str = "penerimaan",
    user_key: str = "test:u1",
    photo: Attachment | None = None,
    **fields: Any,
) -> int:
    """A submitted declaration with its UPPG outbox row, as the declaration flow writes it."""
    async with db.transaction() as session:
        row = Declaration(
            number=number,
            idempotency_key=number,
            user_key=user_key,
            channel=user_key.split(":", 1)[0],
            chat_id=user_key.split(":", 1)[1],
            report_type=report_type,
            reporter_name="Ani Lestari",
            reporter_nip="198501012010012001",
            reporter_unit="Dinas Kesehatan",
            giver_name="PT Maju",
            giver_relation="rekanan",
            occasion="hari_raya",
            value_rp=1_500_000,
            received_date=fields.pop("received_date", date(2026, 11, 16)),
            **{
                "status": st.DITERIMA,
                "submitted_at": SUBMITTED,
                "object_type": "barang",
                "description": "Parsel",
                **fields,
            },
        )
        session.add(row)
        await session.flush()
        if photo is not None:
            session.add(
                DeclarationAttachment(
                    declaration_id=row.id,
                    kind="photo",
                    name=photo.name,
                    mime_type=photo.mime_type,
                    size=len(PNG),
                    content_hmac="x" * 64,
                    storage_key=photo.ref,
                )
            )
        session.add(
            message(
                "uppg.declaration_submitted",
                f"declaration:{row.id}:submitted",
                {"declaration_id": row.id},
            )
        )
        return row.id


async def change(
    db: Database,
    settings: Settings,
    declaration_id: int,
    target: str,
    details: dict[str, str] | None = None,
    *,
    actor: str = "sari",
    now: datetime = NOW,
    data: bytes | None = PDF,
) -> StatusChange:
    """One status change as an officer makes it: the details given (FILLED by default) and,
    when the change needs one, a document (`data`; None leaves it out)."""
    async with db.transaction() as session:
        found = await session.get(Declaration, declaration_id)
        assert found is not None
        needs = required_file(found.status, target)
        return await change_status(
            session,
            declaration_id,
            target,
            actor=actor,
            details=FILLED if details is None else details,
            file=pdf(data=data) if needs and data is not None else None,
            files=files_of(settings),
            settings=settings,
            now=now,
        )


async def outbox_rows(db: Database) -> list[OutboxMessage]:
    async with db.sessions() as session:
        rows = await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return list(rows.scalars())
