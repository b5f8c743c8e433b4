"""Admin-only pages: dashboard accounts and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import FormData

from bot.store.accounts import AccountError, list_users, login_pauses, set_active, set_fkap
from bot.store.models import AuditLog, User
from bot.web.dashboard.listing import page_number
from bot.web.dashboard.pages import (
    Officer,
    RowId,
    admin_only,
    checked_form,
    now_utc,
    render,
    runtime_of,
)

router = APIRouter()
AUDIT_PAGE_SIZE = 50
# How audit actions read for an admin; unknown actions (other parts of gratibot) show as is.
ACTION_LABELS = {
    "login": "Masuk",
    "login_failed": "Gagal masuk",
    "login_locked": "Masuk ditolak (terkunci)",
    "logout": "Keluar",
    "view": "Melihat laporan",
    "view_recap": "Melihat rekap",
    "export_csv": "Ekspor CSV",
    "export_xlsx": "Ekspor Excel",
    "export_pdf": "Unduh formulir PDF",
    "export_recap": "Ekspor rekap Excel",
    "download_attachment": "Unduh lampiran",
    "status_change": "Ubah status",
    "thread_message": "Pesan ke pelapor",
    "user_add": "Tambah pengguna",
    "user_password": "Ganti kata sandi",
    "user_activate": "Aktifkan pengguna",
    "user_deactivate": "Nonaktifkan pengguna",
    "user_fkap_grant": "Beri peran FKAP",
    "user_fkap_revoke": "Cabut peran FKAP",
    "concern_view": "Membuka aduan",
    "concern_download": "Unduh bukti aduan",
    "concern_status": "Ubah status aduan",
    "concern_message": "Pesan untuk pelapor aduan",
}


@router.get("/dashboard/users")
async def users_page(
    request: Request,
    officer: Officer = Depends(admin_only),  # noqa: B008
) -> Response:
    """The accounts, with their state and any login back-off."""
    async with runtime_of(request).db.sessions() as session:
        users = await list_users(session)
        pauses = await login_pauses(session, users, now_utc())
    rows = [(u, pauses.get(u.id)) for u in users]  # (user, logins paused until)
    return render(request, "users.html", {"rows": rows}, officer=officer)


@router.post("/dashboard/users/{user_id}/active")
async def toggle_user(
    request: Request,
    user_id: RowId,
    officer: Officer = Depends(admin_only),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Deactivates or (re)activates an account (its sessions end); activating also lifts a
    login back-off."""
    active = form.get("active") == "1"
    async with runtime_of(request).db.transaction() as session:
        user = await session.get(User, user_id)
        if user is not None and not (user.id == officer.id and not active):
            try:
                await set_active(session, user.username, active, actor=officer.username)
            except AccountError:
                pass
    return RedirectResponse("/dashboard/users", status_code=303)


@router.post("/dashboard/users/{user_id}/fkap")
async def toggle_fkap(
    request: Request,
    user_id: int,
    officer: Officer = Depends(admin_only),  # noqa: B008
    form: FormData = Depends(checked_form),  # noqa: B008
) -> Response:
    """Grants or withdraws the compliance function's role (FKAP)."""
    granted = form.get("fkap") == "1"
    if 0 < user_id < 2**31:
        async with runtime_of(request).db.transaction() as session:
            user = await session.get(User, user_id)
            if user is not None:
                await set_fkap(session, user.username, granted, actor=officer.username)
    return RedirectResponse("/dashboard/users", status_code=303)


@router.get("/dashboard/audit")
async def audit_page(
    request: Request,
    officer: Officer = Depends(admin_only),  # noqa: B008
) -> Response:
    """The audit log, newest first, optionally for one declaration number or actor."""
    target = (request.query_params.get("target") or "").strip()
    actor = (request.query_params.get("actor") or "").strip()
    page = page_number(request.query_params.get("page"))
    query = select(AuditLog)
    if target:
        query = query.where(AuditLog.target == target)
    if actor:
        query = query.where(AuditLog.actor == actor)
    async with runtime_of(request).db.sessions() as session:
        total = (
            await session.execute(select(func.count()).select_from(query.subquery()))
        ).scalar_one()
        pages = max(1, -(-total // AUDIT_PAGE_SIZE))
        page = min(page, pages)
        entries = (
            (
                await session.execute(
                    query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
                    .limit(AUDIT_PAGE_SIZE)
                    .offset((page - 1) * AUDIT_PAGE_SIZE)
                )
            )
            .scalars()
            .all()
        )
    return render(
        request,
        "audit.html",
        {
            "entries": entries,
            "target": target,
            "actor": actor,
            "page": page,
            "pages": pages,
            "total": total,
            "action_labels": ACTION_LABELS,
        },
        officer=officer,
    )
