"""The "Tanda terima": a receipt that proves itself.

The PDF carries the report number, the moment the UPPG received it, the SHA-256 digest of
the declared content (bot.store.digest) and an Ed25519 signature over the whole file. The
signature sits in the document's /Keywords entry, which has a fixed length: to sign, the file
is written with a placeholder there, signed, and the placeholder replaced by the signature
byte for byte (the cross-reference table stays valid). To verify, the signature is swapped
back for the placeholder and checked against the rest: a single changed byte anywhere, or a
signature made with another key, fails.

The facts a verifier may see (number, time, digest, key id) are also in /Subject in plain
ASCII, so `verify` reads them without a PDF library and shows no personal data.
"""

from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cryptography.fernet import InvalidToken
from fpdf.enums import XPos, YPos
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.config import Settings
from bot.crypto import Cipher
from bot.documents import layout
from bot.documents.layout import FONT
from bot.documents.signing import Signer, signer_from_settings
from bot.messages import Attachment
from bot.store.database import Database
from bot.store.declarations import counts_of
from bot.store.digest import attachment_hash, content_digest
from bot.store.models import AuditLog, Declaration, DeclarationAttachment
from handlers import vocab
from handlers.formatting import rupiah, tanggal

FILES = ("photo", "document")
PREFIX = b"gratibot-signature:v1:"
_SIG_CHARS = 86  # 64 bytes, base64url without padding
PLACEHOLDER = PREFIX + b"0" * 16 + b":" + b"A" * _SIG_CHARS
_SIGNATURE = re.compile(rb"gratibot-signature:v1:([0-9a-f]{16}):([A-Za-z0-9_-]{86})\)")
_FACTS = re.compile(
    rb"gratibot-receipt:v1;number=([A-Z0-9-]{1,32});received=([0-9T:+Z-]{10,32});"
    rb"digest=([0-9a-f]{64});key=([0-9a-f]{16})"
)


@dataclass(frozen=True)
class Facts:
    """What a receipt states, readable by anyone who holds it."""

    number: str
    received_at: datetime
    digest: str
    key_id: str


def _moment(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        str(tz), local.strftime("%Z")
    )
    return f"{tanggal(local.date(), weekday=True)}, pukul {local:%H.%M} {zone}"


def receipt_pdf(d: Declaration, settings: Settings, signer: Signer) -> bytes:
    """The signed receipt of a declaration (the same bytes every time it is made)."""
    tz = settings.tz
    received = d.uppg_received_at or d.submitted_at
    digest = d.content_digest or ""
    facts = (
        f"gratibot-receipt:v1;number={d.number};"
        f"received={received.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')};"
        f"digest={digest};key={signer.key_id}"
    )
    refused = d.report_type == "penolakan"
    kind = "Penolakan gratifikasi" if refused else "Penerimaan gratifikasi"
    texts = [d.reporter_name, d.reporter_unit, d.description, *layout.letterhead_texts(settings)]
    pdf = layout.Document(texts, f"Tanda terima {d.number}", created=received)
    pdf.set_title(f"Tanda terima laporan gratifikasi {d.number}")
    pdf.set_author(settings.letterhead_unit or "UPPG")
    pdf.set_subject(facts)
    pdf.set_keywords(PLACEHOLDER.decode())
    pdf.add_page()
    layout.letterhead(pdf, settings)
    layout.title(pdf, "TANDA TERIMA LAPORAN GRATIFIKASI")
    rows = [
        ("Nomor laporan", d.number),
        ("Jenis laporan", kind),
        ("Diterima UPPG", _moment(received, tz)),
        ("Nama pelapor", d.reporter_name),
        ("Unit kerja", d.reporter_unit or "-"),
        ("Jenis objek", vocab.OBJECT_TYPES.get(d.object_type or "", d.object_type or "-")),
        ("Perkiraan nilai", rupiah(d.value_rp)),
        ("Tanggal ditolak" if refused else "Tanggal diterima", tanggal(d.received_date)),
    ]
    if not refused and d.kpk_deadline:
        # The days the stored date was counted with: a receipt made again after a setting
        # changed is the same document.
        days = counts_of(d, settings).kpk
        rows.append((f"Batas {days} hari kerja ke KPK", tanggal(d.kpk_deadline)))
        rows.append(("Dilaporkan tepat waktu", "Tidak (terlambat)" if d.late else "Ya"))
    layout.fields(pdf, rows)
    pdf.ln(4)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0,
        4.8,
        "UPPG telah menerima laporan gratifikasi dengan nomor dan isi di atas pada waktu yang "
        "tercantum. Tanda terima ini ditandatangani secara elektronik: setiap perubahan pada "
        "berkas ini, sekecil apa pun, membuat tanda tangannya tidak sah.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    layout.section(pdf, "Bukti keaslian")
    where = settings.public_base_url.rstrip("/") + "/verify" if settings.public_base_url else ""
    layout.fields(
        pdf,
        [
            ("Sidik isi laporan (SHA-256)", digest or "-"),
            ("Tanda tangan elektronik", f"Ed25519, kunci {signer.key_id}"),
            ("Kunci publik UPPG", signer.public_text),
            (
                "Periksa keaslian",
                f"Unggah berkas ini di {where}" if where else "Halaman /verify di dasbor UPPG",
            ),
        ],
        label_width=52,
    )
    role, name, nip = layout.head_of_uppg(settings)
    place = settings.report_place or layout.unset("report_place")
    layout.signature_block(
        pdf, f"{place}, {tanggal(received.astimezone(tz).date())}", role, name, nip
    )
    unsigned = bytes(pdf.output())
    return _signed(unsigned, signer)


def _signed(unsigned: bytes, signer: Signer) -> bytes:
    if unsigned.count(PLACEHOLDER) != 1:
        raise RuntimeError("the receipt's signature placeholder must occur exactly once")
    signature = base64.urlsafe_b64encode(signer.sign(unsigned)).rstrip(b"=")
    filled = PREFIX + signer.key_id.encode() + b":" + signature
    assert len(filled) == len(PLACEHOLDER)
    return unsigned.replace(PLACEHOLDER, filled)


@dataclass(frozen=True)
class Verdict:
    """Whether a file is a genuine, unaltered receipt, and what it states."""

    genuine: bool
    message: str
    facts: Facts | None = None


def verify(content: bytes, signer: Signer) -> Verdict:
    """Checks a receipt's signature over every byte of the file."""
    found = list(_SIGNATURE.finditer(content))
    facts_found = list(_FACTS.finditer(content))
    if len(found) != 1 or len(facts_found) != 1:
        return Verdict(
            False,
            "Berkas ini bukan tanda terima gratibot, atau bagian tanda tangannya rusak.",
        )
    match = found[0]
    key = match.group(1).decode()
    signature = base64.urlsafe_b64decode(match.group(2) + b"==")
    unsigned = content[: match.start()] + PLACEHOLDER + content[match.end() - 1 :]
    number, received, digest, stated_key = (g.decode() for g in facts_found[0].groups())
    try:
        moment = datetime.fromisoformat(received.replace("Z", "+00:00"))
    except ValueError:
        return Verdict(False, "Waktu pada tanda terima ini tidak terbaca.")
    facts = Facts(number, moment, digest, key)
    if stated_key != key or not signer.verify(signature, unsigned, key):
        return Verdict(
            False,
            "Tanda tangan tidak sah: berkas ini telah diubah, atau tidak ditandatangani "
            "dengan kunci UPPG ini.",
            facts,
        )
    return Verdict(True, "Tanda terima ini asli dan tidak diubah.", facts)


async def archive_note(verdict: Verdict, session: AsyncSession, cipher: Cipher) -> str | None:
    """What the UPPG's archive says about a genuine receipt's report (no personal data)."""
    if not verdict.genuine or verdict.facts is None:
        return None
    query = (
        select(Declaration)
        .where(Declaration.number == verdict.facts.number)
        .options(selectinload(Declaration.attachments))
    )
    d = (await session.execute(query)).scalar_one_or_none()
    if d is None:
        return "Nomor laporan ini tidak ada di arsip UPPG ini."
    # The files sent with the declaration (not the ones added later in the thread).
    files = [a for a in d.attachments if a.thread_message_id is None and a.kind in FILES]
    try:
        current = content_digest(d, cipher, [attachment_hash(a, cipher) for a in files])
    except InvalidToken:
        current = None
    if d.content_digest == verdict.facts.digest and current == verdict.facts.digest:
        return "Isi laporan di arsip UPPG sama dengan saat tanda terima dibuat."
    return "Perhatian: isi laporan di arsip UPPG berbeda dari sidik pada tanda terima."


async def receipt_for(
    session: AsyncSession, d: Declaration, settings: Settings, cipher: Cipher, signer: Signer
) -> bytes:
    """The signed receipt, first recording the content digest of a declaration stored
    before digests existed (inside the caller's transaction)."""
    if d.content_digest is None:
        attachments = (
            await session.execute(
                select(DeclarationAttachment).where(
                    DeclarationAttachment.declaration_id == d.id,
                    DeclarationAttachment.thread_message_id.is_(None),
                    DeclarationAttachment.kind.in_(FILES),
                )
            )
        ).scalars()
        hashes = [attachment_hash(a, cipher) for a in attachments]
        d.content_digest = content_digest(d, cipher, hashes)
    # Laying out the PDF loads and subsets its fonts: seconds of CPU with the CJK font, which
    # on the event loop would hold up every webhook and health check meanwhile.
    return await asyncio.to_thread(receipt_pdf, d, settings, signer)


class ReceiptFiles:
    """ReceiptPort: the reporter's own signed receipts, made on request."""

    def __init__(
        self, db: Database, settings: Settings, cipher: Cipher, signer: Signer | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.cipher = cipher
        self._signer = signer

    @property
    def signer(self) -> Signer:
        # Read on first use: only a process that issues a receipt needs the key (settings
        # already refuse to start production without RECEIPT_SIGNING_KEY).
        if self._signer is None:
            self._signer = signer_from_settings(self.settings)
        return self._signer

    async def receipt_file(self, user_key: str, number: str) -> Attachment | None:
        async with self.db.transaction() as session:
            query = select(Declaration).where(
                Declaration.number == number, Declaration.user_key == user_key
            )
            d = (await session.execute(query)).scalar_one_or_none()
            if d is None:
                return None
            content = await receipt_for(session, d, self.settings, self.cipher, self.signer)
            session.add(AuditLog(actor=user_key, action="export_receipt", target=d.number))

        async def download() -> bytes:
            return content

        return Attachment(
            kind="document",
            name=f"tanda-terima-{number}.pdf",
            mime_type="application/pdf",
            size=len(content),
            download=download,
        )
