"""Realistic Telegram traffic: what each simulated employee sends, as Bot API update JSON.

Every user runs one script in order: /start, the "Bantuan" button, a typed FAQ question, then a
declaration by typed answers and button presses (half of it for most users, all of it for one
in five). The declaration's inputs are recorded once by running the real flow in-process, so
every typed answer and button press is one the bot is really asking for; the replies are
recorded too, so the peer bot (bench/_peer.py) can give the same ones.

A press is made on the bot's real last message in that chat, as a person's would be: the
stubs tell `Screens` what the bot sent or edited, and the callback query carries that
message (its id, text and keyboard) and the callback data of the pressed button.
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

from bot.channels.telegram.render import parse_callback, plan, split_text
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
# (kind, text or choice id, how many messages the bot sends or edits for it, and how many
# sendMessage calls gratibot made for it before replies were joined: for a baseline checkout)
Step = tuple[Kind, str, int, int]
# The label of each step, for the per-type tables.
START, MENU_PRESS, FAQ, TYPED, BUTTON = "/start", "menu button", "FAQ question", "typed", "button"


@dataclass
class Recorder:
    """A chat driver that remembers what was typed and pressed."""

    driver: ChatDriver
    steps: list[Step] = field(default_factory=list)
    replies: list[list[Reply]] = field(default_factory=list)

    @property
    def last(self) -> list[Reply]:
        return self.driver.last

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]:
        replies = await self.driver.send(text, attachments=attachments)
        self.steps.append(("text", text, sends(replies), legacy_sends(replies)))
        self.replies.append(replies)
        return replies

    async def press(self, choice_id: str) -> list[Reply]:
        replies = await self.driver.press(choice_id)
        self.steps.append(("press", choice_id, sends(replies), legacy_sends(replies)))
        self.replies.append(replies)
        return replies


def sends(replies: list[Reply]) -> int:
    """Messages sent (or, for a press, the first one edited in) for these replies."""
    return len(plan(replies))


def legacy_sends(replies: list[Reply]) -> int:
    """sendMessage calls for these replies when each reply was a message of its own."""
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
    declaration_replies: list[list[Reply]] = field(default_factory=list)
    # What gratibot answered to each step (the peer answers the same).
    answers: dict[tuple[str, str], list[Reply]] = field(default_factory=dict)


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
            answers: dict[tuple[str, str], list[Reply]] = {}
            for number, question in enumerate(questions):
                user = Recorder(ChatDriver(runtime.dispatcher, str(1000 + number), "telegram"))
                await user.send("/start")
                await user.press("menu:bantuan")
                await user.send(question)
                opening = user.steps[:2]
                asked.append(user.steps[2])
                for step, replies in zip(user.steps, user.replies, strict=True):
                    answers[step[0], step[1]] = replies
        finally:
            await runtime.close()
    return Calibration(recorder.steps, opening, asked, recorder.replies, answers)


def peer_script(calibration: Calibration) -> dict[str, object]:
    """gratibot's answers as the peer gives them: per step one text and the last buttons."""

    def answer(replies: list[Reply]) -> tuple[str, list[tuple[str, str]]]:
        text = "\n\n".join(r.text for r in replies if r.text)
        buttons = next((r.choices for r in reversed(replies) if r.choices), ())
        return text or "Silakan pilih:", [(c.id, c.label) for c in buttons]

    start, bantuan = calibration.opening
    return {
        "greeting": answer(calibration.answers[start[0], start[1]]),
        "help": answer(calibration.answers[bantuan[0], bantuan[1]]),
        "faq": {q[1]: answer(calibration.answers[q[0], q[1]]) for q in calibration.questions},
        "form": [answer(replies) for replies in calibration.declaration_replies],
    }


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
class Screen:
    """The bot's last message with buttons in one chat, as the user sees it."""

    message_id: int
    text: str
    keyboard: list[list[dict[str, str]]]


@dataclass
class Screens:
    """What each chat shows, told by the stub Bot API (sendMessage and the edits)."""

    chats: dict[int, Screen] = field(default_factory=dict)

    def saw(self, method: str, chat_id: int, message_id: int, params: dict[str, object]) -> None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        text = params.get("text")
        if method == "sendMessage":
            if rows:
                self.chats[chat_id] = Screen(message_id, str(text or ""), rows)
            return
        screen = self.chats.get(chat_id)
        if screen is None or screen.message_id != message_id:
            return
        if method == "editMessageText":
            screen.text = str(text or "")
        screen.keyboard = rows or []

    def forget(self, chat_id: int) -> None:
        self.chats.pop(chat_id, None)


@dataclass
class Traffic:
    """Hands out users, each with its script; builds the update JSON for each step."""

    calibration: Calibration
    seed: int = 8
    screens: Screens = field(default_factory=Screens)
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
        kind, value = step[0], step[1]
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
            screen = self.screens.chats.get(user_id)
            data = value
            shown: dict[str, object] = {"message_id": next(self._messages), "text": "Pilih:"}
            if screen is not None:
                buttons = [b for row in screen.keyboard for b in row]
                found = [b for b in buttons if parse_callback(b["callback_data"])[0] == value]
                data = found[0]["callback_data"] if found else value
                shown = {"message_id": screen.message_id, "text": screen.text}
                if screen.keyboard:
                    shown["reply_markup"] = {"inline_keyboard": screen.keyboard}
            body["callback_query"] = {
                "id": str(next(self._messages)),
                "from": person,
                "chat_instance": str(user_id),
                "data": data,
                "message": {
                    **shown,
                    "date": now,
                    "chat": chat,
                    "from": {"id": 999_001, "is_bot": True, "first_name": "Gratibot"},
                },
            }
        return json.dumps(body).encode()
