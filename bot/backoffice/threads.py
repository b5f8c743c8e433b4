"""The two-way thread per declaration, stored in the database (ThreadPort for the flows).

The UPPG's questions are written by bot.backoffice.workflow.change_status (perlu_dilengkapi); the
reporter's answers are written here, with their files, and queued for the UPPG in the same
transaction ("uppg.thread_reply"). A reporter reaches only their own declarations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.backoffice.workflow import (
    InvalidTransition,
    allowed_targets,
    change_status,
    stale_reason,
)
from bot.config import Settings
from bot.store.attachments import content_hmac
from bot.store.database import Database
from bot.store.models import (
    AuditLog,
    Declaration,
    DeclarationAttachment,
    ThreadMessage,
    outbox_message,
)
from bot.store.sealed import cipher_for
from handlers import statuses as st
from handlers.ports import StoredFile, ThreadQuestion

CLOSED = st.CLOSED
QUESTION_TOPIC = "reporter.question"
MAX_QUESTION_CHARS = 2000
# The same question from the same officer again within this time is the same question (a
# double click, a form sent again after a slow answer): it is not sent to the reporter twice.
REPEAT_WINDOW = timedelta(minutes=10)


async def ask_reporter(
    session: AsyncSession,
    declaration_id: int,
    text: str,
    *,
    actor: str,
    internal_note: str | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
    expected_status: str | None = None,
) -> ThreadMessage:
    """Sends an officer's question to the reporter inside the caller's transaction.

    Used by the dashboard and the UPPG Telegram chat alike. The first question moves the
    declaration to perlu dilengkapi (bot.backoffice.workflow writes it into the thread and
    notifies the reporter); a further question is added to the thread and queued as
    "reporter.question". The internal note stays with the UPPG: it is never sent.

    The officer's own question repeated within REPEAT_WINDOW returns the one already sent.
    expected_status (the status the officer's page showed) refuses a question asked from an
    outdated page, as change_status does.
    """
    now = now or datetime.now(UTC)
    text = text.strip()
    internal_note = (internal_note or "").strip() or None
    if not text:
        raise InvalidTransition("Tulis dulu pertanyaan untuk pelapor.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidTransition(f"Pertanyaan terlalu panjang (maks. {MAX_QUESTION_CHARS} huruf).")
    if internal_note and len(internal_note) > MAX_QUESTION_CHARS:
        raise InvalidTransition(
            f"Catatan internal terlalu panjang (maks. {MAX_QUESTION_CHARS} huruf)."
        )
    query = select(Declaration).where(Declaration.id == declaration_id).with_for_update()
    declaration = (await session.execute(query)).scalar_one_or_none()
    if declaration is None:
        raise InvalidTransition("Laporan tidak ditemukan.")
    repeated = await _same_question(session, declaration_id, text, actor, now)
    if repeated is not None:
        return repeated
    if expected_status and expected_status != declaration.status:
        raise InvalidTransition(await stale_reason(session, declaration, settings))

    if declaration.status != st.PERLU_DILENGKAPI:
        if st.PERLU_DILENGKAPI not in allowed_targets(declaration.report_type, declaration.status):
            raise InvalidTransition(
                f"Laporan berstatus {st.label(declaration.status)}: "
                "pertanyaan ke pelapor tidak dapat dikirim pada tahap ini."
            )
        change = await change_status(
            session,
            declaration_id,
            st.PERLU_DILENGKAPI,
            actor=actor,
            details={"message": text, "internal_note": internal_note},
            settings=settings,
            now=now,
        )
        # change_status wrote the question into the thread; return that message.
        latest = select(ThreadMessage).where(ThreadMessage.status_change_id == change.id)
        return (await session.execute(latest)).scalar_one()

    asked = ThreadMessage(
        declaration_id=declaration_id,
        direction="to_reporter",
        author=actor,
        text=text,
        internal_note=internal_note,
        at=now,
    )
    session.add(asked)
    audit = {"direction": "to_reporter", "message": text}
    if internal_note:
        audit["internal_note"] = internal_note
    session.add(
        AuditLog(
            actor=actor,
            action="thread_message",
            target=declaration.number,
            details=audit,
            at=now,
        )
    )
    await session.flush()
    session.add(
        outbox_message(
            QUESTION_TOPIC,
            f"question:{asked.id}",
            {"declaration_id": declaration_id, "thread_message_id": asked.id},
            at=now,
        )
    )
    await session.flush()
    return asked


async def _same_question(
    session: AsyncSession, declaration_id: int, text: str, actor: str, now: datetime
) -> ThreadMessage | None:
    """The thread's last message, when it is this officer's same question, just sent (with no
    answer from the reporter since: asking again after an answer is a new question)."""
    query = (
        select(ThreadMessage)
        .where(ThreadMessage.declaration_id == declaration_id)
        .order_by(ThreadMessage.id.desc())
        .limit(1)
    )
    last = (await session.execute(query)).scalar_one_or_none()
    if last is None or last.direction != "to_reporter":
        return None
    if last.author != actor or last.text.strip() != text:
        return None
    sent = last.at if last.at.tzinfo else last.at.replace(tzinfo=UTC)
    return last if now - sent < REPEAT_WINDOW else None


class DbThreads:
    """ThreadPort over the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def _latest_question(self, session: AsyncSession, declaration: Declaration) -> str | None:
        rows = await session.execute(
            select(ThreadMessage.text)
            .where(
                ThreadMessage.declaration_id == declaration.id,
                ThreadMessage.direction == "to_reporter",
            )
            .order_by(ThreadMessage.id.desc())
            .limit(1)
        )
        return rows.scalar_one_or_none()

    async def _own(
        self, session: AsyncSession, user_key: str, declaration_id: int
    ) -> tuple[Declaration, str] | None:
        declaration = await session.get(Declaration, declaration_id)
        if declaration is None or declaration.user_key != user_key:
            return None
        if declaration.status in CLOSED:
            return None
        question = await self._latest_question(session, declaration)
        if question is None:
            return None
        return declaration, question

    async def question(self, user_key: str, declaration_id: int) -> ThreadQuestion | None:
        async with self.db.sessions() as session:
            found = await self._own(session, user_key, declaration_id)
        if found is None:
            return None
        declaration, question = found
        return ThreadQuestion(declaration.id, declaration.number, question)

    async def open_questions(self, user_key: str) -> list[ThreadQuestion]:
        async with self.db.sessions() as session:
            rows = await session.execute(
                select(Declaration)
                .where(
                    Declaration.user_key == user_key,
                    Declaration.status == st.PERLU_DILENGKAPI,
                )
                .order_by(Declaration.id)
            )
            found = []
            for declaration in rows.scalars():
                question = await self._latest_question(session, declaration)
                if question is not None:
                    found.append(ThreadQuestion(declaration.id, declaration.number, question))
            return found

    async def answer(
        self, user_key: str, declaration_id: int, text: str, files: Sequence[StoredFile]
    ) -> ThreadQuestion:
        async with self.db.transaction() as session:
            found = await self._own(session, user_key, declaration_id)
            if found is None:
                raise LookupError("not the reporter's open declaration")
            declaration, question = found
            reply = ThreadMessage(
                declaration_id=declaration.id,
                direction="from_reporter",
                author=user_key,
                text=text,
            )
            session.add(reply)
            await session.flush()
            for stored in files:
                is_image = (stored.mime_type or "").startswith("image/")
                session.add(
                    DeclarationAttachment(
                        declaration_id=declaration.id,
                        thread_message_id=reply.id,
                        kind="photo" if is_image else "document",
                        name=stored.name,
                        mime_type=stored.mime_type,
                        size=stored.size,
                        content_hmac=content_hmac(cipher_for(session), stored.sha256),
                        storage_key=stored.key,
                    )
                )
            session.add(
                AuditLog(
                    actor=user_key,
                    action="thread_reply",
                    target=declaration.number,
                    details={"thread_message_id": reply.id, "files": len(files)},
                )
            )
            session.add(
                outbox_message(
                    "uppg.thread_reply",
                    f"thread:{reply.id}",
                    {"declaration_id": declaration.id, "thread_message_id": reply.id},
                )
            )
            return ThreadQuestion(declaration.id, declaration.number, question)
