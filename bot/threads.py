"""The two-way thread per declaration, stored in the database (ThreadPort for the flows).

The UPPG's questions are written by bot.workflow.change_status (perlu_dilengkapi); the
reporter's answers are written here, with their files, and queued for the UPPG in the same
transaction ("uppg.thread_reply"). A reporter reaches only their own declarations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import AuditLog, Declaration, DeclarationAttachment, ThreadMessage
from bot.outbox import message
from bot.workflow import InvalidTransition
from handlers import statuses as st
from handlers.ports import StoredFile, ThreadQuestion

CLOSED = (st.SELESAI, st.DICATAT)


async def ask_reporter(
    session: AsyncSession,
    declaration_id: int,
    *,
    actor: str,
    question: str,
    now: datetime | None = None,
) -> ThreadMessage:
    """Sends a further question on a declaration that already waits for completion.

    The first question comes with the status change (workflow.change_status); this one leaves
    the status as it is. Runs inside the caller's transaction; queues "reporter.question".
    """
    now = now or datetime.now(UTC)
    query = select(Declaration).where(Declaration.id == declaration_id).with_for_update()
    declaration = (await session.execute(query)).scalar_one_or_none()
    if declaration is None:
        raise InvalidTransition("Laporan tidak ditemukan.")
    if declaration.status != st.PERLU_DILENGKAPI:
        raise InvalidTransition(
            f"Pertanyaan lanjutan hanya untuk laporan berstatus {st.label(st.PERLU_DILENGKAPI)}."
        )
    if not question.strip():
        raise InvalidTransition("Lengkapi dulu: catatan.")
    asked = ThreadMessage(
        declaration_id=declaration.id, direction="to_reporter", author=actor, text=question, at=now
    )
    session.add(asked)
    await session.flush()
    session.add(
        AuditLog(
            actor=actor,
            action="thread_question",
            target=declaration.number,
            details={"thread_message_id": asked.id},
            at=now,
        )
    )
    session.add(
        message(
            "reporter.question",
            f"question:{asked.id}",
            {"declaration_id": declaration.id, "thread_message_id": asked.id},
            at=now,
        )
    )
    return asked


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
                        sha256=stored.sha256,
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
                message(
                    "uppg.thread_reply",
                    f"thread:{reply.id}",
                    {"declaration_id": declaration.id, "thread_message_id": reply.id},
                )
            )
            return ThreadQuestion(declaration.id, declaration.number, question)
