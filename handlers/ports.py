"""What the flows may ask of the runtime, as plain protocols.

handlers/ never imports a channel, web, Redis or database library; bot/ implements these ports
and hands them to the flows through `Context.services`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.messages import Attachment
from handlers.answers import Answers
from handlers.workdays import WorkCalendar


@dataclass(frozen=True)
class Policy:
    """Settings the flows need, copied out of Settings so handlers stay independent of it."""

    timezone: ZoneInfo
    # Working days with the national holidays (and the cuti bersama setting) of bot/ built in.
    calendar: WorkCalendar
    uppg_deadline_workdays: int = 10
    kpk_deadline_workdays: int = 30
    # The UPPG's steps (handlers/deadlines.py): UPPG -> KPK, completing a report, KPK's decision.
    uppg_to_kpk_workdays: int = 10
    completion_workdays: int = 20
    kpk_decision_workdays: int = 30
    # Whether the day a period starts on (the day received, ...) is its first working day.
    count_start_day: bool = True
    draft_ttl_days: int = 7
    max_attachment_bytes: int = 10 * 1024 * 1024
    retention_years: int = 5


@dataclass(frozen=True)
class FaqSuggestion:
    id: str
    question: str


@dataclass(frozen=True)
class FaqAnswer:
    """The matcher's verdict on one question (the shape of `gratibot ask --json`)."""

    matched: bool
    id: str | None
    score: float
    answer: str | None
    suggestions: tuple[FaqSuggestion, ...] = ()
    # Next steps the answer points to, as buttons: "lapor" (Lapor sekarang), "cek" (Cek wajib
    # lapor). Channels render them with the answer's other buttons.
    actions: tuple[str, ...] = ()
    # The question names another errand ("cara buat ktp", "lapor sakit ke atasan"): any
    # suggestions are offered under a plain "this is not about gratification".
    off_topic: bool = False


class FaqPort(Protocol):
    async def ask(self, question: str, *, user_key: str | None = None) -> FaqAnswer:
        """Matches a question; logs fallbacks and suggestions for the admins.

        Only calls with user_key are logged: a flow passing text typed mid-form leaves it out,
        since that text may be a form answer with personal data in it."""
        ...

    async def get(self, entry_id: str, *, user_key: str | None = None) -> FaqAnswer | None:
        """The answer of one entry, for a suggestion button that was pressed.

        With user_key, the user's suggestion list that offered it is marked as taken."""
        ...

    async def feedback(self, entry_id: str, helpful: bool) -> None:
        """Counts a "Membantu? Ya / Tidak" press."""
        ...

    async def contact(self) -> str:
        """The UPPG's contact text from knowledge/uppg.yaml (never a made-up number)."""
        ...


class AttachmentRejected(Exception):
    """The file is too large or of a type we do not accept.

    The message is the reason only, for the user ("ukurannya lebih dari 10 MB."); flows put
    it after "Berkas NAME tidak dapat diterima: ".
    """


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    mime_type: str | None
    size: int
    sha256: str


class AttachmentPort(Protocol):
    async def save(self, attachment: Attachment) -> StoredFile:
        """Downloads (through the channel) and stores a file; raises AttachmentRejected."""
        ...


@dataclass(frozen=True)
class Receipt:
    """What the reporter is told after submitting (also for a repeated "Kirim")."""

    id: int
    number: str
    status: str
    report_type: str
    received_date: date
    submitted_on: date
    created: bool
    object_type: str | None = None
    value_rp: int | None = None
    uppg_deadline: date | None = None
    kpk_deadline: date | None = None
    late: bool = False
    attachments: int = 0
    object_location: str | None = None  # vocab.OBJECT_LOCATIONS: the receipt's last advice
    # The working days the stored uppg_deadline and kpk_deadline were counted with (stored
    # with the declaration): a receipt shown again after a setting changed states these, as
    # its PDF does. None: today's settings (a declaration stored before they were recorded).
    uppg_workdays: int | None = None
    kpk_workdays: int | None = None


@dataclass(frozen=True)
class DeclarationSummary:
    """One line of /status."""

    number: str
    status: str
    report_type: str
    received_date: date
    submitted_on: date
    object_type: str | None
    value_rp: int | None


class DeclarationPort(Protocol):
    """Declarations, reporter profiles and draft tracking, stored by bot/ in the database."""

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
        ...

    async def list_for_reporter(self, user_key: str) -> list[DeclarationSummary]:
        """The reporter's own declarations, newest first."""
        ...

    async def load_profile(self, user_key: str) -> dict[str, Any] | None:
        """The reporter's saved identity (decrypted), or None."""
        ...

    async def track_draft(
        self, *, user_key: str, channel: str, chat_id: str, received_date: date
    ) -> None:
        """Records an unfinished declaration (for one reminder before the deadline)."""
        ...

    async def drop_draft(self, user_key: str) -> bool:
        """Forgets the reporter's unfinished declaration; True if one was tracked."""
        ...

    async def start_fresh(self, user_key: str) -> tuple[bool, dict[str, Any] | None]:
        """At a new declaration's start: drop_draft and load_profile together (a draft was
        tracked, the saved identity or None), in one use of the database."""
        ...


@dataclass(frozen=True)
class ThreadQuestion:
    """The UPPG's latest question on one of the reporter's declarations."""

    declaration_id: int
    number: str
    question: str


class ThreadPort(Protocol):
    """The two-way thread between the UPPG and a reporter, per declaration."""

    async def question(self, user_key: str, declaration_id: int) -> ThreadQuestion | None:
        """The latest question on this declaration, if it is the reporter's own and open."""
        ...

    async def open_questions(self, user_key: str) -> list[ThreadQuestion]:
        """Questions waiting for this reporter's answer (declarations perlu dilengkapi)."""
        ...

    async def answer(
        self, user_key: str, declaration_id: int, text: str, files: Sequence[StoredFile]
    ) -> ThreadQuestion:
        """Stores the answer and its files and queues it for the UPPG; the reporter's own
        declarations only (raises LookupError otherwise)."""
        ...


class ReceiptPort(Protocol):
    """Signed receipts ("Tanda terima") the reporter can download in the chat."""

    async def receipt_file(self, user_key: str, number: str) -> Attachment | None:
        """The signed receipt PDF of one of the reporter's own declarations (None for
        anyone else's, or an unknown number), as a file the channel sends."""
        ...


@dataclass(frozen=True)
class ConcernReceipt:
    """What the sender of a concern is told once: its number and the receipt code."""

    number: str
    code: str


@dataclass(frozen=True)
class ConcernNote:
    """One entry of a concern's thread as the sender sees it."""

    author: str  # "pelapor" (the sender) or "fkap" (the compliance function)
    text: str | None
    status: str | None  # a status change, in words
    on: date


@dataclass(frozen=True)
class ConcernView:
    """A concern as its sender sees it, after giving the receipt code."""

    number: str
    status: str  # in words
    received_on: date
    notes: tuple[ConcernNote, ...]
    files: int
    closed: bool


@dataclass(frozen=True)
class CodeRefused:
    """A receipt code that opened nothing; wait_seconds > 0 while this chat (or every chat,
    after too many wrong codes overall) must wait before trying again."""

    wait_seconds: int = 0


class ConcernPort(Protocol):
    """Bribery concerns (SNI ISO 37001:2016 8.9), stored by bot/ without the sender's identifiers.

    `asker` is the chat's conversation key: the port uses it, hashed, only to count wrong
    codes per chat, never stored with a concern."""

    def new_key(self) -> str:
        """A fresh key for one concern: the draft's files are encrypted with it."""
        ...

    async def stage(self, attachment: Attachment, key: str) -> StoredFile:
        """Downloads and checks a file, removes its metadata (photo location, document
        author) and stores it encrypted with key; raises AttachmentRejected."""
        ...

    async def submit(
        self,
        *,
        key: str,
        story: dict[str, str],
        identity: dict[str, str] | None,
        files: Sequence[StoredFile],
        today: date,
    ) -> ConcernReceipt:
        """Stores the concern (identity None: anonymous) and returns its number and code."""
        ...

    async def open(self, code: str, *, asker: str) -> ConcernView | CodeRefused:
        """The concern a receipt code opens; marks the compliance function's notes read."""
        ...

    async def add(
        self,
        code: str,
        *,
        asker: str,
        today: date,
        text: str | None = None,
        attachment: Attachment | None = None,
    ) -> ConcernView | CodeRefused:
        """Adds the sender's message or a file (metadata removed) to the concern."""
        ...
