"""Bribery concerns in the database, with nothing that identifies their senders.

The flows' ConcernPort. A concern gets a key of its own (Fernet); its story, the identity the
sender chose to give, every message and every file are encrypted with it, and the key itself is
stored encrypted with DATA_ENCRYPTION_KEY. No user id, chat id or phone number is written
anywhere with it, and only the day it came in. The receipt code is stored as an argon2id hash
under a salt derived from the data key: it can be looked up, never read back.

Wrong codes are counted per chat (under a keyed hash of the chat, kept one day) and in total;
past the limits the chat, or everyone, waits (CodeRefused.wait_seconds).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import delete, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot import passwords
from bot.crypto import Cipher
from bot.messages import Attachment
from bot.store.attachments import BlobStore, checked_download
from bot.store.database import Database
from bot.store.models import CodeAttempt, Concern, ConcernFile, ConcernMessage, outbox_message
from bot.store.scrub import without_metadata
from handlers import concern_terms as terms
from handlers.ports import (
    CodeRefused,
    ConcernNote,
    ConcernReceipt,
    ConcernView,
    StoredFile,
)

TOPIC_RECEIVED = "fkap.concern_received"
# Wrong codes: a chat may try this many in the window; all chats together, this many.
CHAT_ATTEMPTS, CHAT_WINDOW = 5, timedelta(minutes=15)
ALL_ATTEMPTS, ALL_WINDOW = 100, timedelta(hours=1)
ATTEMPTS_KEPT = timedelta(days=1)


def new_code() -> str:
    """16 symbols of Crockford's base32 from the system's random source, in four groups of
    four that each hold a letter and a digit (terms.code_group), so no group reads as a word
    or a number: about 78.5 bits (a group drawn again when it has only one kind)."""
    groups: list[str] = []
    while len(groups) < terms.CODE_LENGTH // terms.GROUP_LENGTH:
        group = "".join(secrets.choice(terms.ALPHABET) for _ in range(terms.GROUP_LENGTH))
        if terms.code_group(group):
            groups.append(group)
    return "".join(groups)


class SqlConcerns:
    """The ConcernPort over the database and a blob store (files under concerns/)."""

    def __init__(self, db: Database, cipher: Cipher, blobs: BlobStore, *, max_bytes: int) -> None:
        self.db = db
        self.cipher = cipher
        self.blobs = blobs
        self.max_bytes = max_bytes
        self._code_salt = cipher.lookup("concern receipt code")[:16]
        self._bucket_key = cipher.lookup("concern code attempts")

    # --- the draft ---------------------------------------------------------------------------

    def new_key(self) -> str:
        return Fernet.generate_key().decode()

    async def stage(self, attachment: Attachment, key: str) -> StoredFile:
        data, mime = await checked_download(attachment, self.max_bytes)
        clean = await asyncio.to_thread(without_metadata, data, mime)
        storage_key = f"concerns/{secrets.token_hex(16)}"
        await self.blobs.put(storage_key, Fernet(key.encode()).encrypt(clean))
        extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(mime, "pdf")
        return StoredFile(
            key=storage_key,
            # The sender's own file name can name them ("scan_KTP_budi.pdf"): not kept.
            name=f"bukti.{extension}",
            mime_type=mime,
            size=len(clean),
            sha256=hashlib.sha256(clean).hexdigest(),
        )

    async def submit(
        self,
        *,
        key: str,
        story: dict[str, str],
        identity: dict[str, str] | None,
        files: Sequence[StoredFile],
        today: date,
    ) -> ConcernReceipt:
        code = new_code()
        code_hash = await self._hash(code)
        box = Fernet(key.encode())
        async with self.db.transaction() as session:
            concern = Concern(
                number=f"tmp-{secrets.token_hex(6)}",
                code_hash=code_hash,
                key_enc=self.cipher.encrypt(key) or "",
                status=terms.DITERIMA,
                anonymous=identity is None,
                story_enc=_seal(box, story),
                identity_enc=_seal(box, identity) if identity else None,
                received_on=today,
            )
            session.add(concern)
            await session.flush()
            # The id is the order of arrival; the year is that of the day it came in.
            concern.number = f"ADU-{today.year}-{concern.id:06d}"
            for stored in files:
                session.add(_file_row(concern.id, None, stored, box))
            session.add(
                outbox_message(
                    TOPIC_RECEIVED,
                    f"concern:{concern.id}:received",
                    {"concern_id": concern.id, "number": concern.number},
                )
            )
            number = concern.number
        return ConcernReceipt(number=number, code=terms.show_code(code))

    # --- with the receipt code ---------------------------------------------------------------

    async def open(self, code: str, *, asker: str) -> ConcernView | CodeRefused:
        async with self.db.transaction() as session:
            found = await self._find(session, code, asker)
            if isinstance(found, CodeRefused):
                return found
            for message in found.messages:
                if message.author == "fkap" and message.read_on is None:
                    message.read_on = datetime.now(UTC).date()
            return self._view(found)

    async def add(
        self,
        code: str,
        *,
        asker: str,
        today: date,
        text: str | None = None,
        attachment: Attachment | None = None,
    ) -> ConcernView | CodeRefused:
        async with self.db.transaction() as session:
            found = await self._find(session, code, asker)
            if isinstance(found, CodeRefused):
                return found
            box = self._box(found)
            if attachment is not None:
                stored = await self.stage(attachment, self.cipher.decrypt(found.key_enc) or "")
                session.add(_file_row(found.id, None, stored, box))
            if text:
                found.messages.append(
                    ConcernMessage(author="pelapor", body_enc=seal_text(box, text), on=today)
                )
            await session.flush()
            await session.refresh(found, ["messages", "files"])
            return self._view(found)

    async def _find(self, session: AsyncSession, code: str, asker: str) -> Concern | CodeRefused:
        """The concern of a code, or CodeRefused (counting a wrong code against the chat)."""
        now = datetime.now(UTC)
        bucket = hmac.new(self._bucket_key, asker.encode(), hashlib.sha256).hexdigest()[:40]
        wait = await self._wait(session, bucket, now)
        if wait:
            return CodeRefused(wait)
        symbols = terms.read_code(code)
        code_hash = await self._hash(symbols) if symbols else None
        concern = None
        if code_hash is not None:
            concern = await session.scalar(
                select(Concern)
                .where(Concern.code_hash == code_hash)
                .options(selectinload(Concern.messages), selectinload(Concern.files))
            )
        if concern is not None:
            return concern
        await session.execute(delete(CodeAttempt).where(CodeAttempt.at < now - ATTEMPTS_KEPT))
        session.add(CodeAttempt(bucket=bucket, at=now))
        await session.flush()
        return CodeRefused(await self._wait(session, bucket, now))

    async def _wait(self, session: AsyncSession, bucket: str, now: datetime) -> int:
        """Seconds this chat must wait before another code is tried (0: it may try now)."""
        for where, limit, window in (
            (CodeAttempt.bucket == bucket, CHAT_ATTEMPTS, CHAT_WINDOW),
            (true(), ALL_ATTEMPTS, ALL_WINDOW),
        ):
            row = (
                await session.execute(
                    select(func.count(), func.min(CodeAttempt.at)).where(
                        where, CodeAttempt.at > now - window
                    )
                )
            ).one()
            count, first = int(row[0]), row[1]
            if count >= limit and first is not None:
                return max(1, int((first + window - now).total_seconds()) + 1)
        return 0

    async def _hash(self, symbols: str) -> str:
        raw = await asyncio.to_thread(passwords.derive, symbols.encode(), self._code_salt)
        return raw.hex()

    def _box(self, concern: Concern) -> Fernet:
        return Fernet((self.cipher.decrypt(concern.key_enc) or "").encode())

    def _view(self, concern: Concern) -> ConcernView:
        box = self._box(concern)
        notes = tuple(
            ConcernNote(
                author=m.author,
                text=open_text(box, m.body_enc),
                status=terms.status_words(m.status, concern.outcome) if m.status else None,
                on=m.on,
            )
            for m in concern.messages
        )
        return ConcernView(
            number=concern.number,
            status=terms.status_words(concern.status, concern.outcome),
            received_on=concern.received_on,
            notes=notes,
            files=len(concern.files),
            closed=concern.status == terms.SELESAI,
        )


def box_of(cipher: Cipher, concern: Concern) -> Fernet:
    """The concern's own key, for the compliance function's pages."""
    return Fernet((cipher.decrypt(concern.key_enc) or "").encode())


def _seal(box: Fernet, doc: dict[str, Any]) -> str:
    return box.encrypt(json.dumps(doc, ensure_ascii=False).encode()).decode()


def open_doc(box: Fernet, token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    doc = json.loads(box.decrypt(token.encode()))
    return doc if isinstance(doc, dict) else {}


def open_text(box: Fernet, token: str | None) -> str | None:
    return box.decrypt(token.encode()).decode() if token else None


def seal_text(box: Fernet, text: str) -> str:
    return box.encrypt(text.encode()).decode()


def _file_row(
    concern_id: int, message_id: int | None, stored: StoredFile, box: Fernet
) -> ConcernFile:
    return ConcernFile(
        concern_id=concern_id,
        message_id=message_id,
        storage_key=stored.key,
        name_enc=seal_text(box, stored.name),
        mime_type=stored.mime_type or "application/octet-stream",
        size=stored.size,
    )
