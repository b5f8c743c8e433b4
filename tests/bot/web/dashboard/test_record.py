"""The UPPG record in the dashboard: dates checked against the record, the documents each step
needs, the paths the law has, each notice's delivery on the timeline, the reporter named as the
declaration names them, a question shown once, and the banner while messages cannot go out."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot.runtime import Runtime
from bot.store.models import (
    DEAD,
    SENT,
    Declaration,
    DeclarationAttachment,
    OutboxMessage,
    StatusChange,
    ThreadMessage,
    outbox_message,
)
from tests.bot.web.dashboard.conftest import Seeder, add_user, login

PDF = b"%PDF-1.4\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def post_status(
    client: httpx.AsyncClient,
    csrf: str,
    declaration_id: int,
    target: str,
    proof: tuple[str, bytes, str] | None = None,
    **fields: str,
) -> httpx.Response:
    return await client.post(
        f"/dashboard/declarations/{declaration_id}/status",
        data={"csrf_token": csrf, "to_status": target, **fields},
        files={"proof": proof} if proof else None,
    )


async def reload(runtime: Runtime, declaration_id: int) -> Declaration:
    async with runtime.db.sessions() as session:
        found = await session.get(Declaration, declaration_id)
        assert found is not None
        return found


async def test_dates_are_checked_against_the_record(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    # Reported (received by the UPPG) on 4 May 2026; the gift on 1 May.
    d = await seed.declaration(status="diverifikasi")
    tomorrow = (datetime.now(runtime.settings.tz) + timedelta(days=1)).date().isoformat()
    cases = [
        (
            "2026-05-03",
            "Tanggal diteruskan ke KPK (3 Mei 2026) tidak boleh sebelum tanggal "
            "laporan diterima UPPG (4 Mei 2026).",
        ),
        (tomorrow, "tidak boleh setelah hari ini"),
    ]
    for typed, message in cases:
        response = await post_status(
            client, officer, d.id, "diteruskan_kpk", forwarded_on=typed, kpk_reference="GOL-1"
        )
        assert response.status_code == 400
        assert message in response.text
        assert 'value="GOL-1"' in response.text  # nothing typed is lost
    assert (await reload(runtime, d.id)).status == "diverifikasi"

    ok = await post_status(client, officer, d.id, "diteruskan_kpk", forwarded_on="06/05/2026")
    assert ok.status_code == 303
    # The SK: on or after forwarding, never in the future.
    early = await post_status(
        client,
        officer,
        d.id,
        "milik_negara",
        ("SK.pdf", PDF, "application/pdf"),
        sk_number="SK-5",
        sk_date="2026-05-05",
    )
    assert early.status_code == 400
    assert (
        "Tanggal SK (5 Mei 2026) tidak boleh sebelum tanggal diteruskan ke KPK (6 Mei 2026)."
        in (early.text)
    )
    future = await post_status(
        client,
        officer,
        d.id,
        "milik_negara",
        ("SK.pdf", PDF, "application/pdf"),
        sk_number="SK-5",
        sk_date=tomorrow,
    )
    assert future.status_code == 400 and "tidak boleh setelah hari ini" in future.text
    decided = await post_status(
        client,
        officer,
        d.id,
        "milik_negara",
        ("SK.pdf", PDF, "application/pdf"),
        sk_number="SK-5",
        sk_date="2026-06-01",
    )
    assert decided.status_code == 303

    # Closing a milik negara report needs the hand-over date (not before the SK) and proof.
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert "Berita acara serah terima atau bukti setor/pembayaran" in page
    no_proof = await post_status(client, officer, d.id, "selesai", handed_over_on="2026-06-05")
    assert no_proof.status_code == 400
    assert "Lengkapi dulu: berita acara serah terima atau bukti setor/pembayaran." in no_proof.text
    before_sk = await post_status(
        client,
        officer,
        d.id,
        "selesai",
        ("BA.jpg", JPEG, "image/jpeg"),
        handed_over_on="2026-05-30",
    )
    assert before_sk.status_code == 400
    assert "tidak boleh sebelum tanggal SK (1 Juni 2026)" in before_sk.text
    closed = await post_status(
        client,
        officer,
        d.id,
        "selesai",
        ("BA serah terima.jpg", JPEG, "image/jpeg"),
        handed_over_on="2026-06-05",
        message="Terima kasih, objek sudah diterima.",
    )
    assert closed.status_code == 303
    found = await reload(runtime, d.id)
    assert (found.status, found.handed_over_on) == ("selesai", date(2026, 6, 5))
    async with runtime.db.sessions() as session:
        kinds = (await session.execute(select(DeclarationAttachment.kind))).scalars().all()
    assert sorted(kinds) == ["bukti", "sk"]


async def test_the_paths_the_law_has(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    food = await seed.declaration(object_type="makanan", description="Kue basah dan buah")
    page = (await client.get(f"/dashboard/declarations/{food.id}")).text
    for action in (
        "Disalurkan sebagai bantuan sosial",
        "Dikembalikan ke pemberi",
        "Ditutup: laporan ganda",
        "Ditutup: ditarik pelapor",
    ):
        assert f'Ubah ke "{action}"' in page, action
    given = await post_status(
        client,
        officer,
        food.id,
        "disalurkan",
        ("foto penyerahan.jpg", JPEG, "image/jpeg"),
        aid_recipient="Panti Asuhan Harapan",
        distributed_on="2026-05-02",
        internal_note="Difoto oleh staf UPPG.",
    )
    assert given.status_code == 303
    page = (await client.get(f"/dashboard/declarations/{food.id}")).text
    assert "Penerima bantuan: Panti Asuhan Harapan" in page
    assert "Tanggal penyaluran: 2 Mei 2026" in page

    # A watch is not food: no social aid; it may be returned, with proof.
    watch = await seed.declaration(object_type="barang")
    page = (await client.get(f"/dashboard/declarations/{watch.id}")).text
    assert "Hanya makanan/minuman yang mudah rusak" in page
    refused = await post_status(
        client,
        officer,
        watch.id,
        "disalurkan",
        ("f.jpg", JPEG, "image/jpeg"),
        aid_recipient="Panti",
        distributed_on="2026-05-02",
    )
    assert refused.status_code == 400 and "Hanya makanan/minuman" in refused.text
    returned = await post_status(
        client,
        officer,
        watch.id,
        "dikembalikan",
        ("tanda terima.pdf", PDF, "application/pdf"),
        returned_on="2026-05-05",
    )
    assert returned.status_code == 303

    # A duplicate names its original; a withdrawal gives a reason.
    copy = await seed.declaration()
    dup = await post_status(
        client,
        officer,
        copy.id,
        "duplikat",
        duplicate_of=food.number.lower(),
        reason="Pelapor mengirim dua kali.",
    )
    assert dup.status_code == 303
    assert (await reload(runtime, copy.id)).status == "duplikat"
    gone = await seed.declaration(report_type="penolakan")
    no_reason = await post_status(client, officer, gone.id, "ditarik")
    assert no_reason.status_code == 400 and "Lengkapi dulu: alasan." in no_reason.text

    # An incomplete report: "tidak dapat ditindaklanjuti" only after its completion deadline.
    # The completion time counts from the reporting date (PerKPK 1/2026): two days ago.
    reported = datetime.now(UTC) - timedelta(days=2)
    asked = await seed.declaration(status="perlu_dilengkapi", submitted_at=reported)
    async with runtime.db.transaction() as session:
        session.add(
            StatusChange(
                declaration_id=asked.id,
                from_status="diterima",
                to_status="perlu_dilengkapi",
                actor="siti",
                note="Foto?",
                details={},
                at=reported,
            )
        )
    page = (await client.get(f"/dashboard/declarations/{asked.id}")).text
    assert "Batas waktu melengkapi laporan baru lewat setelah" in page
    assert 'Ubah ke "Ditutup: tidak dapat ditindaklanjuti' not in page
    early = await post_status(client, officer, asked.id, "tidak_dilengkapi")
    assert early.status_code == 400 and "belum dapat ditutup" in early.text
    async with runtime.db.transaction() as session:
        await session.execute(
            update(Declaration)
            .where(Declaration.id == asked.id)
            .values(submitted_at=datetime(2026, 5, 5, 3, 0, tzinfo=UTC))
        )
    closed = await post_status(
        client, officer, asked.id, "tidak_dilengkapi", message="Mohon lapor ulang bila perlu."
    )
    assert closed.status_code == 303
    found = await reload(runtime, asked.id)
    assert found.status == "tidak_dilengkapi" and found.closed_at is not None


async def test_a_refusal_reporter_can_be_asked(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(report_type="penolakan")
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert "Kirim pertanyaan ke pelapor" in page
    asked = await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={"csrf_token": officer, "question": "Kapan pemberian itu ditolak?"},
    )
    assert asked.status_code == 303
    assert (await reload(runtime, d.id)).status == "perlu_dilengkapi"
    recorded = await post_status(client, officer, d.id, "dicatat")
    assert recorded.status_code == 303


async def test_timeline_names_the_reporter_and_shows_a_question_once(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(user_key="console:u1", channel="console", chat_id="u1")
    response = await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={
            "csrf_token": officer,
            "question": "Mohon foto kuitansinya.",
            "question_note": "Nilai tampak di bawah harga pasar.",
        },
    )
    assert response.status_code == 303
    async with runtime.db.transaction() as session:
        session.add(
            ThreadMessage(
                declaration_id=d.id,
                direction="from_reporter",
                author="console:u1",
                text="Ini fotonya.",
                at=datetime.now(UTC) + timedelta(minutes=1),
            )
        )
    await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={"csrf_token": officer, "question": "Dan nilainya?", "question_note": "cek toko"},
    )
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert page.count("Mohon foto kuitansinya.") == 1
    assert "Nilai tampak di bawah harga pasar." in page
    assert "Pertanyaan lanjutan UPPG ke pelapor" in page and "cek toko" in page
    assert "console:u1" not in page
    assert f"Jawaban pelapor</strong> <small>oleh {d.reporter_name}</small>" in page


async def test_each_notice_shows_its_delivery(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration()
    for target in ("diverifikasi",):
        assert (await post_status(client, officer, d.id, target)).status_code == 303
    await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={"csrf_token": officer, "question": "Foto?"},
    )
    await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={"csrf_token": officer, "question": "Nilai?"},
    )
    async with runtime.db.transaction() as session:
        rows = (
            (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id)))
            .scalars()
            .all()
        )
        assert [r.dedupe_key.split(":")[0] for r in rows] == ["status", "status", "question"]
        rows[0].status, rows[0].sent_at = SENT, datetime(2026, 5, 5, 2, 30, tzinfo=UTC)
        rows[1].last_error, rows[1].attempts = (
            "NotConfigured: no sender for channel telegram in this process",
            3,
        )
        rows[2].status, rows[2].last_error = DEAD, "DeliveryFailed: Forbidden"
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    delivery = re.findall(r'<p class="delivery (\w+)">(.*?)</p>', page)
    assert [(css, re.sub("<[^>]+>", "", text)) for css, text in delivery] == [
        ("ok", "Pemberitahuan ke pelapor: terkirim (5 Mei 2026 09.30)"),
        (
            "warn",
            "Pemberitahuan ke pelapor: menunggu: Telegram belum diatur di server "
            "(TELEGRAM_BOT_TOKEN) (dicoba 3 kali)",
        ),
        (
            "error",
            "Pemberitahuan ke pelapor: gagal: pelapor memblokir bot atau belum pernah memulai "
            "percakapan dengannya",
        ),
    ]


async def test_banner_on_every_page_while_messages_cannot_go_out(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration()
    pages = ["/dashboard", f"/dashboard/declarations/{d.id}", "/dashboard/recap"]
    # As installed locally: no UPPG channel, no reporter channel.
    for path in pages:
        page = (await client.get(path)).text
        assert "Belum ada kanal UPPG" in page, path
        assert "Belum ada kanal pelapor" in page, path

    configured = runtime.settings.model_copy(
        update={"telegram_bot_token": SecretStr("1:x"), "uppg_telegram_chat_id": "-100"}
    )
    runtime.settings = configured
    client_app = client._transport.app  # type: ignore[attr-defined]
    client_app.state.delivery_banner = None
    page = (await client.get("/dashboard")).text
    assert 'aria-label="Peringatan pengiriman pesan"' not in page

    # Messages failing, or waiting for more than 15 minutes: the banner says how many.
    old = datetime.now(UTC) - timedelta(hours=2)
    async with runtime.db.transaction() as session:
        dead = outbox_message("reporter.status_changed", "status:x1", {"declaration_id": d.id})
        dead.status, dead.last_error, dead.created_at = DEAD, "DeliveryFailed: Forbidden", old
        stuck = outbox_message("reporter.question", "question:x2", {"declaration_id": d.id})
        stuck.attempts, stuck.last_error, stuck.created_at = 5, "telegram error: TimedOut", old
        fresh = outbox_message("reporter.question", "question:x3", {"declaration_id": d.id})
        session.add_all([dead, stuck, fresh])
    client_app.state.delivery_banner = None
    for path in pages:
        page = (await client.get(path)).text
        assert "1 pesan gagal terkirim dalam 7 hari terakhir" in page, path
        assert "1 pesan tertahan lebih dari 15 menit" in page, path
        assert "Belum ada kanal" not in page
