"""The declaration list, the detail page, status actions and questions to the reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cryptography.fernet import InvalidToken
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from starlette.datastructures import FormData, UploadFile

from bot.backoffice.deadlines import declaration_deadlines, late_report
from bot.backoffice.delivery_status import NoticeState, notice_states, question_key, status_key
from bot.backoffice.threads import ask_reporter
from bot.backoffice.workflow import (
    DATE_FIELDS,
    FUTURE_DATES,
    Facts,
    InvalidTransition,
    allowed_targets,
    blocked_reason,
    change_status,
    fields_for,
    required_fields,
    required_file,
)
from bot.crypto import Cipher
from bot.documents.fonts import MARKER, missing_characters
from bot.store.models import AuditLog, Declaration, DeclarationAttachment, ThreadMessage, User
from bot.web.dashboard import fields, jobs, labels, listing
from bot.web.dashboard.fields import ReporterPii
from bot.web.dashboard.pages import (
    Officer,
    RowId,
    calendar_of,
    checked_form,
    current_officer,
    now_utc,
    render,
    runtime_of,
    today_of,
)
from bot.web.dashboard.pdf import texts_of
from bot.web.dashboard.queue_order import QueueJob, run_queue_order
from bot.web.dashboard.uploads import (
    content_disposition,
    files_of,
    read_attachment,
    upload_attachment,
)
from handlers import statuses as st
from handlers import vocab

router = APIRouter()

# Form fields of status actions: name -> (label, input type).
FIELDS: dict[str, tuple[str, str]] = {
    "forwarded_on": ("Tanggal diteruskan ke KPK", "date"),
    "kpk_reference": ("Nomor laporan/registrasi KPK", "text"),
    "sk_number": ("Nomor SK KPK", "text"),
    "sk_date": ("Tanggal SK", "date"),
    # The reporter's deadline to hand over (or pay for) an object that became milik negara,
    # as the SK states it (bot/backoffice/deadlines.py).
    "handover_due": ("Batas penyerahan/pembayaran menurut SK", "date"),
    "handed_over_on": ("Tanggal serah terima barang / setor uang", "date"),
    "aid_recipient": ("Penerima bantuan (panti asuhan, panti jompo, dll.)", "text"),
    "distributed_on": ("Tanggal penyaluran", "date"),
    "returned_on": ("Tanggal dikembalikan ke pemberi", "date"),
    "duplicate_of": ("Nomor laporan asal (GRT-...)", "text"),
    "reason": ("Alasan (tercatat dan dikirim ke pelapor)", "textarea"),
    "message": ("Pesan untuk pelapor", "textarea"),
    "internal_note": ("Catatan internal", "textarea"),
}
HINTS = {
    "message": "Dikirim ke pelapor lewat bot, bersama pemberitahuan status.",
    "internal_note": "Hanya untuk UPPG: tercatat di riwayat dan log audit, tidak pernah dikirim.",
}
MESSAGE_LABELS = {st.PERLU_DILENGKAPI: "Pertanyaan untuk pelapor (dikirim lewat bot)"}
FILE_TITLES = {
    "sk": "File SK KPK (PDF/foto)",
    "bukti": "Berita acara serah terima atau bukti setor/pembayaran (PDF/foto)",
    "dokumentasi": "Dokumentasi penyerahan bantuan sosial (foto/PDF)",
    "pengembalian": "Bukti pengembalian: tanda terima pemberi atau foto (PDF/foto)",
}
FILE_ACCEPT = "application/pdf,image/jpeg,image/png,image/webp,image/heic"


@dataclass(frozen=True)
class ActionField:
    name: str
    label: str
    kind: str
    required: bool
    hint: str = ""
    future: bool = False  # a deadline, which may lie ahead


@dataclass(frozen=True)
class Action:
    """One status the declaration may move to, with the form that asks for its details, or
    the reason the record does not allow it yet."""

    target: str
    label: str
    fields: list[ActionField]
    file_label: str | None
    blocked: str | None = None
    # No way back from it (a closing status or KPK's decision): the form asks to confirm.
    final: bool = False


def actions_for(declaration: Declaration, facts: Facts) -> list[Action]:
    found = []
    source = declaration.status
    for target in allowed_targets(declaration.report_type, source):
        required = required_fields(source, target)
        fields = [
            ActionField(
                name,
                MESSAGE_LABELS.get(target, FIELDS[name][0])
                if name == "message"
                else FIELDS[name][0],
                FIELDS[name][1],
                name in required,
                HINTS.get(name, ""),
                name in FUTURE_DATES,
            )
            for name in fields_for(source, target)
        ]
        kind = required_file(source, target)
        found.append(
            Action(
                target,
                st.label(target),
                fields,
                FILE_TITLES.get(kind or ""),
                blocked_reason(declaration, target, facts),
                target in st.DECISIONS or not allowed_targets(declaration.report_type, target),
            )
        )
    return found


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # status | to_reporter | from_reporter
    title: str
    actor: str
    text: str | None = None
    text_label: str = ""
    internal_note: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[DeclarationAttachment] = field(default_factory=list)
    delivery: NoticeState | None = None


DETAIL_LABELS = {
    "forwarded_on": "Tanggal diteruskan",
    "kpk_reference": "Nomor KPK",
    "sk_number": "Nomor SK",
    "sk_date": "Tanggal SK",
    "handover_due": "Batas penyerahan menurut SK",
    "handed_over_on": "Tanggal serah terima/setor",
    "aid_recipient": "Penerima bantuan",
    "distributed_on": "Tanggal penyaluran",
    "returned_on": "Tanggal dikembalikan",
    "duplicate_of": "Laporan asal",
    "reason": "Alasan",
}


def _detail_lines(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The change's details in words, dates as "6 Mei 2026"; unknown keys are left out."""
    lines = []
    for key, label in DETAIL_LABELS.items():
        value = (details or {}).get(key)
        if not value:
            continue
        if key in DATE_FIELDS:
            try:
                value = labels.day(date.fromisoformat(str(value)))
            except ValueError:
                pass
        lines.append((label, str(value)))
    return lines


def who(actor: str) -> str:
    """An officer as the timeline names them (accounts by name; unlinked chat users by id)."""
    if actor.startswith("telegram:"):
        return f"petugas Telegram {actor.removeprefix('telegram:')}"
    if actor.startswith("system"):
        return "sistem"
    return actor


def _change_title(from_status: str | None, to_status: str) -> str:
    if from_status is None:
        return st.label(to_status)
    return f"{st.label(from_status)} → {st.label(to_status)}"


def reveal(cipher: Cipher, token: str | None) -> str | None:
    """Decrypted personal data; a wrong key shows a note instead of failing the page."""
    try:
        return cipher.decrypt(token)
    except InvalidToken:
        return "(tidak dapat dibuka: periksa DATA_ENCRYPTION_KEY)"


async def _load(session: AsyncSession, declaration_id: int) -> Declaration | None:
    query = (
        select(Declaration)
        .where(Declaration.id == declaration_id)
        .options(selectinload(Declaration.attachments), selectinload(Declaration.changes))
    )
    return (await session.execute(query)).scalar_one_or_none()


async def detail_context(
    request: Request, session: AsyncSession, declaration: Declaration
) -> dict[str, Any]:
    """Everything the detail page shows; personal data decrypted for the officer."""
    rt = runtime_of(request)
    settings = rt.settings
    messages = (
        (
            await session.execute(
                select(ThreadMessage)
                .where(ThreadMessage.declaration_id == declaration.id)
                .order_by(ThreadMessage.at, ThreadMessage.id)
            )
        )
        .scalars()
        .all()
    )
    by_message: dict[int, list[DeclarationAttachment]] = {}
    for attachment in declaration.attachments:
        if attachment.thread_message_id is not None:
            by_message.setdefault(attachment.thread_message_id, []).append(attachment)
    # A question that started "perlu dilengkapi" is shown once, with that change.
    asked = {(c.at, c.note) for c in declaration.changes if c.to_status == st.PERLU_DILENGKAPI}
    questions = [
        m
        for m in messages
        if m.direction == "to_reporter"
        and m.status_change_id is None
        and (m.at, m.text) not in asked
    ]
    keys = [status_key(c.id) for c in declaration.changes] + [question_key(m.id) for m in questions]
    states = await notice_states(session, keys)
    timeline = [
        TimelineEntry(
            at=c.at or now_utc(),
            kind="status",
            title=_change_title(c.from_status, c.to_status),
            actor=who(c.actor),
            text=c.note,
            text_label=(
                "Pertanyaan untuk pelapor"
                if c.to_status == st.PERLU_DILENGKAPI
                else "Pesan untuk pelapor"
            ),
            internal_note=c.internal_note,
            details=_detail_lines(c.details),
            delivery=states.get(status_key(c.id)),
        )
        for c in declaration.changes
    ]
    for m in questions:
        timeline.append(
            TimelineEntry(
                at=m.at or now_utc(),
                kind="to_reporter",
                title="Pertanyaan lanjutan UPPG ke pelapor",
                actor=who(m.author),
                text=m.text,
                internal_note=m.internal_note,
                delivery=states.get(question_key(m.id)),
            )
        )
    for m in messages:
        if m.direction != "from_reporter":
            continue
        timeline.append(
            TimelineEntry(
                at=m.at or now_utc(),
                kind="from_reporter",
                title="Jawaban pelapor",
                # Named as the declaration names the reporter, never by the chat's user key.
                actor=declaration.reporter_name,
                text=m.text,
                attachments=by_message.get(m.id, []),
            )
        )
    timeline.sort(key=lambda e: e.at)
    today = today_of(settings)
    calendar = calendar_of(settings)
    deadlines = declaration_deadlines(declaration, declaration.changes, calendar, settings)
    can_ask = declaration.status == st.PERLU_DILENGKAPI or st.PERLU_DILENGKAPI in allowed_targets(
        declaration.report_type, declaration.status
    )
    pii = ReporterPii(
        nik=reveal(rt.cipher, declaration.reporter_nik_enc),
        address=reveal(rt.cipher, declaration.reporter_address_enc),
        phone=reveal(rt.cipher, declaration.reporter_phone_enc),
        giver_address=reveal(rt.cipher, declaration.giver_address_enc),
    )
    assignee = await session.get(User, declaration.assignee_id) if declaration.assignee_id else None
    return {
        "d": declaration,
        "pii": pii,
        "sections": [fields.REPORTER, fields.GIVER, fields.GIFT],
        # Characters no installed font can print: the PDF shows a marker, the page says so.
        "unprintable": missing_characters(texts_of(declaration, pii)),
        "marker": MARKER,
        "received_label": fields.received_label(declaration),
        "assignee": assignee.username if assignee else None,
        "assignee_active": bool(assignee.active) if assignee else True,
        "late": late_report(declaration, settings),
        "officers": await listing.officers(session),
        "unread_ids": {
            m.id for m in messages if m.direction == "from_reporter" and m.read_at is None
        },
        "timeline": timeline,
        "attachments": declaration.attachments,
        "deadlines": [
            (
                d,
                d.overdue(today),
                "" if d.done or d.due is None else listing.left_text(d.due, today, calendar),
            )
            for d in deadlines
        ],
        "actions": actions_for(declaration, Facts(today, deadlines)),
        "can_ask": can_ask,
        "file_accept": FILE_ACCEPT,
        "today": today.isoformat(),
        "hints": HINTS,
        "posted": {},
        "posted_target": "",
        "error": "",
        "notice": "",
    }


@router.get("/dashboard")
async def declaration_list(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The list with filters, search, due dates and pagination."""
    rt = runtime_of(request)
    settings = rt.settings
    filters = listing.ListFilter.from_query(request.query_params)
    today, calendar = today_of(settings), calendar_of(settings)
    newest = filters.sort == "terbaru" and not filters.overdue
    open_ids: list[int] = []
    if not newest:
        job = QueueJob(settings, jobs.DbRef.of(rt.db), filters, officer.id, today)
        open_ids = await jobs.run(run_queue_order, job)
    async with rt.db.sessions() as session:
        if newest:
            page = await listing.newest_page(
                session, filters, calendar, settings, today, officer_id=officer.id, cipher=rt.cipher
            )
        else:
            page = await listing.queue_page(
                session,
                filters,
                open_ids,
                calendar,
                settings,
                today,
                officer_id=officer.id,
                cipher=rt.cipher,
            )
        units = await listing.units(session)
    return render(
        request,
        "list.html",
        {
            "page": page,
            "f": filters,
            "units": units,
            "statuses": st.LABELS,
            "occasions": vocab.OCCASIONS,
            "report_types": vocab.REPORT_TYPES,
            "sorts": listing.SORTS,
            "soon": listing.SOON_WORKDAYS,
            "export_query": filters.query_string(page=1),
        },
        officer=officer,
    )


NOTICES = {
    "status": "Status laporan sudah diubah. Pengiriman pemberitahuan ke pelapor tampak di riwayat.",
    "question": "Pertanyaan masuk antrean kirim ke pelapor; keadaannya tampak di riwayat.",
    "assigned": "Petugas yang menangani sudah dicatat.",
}


@router.get("/dashboard/declarations/{declaration_id}")
async def declaration_detail(
    request: Request,
    declaration_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """One declaration in full; the view is written to the audit log."""
    rt = runtime_of(request)
    async with rt.db.transaction() as session:
        declaration = await _load(session, declaration_id)
        if declaration is None:
            return render(
                request,
                "error.html",
                {"title": "Tidak ditemukan", "message": "Laporan tidak ditemukan."},
                officer=officer,
                status_code=404,
            )
        context = await detail_context(request, session, declaration)
        session.add(AuditLog(actor=officer.username, action="view", target=declaration.number))
        # The officer has now seen the reporter's answers: the queue's badge goes.
        await session.execute(
            update(ThreadMessage)
            .where(
                ThreadMessage.declaration_id == declaration.id,
                ThreadMessage.direction == "from_reporter",
                ThreadMessage.read_at.is_(None),
            )
            .values(read_at=now_utc())
        )
    context["notice"] = NOTICES.get(request.query_params.get("ok") or "", "")
    return render(request, "detail.html", context, officer=officer)


async def _failed(
    request: Request,
    officer: Officer,
    declaration_id: int,
    error: str,
    posted: dict[str, str],
    target: str,
) -> Response:
    """The detail page again with the reason and what the officer typed."""
    async with runtime_of(request).db.sessions() as session:
        declaration = await _load(session, declaration_id)
        if declaration is None:
            return RedirectResponse("/dashboard", status_code=303)
        context = await detail_context(request, session, declaration)
    context.update(error=error, posted=posted, posted_target=target)
    return render(request, "detail.html", context, officer=officer, status_code=400)


@router.post("/dashboard/declarations/{declaration_id}/status")
async def change_declaration_status(
    request: Request,
    declaration_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Applies a status action (bot.backoffice.workflow); a refused change shows its reason."""
    rt = runtime_of(request)
    settings = rt.settings
    target = str(form.get("to_status") or "")
    posted = {name: str(form.get(name) or "").strip() for name in FIELDS}
    proof = form.get("proof")
    file = (
        upload_attachment(proof, max_bytes=settings.max_attachment_bytes)
        if isinstance(proof, UploadFile) and proof.filename
        else None
    )
    try:
        async with rt.db.transaction() as session:
            await change_status(
                session,
                declaration_id,
                target,
                actor=officer.username,
                details=posted,
                file=file,
                files=files_of(rt),
                settings=settings,
                calendar=calendar_of(settings),
                expected_status=str(form.get("seen_status") or "") or None,
            )
    except InvalidTransition as exc:
        return await _failed(request, officer, declaration_id, str(exc), posted, target)
    return RedirectResponse(f"/dashboard/declarations/{declaration_id}?ok=status", status_code=303)


@router.post("/dashboard/declarations/{declaration_id}/question")
async def send_question(
    request: Request,
    declaration_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Sends a question to the reporter through the bot (bot.backoffice.threads.ask_reporter);
    the internal note stays with the UPPG."""
    rt = runtime_of(request)
    text = str(form.get("question") or "")
    note = str(form.get("question_note") or "")
    try:
        async with rt.db.transaction() as session:
            await ask_reporter(
                session,
                declaration_id,
                text,
                actor=officer.username,
                internal_note=note,
                settings=rt.settings,
                expected_status=str(form.get("seen_status") or "") or None,
            )
    except InvalidTransition as exc:
        posted = {"question": text, "question_note": note}
        return await _failed(request, officer, declaration_id, str(exc), posted, "question")
    return RedirectResponse(
        f"/dashboard/declarations/{declaration_id}?ok=question", status_code=303
    )


@router.get("/dashboard/attachments/{attachment_id}")
async def attachment(
    request: Request,
    attachment_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """Sends an attachment's file to a logged-in officer (audited)."""
    rt = runtime_of(request)
    async with rt.db.transaction() as session:
        found = await session.get(DeclarationAttachment, attachment_id)
        data = await read_attachment(rt, found.storage_key) if found else None
        if found is None or data is None:
            return render(
                request,
                "error.html",
                {"title": "Tidak ditemukan", "message": "Berkas lampiran tidak ditemukan."},
                officer=officer,
                status_code=404,
            )
        declaration = await session.get(Declaration, found.declaration_id)
        session.add(
            AuditLog(
                actor=officer.username,
                action="download_attachment",
                target=declaration.number if declaration else None,
                # The id only: a file's name may name a person (it stays sealed in its row).
                details={"attachment_id": found.id},
            )
        )
    return Response(
        data,
        media_type=found.mime_type or "application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(found.name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/dashboard/declarations/{declaration_id}/assign")
async def assign(
    request: Request,
    declaration_id: int,
    officer: Officer = Depends(current_officer),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Records who handles the report ("Ditangani oleh"): oneself, another officer, or no one."""
    choice = str(form.get("assignee") or "")
    assignee_id = officer.id if choice == "me" else int(choice) if choice.isdigit() else None
    async with runtime_of(request).db.transaction() as session:
        declaration = await session.get(Declaration, declaration_id)
        if declaration is None:
            return RedirectResponse("/dashboard", status_code=303)
        user = await session.get(User, assignee_id) if assignee_id else None
        if assignee_id is not None and (user is None or not user.active):
            return await _failed(
                request, officer, declaration_id, "Petugas itu tidak ditemukan.", {}, "assign"
            )
        previous = declaration.assignee_id
        declaration.assignee_id = assignee_id
        if previous != assignee_id:
            session.add(
                AuditLog(
                    actor=officer.username,
                    action="assign",
                    target=declaration.number,
                    details={"assignee": user.username if user else "-"},
                )
            )
    return RedirectResponse(
        f"/dashboard/declarations/{declaration_id}?ok=assigned", status_code=303
    )
