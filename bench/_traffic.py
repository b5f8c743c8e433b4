"""Realistic Telegram traffic: what each simulated employee sends, as Bot API update JSON.

Every user runs one script in order: /start, the "Bantuan" button, a typed FAQ question, then a
declaration by typed answers and button presses (half of it for most users, all of it for one
in five). The declaration's inputs are recorded once by running the real flow in-process, so
every typed answer and button press is one the bot is really asking for.
"""

from __future__ import annotations

import itertools
import json
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.channels.telegram.render import split_text
from bot.config import Settings
from bot.knowledge.evaluate import load_cases
from bot.messages import Attachment, Reply
from bot.runtime import build_runtime
from bot.sessions import MemorySessionStore
from tests.driver import ChatDriver
from tests.handlers.declaration_script import Declarant, complete_declaration

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
Kind = Literal["text", "press"]
# (kind, text or choice id, how many sendMessage calls the bot makes for it)
Step = tuple[Kind, str, int]
# The label of each step, for the per-type tables.
START, MENU_PRESS, FAQ, TYPED, BUTTON = "/start", "menu button", "FAQ question", "typed", "button"


@dataclass
class Recorder:
    """A chat driver that remembers what was typed and pressed."""

    driver: ChatDriver
    steps: list[Step] = field(default_factory=list)

    @property
    def last(self) -> list[Reply]:
        return self.driver.last

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]:
        replies = await self.driver.send(text, attachments=attachments)
        self.steps.append(("text", text, sends(replies)))
        return replies

    async def press(self, choice_id: str) -> list[Reply]:
        replies = await self.driver.press(choice_id)
        self.steps.append(("press", choice_id, sends(replies)))
        return replies


def sends(replies: list[Reply]) -> int:
    """sendMessage calls for these replies, as bot/channels/telegram_render.py sends them."""
    total = 0
    for reply in replies:
        chunks = len(split_text(reply.text)) if reply.text else 0
        total += chunks or (1 if reply.choices else 0)
    return total


@dataclass
class Calibration:
    declaration: list[Step]
    opening: list[Step]  # /start and the Bantuan button
    questions: list[Step]


async def _record(questions: list[str]) -> Calibration:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            var_dir=Path(tmp),
            knowledge_dir=KNOWLEDGE,
            flood_max_messages=10_000,
        )
        store = MemorySessionStore(ttl_seconds=3600, lock_timeout=5, lock_wait=5)
        runtime = await build_runtime(settings, store=store)
        try:
            recorder = Recorder(ChatDriver(runtime.dispatcher, user_id="42", channel="telegram"))
            await complete_declaration(recorder, Declarant(attachments=[]))
            asked: list[Step] = []
            opening: list[Step] = []
            for number, question in enumerate(questions):
                user = Recorder(ChatDriver(runtime.dispatcher, str(1000 + number), "telegram"))
                await user.send("/start")
                await user.press("menu:bantuan")
                await user.send(question)
                opening = user.steps[:2]
                asked.append(user.steps[2])
        finally:
            await runtime.close()
    return Calibration(recorder.steps, opening, asked)


async def calibrate() -> Calibration:
    """Runs the scripts in-process once: the inputs, and how many messages each one gets."""
    questions = [
        case.question for case in load_cases(ROOT / "tests" / "knowledge" / "eval_dev.yaml")
    ]
    return await _record(questions)


Script = list[tuple[str, Step]]  # (the step's label for the tables, the step)


def labelled(steps: list[Step]) -> Script:
    """/start, the menu button, the FAQ question, then typed answers and buttons."""
    first = [START, MENU_PRESS, FAQ]
    return [
        (first[n] if n < len(first) else TYPED if step[0] == "text" else BUTTON, step)
        for n, step in enumerate(steps)
    ]


@dataclass
class Traffic:
    """Hands out users, each with its script; builds the update JSON for each step."""

    calibration: Calibration
    seed: int = 8
    rng: random.Random = field(init=False)
    _users: itertools.count[int] = field(default_factory=lambda: itertools.count(7_000_000))
    _updates: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _messages: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def new_user(self) -> tuple[int, Script]:
        """A new user id and its script."""
        known = self.calibration
        whole = self.rng.random() < 0.2
        steps = known.declaration if whole else known.declaration[: len(known.declaration) // 2]
        script = [*known.opening, self.rng.choice(known.questions), *steps]
        return next(self._users), labelled(script)

    def update(self, user_id: int, step: Step) -> bytes:
        """The Bot API JSON of one step (a message, or a press on the bot's last question)."""
        person = {"id": user_id, "is_bot": False, "first_name": "Pegawai", "language_code": "id"}
        chat = {"id": user_id, "type": "private", "first_name": "Pegawai"}
        now = int(time.time())
        kind, value, _ = step
        body: dict[str, object] = {"update_id": next(self._updates)}
        if kind == "text":
            message: dict[str, object] = {
                "message_id": next(self._messages),
                "date": now,
                "chat": chat,
                "from": person,
                "text": value,
            }
            if value.startswith("/"):
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(value.split()[0])}
                ]
            body["message"] = message
        else:
            body["callback_query"] = {
                "id": str(next(self._messages)),
                "from": person,
                "chat_instance": str(user_id),
                "data": value,
                "message": {
                    "message_id": next(self._messages),
                    "date": now,
                    "chat": chat,
                    "from": {"id": 999_001, "is_bot": True, "first_name": "Gratibot"},
                    "text": "Silakan pilih:",
                    "reply_markup": {
                        "inline_keyboard": [[{"text": "Pilihan", "callback_data": value}]]
                    },
                },
            }
        return json.dumps(body).encode()
