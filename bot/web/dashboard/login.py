"""The login and logout pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.web.dashboard.auth import COOKIE_NAME, WebSession, authenticate, key_fingerprint
from bot.web.dashboard.pages import (
    Forbidden,
    LoginRequired,
    current_officer,
    read_session,
    render,
    runtime_of,
    safe_next,
    set_session,
)

router = APIRouter()


def _login_page(
    request: Request, session: WebSession, *, error: str = "", username: str = "", status: int = 200
) -> Response:
    response = render(
        request,
        "login.html",
        {
            "login_csrf": session.csrf,
            "error": error,
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
    if session.user_id is not None:
        try:
            await current_officer(request)
        except LoginRequired:
            session = WebSession.anonymous()  # an ended session: start over
        else:
            target = safe_next(request.query_params.get("next"))
            return RedirectResponse(target, status_code=303)
    return _login_page(request, session)


@router.post("/login")
async def login(request: Request) -> Response:
    """Checks the password; on success starts a new session and goes to the list."""
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
    async with runtime_of(request).db.transaction() as db:
        result = await authenticate(db, username, password, tz=runtime_of(request).settings.tz)
        user = result.user
        fingerprint = key_fingerprint(user.password_hash) if user else ""
        user_id = user.id if user else None
    if user_id is None:
        return _login_page(
            request, session, error=result.error or "", username=username, status=401
        )
    # A new CSRF token at login: nothing learned before login stays valid after it.
    fresh = WebSession(csrf=WebSession.anonymous().csrf, user_id=user_id, key=fingerprint)
    response = RedirectResponse(safe_next(str(form.get("next") or "")), status_code=303)
    set_session(request, response, fresh)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Ends the session (CSRF-checked so another site cannot log an officer out)."""
    form = await request.form()
    session = read_session(request)
    token = form.get("csrf_token")
    if session is None or not isinstance(token, str) or not session.csrf_ok(token):
        raise Forbidden("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response
