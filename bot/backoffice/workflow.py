"""The status workflow of a declaration, following the legal process.

Transitions are data:
- TRANSITIONS[report_type][from_status]: where a declaration may go;
- REQUIRED[to_status], and REQUIRED_AFTER[(from_status, to_status)]: the details to give;
- FILES[to_status], and FILES_AFTER[...]: the document that must come with the change;
- DATES[field]: the record date a date must not precede (and none may lie in the future);
- GUARDS[to_status]: a condition on the record itself, with the reason when it fails.

`change_status` applies one change in a single transaction: the declaration's fields, a
StatusChange row with the officer's two texts (the message to the reporter, which is sent, and
the internal note, which never leaves the UPPG), the document, an audit entry with both texts,
and the outbox message that notifies the reporter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.backoffice.deadlines import HANDOVER_DUE, Deadline, declaration_deadlines
from bot.config import Settings
from bot.crypto import Cipher
from bot.holidays_id import work_calendar
from bot.messages import Attachment
from bot.store.attachments import content_hmac
from bot.store.models import (
    AuditLog,
    Declaration,
    DeclarationAttachment,
    StatusChange,
    ThreadMessage,
    outbox_message,
)
from bot.store.sealed import cipher_for
from handlers import statuses as st
from handlers.formatting import tanggal
from handlers.parsing import parse_date
from handlers.ports import AttachmentPort, AttachmentRejected
from handlers.workdays import WorkCalendar

# Before forwarding the UPPG may close a report itself: returned to the giver, perishable food
# given as social aid (reference 2.7), a duplicate, or withdrawn at the reporter's request.
_UPPG_CLOSES = (st.DISALURKAN, st.DIKEMBALIKAN, st.DUPLIKAT, st.DITARIK)

TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "penerimaan": {
        st.DITERIMA: (st.DIVERIFIKASI, st.PERLU_DILENGKAPI, *_UPPG_CLOSES),
        # KPK may also ask for completion (PERLU_DILENGKAPI after DITERUSKAN_KPK); a report
        # not completed within the completion deadline cannot be followed up (PerKPK 1/2026).
        st.PERLU_DILENGKAPI: (st.DIVERIFIKASI, st.TIDAK_DILENGKAPI, *_UPPG_CLOSES),
        st.DIVERIFIKASI: (st.DITERUSKAN_KPK, st.PERLU_DILENGKAPI, *_UPPG_CLOSES),
        st.DITERUSKAN_KPK: (*st.DECISIONS, st.PERLU_DILENGKAPI),
        st.MILIK_PENERIMA: (st.SELESAI,),
        st.MILIK_NEGARA: (st.SELESAI,),
        st.MILIK_NEGARA_KOMPENSASI: (st.SELESAI,),
        st.TIDAK_DITINDAKLANJUTI: (st.SELESAI,),
        **{closed: () for closed in st.CLOSED},
    },
    # A refusal is recorded by the UPPG; it goes to KPK only in a recap. The UPPG may still
    # ask its reporter a question first.
    "penolakan": {
        st.DITERIMA: (st.DICATAT, st.PERLU_DILENGKAPI, st.DUPLIKAT, st.DITARIK),
        st.PERLU_DILENGKAPI: (st.DICATAT, st.DUPLIKAT, st.DITARIK),
        **{closed: () for closed in st.CLOSED},
    },
}

# Details an officer must give for each target status.
REQUIRED: dict[str, tuple[str, ...]] = {
    st.PERLU_DILENGKAPI: ("message",),
    st.DITERUSKAN_KPK: ("forwarded_on",),
    **{decision: ("sk_number", "sk_date") for decision in st.DECISIONS},
    st.DISALURKAN: ("aid_recipient", "distributed_on"),
    st.DIKEMBALIKAN: ("returned_on",),
    st.DUPLIKAT: ("duplicate_of", "reason"),
    st.DITARIK: ("reason",),
}
# Closing a decision that made the object state property needs the date it was handed over
# or paid for (the UPPG keeps the proof: reference 2.6, 2.8).
REQUIRED_AFTER: dict[tuple[str, str], tuple[str, ...]] = {
    (decision, st.SELESAI): ("handed_over_on",) for decision in st.STATE_PROPERTY
}
# Details a change may carry besides its required ones; every change takes the two texts.
# A state-property decision may carry the reporter's deadline to hand over or pay, as the SK
# states it (bot/backoffice/deadlines.py reads it back).
OPTIONAL: dict[str, tuple[str, ...]] = {
    st.DITERUSKAN_KPK: ("kpk_reference",),
    **{decision: (HANDOVER_DUE,) for decision in st.STATE_PROPERTY},
}
TEXTS = ("message", "internal_note")
# What a status change's audit entry says of its document (migration 0016 wrote it in place of
# the file names older entries held).
FILE_ATTACHED = "terlampir"
# The document that must come with the change (attachment kind).
FILES: dict[str, str] = {
    **{decision: "sk" for decision in st.DECISIONS},
    st.DISALURKAN: "dokumentasi",
    st.DIKEMBALIKAN: "pengembalian",
}
FILES_AFTER: dict[tuple[str, str], str] = {
    (decision, st.SELESAI): "bukti" for decision in st.STATE_PROPERTY
}
FILE_LABELS = {
    "sk": "file SK KPK",
    "bukti": "berita acara serah terima atau bukti setor/pembayaran",
    "dokumentasi": "dokumentasi penyerahan bantuan sosial",
    "pengembalian": "bukti pengembalian (tanda terima atau foto)",
    "dokumen": "lampiran",
}

FIELD_LABELS = {
    "message": "pesan untuk pelapor",
    "internal_note": "catatan internal",
    "forwarded_on": "tanggal diteruskan",
    "kpk_reference": "nomor KPK",
    "sk_number": "nomor SK",
    "sk_date": "tanggal SK",
    "handed_over_on": "tanggal serah terima/setor",
    HANDOVER_DUE: "batas penyerahan/pembayaran menurut SK",
    "aid_recipient": "penerima bantuan",
    "distributed_on": "tanggal penyaluran",
    "returned_on": "tanggal pengembalian",
    "duplicate_of": "nomor laporan asal",
    "reason": "alasan",
}
DATE_FIELDS = (
    "forwarded_on",
    "sk_date",
    HANDOVER_DUE,
    "handed_over_on",
    "distributed_on",
    "returned_on",
)
# Dates that may lie ahead (a deadline); every other one has happened already.
FUTURE_DATES = (HANDOVER_DUE,)
MAX_TEXT = 2000


# The dates a change brings, read before they are written onto the record.
Dates = Mapping[str, date]


@dataclass(frozen=True)
class Bound:
    """The record date a date field must not precede, and how a message names it."""

    label: str
    of: Callable[[Declaration, Dates, Settings], date | None]


def _uppg_receipt(declaration: Declaration, dates: Dates, settings: Settings) -> date:
    moment = declaration.uppg_received_at or declaration.submitted_at
    return moment.astimezone(settings.tz).date()


def _forwarded(declaration: Declaration, dates: Dates, settings: Settings) -> date | None:
    moment = declaration.forwarded_at
    return moment.astimezone(settings.tz).date() if moment else None


def _sk(declaration: Declaration, dates: Dates, settings: Settings) -> date | None:
    return dates.get("sk_date") or declaration.sk_date


def _received(declaration: Declaration, dates: Dates, settings: Settings) -> date:
    return declaration.received_date


# Each date lies between a date of the record and today (the UPPG's local date).
DATES: dict[str, tuple[str, Bound]] = {
    "forwarded_on": (
        "Tanggal diteruskan ke KPK",
        Bound("tanggal laporan diterima UPPG", _uppg_receipt),
    ),
    "sk_date": ("Tanggal SK", Bound("tanggal diteruskan ke KPK", _forwarded)),
    HANDOVER_DUE: ("Batas penyerahan/pembayaran", Bound("tanggal SK", _sk)),
    "handed_over_on": ("Tanggal serah terima/setor", Bound("tanggal SK", _sk)),
    "distributed_on": ("Tanggal penyaluran", Bound("tanggal gratifikasi diterima", _received)),
    "returned_on": ("Tanggal pengembalian", Bound("tanggal gratifikasi diterima", _received)),
}


@dataclass(frozen=True)
class Facts:
    """What the guards read besides the declaration: today (local) and its deadlines."""

    today: date
    deadlines: Sequence[Deadline]

    def due(self, key: str) -> date | None:
        return next((d.due for d in self.deadlines if d.key == key), None)


def _not_forwarded(declaration: Declaration, facts: Facts) -> str | None:
    if declaration.forwarded_at is not None:
        return "Laporan sudah diteruskan ke KPK: tindak lanjutnya menunggu keputusan KPK."
    return None


def _perishable_food(declaration: Declaration, facts: Facts) -> str | None:
    """Only food or drink that spoils may be given as social aid (reference 2.7)."""
    if declaration.object_type != "makanan" and declaration.object_location != "bantuan_sosial":
        return (
            "Hanya makanan/minuman yang mudah rusak yang dapat disalurkan sebagai bantuan sosial "
            "(Surat Edaran KPK tentang gratifikasi hari raya). Laporan ini bukan makanan."
        )
    return _not_forwarded(declaration, facts)


def _completion_over(declaration: Declaration, facts: Facts) -> str | None:
    """Closing an incomplete report waits until its completion deadline has passed."""
    due = facts.due("completion")
    if due is None:
        return "Batas waktu melengkapi laporan ini tidak diketahui."
    if facts.today <= due:
        return (
            f"Batas waktu melengkapi laporan baru lewat setelah {tanggal(due)}; "
            "sampai saat itu laporan belum dapat ditutup."
        )
    return None


GUARDS: dict[str, Callable[[Declaration, Facts], str | None]] = {
    st.DISALURKAN: _perishable_food,
    st.DIKEMBALIKAN: _not_forwarded,
    st.DUPLIKAT: _not_forwarded,
    st.DITARIK: _not_forwarded,
    st.TIDAK_DILENGKAPI: _completion_over,
}


class InvalidTransition(Exception):
    """A change the process does not allow; the message (Indonesian) says why."""


def allowed_targets(report_type: str, status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(report_type, {}).get(status, ())


def required_fields(from_status: str, to_status: str) -> tuple[str, ...]:
    return REQUIRED.get(to_status, ()) + REQUIRED_AFTER.get((from_status, to_status), ())


def fields_for(from_status: str, to_status: str) -> tuple[str, ...]:
    """Every detail this change keeps, required ones first, each once (a required text such
    as the question of "Perlu dilengkapi" is also one of TEXTS: twice, the form showed two
    boxes, both required)."""
    named = required_fields(from_status, to_status) + OPTIONAL.get(to_status, ()) + TEXTS
    return tuple(dict.fromkeys(named))


def required_file(from_status: str, to_status: str) -> str | None:
    """The attachment kind this change needs, or None."""
    return FILES.get(to_status) or FILES_AFTER.get((from_status, to_status))


def blocked_reason(declaration: Declaration, to_status: str, facts: Facts) -> str | None:
    """Why the record itself does not allow this change yet (None: it does)."""
    guard = GUARDS.get(to_status)
    return guard(declaration, facts) if guard else None


def check_transition(
    report_type: str,
    from_status: str,
    to_status: str,
    details: Mapping[str, Any],
    *,
    with_file: bool = True,
) -> None:
    """Raises InvalidTransition with a reason unless the change is allowed and complete."""
    if to_status not in allowed_targets(report_type, from_status):
        raise InvalidTransition(
            f"Status {st.label(from_status)} tidak dapat diubah menjadi {st.label(to_status)}."
        )
    missing = [f for f in required_fields(from_status, to_status) if not details.get(f)]
    kind = required_file(from_status, to_status)
    if kind and not with_file:
        missing.append(kind)
    if missing:
        names = ", ".join(FIELD_LABELS.get(f) or FILE_LABELS.get(f, f) for f in missing)
        raise InvalidTransition(f"Lengkapi dulu: {names}.")
    for name in ("message", "internal_note", "reason", "aid_recipient"):
        if len(str(details.get(name) or "")) > MAX_TEXT:
            label = FIELD_LABELS[name].capitalize()
            raise InvalidTransition(f"{label} terlalu panjang (maks. {MAX_TEXT} huruf).")


def read_date(name: str, value: Any, today: date) -> date:
    """A date as typed ("2026-05-06", "6/5/2026", "6 Mei 2026"), or InvalidTransition."""
    if isinstance(value, date):
        return value
    found = parse_date(str(value), today)
    if found is None:
        label = DATES[name][0] if name in DATES else "Tanggal"
        raise InvalidTransition(f"{label} tidak dapat dibaca. Contoh: 6 Mei 2026 atau 06/05/2026.")
    return found


def check_dates(
    declaration: Declaration, dates: Mapping[str, date], today: date, settings: Settings
) -> None:
    """Each date between its record date and today, or InvalidTransition saying which."""
    for name, value in dates.items():
        label, bound = DATES[name]
        if value > today and name not in FUTURE_DATES:
            raise InvalidTransition(
                f"{label} ({tanggal(value)}) tidak boleh setelah hari ini ({tanggal(today)})."
            )
        earliest = bound.of(declaration, dates, settings)
        if earliest is not None and value < earliest:
            raise InvalidTransition(
                f"{label} ({tanggal(value)}) tidak boleh sebelum {bound.label} "
                f"({tanggal(earliest)})."
            )


_NUMBER = re.compile(r"(?:grt)?[-\s]*(\d{4})?[-\s]*(\d{1,6})", re.IGNORECASE)


async def _original(session: AsyncSession, declaration: Declaration, typed: str) -> str:
    """The number of the declaration this one duplicates ("GRT-2026-000012", "12")."""
    match = _NUMBER.fullmatch(typed.strip())
    year = declaration.number.split("-")[1] if declaration.number.count("-") == 2 else None
    number = typed.strip().upper()
    if match and (match[1] or year):
        number = f"GRT-{match[1] or year}-{int(match[2]):06d}"
    if number == declaration.number:
        raise InvalidTransition("Laporan asal tidak boleh laporan ini sendiri.")
    found = await session.execute(
        select(func.count()).select_from(Declaration).where(Declaration.number == number)
    )
    if not found.scalar_one():
        raise InvalidTransition(f"Laporan asal {number} tidak ditemukan.")
    return number


def _default_settings() -> Settings:
    """The documented defaults, without reading the environment (tests and scripts)."""
    return Settings.model_construct()


async def change_status(
    session: AsyncSession,
    declaration_id: int,
    to_status: str,
    *,
    actor: str,
    details: Mapping[str, Any] | None = None,
    file: Attachment | None = None,
    files: AttachmentPort | None = None,
    settings: Settings | None = None,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
    expected_status: str | None = None,
) -> StatusChange:
    """Moves a declaration to a new status inside the caller's transaction.

    expected_status is the status the officer saw when the form was shown (the dashboard
    sends it): when the record has moved on since (a second officer, or the same button
    pressed twice), the change is refused with who moved it, never applied on top.

    details may hold: message (to the reporter), internal_note (never sent), forwarded_on,
    kpk_reference, sk_number, sk_date, handed_over_on, aid_recipient, distributed_on,
    returned_on, duplicate_of, reason. `file` is the document the change needs (FILES),
    checked and stored by `files` exactly as a file sent in the chat is.
    """
    settings = settings or _default_settings()
    calendar = calendar or work_calendar(
        cuti_bersama_is_workday=settings.cuti_bersama_is_workday,
        knowledge_dir=settings.knowledge_dir,
        check_seconds=settings.knowledge_check_seconds,
    )
    details = {k: (v.strip() if isinstance(v, str) else v) for k, v in (details or {}).items()}
    details = {k: v for k, v in details.items() if v not in (None, "")}
    now = now or datetime.now(UTC)
    today = now.astimezone(settings.tz).date()
    query = select(Declaration).where(Declaration.id == declaration_id).with_for_update()
    declaration = (await session.execute(query)).scalar_one_or_none()
    if declaration is None:
        raise InvalidTransition("Laporan tidak ditemukan.")
    from_status = declaration.status
    if expected_status and expected_status != from_status:
        raise InvalidTransition(await stale_reason(session, declaration, settings))
    check_transition(
        declaration.report_type, from_status, to_status, details, with_file=file is not None
    )
    # Only what belongs to this change goes on the record.
    details = {k: details[k] for k in fields_for(from_status, to_status) if k in details}
    changes = await _changes(session, declaration.id)
    facts = Facts(today, declaration_deadlines(declaration, changes, calendar, settings))
    reason = blocked_reason(declaration, to_status, facts)
    if reason:
        raise InvalidTransition(reason)
    dates = {k: read_date(k, details[k], today) for k in DATE_FIELDS if k in details}
    check_dates(declaration, dates, today, settings)
    if to_status == st.DUPLIKAT:
        typed = str(details["duplicate_of"])
        details["duplicate_of"] = await _original(session, declaration, typed)

    attachment = None
    if file is not None:
        attachment = await _store(
            declaration, from_status, to_status, file, files, cipher_for(session)
        )
    _apply(declaration, to_status, details, dates, now)

    message = details.pop("message", None)
    internal_note = details.pop("internal_note", None)
    stored = {k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in details.items()}
    stored.update({k: v.isoformat() for k, v in dates.items()})
    change = StatusChange(
        declaration_id=declaration.id,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=message,
        internal_note=internal_note,
        details=stored,
        at=now,
    )
    session.add(change)
    await session.flush()
    if attachment is not None:
        session.add(attachment)
        await session.flush()
    if to_status == st.PERLU_DILENGKAPI and message:
        # The officer's question starts (or continues) the thread with the reporter; the
        # timeline shows it once, with this change.
        session.add(
            ThreadMessage(
                declaration_id=declaration.id,
                status_change_id=change.id,
                direction="to_reporter",
                author=actor,
                text=message,
                at=now,
            )
        )
    audit: dict[str, Any] = {"from": from_status, "to": to_status}
    if message:
        audit["message"] = message
    if internal_note:
        audit["internal_note"] = internal_note
    if attachment is not None:
        # That a document came, and which row: never its name (it may name a person).
        audit["file"] = FILE_ATTACHED
        audit["attachment_id"] = attachment.id
    session.add(
        AuditLog(
            actor=actor, action="status_change", target=declaration.number, details=audit, at=now
        )
    )
    session.add(
        outbox_message(
            "reporter.status_changed",
            f"status:{change.id}",
            {"declaration_id": declaration.id, "status_change_id": change.id},
            at=now,
        )
    )
    await session.flush()
    return change


async def stale_reason(
    session: AsyncSession, declaration: Declaration, settings: Settings | None = None
) -> str:
    """Why a change made from an outdated page is not applied: the status now, and who set it
    when (the last change on the record)."""
    settings = settings or _default_settings()
    changes = await _changes(session, declaration.id)
    now = f'Status laporan ini sudah berubah menjadi "{st.label(declaration.status)}"'
    if changes:
        last = changes[-1]
        moment = last.at.astimezone(settings.tz)
        now += f" ({last.actor}, {tanggal(moment.date())} {moment:%H.%M})"
    return (
        f"{now} sejak halaman ini dibuka, jadi perubahan Anda tidak diterapkan. "
        "Periksa riwayat di bawah, lalu ulangi bila masih perlu."
    )


async def _changes(session: AsyncSession, declaration_id: int) -> list[StatusChange]:
    rows = await session.execute(
        select(StatusChange)
        .where(StatusChange.declaration_id == declaration_id)
        .order_by(StatusChange.id)
    )
    return list(rows.scalars())


async def _store(
    declaration: Declaration,
    from_status: str,
    to_status: str,
    file: Attachment,
    files: AttachmentPort | None,
    cipher: Cipher,
) -> DeclarationAttachment:
    """Checks (real type, size) and stores the change's document like a chat attachment."""
    kind = required_file(from_status, to_status) or "dokumen"
    if files is None:
        raise InvalidTransition("Lampiran belum dapat disimpan di server ini.")
    try:
        saved = await files.save(file)
    except AttachmentRejected as exc:
        raise InvalidTransition(f"Berkas {FILE_LABELS[kind]} tidak diterima: {exc}") from None
    return DeclarationAttachment(
        declaration_id=declaration.id,
        kind=kind,
        name=saved.name,
        mime_type=saved.mime_type,
        size=saved.size,
        content_hmac=content_hmac(cipher, saved.sha256),
        storage_key=saved.key,
    )


def _at_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _apply(
    declaration: Declaration,
    to_status: str,
    details: Mapping[str, Any],
    dates: Mapping[str, date],
    now: datetime,
) -> None:
    """Writes the change onto the declaration's own fields."""
    if to_status == st.DITERUSKAN_KPK:
        declaration.forwarded_at = _at_midnight(dates["forwarded_on"])
        declaration.kpk_reference = details.get("kpk_reference") or declaration.kpk_reference
    if to_status in st.DECISIONS:
        declaration.decision = to_status
        declaration.sk_number = str(details["sk_number"])[:100]
        declaration.sk_date = dates["sk_date"]
    if "handed_over_on" in dates:
        declaration.handed_over_on = dates["handed_over_on"]
    if to_status in st.CLOSED:
        declaration.closed_at = now
    declaration.status = to_status
