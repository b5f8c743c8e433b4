"""The outbox: a UPPG chat that fails then recovers loses nothing and doubles nothing, across
worker restarts and a claim whose worker died; backoff, permanent failures, wake-up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.backoffice.outbox import Claimed, OutboxWorker, backoff
from bot.config import Settings
from bot.messages import Attachment
from bot.store.database import Database
from bot.store.models import DEAD, SENT, DeclarationAttachment, OutboxMessage
from bot.store.models import outbox_message as message
from tests.bot.backoffice.kit import (
    Clock,
    deliveries,
    files_of,
    new_declaration,
    outbox_rows,
    store_photo,
    uppg_settings,
    worker,
)
from tests.bot.channels.telegram.stub import running_stub


@pytest.fixture
def database(any_database: Database) -> Database:
    """Every test here runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""
    return any_database


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff(50) == 900
    assert backoff(8, cap=60) == 60


async def test_uppg_chat_down_then_up_nothing_lost_nothing_doubled(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        photo = await store_photo(config)
        ids = [
            await new_declaration(database, "GRT-2026-000001", photo=photo),
            await new_declaration(database, "GRT-2026-000002"),
            await new_declaration(database, "GRT-2026-000003", report_type="penolakan"),
        ]
        clock = Clock()
        found = deliveries(database, config, stub)
        stub.down = True

        first = worker(database, found, clock, "w1")
        # Fan-out (no network) succeeds; every card to the chat fails and waits.
        assert await first.run_once() == 3
        assert await first.run_once() == 3
        cards = [r for r in await outbox_rows(database) if r.topic == "uppg.send"]
        assert len(cards) == 3
        assert all(r.status == "pending" and r.attempts == 1 for r in cards)
        assert all(r.last_error and "telegram" in r.last_error for r in cards)
        # Not due yet: nothing is retried before its backoff.
        assert await first.run_once() == 0

        # Hours of outage: retries keep going, spaced by the capped backoff.
        for _ in range(12):
            clock.advance(900)
            assert await first.run_once() == 3
        cards = [r for r in await outbox_rows(database) if r.topic == "uppg.send"]
        assert all(r.status == "pending" and r.attempts == 13 for r in cards)
        gap = cards[0].next_attempt_at - clock.now
        assert timedelta(seconds=890) < gap <= timedelta(seconds=900)

        # A worker claims the due cards and dies before delivering them.
        clock.advance(900)
        dying = worker(database, found, clock, "w-dead")
        assert len(await dying.claim()) == 3
        stub.down = False
        restarted = worker(database, found, clock, "w2")
        assert await restarted.run_once() == 0  # still locked by the dead worker
        clock.advance(61)  # the lock expires
        assert await restarted.run_once() == 3

        # Another restart finds nothing left to do.
        assert await worker(database, found, clock, "w3").run_once() == 0
        clock.advance(3600)
        assert await worker(database, found, clock, "w4").run_once() == 0

        rows = await outbox_rows(database)
        assert all(r.status == SENT for r in rows)
        delivered = [t for t in stub.texts() if "Laporan gratifikasi baru" in t]
        assert len(delivered) == 3
        for number in ("GRT-2026-000001", "GRT-2026-000002", "GRT-2026-000003"):
            assert sum(number in t for t in delivered) == 1
        receipt = next(t for t in delivered if "GRT-2026-000001" in t)
        assert "Pemberi: PT Maju, Rekanan/vendor" in receipt and "Nilai: Rp1.500.000" in receipt
        assert "Tanggal diterima: 16 Nov 2026" in receipt and "Dilaporkan: " in receipt
        assert "Tenggat UPPG meneruskan ke KPK" in receipt and "Lampiran: 1 berkas" in receipt
        refusal = next(t for t in delivered if "GRT-2026-000003" in t)
        assert "Jenis: Penolakan" in refusal and "Tanggal ditolak: 16 Nov 2026" in refusal
        photos = stub.sent("sendPhoto")
        assert len(photos) == 1 and photos[0].files
        # The buttons follow the process: a refusal can only be recorded.
        markups = [str(c.params.get("reply_markup")) for c in stub.sent("sendMessage")]
        assert sum(f"u:c:{ids[2]}" in m for m in markups) == 1
        assert sum(f"u:v:{ids[0]}" in m for m in markups) == 1


async def test_a_failing_attachment_does_not_resend_the_card_text(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        await new_declaration(database, "GRT-2026-000009", photo=await store_photo(config))
        clock = Clock()
        found = deliveries(database, config, stub)
        stub.fail_codes["sendPhoto"] = [500, 500]
        run = worker(database, found, clock, "w1")
        await run.run_once()  # fan-out
        await run.run_once()  # text sent, photo fails
        clock.advance(60)
        await run.run_once()  # photo fails again
        clock.advance(60)
        await run.run_once()  # photo goes through
        assert len([t for t in stub.texts() if "GRT-2026-000009" in t]) == 1
        assert len(stub.tried("sendPhoto")) == 3  # two refused, one delivered
        assert len(stub.sent("sendPhoto")) == 1
        assert all(r.status == SENT for r in await outbox_rows(database))


async def test_flood_limit_waits_as_long_as_telegram_asks(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        await new_declaration(database, "GRT-2026-000010")
        clock = Clock()
        found = deliveries(database, config, stub)
        stub.fail_codes["sendMessage"] = [429]
        run = worker(database, found, clock, "w1")
        await run.run_once()
        await run.run_once()
        card = next(r for r in await outbox_rows(database) if r.topic == "uppg.send")
        assert card.status == "pending"
        assert card.next_attempt_at - clock.now > timedelta(seconds=6)
        clock.advance(7)
        assert await run.run_once() == 1
        assert len([t for t in stub.texts() if "GRT-2026-000010" in t]) == 1


async def test_a_message_telegram_rejects_is_dead_and_visible(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        await new_declaration(database, "GRT-2026-000011")
        clock = Clock()
        found = deliveries(database, config, stub)
        stub.fail_codes["sendMessage"] = [400]
        run = worker(database, found, clock, "w1")
        await run.run_once()
        await run.run_once()
        card = next(r for r in await outbox_rows(database) if r.topic == "uppg.send")
        assert card.status == DEAD
        assert card.last_error and "malformed" in card.last_error
        clock.advance(3600)
        assert await run.run_once() == 0


async def test_unknown_topic_is_dead_not_retried(database: Database) -> None:
    async with database.transaction() as session:
        session.add(message("nobody.listens", "x:1", {}))
    run = OutboxWorker(database, {}, worker_id="w1")
    assert await run.run_once() == 1
    (row,) = await outbox_rows(database)
    assert row.status == DEAD and "no delivery" in (row.last_error or "")


async def test_two_workers_never_claim_the_same_message(database: Database) -> None:
    async with database.transaction() as session:
        for n in range(30):
            session.add(message("t", f"k:{n}", {"n": n}))
    delivered: list[int] = []

    async def deliver(claimed: Claimed) -> None:
        delivered.append(claimed.payload["n"])
        await asyncio.sleep(0)

    workers = [OutboxWorker(database, {"t": deliver}, worker_id=f"w{i}", batch=7) for i in range(3)]
    claims = await asyncio.gather(*(w.claim() for w in workers))
    ids = [c.id for batch in claims for c in batch]
    assert len(ids) == len(set(ids)) == 21
    # Let the claims expire unprocessed? No: deliver them and drain the rest.
    for w, batch in zip(workers, claims, strict=True):
        for claimed in batch:
            await w._deliver(claimed)
    while await workers[0].run_once():
        pass
    assert sorted(delivered) == list(range(30))


async def test_a_new_row_wakes_the_worker_in_this_process(database: Database) -> None:
    seen = asyncio.Event()

    async def deliver(claimed: Claimed) -> None:
        seen.set()

    run = OutboxWorker(database, {"t": deliver}, worker_id="w1", poll_seconds=3600)
    stop = asyncio.Event()
    task = asyncio.create_task(run.run(stop))
    await asyncio.sleep(0.2)  # the worker polled once and sleeps for an hour
    async with database.transaction() as session:
        session.add(message("t", "wake:1", {}))
    await asyncio.wait_for(seen.wait(), timeout=10)
    stop.set()
    await asyncio.wait_for(task, timeout=10)


async def test_stale_lock_from_a_dead_worker_is_reclaimed(database: Database) -> None:
    async with database.transaction() as session:
        session.add(message("t", "stale:1", {}))
    async with database.transaction() as session:
        await session.execute(
            update(OutboxMessage).values(
                locked_by="crashed", locked_until=datetime.now(UTC) - timedelta(seconds=1)
            )
        )
    done: list[str] = []

    async def deliver(claimed: Claimed) -> None:
        done.append("x")

    assert await OutboxWorker(database, {"t": deliver}, worker_id="w").run_once() == 1
    assert done == ["x"]


async def test_documents_go_as_documents_and_a_refused_photo_falls_back(
    database: Database, settings: Settings
) -> None:
    async with running_stub() as stub:
        config = uppg_settings(settings, stub)
        photo = await store_photo(config, "rusak.png")
        declaration_id = await new_declaration(database, "GRT-2026-000012", photo=photo)
        pdf = await files_of(config).save(
            Attachment(
                kind="document",
                name="kuitansi.pdf",
                mime_type="application/pdf",
                download=_bytes(b"%PDF-1.4 test"),
            )
        )
        async with database.transaction() as session:
            session.add(
                DeclarationAttachment(
                    declaration_id=declaration_id,
                    kind="document",
                    name=pdf.name,
                    mime_type=pdf.mime_type,
                    size=pdf.size,
                    content_hmac="0" * 64,
                    storage_key=pdf.key,
                )
            )
        stub.fail_codes["sendPhoto"] = [400]
        run = worker(database, deliveries(database, config, stub), Clock(), "w1")
        while await run.run_once():
            pass
        documents = stub.sent("sendDocument")
        assert [d.params.get("caption") for d in documents] == ["rusak.png", "kuitansi.pdf"]
        assert list(documents[1].files.values()) == [b"%PDF-1.4 test"]
        assert all(r.status == SENT for r in await outbox_rows(database))


def _bytes(data: bytes) -> Callable[[], Awaitable[bytes]]:
    async def download() -> bytes:
        return data

    return download


async def test_a_slow_batch_hands_back_what_its_claim_no_longer_covers(
    database: Database,
) -> None:
    async with database.transaction() as session:
        for n in range(3):
            session.add(message("slow", f"slow:{n}", {"n": n}))
    clock = Clock()
    delivered: list[int] = []

    async def slow(claimed: Claimed) -> None:
        delivered.append(claimed.payload["n"])
        clock.advance(50)  # the channel took 50 s

    first = OutboxWorker(database, {"slow": slow}, worker_id="a", lock_seconds=60, clock=clock)
    assert await first.run_once() == 1
    rows = await outbox_rows(database)
    assert [r.status for r in rows] == [SENT, "pending", "pending"]
    assert [r.locked_until for r in rows[1:]] == [None, None]
    assert [r.attempts for r in rows[1:]] == [0, 0]
    second = OutboxWorker(database, {"slow": slow}, worker_id="b", lock_seconds=600, clock=clock)
    assert await second.run_once() == 2
    assert delivered == [0, 1, 2]
