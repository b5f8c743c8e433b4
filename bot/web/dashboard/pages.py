"""Shared parts of the dashboard: templates, the logged-in officer, CSRF, responses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi import Path as PathParameter
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.config import Settings
from bot.messages import MAX_ROW_ID
from bot.runtime import Runtime
from bot.store.declarations import workday_counts
from bot.store.models import User
from bot.store.web_sessions import find_session
from bot.web.dashboard import banner, labels, workdays
from bot.web.dashboard.auth import (
    COOKIE_NAME,
    DEVICE_COOKIE,
    DEVICE_LIFETIME,
    SESSION_LIFETIME,
    CookieCodec,
    Device,
    WebSession,
)
from bot.web.dashboard.keys import web_secret
from handlers.workdays import WorkCalendar

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.globals.update(labels=labels)

# Pages carry personal data: never cached, never framed, no scripts from anywhere.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
}

# A row id in a URL. One the database cannot hold (2**31 and above, or below 1) is a page
# that does not exist: 404, like any unknown id, instead of a database error.
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]


@dataclass(frozen=True)
class Officer:
    """The logged-in dashboard user."""

    id: int
    username: str
    role: str
    csrf: str
    # Holds the compliance function's role (FKAP): may open the concern queue.
    fkap: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form.

    ended: the browser had a session that the server ended (logout elsewhere, idle, a new
    password); the login form then says so."""

    def __init__(self, *, ended: bool = False) -> None:
        super().__init__()
        self.ended = ended


class Forbidden(Exception):
    """Logged in, but not allowed here (role, or a form without its CSRF token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def settings_of(request: Request) -> Settings:
    return runtime_of(request).settings


def calendar_of(settings: Settings) -> WorkCalendar:
    """The process's working-day calendar (the installed package and knowledge/holidays.yaml)."""
    return workdays.calendar_for(settings)


def today_of(settings: Settings) -> date:
    return datetime.now(settings.tz).date()


def codec_of(request: Request) -> CookieCodec:
    codec: CookieCodec | None = getattr(request.app.state, "dashboard_codec", None)
    if codec is None:
        codec = CookieCodec(web_secret(settings_of(request)))
        request.app.state.dashboard_codec = codec
    return codec


def read_session(request: Request) -> WebSession | None:
    return codec_of(request).loads(request.cookies.get(COOKIE_NAME))


def read_device(request: Request) -> Device | None:
    return codec_of(request).loads_device(request.cookies.get(DEVICE_COOKIE))


def _set_cookie(request: Request, response: Response, name: str, value: str, age: int) -> None:
    """HttpOnly, SameSite=Lax, and Secure over https or in production."""
    secure = request.url.scheme == "https" or settings_of(request).environment == "production"
    response.set_cookie(
        name, value, max_age=age, path="/", httponly=True, samesite="lax", secure=secure
    )


def set_session(request: Request, response: Response, session: WebSession) -> None:
    """Writes the signed session cookie."""
    value = codec_of(request).dumps(session)
    _set_cookie(request, response, COOKIE_NAME, value, int(SESSION_LIFETIME.total_seconds()))


def set_device(request: Request, response: Response, device: Device) -> None:
    """Writes the device cookie: this browser has logged in to this account."""
    value = codec_of(request).dumps_device(device)
    _set_cookie(request, response, DEVICE_COOKIE, value, int(DEVICE_LIFETIME.total_seconds()))


def idle_timeout(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.dashboard_idle_minutes)


async def current_officer(request: Request) -> Officer:
    """The officer of this request's live server-side session, or LoginRequired."""
    session = read_session(request)
    if session is None or session.token is None:
        raise LoginRequired()
    idle = idle_timeout(settings_of(request))
    async with runtime_of(request).db.transaction() as db:
        row = await find_session(db, session.token, now=now_utc(), idle=idle)
        user = await db.get(User, row.user_id) if row is not None else None
    if user is None or not user.active:
        raise LoginRequired(ended=True)
    await banner.load(request)
    return Officer(user.id, user.username, user.role, session.csrf, fkap=user.fkap)


async def admin_only(officer: Officer = Depends(current_officer)) -> Officer:  # noqa: B008
    if not officer.is_admin:
        raise Forbidden("Halaman ini hanya untuk admin.")
    return officer


async def checked_form(
    request: Request,
    officer: Officer = Depends(current_officer),  # noqa: B008
) -> AsyncIterator[FormData]:
    """The posted form, once its CSRF token matches the session's; uploads closed after."""
    form = await request.form()
    try:
        token = form.get("csrf_token")
        if not isinstance(token, str) or not WebSession(officer.csrf).csrf_ok(token):
            raise Forbidden(
                "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi."
            )
        yield form
    finally:
        await form.close()


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    officer: Officer | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    settings = settings_of(request)
    base = {
        "officer": officer,
        "tz": settings.tz,
        # The deadline settings that labels quote ("Batas ke KPK (30 hari kerja)").
        "days": workday_counts(settings),
        # CUTI_BERSAMA_IS_WORKDAY, which the hints on counting state.
        "cuti_bersama_is_workday": settings.cuti_bersama_is_workday,
        "csrf": officer.csrf if officer else "",
        # What holds the UPPG's messages back (banner.py), for every officer's page.
        "banner": getattr(request.state, "banner", None) if officer else None,
    }
    response = TEMPLATES.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def download(content: bytes, media_type: str, filename: str) -> Response:
    """A file download that is never cached."""
    response = Response(content, media_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def safe_next(value: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/dashboard"


def now_utc() -> datetime:
    return datetime.now(UTC)


async def _login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/dashboard"
    ended = "&ended=1" if isinstance(exc, LoginRequired) and exc.ended else ""
    return RedirectResponse(f"/login?next={quote(target, safe='')}{ended}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    message = exc.message if isinstance(exc, Forbidden) else "Akses ditolak."
    return render(
        request, "error.html", {"message": message, "title": "Akses ditolak"}, status_code=403
    )


def is_dashboard_path(path: str) -> bool:
    return path in ("/login", "/logout", "/dashboard") or path.startswith("/dashboard/")


def _is_dashboard(request: Request) -> bool:
    return is_dashboard_path(request.url.path)


async def _not_found(request: Request, exc: Exception) -> Response:
    """A wrong dashboard address gets a page in Indonesian; webhooks keep FastAPI's answers."""
    if not _is_dashboard(request):
        if isinstance(exc, RequestValidationError):
            return await request_validation_exception_handler(request, exc)
        assert isinstance(exc, StarletteHTTPException)
        return await http_exception_handler(request, exc)
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 404
    if status == 405:
        message = "Alamat ini tidak dapat dibuka langsung."
    elif status == 413:
        most = settings_of(request).max_attachment_bytes // (1024 * 1024)
        message = (
            f"Berkas terlalu besar: lampiran paling besar {most} MB. "
            "Kembali, pilih berkas yang lebih kecil, lalu kirim lagi."
        )
    elif status == 404 or isinstance(exc, RequestValidationError):
        message = "Halaman tidak ditemukan. Periksa alamatnya atau kembali ke daftar laporan."
    else:
        message = "Permintaan tidak dapat diproses."
        status = status if 400 <= status < 600 else 400
    context = {"message": message, "title": "Tidak ditemukan" if status == 404 else "Maaf"}
    return render(request, "error.html", context, status_code=status)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(StarletteHTTPException, _not_found)
    app.add_exception_handler(RequestValidationError, _not_found)
