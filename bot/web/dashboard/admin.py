"""Admin-only pages: dashboard accounts (the audit log is in audit.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from bot.store.accounts import AccountError, list_users, login_pauses, set_active, set_fkap
from bot.store.models import User
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
