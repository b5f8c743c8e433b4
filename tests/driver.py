"""A small driver that talks to a Dispatcher the way a user would (shared by flow tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.dispatcher import Dispatcher
from bot.messages import Attachment, Incoming, Reply


@dataclass
class ChatDriver:
    dispatcher: Dispatcher
    user_id: str = "u1"
    channel: str = "test"
    last: list[Reply] = field(default_factory=list)

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]:
        """Types a message."""
        return await self._dispatch(
            Incoming(
                channel=self.channel,
                user_id=self.user_id,
                chat_id=self.user_id,
                text=text,
                attachments=attachments,
            )
        )

    async def press(self, choice_id: str) -> list[Reply]:
        """Presses a button; fails the test if the last replies did not offer it."""
        offered = [c.id for r in self.last for c in r.choices]
        assert choice_id in offered, f"{choice_id!r} not offered; offered: {offered}"
        return await self._dispatch(
            Incoming(
                channel=self.channel,
                user_id=self.user_id,
                chat_id=self.user_id,
                choice=choice_id,
            )
        )

    async def press_label(self, label: str) -> list[Reply]:
        """Presses the button with this label."""
        for reply in self.last:
            for choice in reply.choices:
                if choice.label == label:
                    return await self.press(choice.id)
        raise AssertionError(f"no button {label!r}; last replies: {self.texts}")

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.last]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def choice_ids(self) -> list[str]:
        return [c.id for r in self.last for c in r.choices]

    async def _dispatch(self, incoming: Incoming) -> list[Reply]:
        self.last = await self.dispatcher.dispatch(incoming)
        return self.last
