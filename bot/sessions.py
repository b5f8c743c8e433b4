"""Session storage: one interface, a Redis version (production) and a memory version (embedded).

A conversation is used as `async with store.conversation(key) as conv:`. The lock is taken
before the state is loaded, and the state is saved before the lock is released; in Redis both
happen in one round trip each (Lua), so a worker that dies in between leaves the old session
and a lock that expires by itself.
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

    dedupe: (scope, id) of the channel's update; a repeat raises Duplicate.
    flood_window: count this message in the conversation's flood window (Conversation.hits).
    """

    dedupe: tuple[str, str] | None = None
    dedupe_ttl: int = 24 * 3600
    flood_window: int | None = None


log = logging.getLogger(__name__)

ACQUIRED, BUSY, DUPLICATE = 1, 0, -1


@dataclass
class Conversation:
    """A locked conversation: the loaded session, and what to do with it on release."""

    key: str
    session: Session | None
    hits: int = 0
    _action: str = field(default="keep", init=False)
    _value: Session | None = field(default=None, init=False)

    def save(self, session: Session) -> None:
        self._action, self._value = "set", session

    def delete(self) -> None:
        self._action, self._value = "del", None


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
            conv = Conversation(key=key, session=session, hits=hits)
            try:
                yield conv
            except BaseException:
                await self._release(key, token, "keep", None)
                raise
            await self._release(key, token, conv._action, conv._value)

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
        # The admission checks run with the first attempt only.
        status, session, hits = await self._try_acquire(key, token, admission)
        while True:
            if status == DUPLICATE:
                raise Duplicate(key)
            if status == ACQUIRED:
                return session, hits
            if time.monotonic() >= deadline:
                raise LockTimeout(key)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.025)
            status, session, _ = await self._try_acquire(key, token, None)

    @abstractmethod
    async def _try_acquire(
        self, key: str, token: str, admission: Admission | None
    ) -> tuple[int, Session | None, int]:
        """One attempt: (ACQUIRED | BUSY | DUPLICATE, the session, the flood count)."""

    @abstractmethod
    async def _release(
        self, key: str, token: str, action: str, session: Session | None
    ) -> None: ...

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
        self, key: str, token: str, admission: Admission | None
    ) -> tuple[int, Session | None, int]:
        hits = 0
        if admission and admission.dedupe:
            scope, ident = admission.dedupe
            if not await self.first_seen(scope, ident, admission.dedupe_ttl):
                return DUPLICATE, None, 0
        if admission and admission.flood_window:
            hits = await self.hit("flood", key, admission.flood_window)
        if self._live(self._locks, key) is not None:
            return BUSY, None, hits
        self._locks[key] = (self._clock() + self.lock_timeout, token)
        raw = self._live(self._data, key)
        return ACQUIRED, Session.loads(raw) if raw else None, hits

    async def _release(self, key: str, token: str, action: str, session: Session | None) -> None:
        if self._live(self._locks, key) != token:
            raise LockLost(key)
        if action == "set" and session is not None:
            self._data[key] = (self._clock() + self.ttl_seconds, session.dumps())
        elif action == "del":
            self._data.pop(key, None)
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


# KEYS: lock, session, seen, hits. ARGV: token, lock ttl (ms), seen ttl (s) or "",
# flood window (s) or "". Returns {status, session or "", hits}: status 1 acquired, 0 busy,
# -1 duplicate. Dedupe and flood count ride along so the common path is one round trip.
_ACQUIRE = """
local hits = 0
if ARGV[3] ~= '' then
  if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[3]) then return {-1, '', 0} end
end
if ARGV[4] ~= '' then
  hits = redis.call('INCR', KEYS[4])
  if hits == 1 then redis.call('EXPIRE', KEYS[4], ARGV[4]) end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2]) or '', hits}
end
return {0, '', hits}
"""

# KEYS: lock, session. ARGV: token, action (set|del|keep), value, ttl (s).
# Returns 1, or 0 when the lock is no longer ours (then nothing is written).
_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'set' then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
elseif ARGV[2] == 'del' then
  redis.call('DEL', KEYS[2])
end
redis.call('DEL', KEYS[1])
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
        self._release_script = client.register_script(_RELEASE)

    @classmethod
    def from_url(cls, url: str, **kwargs: object) -> RedisSessionStore:
        client = aioredis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30
        )
        return cls(client, **kwargs)  # type: ignore[arg-type]

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
        self, key: str, token: str, admission: Admission | None
    ) -> tuple[int, Session | None, int]:
        dedupe = admission.dedupe if admission else None
        window = admission.flood_window if admission else None
        seen_key = self._key("seen", ":".join(dedupe)) if dedupe else self._key("seen", "-")
        try:
            status, raw, hits = await self._acquire_script(
                keys=[
                    self._key("lock", key),
                    self._key("session", key),
                    seen_key,
                    self._key("hits", f"flood:{key}"),
                ],
                args=[
                    token,
                    int(self.lock_timeout * 1000),
                    admission.dedupe_ttl if admission and dedupe else "",
                    window or "",
                ],
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        status = int(status)
        return status, self._decode(raw) if status == ACQUIRED else None, int(hits)

    async def _release(self, key: str, token: str, action: str, session: Session | None) -> None:
        value = self._encode(session) if session is not None else ""
        try:
            ok = await self._release_script(
                keys=[self._key("lock", key), self._key("session", key)],
                args=[token, action, value, self.ttl_seconds],
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
