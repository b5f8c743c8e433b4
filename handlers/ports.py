"""What the flows may ask of the runtime, as plain protocols.

handlers/ never imports a channel, web, Redis or database library; bot/ implements these ports
and hands them to the flows through `Context.services`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.messages import Attachment


@dataclass(frozen=True)
class Policy:
    """Settings the flows need, copied out of Settings so handlers stay independent of it."""

    timezone: ZoneInfo
    uppg_deadline_workdays: int = 10
    kpk_deadline_workdays: int = 30
    cuti_bersama_is_workday: bool = True
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


class FaqPort(Protocol):
    async def ask(self, question: str, *, user_key: str | None = None) -> FaqAnswer:
        """Matches a question; logs fallbacks and suggestions for the admins."""
        ...

    async def get(self, entry_id: str) -> FaqAnswer | None:
        """The answer of one entry, for a suggestion button that was pressed."""
        ...

    async def feedback(self, entry_id: str, helpful: bool) -> None:
        """Counts a "Membantu? Ya / Tidak" press."""
        ...


class AttachmentRejected(Exception):
    """The file is too large or of a type we do not accept; the message is for the user."""


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


class DeclarationPort(Protocol):
    """Declarations and reporter profiles, stored by bot/ in the database."""

    async def submit(self, *, user_key: str, idempotency_key: str, draft: dict[str, Any]) -> Any:
        """Stores a declaration once per idempotency key and returns its receipt."""
        ...

    async def list_for_reporter(self, user_key: str) -> list[Any]:
        """The reporter's own declarations, newest first."""
        ...

    async def load_profile(self, user_key: str) -> dict[str, Any] | None: ...

    async def save_profile(self, user_key: str, profile: dict[str, Any]) -> None: ...


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
