"""The UPPG's Telegram group, both ways: cards out, officers' buttons and replies in.

Cards (a new declaration, a reporter's answer, the daily digest) go out through the process's
one sender with the common render policy (texts split at 4,096 UTF-16 units, two buttons per
row on a card) as bulk sends, so they never hold up a user's reply; after each message the
outbox checkpoints, so a retried card sends nothing twice. Telegram's errors map onto
DeliveryFailed as for every message (sender.delivery_errors; a group the bot is not in waits).

Every officer action first checks that the person is a member of the UPPG chat (getChatMember:
member, administrator or creator); anyone else is refused. Buttons carry short callback data
"u:<action>:<declaration id>" (bot.backoffice.cards.ACTIONS). Verifikasi, Teruskan ke KPK
(today's date) and Catat change the status at once, and the bot's confirmation invites a reply
with an internal note; Minta kelengkapan asks, with a ForceReply prompt, for the question to
send to the reporter; after Teruskan ke KPK a second prompt takes the optional KPK reference.
In every reply, lines that start with "Internal:" are the internal note: kept with the status
change, never sent to the reporter. Prompts carry "[#<declaration id>]" or
"[#<declaration id>.<status change id>]" so a reply is matched statelessly on any replica.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import select
from telegram import CallbackQuery, ForceReply, Message, ReplyParameters, Update
from telegram import User as TgUser
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.backoffice.cards import ACTION_PREFIX, ACTIONS, action_choices
from bot.backoffice.threads import ask_reporter
from bot.backoffice.workflow import InvalidTransition, change_status, check_transition
from bot.channels.telegram import render
from bot.channels.telegram.bot import BotApi
from bot.channels.telegram.limiter import BULK
from bot.channels.telegram.sender import TelegramSender, chat_ref, delivery_errors
from bot.config import Settings
from bot.messages import MAX_ROW_ID, Choice, Reply, small_number
from bot.store.database import Database
from bot.store.models import AuditLog, Declaration, StatusChange, User
from handlers import statuses as st

log = logging.getLogger(__name__)

CARD_COLUMNS = 2
MEMBER_STATUSES = {
    ChatMemberStatus.MEMBER,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.OWNER,
}
QUESTION_PROMPT = "❓ Pertanyaan untuk pelapor"
REFERENCE_PROMPT = "📤 Nomor referensi KPK"
NOTE_PROMPT = "📝 Catatan internal"
PROMPTS = (QUESTION_PROMPT, REFERENCE_PROMPT, NOTE_PROMPT)
MARKER = re.compile(r"\[#([0-9]{1,10})(?:\.([0-9]{1,10}))?\]")
# "Internal: ..." or "Catatan internal: ..." at the start of a line of a reply.
INTERNAL_LINE = re.compile(r"^\s*(?:catatan\s+)?internal\s*[:\-]\s*", re.IGNORECASE)
INTERNAL_HINT = (
    "Catatan internal (tidak dikirim ke pelapor): tulis di baris tersendiri "
    "yang diawali “Internal:”."
)
NOT_MEMBER = "Maaf, tindakan ini hanya untuk petugas UPPG (anggota grup ini)."
MAX_NOTE = 2000


def split_internal(text: str) -> tuple[str, str | None]:
    """(what goes to the reporter or the record, the internal note) of a prompt's reply.

    Everything from the first "Internal:" line on is internal: when in doubt, a line stays
    with the UPPG rather than reach the reporter."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if INTERNAL_LINE.match(line)), len(lines))
    internal = (
        [INTERNAL_LINE.sub("", lines[first], count=1), *lines[first + 1 :]]
        if (first < len(lines))
        else []
    )
    note = "\n".join(internal).strip()
    return "\n".join(lines[:first]).strip(), note or None


FILE_NOTE = "Lampiran {name} tidak dapat dikirim lewat Telegram; lihat dasbor."


class UppgTelegram:
    """The UPPG chat: the back office's UppgChat (send) and the officers' side (handle)."""

    def __init__(
        self,
        sender: TelegramSender,
        chat_id: str,
        db: Database,
        *,
        today: Callable[[], datetime],
        settings: Settings | None = None,
    ) -> None:
        self.sender = sender
        self.bot: BotApi = sender.bot
        self.chat_id = chat_id
        self.db = db
        self.today = today
        self.settings = settings
        self._bot_id: int | None = None

    async def send(
        self,
        reply: Reply,
        *,
        start: int = 0,
        progress: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        """Sends the card's messages (text with buttons, then each file) from `start` on.

        After each message, `progress(messages done)` is awaited so a retry resumes after it.
        """
        async with delivery_errors(to_group=True):
            await self.sender.send(
                chat_ref(self.chat_id),
                [reply],
                priority=BULK,
                columns=CARD_COLUMNS,
                start=start,
                progress=progress,
                file_note=FILE_NOTE,
            )

    async def handle(self, update: Update) -> None:
        """Officers' buttons and replies to prompts, handed over by the Telegram channel."""
        try:
            if update.callback_query is not None:
                await self._button(update.callback_query)
            elif update.message is not None and update.message.reply_to_message is not None:
                await self._prompt_reply(update.message)
        except TelegramError as exc:
            log.warning("UPPG chat action failed: %s", type(exc).__name__, exc_info=exc)

    async def is_member(self, user: TgUser) -> bool:
        try:
            member = await self.bot.get_chat_member(self.chat_id, user.id)
        except TelegramError:
            return False
        return member.status in MEMBER_STATUSES

    async def actor(self, user: TgUser) -> str:
        """The dashboard account linked to this Telegram user, or the Telegram id."""
        async with self.db.sessions() as session:
            found = await session.execute(
                select(User.username).where(
                    User.telegram_user_id == str(user.id), User.active.is_(True)
                )
            )
            username = found.scalar_one_or_none()
        return username or f"telegram:{user.id}"

    async def _button(self, query: CallbackQuery) -> None:
        parts = (query.data or "").split(":")
        declaration_id = small_number(parts[2], MAX_ROW_ID) if len(parts) == 3 else None
        if f"{parts[0]}:" != ACTION_PREFIX or not declaration_id:
            await self.bot.answer_callback_query(query.id, "Tombol tidak dikenal.")
            return
        if not await self.is_member(query.from_user):
            await self.bot.answer_callback_query(query.id, NOT_MEMBER, show_alert=True)
            return
        code = parts[1]
        if code not in ACTIONS:
            await self.bot.answer_callback_query(query.id, "Tombol tidak dikenal.")
            return
        target = ACTIONS[code][0]
        if target == st.PERLU_DILENGKAPI:
            await self._ask_question(query, declaration_id)
            return
        details: dict[str, str] = {}
        if target == st.DITERUSKAN_KPK:
            details["forwarded_on"] = self.today().date().isoformat()
        actor = await self.actor(query.from_user)
        try:
            async with self.db.transaction() as session:
                change = await change_status(
                    session,
                    declaration_id,
                    target,
                    actor=actor,
                    details=details,
                    settings=self.settings,
                )
                declaration = await session.get(Declaration, declaration_id)
                assert declaration is not None
                number, buttons = declaration.number, action_choices(declaration)
        except InvalidTransition as exc:
            await self.bot.answer_callback_query(query.id, str(exc), show_alert=True)
            return
        await self.bot.answer_callback_query(query.id, f"Status: {st.label(target)}")
        await self._refresh_buttons(query.message, buttons)
        name = query.from_user.full_name
        done = f"{number}: {st.label(target)} (oleh {name})."
        marker = f"[#{declaration_id}.{change.id}]"
        if target == st.DITERUSKAN_KPK:
            await self.bot.send_message(self.chat_id, done)
            await self.bot.send_message(
                self.chat_id,
                f"{REFERENCE_PROMPT} untuk {number} {marker}\n"
                "Balas pesan ini dengan nomor referensi/agenda KPK (boleh dilewati).\n"
                + INTERNAL_HINT,
                reply_markup=ForceReply(selective=True),
            )
            return
        await self.bot.send_message(
            self.chat_id,
            f"{done}\n{NOTE_PROMPT} {marker}: balas pesan ini bila ingin menambah catatan "
            "internal. Catatan ini tidak dikirim ke pelapor.",
            reply_markup=ForceReply(selective=True),
        )

    async def _refresh_buttons(self, message: object, buttons: tuple[Choice, ...]) -> None:
        """Shows on the card only the actions still allowed."""
        if not isinstance(message, Message):
            return
        markup = await render.keyboard(buttons, None, 0, columns=CARD_COLUMNS) if buttons else None
        try:
            await self.bot.edit_message_reply_markup(
                chat_id=self.chat_id, message_id=message.message_id, reply_markup=markup
            )
        except TelegramError as exc:
            log.info("could not refresh card buttons: %s", type(exc).__name__)

    async def _ask_question(self, query: CallbackQuery, declaration_id: int) -> None:
        async with self.db.sessions() as session:
            declaration = await session.get(Declaration, declaration_id)
        try:
            if declaration is None:
                raise InvalidTransition("Laporan tidak ditemukan.")
            if declaration.status != st.PERLU_DILENGKAPI:  # else: a further question
                check_transition(
                    declaration.report_type,
                    declaration.status,
                    st.PERLU_DILENGKAPI,
                    {"message": "?"},
                )
        except InvalidTransition as exc:
            await self.bot.answer_callback_query(query.id, str(exc), show_alert=True)
            return
        assert declaration is not None
        await self.bot.answer_callback_query(query.id, "Balas pesan berikut dengan pertanyaan.")
        await self.bot.send_message(
            self.chat_id,
            f"{QUESTION_PROMPT} {declaration.number} [#{declaration_id}]\n"
            "Balas pesan ini dengan pertanyaan atau kekurangan yang perlu dilengkapi; "
            "pesan ini dikirim ke pelapor.\n" + INTERNAL_HINT,
            reply_markup=ForceReply(selective=True),
        )

    async def _from_us(self, message: Message) -> bool:
        if message.from_user is None or not message.from_user.is_bot:
            return False
        if self._bot_id is None:
            self._bot_id = (await self.bot.get_me()).id
        return message.from_user.id == self._bot_id

    async def _prompt_reply(self, message: Message) -> None:
        prompt = message.reply_to_message
        text = (message.text or "").strip()
        if prompt is None or not prompt.text or not text or message.from_user is None:
            return
        found = MARKER.search(prompt.text)
        kind = next((k for k in PROMPTS if k in prompt.text), None)
        if found is None or kind is None:
            return
        if not await self._from_us(prompt):
            return
        if not await self.is_member(message.from_user):
            await self._say(message, NOT_MEMBER)
            return
        declaration_id = small_number(found.group(1), MAX_ROW_ID)
        if declaration_id is None:
            return
        change_id = small_number(found.group(2), MAX_ROW_ID) if found.group(2) else None
        actor = await self.actor(message.from_user)
        public, internal = split_internal(text)
        if kind == NOTE_PROMPT:  # the whole reply is the internal note
            public, internal = "", "\n".join(p for p in (public, internal) if p)
        if internal and len(internal) > MAX_NOTE:
            await self._say(message, f"Catatan internal terlalu panjang (maks. {MAX_NOTE} huruf).")
            return
        if kind == QUESTION_PROMPT:
            await self._send_question(message, declaration_id, actor, public, internal)
            return
        said = []
        if public:  # REFERENCE_PROMPT
            said.append(await self._save_reference(declaration_id, actor, public))
        if internal and change_id is not None:
            said.append(await self._save_note(declaration_id, change_id, actor, internal))
        if said:
            await self._say(message, " ".join(said))

    async def _send_question(
        self,
        message: Message,
        declaration_id: int,
        actor: str,
        question: str,
        internal: str | None,
    ) -> None:
        try:
            async with self.db.transaction() as session:
                await ask_reporter(
                    session,
                    declaration_id,
                    question,
                    actor=actor,
                    internal_note=internal,
                    settings=self.settings,
                )
                declaration = await session.get(Declaration, declaration_id)
                assert declaration is not None
                number = declaration.number
        except InvalidTransition as exc:
            await self._say(message, str(exc))
            return
        kept = " Catatan internal disimpan (tidak dikirim)." if internal else ""
        await self._say(message, f"{number}: pertanyaan diteruskan ke pelapor.{kept}")

    async def _save_note(self, declaration_id: int, change_id: int, actor: str, note: str) -> str:
        """Adds an internal note to a status change made from the chat (audited)."""
        async with self.db.transaction() as session:
            change = await session.get(StatusChange, change_id)
            declaration = await session.get(Declaration, declaration_id)
            if change is None or declaration is None or change.declaration_id != declaration.id:
                return "Perubahan status tidak ditemukan."
            change.internal_note = "\n".join(p for p in (change.internal_note, note) if p)
            session.add(
                AuditLog(
                    actor=actor,
                    action="internal_note",
                    target=declaration.number,
                    details={"status_change_id": change.id, "internal_note": note},
                )
            )
            number = declaration.number
        return f"{number}: catatan internal disimpan (tidak dikirim ke pelapor)."

    async def _save_reference(self, declaration_id: int, actor: str, reference: str) -> str:
        async with self.db.transaction() as session:
            declaration = await session.get(Declaration, declaration_id)
            if declaration is None:
                return "Laporan tidak ditemukan."
            number = declaration.number
            declaration.kpk_reference = reference[:100]
            session.add(
                AuditLog(
                    actor=actor,
                    action="kpk_reference",
                    target=number,
                    details={"kpk_reference": reference[:100]},
                )
            )
        return f"{number}: nomor referensi KPK dicatat."

    async def _say(self, message: Message, text: str) -> None:
        await self.bot.send_message(
            self.chat_id, text, reply_parameters=ReplyParameters(message.message_id)
        )
