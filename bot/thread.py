"""The UPPG's questions to a reporter about one declaration (the officer side of the thread).

Used by the dashboard and the UPPG Telegram chat alike. A question moves the declaration to
"perlu dilengkapi" (bot.workflow, which writes the thread message and notifies the reporter);
when it is already there, the question is added to the thread and queued for delivery with
topic "reporter.thread_message".
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditLog, Declaration, OutboxMessage, ThreadMessage
from bot.workflow import InvalidTransition, allowed_targets, change_status
from handlers import statuses as st

TOPIC = "reporter.thread_message"
MAX_QUESTION_CHARS = 2000


async def ask_reporter(
    session: AsyncSession,
    declaration_id: int,
    text: str,
    *,
    actor: str,
    now: datetime | None = None,
) -> ThreadMessage:
    """Sends an officer's question to the reporter inside the caller's transaction."""
    now = now or datetime.now(UTC)
    text = text.strip()
    if not text:
        raise InvalidTransition("Tulis dulu pertanyaan untuk pelapor.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidTransition(f"Pertanyaan terlalu panjang (maks. {MAX_QUESTION_CHARS} huruf).")
    query = select(Declaration).where(Declaration.id == declaration_id).with_for_update()
    declaration = (await session.execute(query)).scalar_one_or_none()
    if declaration is None:
        raise InvalidTransition("Laporan tidak ditemukan.")

    if declaration.status != st.PERLU_DILENGKAPI:
        if st.PERLU_DILENGKAPI not in allowed_targets(declaration.report_type, declaration.status):
            raise InvalidTransition(
                f"Laporan berstatus {st.label(declaration.status)}: "
                "pertanyaan ke pelapor tidak dapat dikirim pada tahap ini."
            )
        await change_status(
            session,
            declaration_id,
            st.PERLU_DILENGKAPI,
            actor=actor,
            details={"note": text},
            now=now,
        )
        # change_status wrote the question into the thread; return that message.
        latest = (
            select(ThreadMessage)
            .where(
                ThreadMessage.declaration_id == declaration_id,
                ThreadMessage.direction == "to_reporter",
            )
            .order_by(ThreadMessage.id.desc())
            .limit(1)
        )
        return (await session.execute(latest)).scalar_one()

    message = ThreadMessage(
        declaration_id=declaration_id, direction="to_reporter", author=actor, text=text, at=now
    )
    session.add(message)
    session.add(
        AuditLog(
            actor=actor,
            action="thread_message",
            target=declaration.number,
            details={"direction": "to_reporter"},
            at=now,
        )
    )
    await session.flush()
    session.add(
        OutboxMessage(
            topic=TOPIC,
            dedupe_key=f"thread:{message.id}",
            payload={"declaration_id": declaration_id, "thread_message_id": message.id},
            next_attempt_at=now,
        )
    )
    await session.flush()
    return message
