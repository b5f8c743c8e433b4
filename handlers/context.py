"""The context a flow step runs in: the message, the session, the services, the replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.messages import Choice, Incoming, Reply
from handlers.exemptions import RuleSet
from handlers.ports import (
    AttachmentPort,
    ConcernPort,
    DeclarationPort,
    FaqPort,
    Policy,
    ReceiptPort,
    ThreadPort,
)
from handlers.session import Session


@dataclass
class Services:
    """The ports a flow may use; the dispatcher builds one per process."""

    policy: Policy
    faq: FaqPort
    declarations: DeclarationPort | None = None
    attachments: AttachmentPort | None = None
    threads: ThreadPort | None = None
    receipts: ReceiptPort | None = None
    concerns: ConcernPort | None = None
    # The exemption rules in force (re-read when admins edit knowledge/exemptions.yaml).
    rules: Callable[[], RuleSet | None] | None = None
    # The UPPG's name and contact text (knowledge/uppg.yaml): the data controller the
    # declaration's privacy notice names.
    uppg: Callable[[], tuple[str, str]] | None = None


@dataclass
class Context:
    """One message being handled."""

    incoming: Incoming
    session: Session
    services: Services
    now: datetime
    replies: list[Reply] = field(default_factory=list)

    @property
    def text(self) -> str:
        return (self.incoming.text or "").strip()

    @property
    def local_now(self) -> datetime:
        """The time where the reporter is (the policy's timezone, Asia/Jakarta by default):
        the day boundary of "hari ini", "kemarin" and every deadline, whatever `now`'s zone."""
        return self.now.astimezone(self.services.policy.timezone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    @property
    def choice(self) -> str | None:
        return self.incoming.choice

    @property
    def user_key(self) -> str:
        return self.incoming.conversation_key

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        """Adds a message that expects no answer in particular."""
        self.replies.append(Reply(text=text, choices=choices))
        self.session.offered = [[c.id, c.label] for c in choices]
        self.session.free_text = True

    def ask(self, text: str, choices: tuple[Choice, ...] = (), *, free_text: bool = True) -> None:
        """Asks a question; with free_text=False a typed number picks a button."""
        self.replies.append(Reply(text=text, choices=choices))
        self.session.offered = [[c.id, c.label] for c in choices]
        self.session.free_text = free_text
