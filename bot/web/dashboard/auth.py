"""Dashboard logins: signed cookies, server-side sessions, and back-off instead of a lock.

Two signed cookies (itsdangerous). The session cookie carries the CSRF token and, once logged
in, the random token of a server-side session (bot/store/web_sessions.py) that logout, a new
password, deactivation or idleness ends. The device cookie remembers that this browser logged in
to an account before.

Guessing is slowed at three keys (bot/store/throttles.py), each counted before the password is
checked, so concurrent guesses cannot overrun a limit:
- the client address: LOGIN_ADDRESS_MAX_FAILURES failures, then pauses; the answer says so;
- the account, for browsers it does not trust: 5 failures, then pauses from 30 s doubling up to
  15 minutes;
- a browser the account trusts (its device cookie): the same, on a counter of its own. Someone
  who knows the admin's name can pause logins to it from strange browsers, never from the admin's.
Every refusal for an account reads and costs the same (one argon2 check, the same page):
unknown, disabled, paused and wrong password cannot be told apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from bot.passwords import check_nothing, check_password, hash_in_pool, needs_rehash
from bot.store.database import Database
from bot.store.models import AuditLog, User
from bot.store.throttles import Limit, account_key, clear, prune, refund, reserve
from bot.store.web_sessions import open_session, prune_sessions

COOKIE_NAME = "gratibot_session"
DEVICE_COOKIE = "gratibot_device"
SESSION_LIFETIME = timedelta(hours=12)  # one working day; then log in again
DEVICE_LIFETIME = timedelta(days=180)
ACCOUNT_LIMIT = Limit(
    free=5,
    first_pause=timedelta(seconds=30),
    max_pause=timedelta(minutes=15),
    forget_after=timedelta(hours=1),
)
DEVICE_LIMIT = ACCOUNT_LIMIT
# What the audit log names when the typed username is no account (it may be a password).
UNKNOWN_ACTOR = "(tidak dikenal)"

WRONG = (
    "Gagal masuk. Periksa nama pengguna dan kata sandi. "
    "Setelah beberapa kali gagal, tunggu beberapa menit sebelum mencoba lagi."
)
ADDRESS_PAUSED = (
    "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. "
    "Tunggu sekitar 15 menit, lalu coba lagi, atau hubungi admin."
)


def address_limit(max_failures: int) -> Limit:
    """The limit for one client address (an office behind one address shares it)."""
    return Limit(
        free=max_failures,
        first_pause=timedelta(minutes=1),
        max_pause=timedelta(minutes=15),
        forget_after=timedelta(minutes=15),
    )


@dataclass(frozen=True)
class WebSession:
    """What the session cookie holds: the CSRF token, and the server session's token."""

    csrf: str
    token: str | None = None

    @classmethod
    def anonymous(cls) -> WebSession:
        return cls(csrf=secrets.token_urlsafe(32))

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf, str(submitted))


@dataclass(frozen=True)
class Device:
    """A browser that logged in to this account before (the device cookie)."""

    user_id: int
    id: str

    @property
    def key(self) -> str:
        return f"device:{self.id}"


class CookieCodec:
    """Signs and reads the dashboard's cookies; hashes client addresses with the same key."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()
        self._sessions = URLSafeTimedSerializer(secret, salt="gratibot.dashboard.session")
        self._devices = URLSafeTimedSerializer(secret, salt="gratibot.dashboard.device")

    def dumps(self, session: WebSession) -> str:
        return self._sessions.dumps({"c": session.csrf, "s": session.token})

    def loads(self, value: str | None) -> WebSession | None:
        data = self._load(self._sessions, value, SESSION_LIFETIME)
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        token = data.get("s")
        return WebSession(csrf=data["c"], token=token if isinstance(token, str) else None)

    def dumps_device(self, device: Device) -> str:
        return self._devices.dumps({"u": device.user_id, "d": device.id})

    def loads_device(self, value: str | None) -> Device | None:
        data = self._load(self._devices, value, DEVICE_LIFETIME)
        if not isinstance(data, dict):
            return None
        user_id, device_id = data.get("u"), data.get("d")
        if not isinstance(user_id, int) or not isinstance(device_id, str):
            return None
        return Device(user_id, device_id)

    def address_key(self, address: str) -> str:
        """A keyed hash of the client's address: the table never holds the address itself."""
        digest = hmac.new(self._secret, f"address:{address}".encode(), hashlib.sha256)
        return "address:" + digest.hexdigest()[:40]

    @staticmethod
    def _load(serializer: URLSafeTimedSerializer, value: str | None, age: timedelta) -> object:
        if not value:
            return None
        try:
            return serializer.loads(value, max_age=int(age.total_seconds()))
        except BadSignature:  # also SignatureExpired
            return None


@dataclass(frozen=True)
class Attempt:
    """One login form as posted, with where it came from."""

    username: str
    password: str
    address_key: str
    device: Device | None = None


@dataclass(frozen=True)
class LoginResult:
    outcome: Literal["ok", "refused", "address_paused"]
    user_id: int | None = None
    token: str | None = None
    device: Device | None = None

    @property
    def error(self) -> str | None:
        return {"ok": None, "refused": WRONG, "address_paused": ADDRESS_PAUSED}[self.outcome]


async def authenticate(
    db: Database, attempt: Attempt, *, now: datetime, address: Limit
) -> LoginResult:
    """Checks a login; on success opens a server-side session (its token in the result).

    Two short transactions around a password check that holds none: count the attempt, check
    the password off the event loop, then record what happened.
    """
    async with db.transaction() as session:
        if not await reserve(session, attempt.address_key, address, now):
            return LoginResult("address_paused")
        user = await session.scalar(select(User).where(User.username == attempt.username))
        device = (
            attempt.device
            if user and attempt.device and attempt.device.user_id == user.id
            else None
        )
        key = device.key if device else account_key(user.id) if user else ""
        reason = "unknown" if user is None else "disabled" if not user.active else "paused"
        if user is not None and user.active:
            limit = DEVICE_LIMIT if device else ACCOUNT_LIMIT
            if await reserve(session, key, limit, now):
                reason = "password"
        stored_hash = user.password_hash if user is not None and reason == "password" else None
    if stored_hash is None:
        await check_nothing(attempt.password)  # the same cost as a real check
        ok = False
    else:
        ok = await check_password(stored_hash, attempt.password)
    new_hash = (
        await hash_in_pool(attempt.password) if ok and needs_rehash(stored_hash or "") else None
    )
    async with db.transaction() as session:
        if not ok:
            actor = user.username if user is not None else UNKNOWN_ACTOR
            details = {"reason": reason}
            session.add(AuditLog(actor=actor, action="login_failed", details=details, at=now))
            return LoginResult("refused")
        assert user is not None
        await clear(session, [key])
        await refund(session, attempt.address_key)
        if new_hash is not None:
            fresh = await session.get(User, user.id)
            if fresh is not None:
                fresh.password_hash = new_hash
        token = await open_session(session, user.id, now=now, lifetime=SESSION_LIFETIME)
        session.add(AuditLog(actor=user.username, action="login", details={}, at=now))
        await prune_sessions(session, now)
        await prune(session, now, older_than=timedelta(days=1))
    return LoginResult(
        "ok",
        user_id=user.id,
        token=token,
        device=device or Device(user.id, secrets.token_urlsafe(16)),
    )
