"""Session storage: one interface, a Redis version (production) and a memory version (embedded).

A conversation is used as `async with store.conversation(key) as conv:`. The lock is taken
before the state is loaded, and the state is saved before the lock is released; in Redis both
happen in one round trip each (Lua), so a worker that dies in between leaves the old session
and a lock that expires by itself.

`await conv.commit()` saves at once and keeps the lock: the dispatcher commits before it sends
the replies, so a process (or Redis) that dies after a reply went out never leaves the reply
ahead of the saved state (the user's next answer would land in the previous field). A lost
reply can be asked for again; an answer stored in the wrong field cannot be undone.

An admitted update id (a channel's retry key) is marked handled in the same write that saves
the session, never before: a process that dies mid-turn leaves the update free for a
redelivery, or for another replica that takes over the intake (bot/intake.py).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import redis.asyncio as aioredis
from cryptography.fernet import InvalidToken
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from bot.crypto import Cipher
from handlers.errors import ServiceUnavailable
from handlers.session import Session


class LockTimeout(Exception):
    """Another message of the same conversation is still being processed."""


class LockLost(ServiceUnavailable):
    """The lock expired while we worked; our result is dropped rather than overwrite another's."""


class Duplicate(Exception):
    """This update was seen before (a channel's retry); it must have no second effect."""


@dataclass(frozen=True)
class Admission:
    """Checks made in the same round trip as taking the lock.

    dedupe: (scope, id) of the channel's update; one already handled raises Duplicate (checked
    at every attempt to take the lock, recorded when the turn is saved).
    flood_window: count this message in the conversation's flood window (Conversation.hits).
    """

    dedupe: tuple[str, str] | None = None
    dedupe_ttl: int = 24 * 3600
    flood_window: int | None = None


log = logging.getLogger(__name__)

ACQUIRED, BUSY, DUPLICATE = 1, 0, -1


@dataclass
class Conversation:
    """A locked conversation: the loaded session, and what to do with it.

    save() and delete() take effect on release, or at once with commit()."""

    key: str
    session: Session | None
    hits: int = 0
    _store: SessionStore | None = field(default=None, repr=False)
    _token: str = field(default="", repr=False)
    _handled: tuple[str, int] | None = field(default=None, repr=False)
    _action: str = field(default="keep", init=False)
    _value: Session | None = field(default=None, init=False)
    committed: bool = field(default=False, init=False)

    def save(self, session: Session) -> None:
        self._action, self._value = "set", session

    def delete(self) -> None:
        self._action, self._value = "del", None

    async def commit(self) -> None:
        """Writes the pending save or delete now and marks the admitted update handled; the
        lock stays held until the block ends. Raises LockLost (nothing written) when the lock
        expired meanwhile."""
        assert self._store is not None
        await self._store._write(
            self.key, self._token, self._action, self._value, self._handled, unlock=False
        )
        self._action, self._value = "keep", None
        self._handled = None
        self.committed = True


class SessionStore(ABC):
    """Sessions, conversation locks, and small shared counters, behind one interface."""

    def __init__(self, *, ttl_seconds: int, lock_timeout: float, lock_wait: float) -> None:
        self.ttl_seconds = ttl_seconds
        self.lock_timeout = lock_timeout
        self.lock_wait = lock_wait
        # Waiters in this process queue on a local lock first (first come, first served),
        # so only one of them at a time polls the shared lock.
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def conversation(
        self, key: str, admission: Admission | None = None
    ) -> AsyncIterator[Conversation]:
        """Locks the conversation, loads its session, and saves it on a clean exit."""
        async with self._local_lock(key):
            token = secrets.token_hex(8)
            session, hits = await self._acquire(key, token, admission)
            handled = None
            if admission is not None and admission.dedupe is not None:
                handled = (self._seen_name(*admission.dedupe), admission.dedupe_ttl)
            conv = Conversation(
                key=key, session=session, hits=hits, _store=self, _token=token, _handled=handled
            )
            try:
                yield conv
            except BaseException:
                if conv.committed:
                    await self._unlock_quietly(key, token)
                else:
                    await self._write(key, token, "keep", None, None, unlock=True)
                raise
            if conv.committed:
                # The turn is saved; a failure to unlock only delays the next message until
                # the lock expires, and must not turn a finished turn into an error.
                await self._unlock_quietly(key, token)
                return
            await self._write(key, token, conv._action, conv._value, conv._handled, unlock=True)

    async def _unlock_quietly(self, key: str, token: str) -> None:
        try:
            await self._write(key, token, "keep", None, None, unlock=True)
        except (LockLost, ServiceUnavailable) as exc:
            log.warning("conversation lock not released (it expires by itself): %s", exc)

    @staticmethod
    def _seen_name(scope: str, ident: str) -> str:
        return f"{scope}:{ident}"

    @asynccontextmanager
    async def _local_lock(self, key: str) -> AsyncIterator[None]:
        lock, users = self._local.get(key) or (asyncio.Lock(), 0)
        self._local[key] = (lock, users + 1)
        try:
            try:
                await asyncio.wait_for(lock.acquire(), self.lock_wait)
            except TimeoutError:
                raise LockTimeout(key) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            lock, users = self._local[key]
            if users <= 1:
                del self._local[key]
            else:
                self._local[key] = (lock, users - 1)

    async def _acquire(
        self, key: str, token: str, admission: Admission | None
    ) -> tuple[Session | None, int]:
        deadline = time.monotonic() + self.lock_wait
        delay = 0.005
        seen = self._seen_name(*admission.dedupe) if admission and admission.dedupe else None
        flood = admission.flood_window if admission else None
        # The flood count is taken with the first attempt only; the handled check with every
        # attempt, since the holder we wait for may be handling this very update.
        status, session, hits = await self._try_acquire(key, token, seen, flood)
        while True:
            if status == DUPLICATE:
                raise Duplicate(key)
            if status == ACQUIRED:
                return session, hits
            if time.monotonic() >= deadline:
                raise LockTimeout(key)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.025)
            status, session, _ = await self._try_acquire(key, token, seen, None)

    @abstractmethod
    async def _try_acquire(
        self, key: str, token: str, seen: str | None, flood_window: int | None
    ) -> tuple[int, Session | None, int]:
        """One attempt: (ACQUIRED | BUSY | DUPLICATE, the session, the flood count).

        seen: the name of the update id whose record means "already handled"."""

    @abstractmethod
    async def _write(
        self,
        key: str,
        token: str,
        action: str,
        session: Session | None,
        handled: tuple[str, int] | None,
        *,
        unlock: bool,
    ) -> None:
        """Applies action (set | del | keep) and records `handled` (name, ttl) while the lock
        is ours, then releases it when `unlock`; LockLost (nothing written) when it is not."""

    @abstractmethod
    async def load(self, key: str) -> Session | None:
        """Reads a session without locking (for dashboards and reminders)."""

    @abstractmethod
    async def first_seen(self, scope: str, ident: str, ttl_seconds: int) -> bool:
        """Records an update id; True the first time, False for a repeat (exactly-once)."""

    @abstractmethod
    async def hit(self, scope: str, ident: str, window_seconds: int) -> int:
        """Counts an event in a fixed window and returns the count so far (flood limits)."""

    @abstractmethod
    async def put_value(self, scope: str, ident: str, value: str, ttl_seconds: int) -> None:
        """Keeps a small shared value (e.g. a user's last inbound time) for ttl_seconds."""

    @abstractmethod
    async def get_value(self, scope: str, ident: str) -> str | None:
        """Reads a value kept with put_value, or None."""

    async def swap_value(self, scope: str, ident: str, value: str, ttl_seconds: int) -> str | None:
        """Stores a value and returns the one it replaces (one round trip where it matters)."""
        previous = await self.get_value(scope, ident)
        await self.put_value(scope, ident, value, ttl_seconds)
        return previous

    @abstractmethod
    async def ping(self) -> None: ...

    async def close(self) -> None:
        return None


class MemorySessionStore(SessionStore):
    """In-process sessions: the embedded default for one process (tests, local chat)."""

    def __init__(
        self,
        *,
        ttl_seconds: int = 7 * 24 * 3600,
        lock_timeout: float = 10.0,
        lock_wait: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(ttl_seconds=ttl_seconds, lock_timeout=lock_timeout, lock_wait=lock_wait)
        self._clock = clock
        self._data: dict[str, tuple[float, str]] = {}
        self._locks: dict[str, tuple[float, str]] = {}
        self._seen: dict[str, float] = {}
        self._hits: dict[str, tuple[float, int]] = {}
        self._values: dict[str, tuple[float, str]] = {}

    def _live(self, table: dict[str, tuple[float, str]], key: str) -> str | None:
        item = table.get(key)
        if item is None:
            return None
        if item[0] <= self._clock():
            del table[key]
            return None
        return item[1]

    async def _try_acquire(
        self, key: str, token: str, seen: str | None, flood_window: int | None
    ) -> tuple[int, Session | None, int]:
        hits = 0
        if seen is not None:
            expires = self._seen.get(seen)
            if expires is not None and expires > self._clock():
                return DUPLICATE, None, 0
        if flood_window:
            hits = await self.hit("flood", key, flood_window)
        if self._live(self._locks, key) is not None:
            return BUSY, None, hits
        self._locks[key] = (self._clock() + self.lock_timeout, token)
        raw = self._live(self._data, key)
        return ACQUIRED, Session.loads(raw) if raw else None, hits

    async def _write(
        self,
        key: str,
        token: str,
        action: str,
        session: Session | None,
        handled: tuple[str, int] | None,
        *,
        unlock: bool,
    ) -> None:
        if self._live(self._locks, key) != token:
            raise LockLost(key)
        if action == "set" and session is not None:
            self._data[key] = (self._clock() + self.ttl_seconds, session.dumps())
        elif action == "del":
            self._data.pop(key, None)
        if handled is not None:
            self._seen[handled[0]] = self._clock() + handled[1]
        if unlock:
            del self._locks[key]

    async def load(self, key: str) -> Session | None:
        raw = self._live(self._data, key)
        return Session.loads(raw) if raw else None

    async def first_seen(self, scope: str, ident: str, ttl_seconds: int) -> bool:
        now = self._clock()
        name = f"{scope}:{ident}"
        expires = self._seen.get(name)
        if expires is not None and expires > now:
            return False
        self._seen[name] = now + ttl_seconds
        if len(self._seen) > 100_000:
            self._seen = {k: v for k, v in self._seen.items() if v > now}
        return True

    async def hit(self, scope: str, ident: str, window_seconds: int) -> int:
        now = self._clock()
        name = f"{scope}:{ident}"
        start, count = self._hits.get(name, (now, 0))
        if now - start >= window_seconds:
            start, count = now, 0
        self._hits[name] = (start, count + 1)
        return count + 1

    async def put_value(self, scope: str, ident: str, value: str, ttl_seconds: int) -> None:
        self._values[f"{scope}:{ident}"] = (self._clock() + ttl_seconds, value)

    async def get_value(self, scope: str, ident: str) -> str | None:
        return self._live(self._values, f"{scope}:{ident}")

    async def ping(self) -> None:
        return None


def redis_client(url: str) -> aioredis.Redis:
    """A client that fails fast on a hung server and reconnects after a restart.

    A pooled connection to a Redis that restarted is dead, and only its first use shows it:
    a connection error is retried (three times, 50 ms to 1 s apart) on a fresh connection, so
    the first request after a restart does not fail. Only connection errors are retried: a
    command that timed out may have run, and running a script twice is not safe.
    """
    return aioredis.Redis.from_url(
        url,
        socket_timeout=5,
        socket_connect_timeout=2,
        health_check_interval=30,
        retry=Retry(
            ExponentialBackoff(cap=1.0, base=0.05), 3, supported_errors=(RedisConnectionError,)
        ),
    )


# KEYS: lock, session, seen, hits. ARGV: token, lock ttl (ms), "1" to check seen or "",
# flood window (s) or "". Returns {status, session or "", hits}: status 1 acquired, 0 busy,
# -1 already handled. The handled check and the flood count ride along so the common path is
# one round trip.
_ACQUIRE = """
local hits = 0
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then return {-1, '', 0} end
if ARGV[4] ~= '' then
  hits = redis.call('INCR', KEYS[4])
  if hits == 1 then redis.call('EXPIRE', KEYS[4], ARGV[4]) end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2]) or '', hits}
end
return {0, '', hits}
"""

# KEYS: lock, session, seen. ARGV: token, action (set|del|keep), value, ttl (s), seen ttl (s)
# or "", "1" to unlock or "". Returns 1, or 0 when the lock is no longer ours (then nothing
# is written).
_WRITE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'set' then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
elseif ARGV[2] == 'del' then
  redis.call('DEL', KEYS[2])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[3], '1', 'EX', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('DEL', KEYS[1]) end
return 1
"""


class RedisSessionStore(SessionStore):
    """Sessions in Redis, shared by every worker and replica.

    Keys: {ns}:session:{channel}:{user}, {ns}:lock:{channel}:{user}, {ns}:seen:{scope}:{id},
    {ns}:hits:{scope}:{id}, {ns}:value:{scope}:{id}. Every key has a TTL.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        namespace: str = "gratibot",
        ttl_seconds: int = 7 * 24 * 3600,
        lock_timeout: float = 10.0,
        lock_wait: float = 10.0,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(ttl_seconds=ttl_seconds, lock_timeout=lock_timeout, lock_wait=lock_wait)
        self.redis = client
        self.namespace = namespace
        # A draft holds NIK, address and phone until it is submitted, and production Redis
        # writes to disk: with a cipher, session documents are encrypted at rest.
        self.cipher = cipher
        self._acquire_script = client.register_script(_ACQUIRE)
        self._write_script = client.register_script(_WRITE)

    @classmethod
    def from_url(cls, url: str, **kwargs: object) -> RedisSessionStore:
        return cls(redis_client(url), **kwargs)  # type: ignore[arg-type]

    def _encode(self, session: Session) -> str:
        raw = session.dumps()
        if self.cipher is None:
            return raw
        return self.cipher.encrypt(raw) or ""

    def _decode(self, raw: bytes | str | None) -> Session | None:
        if not raw:
            return None
        text = raw.decode() if isinstance(raw, bytes) else raw
        if self.cipher is None or text.startswith("{"):
            # Plain JSON: no cipher, or a session stored before encryption was switched on.
            return Session.loads(text)
        try:
            return Session.loads(self.cipher.decrypt(text) or "")
        except InvalidToken:
            # A changed key: the conversation starts afresh rather than failing every message.
            log.warning("a stored session could not be decrypted; starting it afresh")
            return None

    def _key(self, kind: str, name: str) -> str:
        return f"{self.namespace}:{kind}:{name}"

    async def _try_acquire(
        self, key: str, token: str, seen: str | None, flood_window: int | None
    ) -> tuple[int, Session | None, int]:
        try:
            status, raw, hits = await self._acquire_script(
                keys=[
                    self._key("lock", key),
                    self._key("session", key),
                    self._key("seen", seen or "-"),
                    self._key("hits", f"flood:{key}"),
                ],
                args=[
                    token,
                    int(self.lock_timeout * 1000),
                    "1" if seen else "",
                    flood_window or "",
                ],
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        status = int(status)
        return status, self._decode(raw) if status == ACQUIRED else None, int(hits)

    async def _write(
        self,
        key: str,
        token: str,
        action: str,
        session: Session | None,
        handled: tuple[str, int] | None,
        *,
        unlock: bool,
    ) -> None:
        value = self._encode(session) if session is not None else ""
        try:
            ok = await self._write_script(
                keys=[
                    self._key("lock", key),
                    self._key("session", key),
                    self._key("seen", handled[0] if handled else "-"),
                ],
                args=[
                    token,
                    action,
                    value,
                    self.ttl_seconds,
                    handled[1] if handled else "",
                    "1" if unlock else "",
                ],
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        if not ok:
            raise LockLost(key)

    async def load(self, key: str) -> Session | None:
        try:
            raw = await self.redis.get(self._key("session", key))
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        return self._decode(raw)

    async def first_seen(self, scope: str, ident: str, ttl_seconds: int) -> bool:
        try:
            created = await self.redis.set(
                self._key("seen", f"{scope}:{ident}"), b"1", nx=True, ex=ttl_seconds
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        return bool(created)

    async def hit(self, scope: str, ident: str, window_seconds: int) -> int:
        name = self._key("hits", f"{scope}:{ident}")
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_seconds, nx=True)
                count, _ = await pipe.execute()
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        return int(count)

    async def put_value(self, scope: str, ident: str, value: str, ttl_seconds: int) -> None:
        try:
            await self.redis.set(self._key("value", f"{scope}:{ident}"), value, ex=ttl_seconds)
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc

    async def get_value(self, scope: str, ident: str) -> str | None:
        try:
            raw = await self.redis.get(self._key("value", f"{scope}:{ident}"))
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        return raw.decode() if isinstance(raw, bytes) else raw

    async def swap_value(self, scope: str, ident: str, value: str, ttl_seconds: int) -> str | None:
        try:
            raw = await self.redis.set(
                self._key("value", f"{scope}:{ident}"), value, ex=ttl_seconds, get=True
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        # SET ... GET (Redis 6.2+) answers the old value, or nil when there was none.
        if isinstance(raw, bytes):
            return raw.decode()
        return raw if isinstance(raw, str) else None

    async def ping(self) -> None:
        try:
            await self.redis.ping()
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc

    async def close(self) -> None:
        await self.redis.aclose()
