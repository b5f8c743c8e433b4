"""Runs the telegram-test-api emulator, its correcting proxy, bot processes and a test user."""

from __future__ import annotations

import asyncio
import copy
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis as sync_redis

from bot.channels.telegram.render import parse_callback
from bot.messages import Attachment, Choice, Reply
from tests.conftest import free_port, need_binary
from tests.telegram_emulator.proxy import EmulatorProxy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GRATIBOT = Path(sys.executable).with_name("gratibot")


def ensure_installed() -> None:
    """`npm ci` the emulator when node_modules is missing (a clean clone)."""
    if (HERE / "node_modules" / "telegram-test-api" / "package.json").is_file():
        return
    npm = need_binary("npm")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
        return True
    except httpx.HTTPError:
        return False


class Emulator:
    """The node emulator and the proxy the bot talks to."""

    def __init__(self, log_dir: Path) -> None:
        ensure_installed()
        node = need_binary("node")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (log_dir / "emulator.log").open("w")
        self.proc = subprocess.Popen(
            [node, str(HERE / "server.js"), str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: _answers(self.url), 20, "the Telegram emulator")
        self.proxy = EmulatorProxy(self.url, free_port())
        self.proxy.start()

    def close(self) -> None:
        self.proxy.stop()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def new_token() -> str:
    return f"{uuid.uuid4().int % 10**9}:test{uuid.uuid4().hex}"


@dataclass
class BotProcess:
    """A `gratibot telegram` or `gratibot serve` subprocess with its own settings."""

    args: list[str]
    env: dict[str, str]
    cwd: Path
    name: str
    proc: subprocess.Popen[bytes] | None = None
    port: int | None = None

    def start(self) -> None:
        log = (self.cwd / f"{self.name}.log").open("wb")
        env = {k: v for k, v in os.environ.items() if not _is_setting(k)}
        self.proc = subprocess.Popen(
            [str(GRATIBOT), *self.args],
            env={**env, **self.env},
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    @property
    def output(self) -> str:
        return (self.cwd / f"{self.name}.log").read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


SETTING_PREFIXES = ("TELEGRAM_", "DATABASE_URL", "REDIS_", "WHATSAPP_", "UPPG_", "WEB_")


def _is_setting(name: str) -> bool:
    return name.startswith(SETTING_PREFIXES) or name in {"VAR_DIR", "KNOWLEDGE_DIR", "ENVIRONMENT"}


def bot_env(
    *, token: str, api_base_url: str, redis_url: str, namespace: str, database_url: str, var: Path
) -> dict[str, str]:
    return {
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "INFO",
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": api_base_url,
        "REDIS_URL": redis_url,
        "REDIS_NAMESPACE": namespace,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var),
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        # A test user answers at once, faster than a person could: Telegram's pacing of one
        # message a second per chat and the flood limit (each tested on its own) would make
        # every turn of a long conversation wait a second here, or refuse it.
        "TELEGRAM_CHAT_BURST": "1000",
        "FLOOD_MAX_MESSAGES": "10000",
    }


@dataclass
class TelegramUser:
    """A person in a private chat with the bot, driven through the emulator's client API."""

    emulator: Emulator
    token: str
    user_id: int = field(default_factory=lambda: 10**6 + uuid.uuid4().int % 10**8)
    chat_type: str = "private"
    chat_id: int | None = None
    seen: int = 0

    def __post_init__(self) -> None:
        if self.chat_id is None:
            self.chat_id = self.user_id

    @property
    def person(self) -> dict[str, Any]:
        return {"id": self.user_id, "is_bot": False, "first_name": "Budi", "language_code": "id"}

    @property
    def chat(self) -> dict[str, Any]:
        if self.chat_type == "private":
            return {"id": self.chat_id, "type": "private", "first_name": "Budi"}
        return {"id": self.chat_id, "type": self.chat_type, "title": "Grup uji"}

    async def _post(self, route: str, body: dict[str, Any]) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(f"{self.emulator.url}/{route}", json=body)
            response.raise_for_status()

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {
            "botToken": self.token,
            "from": self.person,
            "chat": self.chat,
            "date": int(time.time()),
            **fields,
        }

    async def send(self, text: str) -> None:
        """Types a message (a command when it starts with a slash)."""
        if text.startswith("/"):
            length = len(text.split()[0])
            entity = {"offset": 0, "length": length, "type": "bot_command"}
            await self._post("sendCommand", self._message(text=text, entities=[entity]))
        else:
            await self._post("sendMessage", self._message(text=text))

    async def send_photo(self, data: bytes, caption: str | None = None) -> None:
        file_id, unique = self.emulator.proxy.add_file(self.token, data)
        size = {"file_id": file_id, "file_unique_id": unique, "width": 640, "height": 480}
        photo = [{**size, "file_size": len(data)}]
        extra = {"caption": caption} if caption else {}
        await self._post("sendMessage", self._message(photo=photo, **extra))

    async def send_document(self, data: bytes, name: str, mime_type: str) -> None:
        file_id, unique = self.emulator.proxy.add_file(self.token, data, name.rsplit(".", 1)[-1])
        document = {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_name": name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        await self._post("sendMessage", self._message(document=document))

    async def press(self, label: str) -> None:
        """Presses the button with this label on the newest message that shows it."""
        # Like a person: the bot's latest question, not the same label on an older one.
        for message in reversed(self.messages()):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label:
                        await self.press_on(message, button["callback_data"])
                        return
        raise AssertionError(f"no button {label!r}; buttons: {self.buttons()}")

    async def press_on(self, message: dict[str, Any], data: str) -> None:
        """Presses a button of a given message, even one no longer shown (a stale press)."""
        await self._post(
            "sendCallback",
            {"botToken": self.token, "from": self.person, "message": message, "data": data},
        )

    def messages(self) -> list[dict[str, Any]]:
        """Every bot message in this chat, with its current text and keyboard."""
        return [
            m
            for m in self.emulator.proxy.bot(self.token).messages
            if m["chat"]["id"] == self.chat_id
        ]

    def events(self) -> list[dict[str, Any]]:
        """Every message the bot sent to this chat, and every edit, in order."""
        return [
            e for e in self.emulator.proxy.bot(self.token).events if e["chat"]["id"] == self.chat_id
        ]

    def buttons(self) -> list[str]:
        """Labels of the buttons on screen in this chat (stale ones included)."""
        return [
            b["text"]
            for m in self.messages()
            for row in m.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row
        ]

    def last_buttons(self) -> list[str]:
        """Labels of the buttons of the newest message that has any (the live question)."""
        for message in reversed(self.messages()):
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            if rows:
                return [b["text"] for row in rows for b in row]
        return []

    async def replies(self, wait: float = 20, quiet: float = 0.3) -> list[str]:
        """Waits for the bot's next replies (until it is quiet) and returns their texts."""
        return [m["text"] for m in await self.new_messages(wait, quiet)]

    async def new_messages(self, wait: float = 20, quiet: float = 0.3) -> list[dict[str, Any]]:
        """Waits for the bot's next messages (until it is quiet) and returns copies of them.

        A press answered in place edits the pressed message: what the edit added after the
        "✅ choice" line counts as a new message (with the message's new buttons).
        """
        deadline = time.monotonic() + wait
        while len(self.events()) <= self.seen:
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not answer")
            await asyncio.sleep(0.05)
        count = len(self.events())
        while True:
            await asyncio.sleep(quiet)
            if len(self.events()) == count:
                break
            count = len(self.events())
        new = [arrived for e in self.events()[self.seen :] if (arrived := _arrived(e))]
        self.seen = count
        return new

    async def say(self, text: str) -> list[str]:
        await self.send(text)
        return await self.replies()

    async def choose(self, label: str) -> list[str]:
        await self.press(label)
        return await self.replies()


def _arrived(event: dict[str, Any]) -> dict[str, Any] | None:
    """A sent message as it is; an edit as the text it added after the "✅ choice" line."""
    message = copy.deepcopy(event)
    previous = message.pop("previous", None)
    if previous is None:
        return message
    added = message["text"][len(previous) :] if message["text"].startswith(previous) else ""
    _mark, _, reply = added.strip("\n").partition("\n\n")
    if not reply:
        return None
    message["text"] = reply
    return message


def clear_namespace(redis_url: str, namespace: str) -> None:
    """Deletes a test bot's keys from the shared Redis."""
    client = sync_redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{namespace}:*"))
    if keys:
        client.delete(*keys)
    client.close()


class TelegramChat:
    """The `Chat` of tests/handlers/declaration_script.py, spoken over Telegram.

    Buttons are pressed by their callback data, which is the choice id (and the turn's
    keyboard tag) for every id that fits Telegram's 64 bytes (the declaration's ids do).
    """

    def __init__(self, user: TelegramUser) -> None:
        self.user = user
        self.last: list[Reply] = []

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]:
        for attachment in attachments:
            assert attachment.download is not None
            data = await attachment.download()
            if attachment.kind == "photo":
                await self.user.send_photo(data)
            else:
                mime = attachment.mime_type or "application/octet-stream"
                await self.user.send_document(data, attachment.name, mime)
        if not attachments:
            await self.user.send(text)
        return await self._read()

    async def press(self, choice_id: str) -> list[Reply]:
        for message in reversed(self.user.messages()):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if parse_callback(button["callback_data"])[0] == choice_id:
                        await self.user.press_on(message, button["callback_data"])
                        return await self._read()
        raise AssertionError(f"{choice_id!r} not offered; buttons: {self.user.buttons()}")

    async def _read(self) -> list[Reply]:
        self.last = [
            Reply(
                text=m["text"],
                choices=tuple(
                    Choice(id=parse_callback(b["callback_data"])[0], label=b["text"])
                    for row in m.get("reply_markup", {}).get("inline_keyboard", [])
                    for b in row
                ),
            )
            for m in await self.user.new_messages()
        ]
        return self.last
