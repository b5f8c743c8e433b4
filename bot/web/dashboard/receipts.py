"""Receipts on the web: the officer's download of a "Tanda terima", and the public /verify
page where anyone checks whether a receipt is genuine (no login, no personal data shown)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from bot.documents.receipt import archive_note, receipt_for, verify
from bot.documents.signing import Signer, signer_from_settings
from bot.store.models import AuditLog, Declaration
from bot.web.dashboard import labels
from bot.web.dashboard.pages import Officer, current_officer, download, render, runtime_of

router = APIRouter()
MAX_RECEIPT_BYTES = 5 * 1024 * 1024


def signer_of(request: Request) -> Signer:
    signer: Signer | None = getattr(request.app.state, "receipt_signer", None)
    if signer is None:
        signer = signer_from_settings(runtime_of(request).settings)
        request.app.state.receipt_signer = signer
    return signer


@router.get("/dashboard/declarations/{declaration_id}/tanda-terima.pdf")
async def receipt_download(
    request: Request,
    declaration_id: int,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> Response:
    """The signed receipt of one declaration, as the reporter gets it in the chat."""
    rt = runtime_of(request)
    async with rt.db.transaction() as session:
        declaration = await session.get(Declaration, declaration_id)
        if declaration is None:
            return render(
                request,
                "error.html",
                {"title": "Tidak ditemukan", "message": "Laporan tidak ditemukan."},
                officer=officer,
                status_code=404,
            )
        content = await receipt_for(
            session, declaration, rt.settings, rt.cipher, signer_of(request)
        )
        session.add(
            AuditLog(actor=officer.username, action="export_receipt", target=declaration.number)
        )
    return download(content, "application/pdf", f"tanda-terima-{declaration.number}.pdf")


@router.get("/verify")
async def verify_form(request: Request) -> Response:
    """The public page: upload a receipt to check it."""
    signer = signer_of(request)
    return render(
        request,
        "verify.html",
        {"verdict": None, "key_id": signer.key_id, "public_key": signer.public_text},
    )


@router.post("/verify")
async def verify_upload(request: Request) -> Response:
    """Says whether the uploaded receipt is genuine and unaltered, and what it states."""
    signer = signer_of(request)
    context: dict[str, object] = {"key_id": signer.key_id, "public_key": signer.public_text}
    form = await request.form(max_files=1, max_fields=2)
    try:
        upload = form.get("berkas")
        if not isinstance(upload, UploadFile) or not upload.filename:
            context.update(verdict=None, error="Pilih dulu berkas PDF tanda terima.")
            return render(request, "verify.html", context, status_code=400)
        content = await upload.read(MAX_RECEIPT_BYTES + 1)
    finally:
        await form.close()
    if len(content) > MAX_RECEIPT_BYTES:
        context.update(verdict=None, error="Berkas terlalu besar untuk sebuah tanda terima.")
        return render(request, "verify.html", context, status_code=400)
    verdict = await asyncio.to_thread(verify, content, signer)
    rt = runtime_of(request)
    async with rt.db.sessions() as session:
        note = await archive_note(verdict, session, rt.cipher)
    facts = verdict.facts
    context.update(
        verdict=verdict,
        note=note,
        received=labels.moment(facts.received_at, rt.settings.tz) if facts else None,
    )
    return render(request, "verify.html", context, status_code=200)
