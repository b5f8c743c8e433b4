"""Conversations run against a bot in either mode (polling and webhook share them)."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.messages import Attachment, Incoming
from bot.runtime import build_runtime
from handlers import menu, texts
from tests.telegram_emulator.harness import TelegramChat, TelegramUser, wait_until

MENU_LABELS = [c.label for c in menu.MENU]
KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
PHOTO = bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + b"\0" * 200 + b"\xff\xd9"


async def expected_texts(tmp: Path, text: str) -> list[str]:
    """What the dispatcher answers to a first message, computed in-process for comparison."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp,
        knowledge_dir=KNOWLEDGE,
    )
    runtime = await build_runtime(settings)
    try:
        replies = await runtime.dispatcher.dispatch(Incoming("telegram", "1", "1", text=text))
    finally:
        await runtime.close()
    return [r.text for r in replies]


async def start_and_menu(user: TelegramUser) -> None:
    """/start greets and shows the menu as inline buttons."""
    replies = await user.say("/start")
    assert replies == [texts.GREETING]
    assert user.last_buttons() == MENU_LABELS


async def button_press_answers_in_place(user: TelegramUser) -> list[str]:
    """A press edits the pressed message to show the choice, then the answer with its buttons;
    typing leaves the older buttons on screen, and pressing one is refused above the chat
    without any other effect. Returns the texts shown for the callbacks."""
    await user.say("/start")
    greeting = user.messages()[-1]
    replies = await user.choose("Bantuan")
    assert replies == [texts.HELP]
    pressed = next(m for m in user.messages() if m["message_id"] == greeting["message_id"])
    assert pressed["text"] == f"{texts.GREETING}\n\n✅ Bantuan\n\n{texts.HELP}"
    assert [b["text"] for row in pressed["reply_markup"]["inline_keyboard"] for b in row] == (
        MENU_LABELS
    )
    # Typing gets a new message; the buttons above stay, but are stale now.
    assert await user.say("/bantuan") == [texts.HELP]
    latest = user.messages()[-1]
    assert latest["message_id"] != greeting["message_id"]
    assert user.last_buttons() == MENU_LABELS
    (stale,) = [b for row in pressed["reply_markup"]["inline_keyboard"] for b in row][:1]
    await user.press_on(pressed, stale["callback_data"])
    shown = user.emulator.proxy.bot(user.token).callback_texts
    wait_until(lambda: shown[-1:] == [texts.STALE_BUTTON], 20, "the stale-button notice")
    # Nothing else happened: the next message answers the next thing typed.
    assert await sentinel(user) == [texts.HELP]
    return shown


async def faq_question(user: TelegramUser, tmp: Path) -> None:
    """A typed question gets what the dispatcher answers (the FAQ, or its honest fallback)."""
    question = "apakah parsel lebaran dari rekanan wajib dilaporkan?"
    replies = await user.say(question)
    assert replies == await expected_texts(tmp, question)


async def status_command(user: TelegramUser, tmp: Path) -> None:
    replies = await user.say("/status")
    assert replies == await expected_texts(tmp, "/status")


async def sentinel(user: TelegramUser) -> list[str]:
    """Sends /bantuan and returns every text that arrived up to and including its answer."""
    await user.send("/bantuan")
    collected: list[str] = []
    while texts.HELP not in collected:
        collected += await user.replies()
    return collected


async def group_messages_ignored(group: TelegramUser, private: TelegramUser) -> None:
    """A group that is not the UPPG's gets no answer; private chats carry on."""
    await group.send("/start")
    await group.send("halo bot")
    assert texts.HELP in await sentinel(private)
    assert group.messages() == []


async def declaration(user: TelegramUser) -> str:
    """A whole declaration with a photo, by buttons and typed answers; returns the receipt number.

    The declaration flow's own script (tests/handlers/declaration_script.py) reads each question
    and answers it; here it speaks through Telegram instead of calling the dispatcher.
    """
    from tests.handlers.declaration_script import Declarant, complete_declaration

    async def photo_bytes() -> bytes:
        return PHOTO

    photo = Attachment(
        kind="photo",
        name="parsel.jpg",
        mime_type="image/jpeg",
        size=len(PHOTO),
        download=photo_bytes,
    )
    chat = TelegramChat(user)
    number = await complete_declaration(chat, Declarant(attachments=[photo]))
    everything = "\n".join(m["text"] for m in user.messages())
    assert "1 berkas kami simpan" in everything  # sent at the summary, which asks for it
    return number
