"""The login and logout pages."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.store.models import AuditLog, User
from bot.store.web_sessions import end_session
from bot.web.dashboard.auth import COOKIE_NAME, Attempt, WebSession, address_limit, authenticate
from bot.web.dashboard.pages import (
    Forbidden,
    LoginRequired,
    codec_of,
    current_officer,
    now_utc,
    read_device,
    read_session,
    render,
    runtime_of,
    safe_next,
    set_device,
    set_session,
    settings_of,
)

router = APIRouter()
ENDED = "Sesi Anda sudah berakhir. Silakan masuk lagi."
# Logins handled at once per process. The rest wait their turn before doing any work, so a
# burst of logins never takes the event loop, the database pool or the cores from the webhooks.
CONCURRENT_LOGINS = 4


def _login_slots(request: Request) -> asyncio.Semaphore:
    slots: asyncio.Semaphore | None = getattr(request.app.state, "login_slots", None)
    if slots is None:
        slots = request.app.state.login_slots = asyncio.Semaphore(CONCURRENT_LOGINS)
    return slots


def _login_page(
    request: Request,
    session: WebSession,
    *,
    error: str = "",
    notice: str = "",
    username: str = "",
    status: int = 200,
) -> Response:
    response = render(
        request,
        "login.html",
        {
            "login_csrf": session.csrf,
            "error": error,
            "notice": notice,
            "username": username,
            "next": safe_next(request.query_params.get("next")),
        },
        status_code=status,
    )
    set_session(request, response, session)
    return response


@router.get("/login")
async def login_form(request: Request) -> Response:
    """Shows the login form (with a fresh CSRF token when there is no session yet)."""
    session = read_session(request) or WebSession.anonymous()
    notice = ENDED if request.query_params.get("ended") else ""
    if session.token is not None:
        try:
            await current_officer(request)
        except LoginRequired:
            session, notice = WebSession.anonymous(), ENDED  # an ended session: start over
        else:
            target = safe_next(request.query_params.get("next"))
            return RedirectResponse(target, status_code=303)
    return _login_page(request, session, notice=notice)


@router.post("/login")
async def login(request: Request) -> Response:
    """Checks the password; on success starts a new server-side session and goes on."""
    async with _login_slots(request):  # the form is not even read before its turn
        return await _login(request)


async def _login(request: Request) -> Response:
    form = await request.form()
    session = read_session(request)
    token = form.get("csrf_token")
    if session is None or not isinstance(token, str) or not session.csrf_ok(token):
        raise Forbidden("Formulir kedaluwarsa. Muat ulang halaman login lalu coba lagi.")
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    if not username or not password:
        return _login_page(
            request,
            session,
            error="Isi nama pengguna dan kata sandi.",
            username=username,
            status=400,
        )
    address = request.client.host if request.client else "unknown"
    attempt = Attempt(
        username=username[:200],
        password=password[:1000],
        address_key=codec_of(request).address_key(address),
        device=read_device(request),
    )
    limit = address_limit(settings_of(request).login_address_max_failures)
    result = await authenticate(runtime_of(request).db, attempt, now=now_utc(), address=limit)
    if result.outcome != "ok":
        status = 429 if result.outcome == "address_paused" else 401
        return _login_page(
            request, session, error=result.error or "", username=username, status=status
        )
    # A new CSRF token at login: nothing learned before login stays valid after it.
    fresh = WebSession(csrf=WebSession.anonymous().csrf, token=result.token)
    response = RedirectResponse(safe_next(str(form.get("next") or "")), status_code=303)
    set_session(request, response, fresh)
    if result.device is not None:
        set_device(request, response, result.device)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Ends the server-side session (CSRF-checked so another site cannot log anyone out)."""
    form = await request.form()
    session = read_session(request)
    token = form.get("csrf_token")
    if session is None or not isinstance(token, str) or not session.csrf_ok(token):
        raise Forbidden("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
    if session.token is not None:
        async with runtime_of(request).db.transaction() as db:
            ended = await end_session(db, session.token)
            user = await db.get(User, ended.user_id) if ended is not None else None
            if user is not None:
                db.add(AuditLog(actor=user.username, action="logout", details={}, at=now_utc()))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response
