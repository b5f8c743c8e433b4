"""The compliance function's queue of bribery concerns (SNI ISO 37001:2016 8.9).

Only accounts with the FKAP role open these pages: a UPPG officer or an admin without it gets
"Akses ditolak", and the menu never shows the queue. Every view and every download is written to
the audit log. The sender is never contacted from here: they read the thread with their code.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from starlette.datastructures import FormData

from bot.backoffice import concerns as work
from bot.config import Settings
from bot.store.concerns import box_of, open_doc, open_text
from bot.store.models import AuditLog, Concern, ConcernFile
from bot.web.dashboard.listing import PAGE_SIZE, page_number
from bot.web.dashboard.pages import (
    Forbidden,
    Officer,
    calendar_of,
    checked_form,
    current_officer,
    download,
    render,
    runtime_of,
    today_of,
)
from handlers import concern_terms as terms
from handlers.workdays import WorkCalendar

router = APIRouter()
MAX_MESSAGE = 2000
NOTICES = {
    "status": "Status laporan sudah diubah.",
    "message": "Pesan tersimpan. Pelapor membacanya saat membuka laporan dengan kodenya.",
}


async def fkap_only(officer: Officer = Depends(current_officer)) -> Officer:  # noqa: B008
    if not officer.fkap:
        raise Forbidden("Halaman ini hanya untuk fungsi kepatuhan anti penyuapan (FKAP).")
    return officer


@router.get("/dashboard/aduan")
async def concern_list(
    request: Request,
    status: str = "",
    page: str = "",
    officer: Officer = Depends(fkap_only),  # noqa: B008
) -> Response:
    """Open concerns first, the nearest deadline at the top; then the closed ones, newest
    first; PAGE_SIZE a page, with their deadlines and unread messages."""
    rt = runtime_of(request)
    settings = rt.settings
    calendar, today = calendar_of(settings), today_of(settings)
    chosen = status if status in terms.STATUS_WORDS else ""
    query = select(Concern.id, Concern.status, Concern.received_on)
    if chosen:
        query = query.where(Concern.status == chosen)
    async with rt.db.sessions() as session:
        # Concerns are few (tens a year), so every matching one is ordered here, from three
        # plain columns; the declarations' queue needs a worker process for its thousands.
        found = [Concern(id=i, status=s, received_on=r) for i, s, r in await session.execute(query)]
        ordered = [c.id for c in sorted(found, key=lambda c: _queue_key(c, calendar, settings))]
        pages = max(1, -(-len(ordered) // PAGE_SIZE))
        number = min(page_number(page), pages)
        wanted = ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        loaded = await session.scalars(
            select(Concern).where(Concern.id.in_(wanted)).options(selectinload(Concern.messages))
        )
        by_id = {c.id: c for c in loaded}
        grouped = await session.execute(
            select(Concern.status, func.count()).group_by(Concern.status)
        )
        counts = {status: int(n) for status, n in grouped.all()}
    rows = []
    for concern in (by_id[i] for i in wanted if i in by_id):
        pending = _pending(concern, calendar, settings)
        unread = sum(1 for m in concern.messages if m.author == "pelapor" and m.read_on is None)
        late = pending is not None and pending.overdue(today)
        rows.append({"c": concern, "due": pending, "late": late, "unread": unread})
    context = {
        "rows": rows,
        "status": chosen,
        "statuses": terms.STATUS_WORDS,
        "counts": counts,
        "total": len(ordered),
        "page": number,
        "pages": pages,
        "prev_query": _page_query(chosen, number - 1),
        "next_query": _page_query(chosen, number + 1),
        "title": "Aduan dugaan suap",
    }
    return render(request, "concerns.html", context, officer=officer)


def _page_query(status: str, page: int) -> str:
    """The query string of another page of the same list (page 1 and "all" left out)."""
    values = {"status": status, "page": str(page) if page > 1 else ""}
    return urlencode({k: v for k, v in values.items() if v})


def _pending(
    concern: Concern, calendar: WorkCalendar, settings: Settings
) -> work.ConcernDeadline | None:
    """The next deadline still open (the assessment's comes before the closing's)."""
    return next((d for d in work.deadlines(concern, calendar, settings) if not d.done), None)


def _queue_key(
    concern: Concern, calendar: WorkCalendar, settings: Settings
) -> tuple[int, date, int, int]:
    """Open concerns by their next deadline, and on the same day the one received first;
    then the closed ones, newest first."""
    pending = _pending(concern, calendar, settings)
    received = concern.received_on.toordinal()
    if pending is None:
        return (1, date.max, -received, -concern.id)
    return (0, pending.due, received, concern.id)


@router.get("/dashboard/aduan/{number}")
async def concern_detail(
    request: Request,
    number: str,
    notice: str = "",
    officer: Officer = Depends(fkap_only),  # noqa: B008
) -> Response:
    """The concern in full; opening it marks the sender's messages read (and is audited)."""
    rt = runtime_of(request)
    today = today_of(rt.settings)
    async with rt.db.transaction() as session:
        concern = await session.scalar(
            select(Concern)
            .where(Concern.number == number[:20])
            .options(selectinload(Concern.messages), selectinload(Concern.files))
        )
        if concern is None:
            return _missing(request, officer)
        for message in concern.messages:
            if message.author == "pelapor" and message.read_on is None:
                message.read_on = today
        session.add(AuditLog(actor=officer.username, action="concern_view", target=number))
        context = _detail_context(rt.cipher, concern, rt.settings, today)
    context["notice"] = NOTICES.get(notice, "")
    return render(request, "concern_detail.html", context, officer=officer)


def _detail_context(cipher: Any, concern: Concern, settings: Any, today: date) -> dict[str, Any]:
    box = box_of(cipher, concern)
    story = open_doc(box, concern.story_enc)
    identity = open_doc(box, concern.identity_enc) if concern.identity_enc else None
    thread = [
        {
            "author": "Fungsi kepatuhan" if m.author == "fkap" else "Pelapor",
            "officer": m.officer,
            "text": open_text(box, m.body_enc),
            "status": _status_note(m.status, concern.outcome),
            "on": m.on,
            "read_on": m.read_on,
            "fkap": m.author == "fkap",
        }
        for m in concern.messages
    ]
    files = [
        {"id": f.id, "name": open_text(box, f.name_enc), "size": f.size, "mime": f.mime_type}
        for f in concern.files
    ]
    due = work.deadlines(concern, calendar_of(settings), settings)
    return {
        "c": concern,
        "title": concern.number,
        "status_words": terms.status_words(concern.status, concern.outcome),
        "story": story,
        "identity": identity,
        "thread": thread,
        "files": files,
        "deadlines": [(d, d.overdue(today)) for d in due],
        "targets": [(t, terms.STATUS_WORDS[t]) for t in work.TRANSITIONS.get(concern.status, ())],
        "outcomes": terms.OUTCOME_WORDS,
        "closed": concern.status == terms.SELESAI,
    }


def _status_note(status: str | None, outcome: str | None) -> str | None:
    if status is None:
        return None
    return terms.status_words(status, outcome if status == terms.SELESAI else None)


def _missing(request: Request, officer: Officer) -> Response:
    context = {"message": "Aduan itu tidak ditemukan.", "title": "Tidak ditemukan"}
    return render(request, "error.html", context, officer=officer, status_code=404)


@router.get("/dashboard/aduan/{number}/berkas/{file_id}")
async def concern_file(
    request: Request,
    number: str,
    file_id: int,
    officer: Officer = Depends(fkap_only),  # noqa: B008
) -> Response:
    """A piece of evidence, decrypted for the download (which is audited)."""
    rt = runtime_of(request)
    if not 0 < file_id < 2**31:
        return _missing(request, officer)
    async with rt.db.transaction() as session:
        row = await session.get(ConcernFile, file_id)
        concern = await session.get(Concern, row.concern_id) if row is not None else None
        if row is None or concern is None or concern.number != number:
            return _missing(request, officer)
        box = box_of(rt.cipher, concern)
        name = open_text(box, row.name_enc) or "bukti"
        session.add(
            AuditLog(
                actor=officer.username,
                action="concern_download",
                target=number,
                details={"file": file_id},
            )
        )
    data = box.decrypt(await rt.concerns.blobs.get(row.storage_key))
    return download(data, row.mime_type, f"{number}-{file_id}-{name}")


@router.post("/dashboard/aduan/{number}/status")
async def concern_status(
    request: Request,
    number: str,
    officer: Officer = Depends(fkap_only),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Moves the concern along the procedure (closing needs an outcome)."""
    rt = runtime_of(request)
    message = str(form.get("message") or "").strip()[:MAX_MESSAGE]
    async with rt.db.transaction() as session:
        concern = await _for_update(session, number)
        if concern is None:
            return _missing(request, officer)
        try:
            work.change_status(
                session,
                concern,
                box_of(rt.cipher, concern),
                to=str(form.get("to_status") or ""),
                officer=officer.username,
                today=today_of(rt.settings),
                outcome=str(form.get("outcome") or "") or None,
                message=message or None,
            )
        except work.ConcernChangeRefused as exc:
            error = str(exc)
        else:
            error = ""
    if error:
        return await _with_error(request, officer, number, error)
    return RedirectResponse(f"/dashboard/aduan/{number}?notice=status", status_code=303)


@router.post("/dashboard/aduan/{number}/pesan")
async def concern_message(
    request: Request,
    number: str,
    officer: Officer = Depends(fkap_only),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """A question or an answer for the sender (read with their code)."""
    rt = runtime_of(request)
    text = str(form.get("message") or "").strip()
    if not text:
        return await _with_error(request, officer, number, "Tulis pesannya terlebih dahulu.")
    if len(text) > MAX_MESSAGE:
        error = f"Pesan terlalu panjang (maksimal {MAX_MESSAGE} huruf)."
        return await _with_error(request, officer, number, error, draft=text)
    async with rt.db.transaction() as session:
        concern = await _for_update(session, number)
        if concern is None:
            return _missing(request, officer)
        try:
            work.write_to_sender(
                session,
                concern,
                box_of(rt.cipher, concern),
                officer=officer.username,
                text=text,
                today=today_of(rt.settings),
            )
        except work.ConcernChangeRefused as exc:
            return await _with_error(request, officer, number, str(exc))
    return RedirectResponse(f"/dashboard/aduan/{number}?notice=message", status_code=303)


async def _for_update(session: Any, number: str) -> Concern | None:
    found: Concern | None = await session.scalar(
        select(Concern)
        .where(Concern.number == number[:20])
        .options(selectinload(Concern.messages), selectinload(Concern.files))
    )
    return found


async def _with_error(
    request: Request, officer: Officer, number: str, error: str, *, draft: str = ""
) -> Response:
    """The detail page again, with the reason and what was typed kept."""
    rt = runtime_of(request)
    async with rt.db.sessions() as session:
        concern = await _for_update(session, number)
        if concern is None:
            return _missing(request, officer)
        context = _detail_context(rt.cipher, concern, rt.settings, today_of(rt.settings))
    context.update(error=error, draft=draft)
    return render(request, "concern_detail.html", context, officer=officer, status_code=400)
