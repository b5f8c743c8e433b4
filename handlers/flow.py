"""What a conversation flow offers the router: plain async functions, no base class."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.context import Context
from handlers.session import Session

Step = Callable[[Context], Awaitable[None]]


def _no_draft(session: Session) -> bool:
    return False


@dataclass(frozen=True)
class Flow:
    """A multi-message conversation (a declaration, the "wajib lapor?" check, ...).

    start: begins the flow (sets session.flow and asks the first question).
    handle: takes the user's answer to the current step.
    resume: asks the current step's question again (after a FAQ answer, a stale button, ...).
    has_draft: whether cancelling would throw away something the user typed.
    cancel: cleans up after /batal (e.g. forgets a tracked draft), before the session resets.
    """

    name: str
    start: Step
    handle: Step
    resume: Step
    has_draft: Callable[[Session], bool] = _no_draft
    cancel: Step | None = None
