"""The per-conversation state the flows read and write; stored as one JSON document."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# The memo key of a flow put aside by another one (a draft while /cek or /jawab runs).
PARKED = "parked"


@dataclass
class Session:
    """Where a conversation is: which flow, which step, what was answered so far.

    `data` holds the flow's answers (plain JSON values only). `history` holds the previous
    states, so "Kembali" can step back. `offered` remembers the buttons of the last question,
    so a typed label (or number, where no free text is expected) maps onto a button.
    """

    flow: str | None = None
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    offered: list[list[str]] = field(default_factory=list)
    free_text: bool = True
    confirm: str | None = None
    # Flow-independent memory (e.g. consent given, last inbound time); survives /batal.
    memo: dict[str, Any] = field(default_factory=dict)
    started_at: str | None = None
    updated_at: str | None = None
    # The channel's tag of the buttons sent last (set by the dispatcher, never by a flow):
    # a press on any other keyboard is stale.
    keyboard: str | None = None
    # Seconds the store keeps this session unused, when shorter than its default (None:
    # the default): a bribery concern's draft or receipt code must not stay with the chat
    # that carried it for days (handlers/concern.py).
    keep_seconds: int | None = None

    def reset_flow(self) -> None:
        """Leaves the current flow, keeping only the flow-independent memo."""
        self.flow = None
        self.state = None
        self.data = {}
        self.history = []
        self.offered = []
        self.free_text = True
        self.confirm = None
        self.started_at = None
        self.keep_seconds = None

    def park(self) -> None:
        """Puts the current flow aside (in memo) so another flow can run; see unpark."""
        self.memo[PARKED] = {
            "flow": self.flow,
            "state": self.state,
            "data": self.data,
            "history": self.history,
            "started_at": self.started_at,
        }
        self.reset_flow()

    def unpark(self, flow: str) -> bool:
        """Brings back the parked flow if it is `flow` and no flow is running now."""
        parked = self.memo.get(PARKED)
        if self.flow is not None or not isinstance(parked, dict) or parked.get("flow") != flow:
            return False
        del self.memo[PARKED]
        self.flow = flow
        self.state = parked.get("state")
        self.data = dict(parked.get("data") or {})
        self.history = list(parked.get("history") or [])
        self.started_at = parked.get("started_at")
        return True

    def dumps(self) -> str:
        # The fields as they are: their values are plain JSON already, and dataclasses.asdict
        # deep-copies every one of them first (95% of this function's time, about 1.5% of a
        # worker's CPU per update). Compact separators: sessions are stored per user.
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def loads(cls, raw: str | bytes) -> Session:
        doc = json.loads(raw)
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        return cls(**known)
