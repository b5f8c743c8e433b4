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
redelivery, or for another replica that takes over the intake (bot/intake.py). That write also
keeps the turn's replies under the update id until they went out (`commit(replies)`; the
unlock after sending marks the update done): the process that handles the update again finds
the turn saved and its replies unsent (`Conversation.replay`), and sends them instead of
running the turn a second time or dropping it as a duplicate.
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
from bot.messages import Reply, dump_replies, load_replies
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
    at every attempt to take the lock, recorded when the turn is saved, done once its replies
    went out; one saved with its replies unsent comes back as Conversation.replay).
    flood_window: count this message in the conversation's flood window (Conversation.hits).
    """

    dedupe: tuple[str, str] | None = None
    dedupe_ttl: int = 24 * 3600
    flood_window: int | None = None


log = logging.getLogger(__name__)

ACQUIRED, BUSY, DUPLICATE, REPLAY = 1, 0, -1, 2
# The handled record of an update: DONE once its replies went out; PENDING + the replies
# (encrypted with the store's cipher) while they may not have.
DONE, PENDING = "1", "r"


@dataclass
class Conversation:
    """A locked conversation: the loaded session, and what to do with it.

    save() and delete() take effect on release, or at once with commit(). replay: the replies
    of this very update's turn, saved by a process that may have died before sending them
    (the turn is not run again; the caller sends these)."""

    key: str
    session: Session | None
    hits: int = 0
    replay: list[Reply] | None = None
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

    async def commit(self, replies: list[Reply] | None = None) -> None:
        """Writes the pending save or delete now and marks the admitted update handled, its
        replies kept until the block ends cleanly (they went out); the lock stays held until
        then. Raises LockLost (nothing written) when the lock expired meanwhile."""
        assert self._store is not None
        seen = DONE
        if self._handled is not None and replies:
            seen = PENDING + self._store._seal(await dump_replies(replies))
        await self._store._write(
            self.key, self._token, self._action, self._value, self._handled, seen, unlock=False
        )
        self._action, self._value = "keep", None
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

    def ttl_for(self, session: Session) -> int:
        """Seconds a session is kept unused: the store's, or the session's own if shorter."""
        own = session.keep_seconds
        return min(self.ttl_seconds, own) if own else self.ttl_seconds

    @asynccontextmanager
    async def conversation(
        self, key: str, admission: Admission | None = None
    ) -> AsyncIterator[Conversation]:
        """Locks the conversation, loads its session, and saves it on a clean exit."""
        async with self._local_lock(key):
            token = secrets.token_hex(8)
            session, hits, pending = await self._acquire(key, token, admission)
            handled = None
            if admission is not None and admission.dedupe is not None:
                handled = (self._seen_name(*admission.dedupe), admission.dedupe_ttl)
            conv = Conversation(
                key=key, session=session, hits=hits, _store=self, _token=token, _handled=handled
            )
            if pending is not None:
                conv.replay = self._unsealed_replies(pending)
            try:
                yield conv
            except BaseException:
                # A committed turn keeps its replies pending: whoever handles the update
                # again sends them.
                if conv.committed:
                    await self._unlock_quietly(key, token, None)
                else:
                    await self._write(key, token, "keep", None, None, None, unlock=True)
                raise
            if conv.committed:
                # The turn is saved and its replies went out; a failure to unlock only delays
                # the next message until the lock expires, and must not turn a finished turn
                # into an error.
                await self._unlock_quietly(key, token, conv._handled)
                return
            await self._write(
                key, token, conv._action, conv._value, conv._handled, DONE, unlock=True
            )

    async def _unlock_quietly(self, key: str, token: str, done: tuple[str, int] | None) -> None:
        try:
            await self._write(key, token, "keep", None, done, DONE, unlock=True)
        except (LockLost, ServiceUnavailable) as exc:
            log.warning("conversation lock not released (it expires by itself): %s", exc)

    def _seal(self, raw: str) -> str:
        """The stored form of a turn's pending replies (encrypted where sessions are)."""
        return raw

    def _unseal(self, stored: str) -> str:
        return stored

    def _unsealed_replies(self, pending: str) -> list[Reply] | None:
        try:
            return load_replies(self._unseal(pending[len(PENDING) :]))
        except (InvalidToken, ValueError, KeyError, TypeError):
            # A changed key or a record we cannot read: the turn stays saved, its replies
            # are lost (the user asks again), and the update counts as done.
            log.warning("the pending replies of a saved turn could not be read")
            return []

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
    ) -> tuple[Session | None, int, str | None]:
        """Takes the lock: (session, flood count, the update's pending replies or None)."""
        deadline = time.monotonic() + self.lock_wait
        delay = 0.005
        seen = self._seen_name(*admission.dedupe) if admission and admission.dedupe else None
        flood = admission.flood_window if admission else None
        # The flood count is taken with the first attempt only; the handled check with every
        # attempt, since the holder we wait for may be handling this very update.
        status, session, hits, pending = await self._try_acquire(key, token, seen, flood)
        while True:
            if status == DUPLICATE:
                raise Duplicate(key)
            if status == ACQUIRED:
                return session, hits, None
            if status == REPLAY:
                return session, hits, pending
            if time.monotonic() >= deadline:
                raise LockTimeout(key)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.025)
            status, session, _, pending = await self._try_acquire(key, token, seen, None)

    @abstractmethod
    async def _try_acquire(
        self, key: str, token: str, seen: str | None, flood_window: int | None
    ) -> tuple[int, Session | None, int, str | None]:
        """One attempt: (ACQUIRED | BUSY | DUPLICATE | REPLAY, the session, the flood count,
        the update's handled record when REPLAY).

        seen: the name of the update id whose record means "already handled"."""

    @abstractmethod
    async def _write(
        self,
        key: str,
        token: str,
        action: str,
        session: Session | None,
        handled: tuple[str, int] | None,
        seen: str | None,
        *,
        unlock: bool,
    ) -> None:
        """Applies action (set | del | keep) and records `seen` (DONE, or PENDING + replies)
        under `handled` (name, ttl) while the lock is ours, then releases it when `unlock`;
        LockLost (nothing written) when it is not. An unlock that only marks the update DONE
        (action keep) marks it even when the lock expired meanwhile: its replies went out."""

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
        # Update ids: (expiry, the handled record: DONE, or PENDING + replies).
        self._seen: dict[str, tuple[float, str]] = {}
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
    ) -> tuple[int, Session | None, int, str | None]:
        hits = 0
        record = self._live(self._seen, seen) if seen is not None else None
        if record is not None and not record.startswith(PENDING):
            return DUPLICATE, None, 0, None
        if flood_window:
            hits = await self.hit("flood", key, flood_window)
        if self._live(self._locks, key) is not None:
            return BUSY, None, hits, None
        self._locks[key] = (self._clock() + self.lock_timeout, token)
        raw = self._live(self._data, key)
        status = REPLAY if record is not None else ACQUIRED
        return status, Session.loads(raw) if raw else None, hits, record

    async def _write(
        self,
        key: str,
        token: str,
        action: str,
        session: Session | None,
        handled: tuple[str, int] | None,
        seen: str | None,
        *,
        unlock: bool,
    ) -> None:
        if action == "keep" and handled is not None and seen == DONE and unlock:
            self._seen[handled[0]] = (self._clock() + handled[1], DONE)
        if self._live(self._locks, key) != token:
            raise LockLost(key)
        if action == "set" and session is not None:
            self._data[key] = (self._clock() + self.ttl_for(session), session.dumps())
        elif action == "del":
            self._data.pop(key, None)
        if handled is not None and seen is not None:
            self._seen[handled[0]] = (self._clock() + handled[1], seen)
        if unlock:
            del self._locks[key]

    async def load(self, key: str) -> Session | None:
        raw = self._live(self._data, key)
        return Session.loads(raw) if raw else None

    async def first_seen(self, scope: str, ident: str, ttl_seconds: int) -> bool:
        now = self._clock()
        name = f"{scope}:{ident}"
        if self._live(self._seen, name) is not None:
            return False
        self._seen[name] = (now + ttl_seconds, DONE)
        if len(self._seen) > 100_000:
            self._seen = {k: v for k, v in self._seen.items() if v[0] > now}
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
# flood window (s) or "". Returns {status, session or "", hits, handled record or ""}: status
# 1 acquired, 0 busy, -1 already handled, 2 acquired with the update's turn saved and its
# replies pending. The handled check and the flood count ride along so the common path is
# one round trip.
_ACQUIRE = """
local hits = 0
local seen = ''
if ARGV[3] ~= '' then seen = redis.call('GET', KEYS[3]) or '' end
if seen ~= '' and string.sub(seen, 1, 1) ~= 'r' then return {-1, '', 0, ''} end
if ARGV[4] ~= '' then
  hits = redis.call('INCR', KEYS[4])
  if hits == 1 then redis.call('EXPIRE', KEYS[4], ARGV[4]) end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local status = 1
  if seen ~= '' then status = 2 end
  return {status, redis.call('GET', KEYS[2]) or '', hits, seen}
end
return {0, '', hits, ''}
"""

# KEYS: lock, session, seen. ARGV: token, action (set|del|keep), value, ttl (s), seen ttl (s)
# or "", the handled record ("1" done, "r..." replies pending) or "", "1" to unlock or "".
# Returns 1, or 0 when the lock is no longer ours (then nothing is written, except that an
# unlock marking the update done marks it: its replies went out).
_WRITE = """
if ARGV[2] == 'keep' and ARGV[5] ~= '' and ARGV[6] == '1' and ARGV[7] ~= '' then
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[5])
end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'set' then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
elseif ARGV[2] == 'del' then
  redis.call('DEL', KEYS[2])
end
if ARGV[5] ~= '' and ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6], 'EX', ARGV[5]) end
if ARGV[7] ~= '' then redis.call('DEL', KEYS[1]) end
return 1
"""


# Compare and set, keeping the time to live: KEYS[1] becomes ARGV[2] only if it is ARGV[1].
_SWAP = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
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
        self._swap_script = client.register_script(_SWAP)

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

    def _seal(self, raw: str) -> str:
        return self.cipher.encrypt(raw) or "" if self.cipher is not None else raw

    def _unseal(self, stored: str) -> str:
        return self.cipher.decrypt(stored) or "" if self.cipher is not None else stored

    def _key(self, kind: str, name: str) -> str:
        return f"{self.namespace}:{kind}:{name}"

    async def _try_acquire(
        self, key: str, token: str, seen: str | None, flood_window: int | None
    ) -> tuple[int, Session | None, int, str | None]:
        try:
            status, raw, hits, record = await self._acquire_script(
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
        session = self._decode(raw) if status in (ACQUIRED, REPLAY) else None
        pending = record.decode() if isinstance(record, bytes) else str(record)
        return status, session, int(hits), pending if status == REPLAY else None

    async def _write(
        self,
        key: str,
        token: str,
        action: str,
        session: Session | None,
        handled: tuple[str, int] | None,
        seen: str | None,
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
                    self.ttl_for(session) if session is not None else self.ttl_seconds,
                    handled[1] if handled else "",
                    seen or "",
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

    async def rekey(self) -> int:
        """Writes every stored session under the cipher's current key (`gratibot keys
        rotate`); returns how many were written. A session written meanwhile is left alone
        (compare and set, the time to live kept): it is under the current key already."""
        if self.cipher is None:
            return 0
        renewed = 0
        async for name in self.redis.scan_iter(match=self._key("session", "*"), count=500):
            raw = await self.redis.get(name)
            if not raw:
                continue
            text = raw.decode() if isinstance(raw, bytes) else raw
            if text.startswith("{") or self.cipher.is_current(text):
                continue
            new = self.cipher.rotate(text)
            if new is not None and await self._swap_script(keys=[name], args=[text, new]):
                renewed += 1
        return renewed

    async def ping(self) -> None:
        try:
            await self.redis.ping()
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc

    async def close(self) -> None:
        await self.redis.aclose()
