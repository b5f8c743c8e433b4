"""The declaration list, the detail page, status actions and questions to the reporter."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.fernet import InvalidToken
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from starlette.datastructures import FormData, UploadFile

from bot.backoffice.deadlines import declaration_deadlines
from bot.backoffice.threads import ask_reporter
from bot.backoffice.workflow import REQUIRED, InvalidTransition, allowed_targets, change_status
from bot.crypto import Cipher
from bot.store.models import AuditLog, Declaration, DeclarationAttachment, ThreadMessage
from bot.web.dashboard import listing
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
from bot.web.dashboard.uploads import UploadRefused, attachment_path, store_upload
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
    "note": ("Catatan", "textarea"),
}
# Optional fields (besides a note) and the file each target accepts.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    st.DITERUSKAN_KPK: ("kpk_reference",),
    st.MILIK_NEGARA: ("handover_due",),
}
PROOF: dict[str, str] = {
    st.MILIK_PENERIMA: "SK KPK (PDF/foto)",
    st.MILIK_NEGARA: "SK KPK (PDF/foto)",
    st.TIDAK_DITINDAKLANJUTI: "SK KPK (PDF/foto)",
    st.SELESAI: "Bukti serah terima atau pembayaran (PDF/foto)",
}
NOTE_LABELS = {
    st.PERLU_DILENGKAPI: "Pertanyaan untuk pelapor (dikirim lewat bot)",
    st.SELESAI: "Catatan penyelesaian (serah terima/pembayaran)",
}


@dataclass(frozen=True)
class ActionField:
    name: str
    label: str
    kind: str
    required: bool


@dataclass(frozen=True)
class Action:
    """One status the declaration may move to, with the form that asks for its details."""

    target: str
    label: str
    fields: list[ActionField]
    proof_label: str | None


def actions_for(declaration: Declaration) -> list[Action]:
    found = []
    for target in allowed_targets(declaration.report_type, declaration.status):
        required = REQUIRED.get(target, ())
        names = [*required, *EXTRA_FIELDS.get(target, ())]
        if "note" not in names:
            names.append("note")
        fields = [
            ActionField(
                name,
                NOTE_LABELS.get(target, FIELDS[name][0]) if name == "note" else FIELDS[name][0],
                FIELDS[name][1],
                name in required,
            )
            for name in names
        ]
        found.append(Action(target, st.label(target), fields, PROOF.get(target)))
    return found


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # status | to_reporter | from_reporter
    title: str
    actor: str
    text: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    attachments: list[DeclarationAttachment] = field(default_factory=list)


DETAIL_LABELS = {
    "forwarded_on": "Tanggal diteruskan",
    "kpk_reference": "Nomor KPK",
    "sk_number": "Nomor SK",
    "sk_date": "Tanggal SK",
    "handover_due": "Batas penyerahan menurut SK",
}


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
    timeline = [
        TimelineEntry(
            at=c.at or now_utc(),
            kind="status",
            title=_change_title(c.from_status, c.to_status),
            actor=c.actor,
            text=c.note,
            details={DETAIL_LABELS.get(k, k): v for k, v in (c.details or {}).items()},
        )
        for c in declaration.changes
    ]
    for m in messages:
        outgoing = m.direction == "to_reporter"
        timeline.append(
            TimelineEntry(
                at=m.at or now_utc(),
                kind=m.direction,
                title="Pesan UPPG ke pelapor" if outgoing else "Jawaban pelapor",
                actor=m.author,
                text=m.text,
                attachments=by_message.get(m.id, []),
            )
        )
    timeline.sort(key=lambda e: e.at)
    today = today_of(settings)
    deadlines = declaration_deadlines(
        declaration, declaration.changes, calendar_of(settings), settings
    )
    can_ask = declaration.status == st.PERLU_DILENGKAPI or st.PERLU_DILENGKAPI in allowed_targets(
        declaration.report_type, declaration.status
    )
    return {
        "d": declaration,
        "pii": {
            "nik": reveal(rt.cipher, declaration.reporter_nik_enc),
            "address": reveal(rt.cipher, declaration.reporter_address_enc),
            "phone": reveal(rt.cipher, declaration.reporter_phone_enc),
        },
        "timeline": timeline,
        "attachments": declaration.attachments,
        "deadlines": [(d, d.overdue(today)) for d in deadlines],
        "actions": actions_for(declaration),
        "can_ask": can_ask,
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
    async with rt.db.sessions() as session:
        page = await listing.fetch_page(
            session, filters, calendar_of(settings), settings, today_of(settings)
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
            "export_query": filters.query_string(page=1),
        },
        officer=officer,
    )


NOTICES = {
    "status": "Status laporan sudah diubah. Pelapor akan diberi tahu.",
    "question": "Pertanyaan sudah dikirim ke pelapor.",
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
    target = str(form.get("to_status") or "")
    posted = {name: str(form.get(name) or "").strip() for name in FIELDS}
    details = {k: v for k, v in posted.items() if v}
    proof = form.get("proof")
    try:
        async with rt.db.transaction() as session:
            await change_status(
                session, declaration_id, target, actor=officer.username, details=details
            )
            if isinstance(proof, UploadFile) and proof.filename:
                attachment = await store_upload(
                    proof,
                    declaration_id=declaration_id,
                    kind="sk" if target != st.SELESAI else "bukti",
                    root=rt.settings.effective_attachment_dir,
                    max_bytes=rt.settings.max_attachment_bytes,
                )
                session.add(attachment)
    except (InvalidTransition, UploadRefused) as exc:
        return await _failed(request, officer, declaration_id, str(exc), posted, target)
    except ValueError:
        message = "Tanggal tidak valid. Contoh: 2026-05-04."
        return await _failed(request, officer, declaration_id, message, posted, target)
    return RedirectResponse(f"/dashboard/declarations/{declaration_id}?ok=status", status_code=303)


@router.post("/dashboard/declarations/{declaration_id}/question")
async def send_question(
    request: Request,
    declaration_id: RowId,
    officer: Officer = Depends(current_officer),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Sends a question to the reporter through the bot (bot.backoffice.threads.ask_reporter)."""
    text = str(form.get("question") or "")
    try:
        async with runtime_of(request).db.transaction() as session:
            await ask_reporter(session, declaration_id, text, actor=officer.username)
    except InvalidTransition as exc:
        return await _failed(
            request, officer, declaration_id, str(exc), {"question": text}, "question"
        )
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
        path = (
            await asyncio.to_thread(
                attachment_path, rt.settings.effective_attachment_dir, found.storage_key
            )
            if found
            else None
        )
        if found is None or path is None:
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
                details={"attachment_id": found.id, "name": found.name},
            )
        )
    return FileResponse(
        path,
        media_type=found.mime_type or "application/octet-stream",
        filename=found.name,
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
