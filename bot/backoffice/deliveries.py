"""What the outbox worker does for each topic.

Messages for the UPPG fan out: "uppg.declaration_submitted", "uppg.thread_reply" and
"uppg.digest" each become one "uppg.send" message per destination (the UPPG Telegram chat, each
officer's WhatsApp number), created in the same transaction that settles the parent. So a
WhatsApp outage never makes the Telegram card go out twice, and each destination is retried on
its own. Texts are rendered at delivery time from the database (bot/cards.py). An officer's
number is never written into a message: its destination is "wa:" and the number's pseudonym,
resolved against UPPG_WHATSAPP_NUMBERS when it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.backoffice import cards
from bot.backoffice.deadlines import declaration_deadlines
from bot.backoffice.digest import HORIZON_WORKDAYS, digest_lines
from bot.backoffice.notify import ChannelSender, DeliveryFailed, Notification, UppgChat
from bot.backoffice.outbox import Claimed, Delivery, NotConfigured
from bot.config import Settings
from bot.crypto import Cipher
from bot.messages import Attachment, Reply
from bot.store.attachments import AttachmentStore
from bot.store.concerns import TOPIC_RECEIVED as TOPIC_CONCERN_RECEIVED
from bot.store.database import Database
from bot.store.models import (
    Declaration,
    DeclarationAttachment,
    OutboxMessage,
    StatusChange,
    ThreadMessage,
    outbox_message,
)
from handlers import statuses as st
from handlers.formatting import tanggal
from handlers.workdays import WorkCalendar

FAN_OUT = {
    "uppg.declaration_submitted": "card",
    "uppg.thread_reply": "thread_reply",
    "uppg.digest": "digest",
}


class Gone(DeliveryFailed):
    """The record a message refers to no longer exists: nothing will ever deliver it."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found", permanent=True)


@dataclass
class Deliveries:
    """Delivery functions by topic, over the runtime's database, senders and files."""

    db: Database
    settings: Settings
    calendar: WorkCalendar
    senders: Mapping[str, ChannelSender]
    files: AttachmentStore
    cipher: Cipher
    uppg: UppgChat | None = None

    def __post_init__(self) -> None:
        # Cards show the reporter's sealed name and NIP.
        self.db.use_cipher(self.cipher)

    def topics(self) -> dict[str, Delivery]:
        table: dict[str, Delivery] = {topic: self.fan_out for topic in FAN_OUT}
        table["uppg.send"] = self.send_to_uppg
        table["reporter.status_changed"] = self.status_changed
        table["reporter.question"] = self.question
        table["reporter.draft_reminder"] = self.draft_reminder
        table[TOPIC_CONCERN_RECEIVED] = self.concern_received
        return table

    def destinations(self) -> list[str]:
        """From settings, so a channel that is down or not yet wired still gets its copy."""
        found = ["telegram"] if self.settings.uppg_telegram_chat_id else []
        numbers = self.settings.uppg_whatsapp_list
        return found + [f"wa:{self.cipher.pseudonym(number)}" for number in numbers]

    def officer_number(self, dest: str) -> str:
        """The configured number behind a "wa:" destination; DeliveryFailed (permanent) when
        the number was removed from UPPG_WHATSAPP_NUMBERS since."""
        wanted = dest.removeprefix("wa:")
        for number in self.settings.uppg_whatsapp_list:
            if self.cipher.pseudonym(number) == wanted:
                return number
        raise DeliveryFailed("officer's number is no longer configured", permanent=True)

    async def fan_out(self, claimed: Claimed) -> Sequence[OutboxMessage]:
        """One "uppg.send" per destination; waits (retries) while none is configured."""
        destinations = self.destinations()
        if not destinations:
            raise NotConfigured("no UPPG destination configured (UPPG_TELEGRAM_CHAT_ID)")
        kind = FAN_OUT[claimed.topic]
        return [
            outbox_message(
                "uppg.send",
                f"{claimed.dedupe_key}:{dest}",
                {**claimed.payload, "kind": kind, "dest": dest},
            )
            for dest in destinations
        ]

    async def concern_received(self, claimed: Claimed) -> None:
        """Tells the compliance function (FKAP) that a concern came in: its number only,
        to its own chat and numbers; with none configured the dashboard is the only notice."""
        text = (
            f"Laporan dugaan suap baru: {claimed.payload.get('number', '')}.\n"
            "Buka dasbor, menu Aduan, untuk menanganinya."
        )
        chat = self.settings.fkap_telegram_chat_id
        if chat:
            telegram = self.senders.get("telegram")
            if telegram is None:
                raise NotConfigured("FKAP_TELEGRAM_CHAT_ID is set but Telegram is not")
            await telegram.notify(chat, Notification(reply=Reply(text)))
        numbers = self.settings.fkap_whatsapp_list
        whatsapp = self.senders.get("whatsapp")
        if numbers and whatsapp is None:
            raise NotConfigured("FKAP_WHATSAPP_NUMBERS is set but WhatsApp is not")
        for number in numbers:
            assert whatsapp is not None
            notice = Notification(reply=Reply(text), template="status_update", params=[text])
            await whatsapp.notify(number, notice)

    async def send_to_uppg(self, claimed: Claimed) -> None:
        """Renders the card, reply or digest and sends it to one destination."""
        payload = claimed.payload
        dest = str(payload["dest"])
        reply, params = await self._render(payload, buttons=dest == "telegram")
        if dest == "telegram":
            if self.uppg is None:
                raise NotConfigured("UPPG Telegram chat is not configured (TELEGRAM_BOT_TOKEN)")

            async def progress(done: int) -> None:
                payload["done"] = done
                await claimed.checkpoint(payload)

            await self.uppg.send(reply, start=int(payload.get("done", 0)), progress=progress)
            return
        sender = self.senders.get("whatsapp")
        if sender is None:
            raise NotConfigured("WhatsApp is not configured in this process")
        await sender.notify(
            self.officer_number(dest),
            Notification(reply=reply, template="status_update", params=params),
        )

    async def _render(
        self, payload: Mapping[str, object], *, buttons: bool
    ) -> tuple[Reply, list[str]]:
        """The message, and the one template parameter WhatsApp needs outside the 24-hour
        window (the README's templates have a single {{1}})."""
        kind = payload["kind"]
        if kind == "digest":
            today = date.fromisoformat(str(payload["date"]))
            due_soon, overdue = await digest_lines(self.db, self.settings, self.calendar, today)
            summary = f"tenggat UPPG: {len(overdue)} lewat tenggat, {len(due_soon)} jatuh tempo."
            return cards.digest(today, due_soon, overdue, horizon=HORIZON_WORKDAYS), [summary]
        declaration_id = int(str(payload["declaration_id"]))
        async with self.db.sessions() as session:
            declaration = await session.get(Declaration, declaration_id)
            if declaration is None:
                raise Gone(f"declaration {declaration_id}")
            if kind == "thread_reply":
                thread_id = int(str(payload["thread_message_id"]))
                thread = await session.get(ThreadMessage, thread_id)
                if thread is None:
                    raise Gone(f"thread message {thread_id}")
                rows = await session.execute(
                    select(DeclarationAttachment)
                    .where(DeclarationAttachment.thread_message_id == thread_id)
                    .order_by(DeclarationAttachment.id)
                )
                files = self._attachments(rows.scalars())
                reply = cards.thread_reply(declaration, thread.text, files, with_buttons=buttons)
                return reply, [f"{declaration.number}: pelapor mengirim jawaban."]
            rows = await session.execute(
                select(DeclarationAttachment)
                .where(
                    DeclarationAttachment.declaration_id == declaration_id,
                    DeclarationAttachment.thread_message_id.is_(None),
                )
                .order_by(DeclarationAttachment.id)
            )
            files = self._attachments(rows.scalars())
            changes = await self._changes(declaration_id)
            deadlines = declaration_deadlines(declaration, changes, self.calendar, self.settings)
            reply = cards.card(
                declaration, deadlines, files, settings=self.settings, with_buttons=buttons
            )
            return reply, [f"{declaration.number}: laporan baru masuk ke UPPG."]

    def _attachments(self, rows: Iterable[DeclarationAttachment]) -> list[Attachment]:
        return [
            self.files.attachment(row.kind, row.name, row.storage_key, row.mime_type)
            for row in rows
        ]

    async def _changes(self, declaration_id: int) -> list[StatusChange]:
        async with self.db.sessions() as session:
            rows = await session.execute(
                select(StatusChange)
                .where(StatusChange.declaration_id == declaration_id)
                .order_by(StatusChange.id)
            )
            return list(rows.scalars())

    def _sender(self, channel: str) -> ChannelSender:
        sender = self.senders.get(channel)
        if sender is None:
            # Kept pending: the channel may be configured (or this process restarted) later.
            raise no_sender(channel)
        return sender

    async def status_changed(self, claimed: Claimed) -> None:
        """Tells the reporter, on their own channel, what the UPPG changed."""
        declaration_id = int(claimed.payload["declaration_id"])
        change_id = int(claimed.payload["status_change_id"])
        async with self.db.sessions() as session:
            declaration = await session.get(Declaration, declaration_id)
            change = await session.get(StatusChange, change_id)
            if declaration is None or change is None:
                raise Gone(f"declaration {declaration_id} or change {change_id}")
        changes = await self._changes(declaration_id)
        deadlines = declaration_deadlines(declaration, changes, self.calendar, self.settings)
        wanted = {
            st.PERLU_DILENGKAPI: "completion",
            st.MILIK_NEGARA: "handover",
            st.MILIK_NEGARA_KOMPENSASI: "handover",
        }
        due = next((d.due for d in deadlines if d.key == wanted.get(change.to_status)), None)
        reply = cards.status_notice(declaration, change, due, settings=self.settings)
        if change.to_status == st.PERLU_DILENGKAPI:
            notification = Notification(
                reply=reply,
                template="uppg_question",
                params=[_question_param(declaration.number, change.note)],
            )
        else:
            notification = Notification(
                reply=reply,
                template="status_update",
                params=[f"{declaration.number} kini berstatus {st.label(change.to_status)}."],
            )
        await self._sender(declaration.channel).notify(declaration.chat_id, notification)

    async def question(self, claimed: Claimed) -> None:
        """Sends the reporter a further question from the UPPG."""
        declaration_id = int(claimed.payload["declaration_id"])
        thread_id = int(claimed.payload["thread_message_id"])
        async with self.db.sessions() as session:
            declaration = await session.get(Declaration, declaration_id)
            asked = await session.get(ThreadMessage, thread_id)
            if declaration is None or asked is None:
                raise Gone(f"declaration {declaration_id} or thread message {thread_id}")
        changes = await self._changes(declaration_id)
        deadlines = declaration_deadlines(declaration, changes, self.calendar, self.settings)
        due = next((d.due for d in deadlines if d.key == "completion"), None)
        notification = Notification(
            reply=cards.question_notice(declaration, asked.text, due),
            template="uppg_question",
            params=[_question_param(declaration.number, asked.text)],
        )
        await self._sender(declaration.channel).notify(declaration.chat_id, notification)

    async def draft_reminder(self, claimed: Claimed) -> None:
        """Reminds a reporter of an unfinished draft before the legal deadline."""
        payload = claimed.payload
        deadline = date.fromisoformat(str(payload["deadline"]))
        notification = Notification(
            reply=cards.draft_reminder(deadline),
            template="reminder",
            params=[
                "laporan gratifikasi Anda belum selesai. "
                f"Batas lapor ke UPPG: {tanggal(deadline, short=True)}."
            ],
        )
        sender = self._sender(str(payload["channel"]))
        await sender.notify(str(payload["chat_id"]), notification)


def _question_param(number: str, question: str | None) -> str:
    """The uppg_question template's one parameter: the number and the question."""
    return f"{number}, “{question or '-'}”"


def no_sender(channel: str) -> NotConfigured:
    """The failure of a message for a channel this process has no sender for (kept pending:
    the channel may be configured, or a process that has it started, later)."""
    return NotConfigured(f"no sender for channel {channel} in this process")
