"""One-off at start: Redis keys written before pseudonyms carried the number; rename them.

Earlier versions kept a WhatsApp user's session, last inbound time and numbered list under the
number itself, and dedupe records under the message id (which embeds the number). Each such
key is renamed to its pseudonym (RENAME keeps the TTL, so nothing lives longer than it would
have), so a draft in progress survives the upgrade; short-lived ones (locks, flood counters,
"cannot read that" marks) are deleted. Keys already renamed do not match, so every replica may
run it at every start.
"""

from __future__ import annotations

import logging
import re

from redis.exceptions import RedisError, ResponseError

from bot.channels.whatsapp.ids import WhatsAppIds
from bot.sessions import RedisSessionStore

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"\+?\d{5,20}")

# (key pattern after the namespace, what the last segment is, rename or delete)
_KINDS = (
    ("session:whatsapp:", "number", "rename"),
    ("value:wa-last-inbound:", "number", "rename"),
    ("value:wa-numbered:", "number", "rename"),
    ("seen:wa-msg:", "wamid", "rename"),
    ("seen:wa-unsupported:", "number", "delete"),
    ("lock:whatsapp:", "number", "delete"),
    ("hits:flood:whatsapp:", "number", "delete"),
)


async def rekey(store: RedisSessionStore, ids: WhatsAppIds) -> int:
    """Renames (or deletes) the keys that still hold a number; returns how many."""
    done = 0
    try:
        for prefix, kind, action in _KINDS:
            head = f"{store.namespace}:{prefix}"
            async for raw in store.redis.scan_iter(match=f"{head}*", count=500):
                key = raw.decode() if isinstance(raw, bytes) else str(raw)
                ident = key[len(head) :]
                if kind == "number" and not _NUMBER.fullmatch(ident):
                    continue
                if kind == "wamid" and not ident.startswith("wamid."):
                    continue
                if action == "delete":
                    await store.redis.delete(key)
                else:
                    new = head + (ids.user(ident) if kind == "number" else ids.message(ident))
                    # Another replica may have renamed it first, or the user already wrote
                    # under the new key: then the old one just goes.
                    try:
                        if not await store.redis.renamenx(key, new):
                            await store.redis.delete(key)
                    except ResponseError:
                        continue  # gone meanwhile (another replica renamed it)
                done += 1
    except RedisError as exc:
        log.warning("old whatsapp keys not renamed: %s", type(exc).__name__)
    if done:
        log.info("renamed %d redis keys that held a whatsapp number", done)
    return done
