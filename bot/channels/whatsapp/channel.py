"""The WhatsApp channel: webhook payloads in, dispatcher, replies out through the Graph API.

Each message is handled exactly once by its wamid (Meta redelivers, and any replica may get
it): the dispatcher records the wamid (as a keyed hash) as handled in the same write that
saves the turn, so a redelivery that arrives while the first delivery is still being handled
(on this replica or another) waits for it and then has no effect, and one that arrives after
a process died mid-turn is handled. The user's last message time is kept for the 24-hour
window, and choices shown as a numbered text list are remembered so a typed number picks one.
Phone numbers (wa_id) are personal data: nothing here logs one, and past the webhook they
appear only as a pseudonym (keys, user ids) or encrypted (chat ids), see ids.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.backoffice.notify import DeliveryFailed, Notification
from bot.channels.whatsapp.graph import (
    NOT_DOWNLOADED_MESSAGE,
    OUTSIDE_WINDOW_CODE,
    GraphClient,
    GraphError,
)
from bot.channels.whatsapp.ids import WhatsAppIds
from bot.channels.whatsapp.render import render
from bot.channels.whatsapp.window import (
    WINDOW,
    record_inbound,
    template_message,
    window_open,
)
from bot.config import Settings
from bot.crypto import Cipher
from bot.dispatcher import Dispatcher
from bot.messages import Attachment, AttachmentKind, Incoming, Reply, small_number
from bot.sessions import SessionStore
from handlers import texts
from handlers.errors import ServiceUnavailable
from handlers.ports import AttachmentRejected

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
SEEN_SCOPE = "wa-msg"
NUMBERED_SCOPE = "wa-numbered"
UNSUPPORTED_SCOPE = "wa-unsupported"
# One "I cannot read that" per user in this many seconds (a burst of stickers gets one).
UNSUPPORTED_QUIET_SECONDS = 30

UNSUPPORTED_TEXT = (
    "Maaf, jenis pesan itu belum bisa saya baca.\n"
    "Saya memahami teks, tombol, foto, dan dokumen.\n"
    "Silakan ketik jawaban Anda atau tekan tombol yang tersedia."
)

# What a message the bot cannot read gets, by its type: polite, and saying what to do instead.
NOTES = {
    "audio": (
        "Maaf, saya belum bisa mendengarkan pesan suara.\n"
        "Silakan ketik pesan Anda, atau tekan tombol yang tersedia."
    ),
    "video": (
        "Maaf, video belum bisa saya terima.\n"
        "Silakan kirim foto atau dokumen PDF, atau ketik pesan Anda."
    ),
    "sticker": (
        "Maaf, stiker belum bisa saya baca.\n"
        "Silakan ketik pesan Anda, atau tekan tombol yang tersedia."
    ),
    "location": (
        "Terima kasih. Lokasi dari peta belum bisa saya baca.\n"
        "Bila yang ditanyakan tempatnya, mohon ketik nama tempat atau alamatnya."
    ),
    # A contact card holds someone's number: it is neither read nor kept, nor logged.
    "contacts": (
        "Maaf, kartu kontak belum bisa saya baca, dan tidak saya simpan.\n"
        "Bila yang ditanyakan nomor HP, mohon ketik nomornya."
    ),
    # Only WhatsApp Business app numbers get edits as such; Cloud API sends "unsupported".
    "edit": (
        "Pesan yang diubah tidak saya baca ulang.\n"
        "Bila ada jawaban yang perlu diperbaiki, silakan kirim lagi jawaban yang benar."
    ),
}
# Types that need no answer: a reaction to a message, a message the user deleted.
QUIET_TYPES = frozenset({"reaction", "revoke"})

# The dispatcher's own notices: they answer no question, so a numbered list stays valid.
RUNTIME_NOTICES = frozenset({texts.BUSY, texts.FLOOD, texts.GANGGUAN, texts.ERROR})

# Message types that carry nothing to answer (e.g. "customer changed their number").
SILENT_TYPES = frozenset({"system", "ephemeral"})

Downloader = Callable[[str], Callable[[], Awaitable[bytes]]]


@dataclass(frozen=True)
class Inbound:
    """One user message from a webhook; `incoming` is None for a type the bot cannot read.

    wa_id is the number (kept in memory only, to reply); user is its pseudonym."""

    wamid: str
    wa_id: str
    user: str
    at: datetime
    incoming: Incoming | None
    # What to answer when incoming is None; None: nothing (a reaction).
    note: str | None = UNSUPPORTED_TEXT


def _timestamp(raw: object) -> datetime:
    try:
        return datetime.fromtimestamp(int(str(raw)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


class PayloadError(ValueError):
    """A signed delivery whose shape is not Meta's (the webhook answers 400)."""


def _field(container: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = container.get(key, default)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise PayloadError(f"{key}: expected {kind.__name__}")
    return value


def _objects(container: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _field(container, key, list, [])
    if not all(isinstance(item, dict) for item in items):
        raise PayloadError(f"{key}: expected a list of objects")
    return items


# The fields each message type must carry, as the flows read them.
_TYPE_FIELDS = {"text": "text", "interactive": "interactive", "button": "button"}


def _check_message(message: dict[str, Any]) -> None:
    """Checks the parts of one message the channel reads; raises PayloadError."""
    for key in ("from", "id", "type", "timestamp"):
        value = message.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise PayloadError(f"message {key}: expected a string")
    kind = message.get("type")
    if kind in _TYPE_FIELDS:
        part = _field(message, _TYPE_FIELDS[kind], dict, {})
        if kind == "text":
            _field(part, "body", str, "")
        elif kind == "button":
            _field(part, "text", str, "")
        else:
            reply_type = _field(part, "type", str, "")
            if reply_type:
                reply = _field(part, reply_type, dict, {})
                if not isinstance(reply.get("id", ""), (str, int)):
                    raise PayloadError("interactive reply id: expected a string")
    elif kind in ("image", "document"):
        media = _field(message, kind, dict, {})
        for key in ("id", "mime_type", "filename", "caption"):
            value = media.get(key)
            if value is not None and not isinstance(value, (str, int)):
                raise PayloadError(f"{kind} {key}: expected a string")


def user_messages(payload: dict[str, Any], phone_number_id: str | None) -> list[dict[str, Any]]:
    """The user messages of a webhook payload for our number, in order, shape-checked.

    Statuses and other fields are skipped. Raises PayloadError when the payload (signed, so
    it came from Meta or someone holding the app secret) is not shaped as Meta documents it.
    """
    if payload.get("object") != "whatsapp_business_account":
        return []
    found = []
    for entry in _objects(payload, "entry"):
        for change in _objects(entry, "changes"):
            value = _field(change, "value", dict, {})
            metadata = _field(value, "metadata", dict, {})
            messages = _objects(value, "messages")
            if change.get("field") != "messages":
                continue
            ours = metadata.get("phone_number_id")
            if phone_number_id and ours and str(ours) != phone_number_id:
                continue
            for message in messages:
                _check_message(message)
                if not message.get("from") or not message.get("id"):
                    continue
                if message.get("type") in SILENT_TYPES:
                    continue
                found.append(message)
    return found


def _attachment(kind: AttachmentKind, media: dict[str, Any], download: Downloader) -> Attachment:
    media_id = str(media.get("id", ""))
    mime = media.get("mime_type")
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
    default_name = f"whatsapp-{media_id}{extension.get(str(mime), '')}"
    return Attachment(
        kind=kind,
        name=str(media.get("filename") or default_name),
        ref=media_id,
        mime_type=str(mime) if mime else None,
        download=download(media_id),
    )


def to_incoming(
    message: dict[str, Any], user: str, chat: str, download: Downloader
) -> Incoming | None:
    """The channel-neutral form of one (shape-checked) WhatsApp message, or None when the bot
    cannot read it. user: the sender's pseudonym; chat: the sender's sealed chat id."""
    kind = message.get("type")
    base = Incoming(
        channel=CHANNEL,
        user_id=user,
        chat_id=chat,
        message_id=str(message.get("id", "")),
        at=_timestamp(message.get("timestamp")),
    )
    if kind == "text":
        return dataclasses.replace(base, text=str((message.get("text") or {}).get("body") or ""))
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get(interactive.get("type") or "") or {}
        if interactive.get("type") in ("button_reply", "list_reply") and reply.get("id"):
            return dataclasses.replace(base, choice=str(reply["id"]))
        return None
    if kind == "request_welcome":
        # The user opened the chat for the first time (Meta's welcome-message webhook): the
        # greeting and the menu, as for /start.
        return dataclasses.replace(base, text="/start")
    if kind == "button":
        # A quick-reply button of a template: its text is what the user "said".
        return dataclasses.replace(base, text=str((message.get("button") or {}).get("text") or ""))
    if kind in ("image", "document"):
        media = message.get(kind) or {}
        attachment_kind: AttachmentKind = "photo" if kind == "image" else "document"
        return dataclasses.replace(
            base,
            text=str(media.get("caption") or "") or None,
            attachments=(_attachment(attachment_kind, media, download),),
        )
    return None


def note_for(message: dict[str, Any]) -> str | None:
    """The note for a message the bot cannot read (None: no answer); its content is not read."""
    kind = str(message.get("type") or "")
    if kind in QUIET_TYPES:
        return None
    return NOTES.get(kind, UNSUPPORTED_TEXT)


def iter_messages(
    payload: dict[str, Any], phone_number_id: str | None, download: Downloader, ids: WhatsAppIds
) -> Iterator[Inbound]:
    """The user messages in a webhook payload, in order (PayloadError for a malformed one)."""
    for message in user_messages(payload, phone_number_id):
        wa_id = str(message["from"])
        user = ids.user(wa_id)
        incoming = to_incoming(message, user, ids.chat(wa_id), download)
        yield Inbound(
            wamid=str(message["id"]),
            wa_id=wa_id,
            user=user,
            at=_timestamp(message.get("timestamp")),
            incoming=incoming,
            note=note_for(message) if incoming is None else None,
        )


class WhatsAppChannel:
    """Handles webhook payloads and sends replies and notifications (a ChannelSender)."""

    def __init__(
        self, settings: Settings, store: SessionStore, graph: GraphClient, cipher: Cipher
    ) -> None:
        self.settings = settings
        self.store = store
        self.graph = graph
        self.ids = WhatsAppIds(cipher)

    async def close(self) -> None:
        await self.graph.close()

    def downloader(self, media_id: str) -> Callable[[], Awaitable[bytes]]:
        """A download callable for one media id, limited like every other attachment."""

        async def download() -> bytes:
            try:
                data, _mime = await self.graph.download(
                    media_id, max_bytes=self.settings.max_attachment_bytes
                )
            except DeliveryFailed as exc:
                # Expired media id, Graph API down: the user can simply send it again.
                log.warning("whatsapp media not downloaded: %s", type(exc).__name__, exc_info=exc)
                raise AttachmentRejected(NOT_DOWNLOADED_MESSAGE) from None
            return data

        return download

    def read(self, payload: dict[str, Any]) -> list[Inbound]:
        """The user messages of a delivery for our number (PayloadError for a malformed one).

        Nothing is marked seen here: a message counts as handled once its turn is saved."""
        return list(
            iter_messages(
                payload, self.settings.whatsapp_phone_number_id, self.downloader, self.ids
            )
        )

    async def process(self, items: list[Inbound], dispatcher: Dispatcher) -> None:
        """Handles a delivery's messages; never raises (it runs after the response).

        One payload may carry several users' messages: users are served side by side, each
        user's messages in order.
        """
        by_user: dict[str, list[Inbound]] = {}
        for item in items:
            by_user.setdefault(item.wa_id, []).append(item)
        await asyncio.gather(*(self._process_user(mine, dispatcher) for mine in by_user.values()))

    async def _process_user(self, items: list[Inbound], dispatcher: Dispatcher) -> None:
        for item in items:
            try:
                await self._handle_one(item, dispatcher)
            except Exception as exc:
                log.warning("whatsapp message not processed: %s", type(exc).__name__, exc_info=exc)

    async def _handle_one(self, item: Inbound, dispatcher: Dispatcher) -> None:
        try:
            await record_inbound(self.store, item.user, item.at)
        except ServiceUnavailable:
            # The dispatcher meets the same outage and tells the user; the window stays as it was.
            log.warning("whatsapp: last inbound time not recorded (store unavailable)")
        handled = self.ids.message(item.wamid)
        if item.incoming is None:
            if item.note is None:
                return
            # Nothing to save: the one effect is the note, marked when it is decided.
            ttl = self.settings.dedupe_ttl_seconds
            if (
                await self.store.first_seen(SEEN_SCOPE, handled, ttl)
                and await self.store.first_seen(
                    UNSUPPORTED_SCOPE, item.user, UNSUPPORTED_QUIET_SECONDS
                )
                and await self._may_answer(item)
            ):
                await self.send_replies(item.wa_id, [Reply(item.note)])
            return
        incoming = await self._typed_number(item.incoming)

        async def send(_incoming: Incoming, replies: list[Reply]) -> None:
            if not await self._may_answer(item):
                return
            # The number is at hand: no need to decrypt the incoming's sealed chat id.
            await self.send_replies(item.wa_id, replies)

        await dispatcher.dispatch(incoming, send, dedupe=(SEEN_SCOPE, handled))

    async def _may_answer(self, item: Inbound) -> bool:
        """Whether free text may answer this message: a message delivered late (Meta retries
        for days after an outage) is past the 24-hour window unless the user wrote since.

        Its turn is still taken (an answer to a question counts); the reply is not sent, as
        Meta would refuse it (error 131047), and no template fits a conversation reply."""
        if datetime.now(UTC) - item.at < WINDOW:
            return True
        try:
            if await window_open(self.store, item.user):
                return True
        except ServiceUnavailable:
            return True  # Meta decides; a refusal is logged like any failed send.
        log.info("whatsapp: no reply to a message older than 24 hours (outside the window)")
        return False

    async def _typed_number(self, incoming: Incoming) -> Incoming:
        """Maps a typed number onto the numbered text list we sent last, if there is one."""
        # A list has at most a few dozen rows: anything longer is not a pick from it.
        index = small_number(incoming.text or "", 99) if not incoming.choice else None
        if not index:
            return incoming
        raw = await self.store.get_value(NUMBERED_SCOPE, incoming.user_id)
        ids = json.loads(raw) if raw else []
        if index > len(ids):
            return incoming
        return dataclasses.replace(incoming, choice=str(ids[index - 1]), text=None)

    async def send_replies(self, wa_id: str, replies: list[Reply]) -> None:
        """Sends replies to a number in order, remembering the last one's numbered choices
        (if any) under the user's pseudonym."""
        numbered: list[str] = []
        for reply in replies:
            for attachment in reply.attachments:
                await self._send_attachment(wa_id, attachment)
            rendered = render(reply)
            for message in rendered.messages:
                await self.graph.send(wa_id, message)
            numbered = [c.id for c in rendered.numbered]
        if any(r.text not in RUNTIME_NOTICES for r in replies):
            # Like the session's offered buttons: the last message decides what a number means
            # (a "please wait" or "gangguan" notice leaves the question standing).
            await self.store.put_value(
                NUMBERED_SCOPE,
                self.ids.user(wa_id),
                json.dumps(numbered) if numbered else "",
                self.settings.session_ttl_seconds,
            )

    async def _send_attachment(self, wa_id: str, attachment: Attachment) -> None:
        if attachment.download is None:
            log.warning("whatsapp: outgoing attachment without content skipped")
            return
        mime = attachment.mime_type or (
            "image/jpeg" if attachment.kind == "photo" else "application/pdf"
        )
        media_id = await self.graph.upload(await attachment.download(), mime, attachment.name)
        if attachment.kind == "photo":
            await self.graph.send(wa_id, {"type": "image", "image": {"id": media_id}})
        else:
            document = {"id": media_id, "filename": attachment.name}
            await self.graph.send(wa_id, {"type": "document", "document": document})

    async def notify(self, chat_id: str, notification: Notification) -> None:
        """Free text inside the 24-hour window, else the notification's approved template.

        chat_id: a sealed chat id (a reporter's) or a number from settings (an officer's)."""
        wa_id = self.ids.number(chat_id)
        if await window_open(self.store, self.ids.user(wa_id)):
            try:
                await self.send_replies(wa_id, [notification.reply])
                return
            except GraphError as exc:
                if exc.code != OUTSIDE_WINDOW_CODE:
                    raise
        await self.graph.send(wa_id, template_message(self.settings, notification))


def make_sender(settings: Settings, store: SessionStore, cipher: Cipher) -> WhatsAppChannel:
    """The WhatsApp channel for a runtime; needs WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID."""
    if settings.whatsapp_token is None or not settings.whatsapp_phone_number_id:
        raise ValueError("WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID must both be set")
    graph = GraphClient(
        settings.whatsapp_api_base_url,
        settings.whatsapp_token.get_secret_value(),
        settings.whatsapp_phone_number_id,
    )
    return WhatsAppChannel(settings, store, graph, cipher)
