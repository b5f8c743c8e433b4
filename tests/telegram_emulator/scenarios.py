"""Conversations run against a bot in either mode (polling and webhook share them)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings
from bot.messages import Incoming
from bot.runtime import build_runtime
from handlers import menu, texts
from tests.telegram_emulator.harness import TelegramUser

MENU_LABELS = [c.label for c in menu.MENU]
KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
PHOTO = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


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
    assert user.buttons() == MENU_LABELS


async def button_press_retires_old_buttons(user: TelegramUser) -> None:
    """A pressed question shows the choice and loses its buttons; the new menu is the only one."""
    await user.say("/start")
    greeting = user.messages()[-1]
    replies = await user.choose("Bantuan")
    assert replies == [texts.HELP]
    pressed = next(m for m in user.messages() if m["message_id"] == greeting["message_id"])
    assert pressed["text"].endswith("✅ Bantuan")
    assert "reply_markup" not in pressed
    assert user.buttons() == MENU_LABELS
    # Typing instead of pressing also retires the buttons of the question before.
    await user.say("/bantuan")
    assert user.buttons() == MENU_LABELS


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


# A generic reporter for the declaration flow: presses the first forward-moving button and
# answers typed questions by what they ask for. Used once the "lapor" flow is on main.
AVOID = re.compile(r"batal|tidak|ubah|kembali|lewati|nanti", re.IGNORECASE)
RECEIPT = re.compile(
    r"tanda terima|nomor (laporan|registrasi)|kode laporan|laporan anda (telah|sudah)", re.I
)
TYPED_ANSWERS = (
    (re.compile(r"\bnik\b", re.I), "3201011501800001"),
    (re.compile(r"\bnip\b", re.I), "198001152005011001"),
    (re.compile(r"telepon|nomor hp|whatsapp|ponsel", re.I), "081234567890"),
    (re.compile(r"tanggal|kapan", re.I), "kemarin"),
    (re.compile(r"nilai|harga|taksir|rp", re.I), "1,5 jt"),
    (re.compile(r"alamat", re.I), "Jl. Merdeka No. 1, Kota Contoh"),
    (re.compile(r"nama", re.I), "Budi Santoso"),
    (re.compile(r"jabatan", re.I), "Analis Kebijakan"),
    (re.compile(r"instansi|unit|dinas", re.I), "Dinas Pendidikan"),
    (re.compile(r"email|surel", re.I), "budi@example.go.id"),
)


async def declaration(user: TelegramUser, max_steps: int = 60) -> str:
    """Reports a gift by buttons and typed answers until a receipt arrives; returns it."""
    replies = await user.choose("Lapor gratifikasi") if user.buttons() else []
    if not replies:
        await user.say("/start")
        replies = await user.choose("Lapor gratifikasi")
    photo_sent = False
    for _ in range(max_steps):
        joined = "\n".join(replies)
        if RECEIPT.search(joined):
            return joined
        buttons = user.buttons()
        forward = [b for b in buttons if not AVOID.search(b)]
        if not photo_sent and re.search(r"foto|lampir|unggah|kirim.*berkas", replies[-1], re.I):
            # Once: a flow that asks "is there a photo?" with buttons gets its answer next turn.
            photo_sent = True
            await user.send_photo(PHOTO)
            replies = await user.replies()
        elif forward:
            replies = await user.choose(forward[0])
        else:
            answer = next(
                (text for pattern, text in TYPED_ANSWERS if pattern.search(replies[-1])),
                "Parsel makanan dari rekanan kerja",
            )
            replies = await user.say(answer)
    raise AssertionError(f"no receipt after {max_steps} steps; last: {replies}")
