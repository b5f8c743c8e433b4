"""Dashboard logins: argon2 password hashes, signed session cookies, CSRF tokens, lockout."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.passwords import hash_password, needs_rehash, verify_nothing, verify_password
from bot.store.models import AuditLog, User

COOKIE_NAME = "gratibot_session"
SESSION_MAX_AGE = 12 * 3600  # one working day; then log in again
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


def key_fingerprint(password_hash: str) -> str:
    """Ties a session to the password it was opened with: a new password ends old sessions."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class WebSession:
    """What the signed cookie holds: the user (None before login) and the CSRF token."""

    csrf: str
    user_id: int | None = None
    key: str = ""

    @classmethod
    def anonymous(cls) -> WebSession:
        return cls(csrf=secrets.token_urlsafe(32))

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf, str(submitted))


class SessionCodec:
    """Signs and reads session cookies (itsdangerous, with a time limit)."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="gratibot.dashboard.session")

    def dumps(self, session: WebSession) -> str:
        return self._serializer.dumps({"c": session.csrf, "u": session.user_id, "k": session.key})

    def loads(self, token: str | None) -> WebSession | None:
        if not token:
            return None
        try:
            data = self._serializer.loads(token, max_age=SESSION_MAX_AGE)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user_id = data.get("u")
        return WebSession(
            csrf=data["c"],
            user_id=user_id if isinstance(user_id, int) else None,
            key=str(data.get("k") or ""),
        )


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None


WRONG = "Nama pengguna atau kata sandi salah."


def _locked_message(until: datetime, tz: tzinfo) -> str:
    return (
        "Akun terkunci sementara karena terlalu banyak percobaan gagal. "
        f"Coba lagi setelah pukul {until.astimezone(tz):%H.%M} atau hubungi admin."
    )


async def authenticate(
    session: AsyncSession,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    tz: tzinfo = UTC,
) -> LoginResult:
    """Checks a login, counting failures and locking the account after MAX_FAILURES."""
    now = now or datetime.now(UTC)
    user = (
        await session.execute(select(User).where(User.username == username.strip()))
    ).scalar_one_or_none()
    if user is None or not user.active:
        verify_nothing(password)  # same cost as a real check: no user probing
        session.add(AuditLog(actor=username[:120], action="login_failed", details={}, at=now))
        return LoginResult(None, WRONG)
    locked_until = user.locked_until
    if locked_until is not None and locked_until > now:
        session.add(AuditLog(actor=user.username, action="login_locked", details={}, at=now))
        return LoginResult(None, _locked_message(locked_until, tz))
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        details: dict[str, object] = {"failures": user.failed_logins}
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            details["locked"] = True
        session.add(AuditLog(actor=user.username, action="login_failed", details=details, at=now))
        if details.get("locked"):
            return LoginResult(None, _locked_message(now + LOCKOUT, tz))
        return LoginResult(None, WRONG)
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(AuditLog(actor=user.username, action="login", details={}, at=now))
    return LoginResult(user, None)
