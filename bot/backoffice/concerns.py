"""The compliance function's work on bribery concerns: status changes, messages, deadlines.

Transitions are plain data. Every change and every message to the sender is a row of the
concern's thread (bot.store.models.ConcernMessage), encrypted with the concern's key, and an
entry in the audit log. Nothing is sent to the sender: they read the thread with their code.
The deadlines are the instansi's own procedure (CONCERN_ASSESSMENT_WORKDAYS from receipt to the
start of the assessment, CONCERN_RESOLUTION_WORKDAYS to closing); ISO 37001 sets no days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncSession

from bot.backoffice.deadlines import policy_for
from bot.config import Settings
from bot.store.concerns import seal_text
from bot.store.models import AuditLog, Concern, ConcernMessage
from handlers import concern_terms as terms
from handlers.deadlines import add_workdays
from handlers.workdays import WorkCalendar

TRANSITIONS: dict[str, tuple[str, ...]] = {
    terms.DITERIMA: (terms.PENILAIAN, terms.SELESAI),
    terms.PENILAIAN: (terms.INVESTIGASI, terms.SELESAI),
    terms.INVESTIGASI: (terms.SELESAI,),
    terms.SELESAI: (),
}


class ConcernChangeRefused(ValueError):
    """A change the procedure does not allow; the message says why, in Indonesian."""


@dataclass(frozen=True)
class ConcernDeadline:
    label: str
    due: date
    done: bool

    def overdue(self, today: date) -> bool:
        return not self.done and today > self.due


def deadlines(
    concern: Concern, calendar: WorkCalendar, settings: Settings
) -> list[ConcernDeadline]:
    """When the assessment must start and when the concern must be closed: counted like
    every other period (handlers/deadlines.py), the day of receipt being day one with
    COUNT_START_DAY (it was counted from the next day, a day later than the declarations)."""
    start = concern.received_on
    policy = policy_for(settings, calendar)
    return [
        ConcernDeadline(
            "Mulai penilaian",
            add_workdays(start, settings.concern_assessment_workdays, policy),
            concern.status != terms.DITERIMA,
        ),
        ConcernDeadline(
            "Selesai",
            add_workdays(start, settings.concern_resolution_workdays, policy),
            concern.status == terms.SELESAI,
        ),
    ]


def change_status(
    session: AsyncSession,
    concern: Concern,
    box: Fernet,
    *,
    to: str,
    officer: str,
    today: date,
    outcome: str | None = None,
    message: str | None = None,
) -> ConcernMessage:
    """Moves the concern along the procedure; closing needs an outcome."""
    if to not in TRANSITIONS.get(concern.status, ()):
        raise ConcernChangeRefused(
            f"Status {terms.status_words(concern.status)} tidak dapat diubah menjadi "
            f"{terms.status_words(to)}."
        )
    if to == terms.SELESAI and outcome not in terms.OUTCOME_WORDS:
        raise ConcernChangeRefused("Pilih hasil penanganan sebelum menutup laporan.")
    concern.status = to
    if to == terms.SELESAI:
        concern.outcome = outcome
        concern.closed_on = today
    entry = ConcernMessage(
        author="fkap",
        officer=officer,
        status=to,
        body_enc=seal_text(box, message) if message else None,
        on=today,
    )
    concern.messages.append(entry)
    session.add(
        AuditLog(
            actor=officer,
            action="concern_status",
            target=concern.number,
            details={"to": to, "outcome": outcome},
        )
    )
    return entry


def write_to_sender(
    session: AsyncSession, concern: Concern, box: Fernet, *, officer: str, text: str, today: date
) -> ConcernMessage:
    """A question or an answer for the sender, who reads it with their code."""
    if concern.status == terms.SELESAI:
        raise ConcernChangeRefused("Laporan ini sudah selesai; pesan tidak dapat ditambahkan.")
    entry = ConcernMessage(author="fkap", officer=officer, body_enc=seal_text(box, text), on=today)
    concern.messages.append(entry)
    session.add(AuditLog(actor=officer, action="concern_message", target=concern.number))
    return entry
