"""A whole declaration over WhatsApp, then a search for its personal data everywhere it rests.

The reporter (tests/bot/channels/whatsapp/test_lapor.py's generic answerer) gives a NIK, an
e-mail, a NIP, a phone number and an address, and sends a photo whose bytes carry the NIK and
the e-mail too, under a file name that carries the NIK ("KTP_budi_<NIK>.jpg"). Afterwards
nothing the bot keeps may show the WhatsApp number, the phone, the NIK, the e-mail or the NIP
in clear, nor the photo's plain SHA-256 (which would confirm the photo to anyone holding a
copy): not the log records, not a Redis key or value under the
runtime's namespace (values may hold encrypted data only), not a column of any row of any
table (SQLite, and PostgreSQL with TEST_DATABASE_URL), not an attachment file on disk.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from sqlalchemy import inspect, select, text

from bot.config import Settings
from bot.logs import RedactingFilter
from bot.store.attachments import AttachmentStore
from bot.store.models import DeclarationAttachment, Profile
from tests.bot.channels.whatsapp.test_lapor import JPEG, Reporter
from tests.conftest import DB_KINDS, new_pg_database
from tests.whatsapp_stub import WA_ID, GraphStub, Media, WhatsAppApp, WhatsAppUser

# What the answerer types (test_lapor.ANSWERS), and the chat's own number.
NIK = "3201010101850001"
NIP = "198501012010011001"
EMAIL = "budi@example.go.id"
PHONE = "81234567890"  # "081234567890" as typed, "+6281234567890" as stored
# A photo of an invitation letter, say: its bytes name the reporter; and a photo of the KTP
# saved as phones and scanners name it, the NIK in the file name.
PHOTO = JPEG + f" NIK {NIK} {EMAIL} ".encode()
PHOTO_NAME = f"KTP_budi_{NIK}.jpg"
NEEDLES = {
    "WhatsApp number": WA_ID,
    "phone": PHONE,
    "NIK": NIK,
    "e-mail": EMAIL,
    "NIP": NIP,
    "the photo's plain SHA-256": hashlib.sha256(PHOTO).hexdigest(),
}


def found_in(blob: str | bytes) -> list[str]:
    data = blob.encode() if isinstance(blob, str) else blob
    return [name for name, needle in NEEDLES.items() if needle.encode() in data]


@pytest.fixture(params=DB_KINDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the runtime's SQLite file under var/) or a PostgreSQL database of this test's own,
    so the scan sees this declaration's rows and no other test's."""
    if request.param == "sqlite":
        yield None
        return
    with new_pg_database("gratibot_pii") as url:
        yield url


@pytest.fixture
def wa_settings(wa_settings: Settings, database_url: str | None) -> Settings:
    # The script answers faster than any person: lift the flood limit for it.
    update: dict[str, object] = {"flood_max_messages": 10_000}
    if database_url is not None:
        update["database_url"] = database_url
    return wa_settings.model_copy(update=update)


class Records(logging.Handler):
    """Every record, as raw as it is created (message, arguments, traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.raw: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = f"{record.msg} {record.args}"
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.raw.append((record.levelno, f"{record.levelname} {record.name}: {message} {trace}"))


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def files_under(root: Path) -> dict[str, bytes]:
    """Every file of the attachment store, by storage key, as it lies on disk."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


async def redis_dump(url: str, namespace: str) -> AsyncIterator[tuple[str, bytes]]:
    """Every key under the namespace with its value, whatever its type."""
    client = aioredis.Redis.from_url(url)
    try:
        async for raw_key in client.scan_iter(match=f"{namespace}:*"):
            key = raw_key.decode()
            named = await client.type(raw_key)
            kind = named.decode() if isinstance(named, bytes) else str(named)
            value: bytes
            if kind == "string":
                raw = await client.get(raw_key)
                value = raw if isinstance(raw, bytes) else str(raw).encode()
            elif kind == "hash":
                value = repr(await client.hgetall(raw_key)).encode()
            elif kind == "list":
                value = repr(await client.lrange(raw_key, 0, -1)).encode()
            elif kind == "set":
                value = repr(await client.smembers(raw_key)).encode()
            elif kind == "zset":
                value = repr(await client.zrange(raw_key, 0, -1, withscores=True)).encode()
            elif kind == "stream":
                value = repr(await client.xrange(raw_key)).encode()
            else:
                value = kind.encode()
            yield key, value
    finally:
        await client.aclose()


async def database_dump(wa_app: WhatsAppApp) -> dict[str, list[str]]:
    """Every column of every row of every table, as the database returns it."""
    dump: dict[str, list[str]] = {}
    async with wa_app.runtime.db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        for table in tables:
            rows = (await conn.execute(text(f'SELECT * FROM "{table}"'))).all()
            dump[table] = [repr(tuple(row)) for row in rows]
    return dump


async def test_no_personal_data_in_clear_after_a_whatsapp_declaration(
    wa_app: WhatsAppApp,
    graph_stub: GraphStub,
    records: Records,
    redis_url: str,
    namespace: str,
) -> None:
    graph_stub.media["880000000000001"] = Media(PHOTO, "image/jpeg")
    user = WhatsAppUser(client=wa_app.client, stub=graph_stub)
    await user.type("/start")
    await user.press("menu:lapor")
    reporter = Reporter(user=user, wa_app=wa_app, photo_name=PHOTO_NAME)
    receipt = await reporter.run(user.new)
    assert "GRT-" in receipt, receipt
    assert reporter.sent_photo
    # The report holds what the scan looks for, readable where it is meant to be.
    cipher = wa_app.runtime.cipher
    async with wa_app.runtime.db.sessions() as session:
        profile = (await session.execute(select(Profile))).scalar_one()
    assert (cipher.decrypt(profile.nik_enc), profile.nip, profile.email) == (NIK, NIP, EMAIL)
    assert PHONE in str(cipher.decrypt(profile.phone_enc)) and profile.address_enc
    async with wa_app.runtime.db.sessions() as session:
        names = (await session.execute(select(DeclarationAttachment.name))).scalars().all()
    assert names == [PHOTO_NAME]  # the officers still see the name the file came with

    leaks: list[str] = []
    # Logs: every record at the levels production prints (DEBUG is refused there), before
    # any filter masks it; and every record, DEBUG too, as the redacting filter prints it.
    printed = RedactingFilter()
    for level, line in records.raw:
        if level >= logging.INFO:
            leaks += [f"log record: {name}: {line[:200]}" for name in found_in(line)]
        record = logging.LogRecord("x", level, "", 0, line, None, None)
        printed.filter(record)
        leaks += [f"printed log: {name}: {record.msg[:200]}" for name in found_in(str(record.msg))]
    assert records.raw, "no log records captured"

    keys = 0
    async for key, value in redis_dump(redis_url, namespace):
        keys += 1
        leaks += [f"redis key {key}: {name}" for name in found_in(key)]
        leaks += [f"redis value of {key}: {name}" for name in found_in(value)]
    assert keys, "no redis keys under the namespace"

    dump = await database_dump(wa_app)
    assert dump["declarations"] and dump["profiles"]
    for table, rows in dump.items():
        for row in rows:
            leaks += [f"table {table}: {name}" for name in found_in(row)]

    root: Path = wa_app.runtime.settings.effective_attachment_dir
    on_disk = await asyncio.to_thread(files_under, root)
    assert on_disk, "the photo was not stored"
    for key, data in on_disk.items():
        leaks += [f"file {key}: {name}" for name in found_in(data)]
    # ... and the officers still get the photo itself.
    store = wa_app.runtime.services.attachments
    assert isinstance(store, AttachmentStore)
    assert PHOTO in [await store.read(key) for key in on_disk]

    assert not leaks, "\n".join(sorted(set(leaks)))
