"""The detail page, status actions, questions to the reporter, attachments, the audit log."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.attachments import LocalAttachmentStore, content_hmac, row_key
from bot.store.models import (
    AuditLog,
    Declaration,
    DeclarationAttachment,
    OutboxMessage,
    StatusChange,
    ThreadMessage,
)
from tests.bot.web.dashboard.conftest import Seeder, add_user, login


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def audit(runtime: Runtime, action: str) -> list[AuditLog]:
    async with runtime.db.sessions() as session:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list((await session.execute(query)).scalars().all())


async def reload(runtime: Runtime, declaration_id: int) -> Declaration:
    async with runtime.db.sessions() as session:
        found = await session.get(Declaration, declaration_id)
        assert found is not None
        return found


async def test_detail_shows_everything_and_audits_the_view(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(confidential=True)
    response = await client.get(f"/dashboard/declarations/{d.id}")
    assert response.status_code == 200
    page = response.text
    for text in (
        d.number,
        d.reporter_name,
        "3201010101010001",  # NIK, decrypted for the officer
        "081234567890",
        "Jl. Merdeka No. 1",
        "identitasnya dirahasiakan",
        "Budi Santoso",
        "Rp750.000",
        "Diantar kurir ke kantor.",
        "UPPG meneruskan ke KPK",
        "Diverifikasi",  # an action
        "Perlu dilengkapi",
    ):
        assert text in page, text
    assert response.headers["cache-control"] == "no-store"
    views = await audit(runtime, "view")
    assert [(v.actor, v.target) for v in views] == [("siti", d.number)]


async def test_unknown_declaration_is_404(client: httpx.AsyncClient, officer: str) -> None:
    response = await client.get("/dashboard/declarations/999999")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.text


async def test_valid_status_change(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration()
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": officer,
            "to_status": "diverifikasi",
            "message": "Data Anda lengkap.",
            "internal_note": "Rekanan dinas, pantau.",
        },
    )
    assert response.status_code == 303
    assert (await reload(runtime, d.id)).status == "diverifikasi"
    page = await client.get(response.headers["location"])
    assert "Status laporan sudah diubah" in page.text
    assert "Diterima UPPG → Diverifikasi" in page.text
    assert 'Pesan untuk pelapor:</p><p class="pre">Data Anda lengkap.' in page.text
    assert "Catatan internal <small>(tidak dikirim ke pelapor)</small>" in page.text
    assert "Rekanan dinas, pantau." in page.text
    assert "Pemberitahuan ke pelapor: <strong>menunggu</strong>" in page.text
    changes = await audit(runtime, "status_change")
    assert [(c.actor, c.details) for c in changes] == [
        (
            "siti",
            {
                "from": "diterima",
                "to": "diverifikasi",
                "message": "Data Anda lengkap.",
                "internal_note": "Rekanan dinas, pantau.",
            },
        )
    ]
    async with runtime.db.sessions() as session:
        topics = (await session.execute(select(OutboxMessage.topic))).scalars().all()
    assert topics == ["reporter.status_changed"]

    # Forwarding needs a date; the KPK reference is kept.
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": officer,
            "to_status": "diteruskan_kpk",
            "forwarded_on": "2026-05-06",
            "kpk_reference": "KPK-123/2026",
        },
    )
    assert response.status_code == 303
    forwarded = await reload(runtime, d.id)
    assert forwarded.status == "diteruskan_kpk"
    assert forwarded.kpk_reference == "KPK-123/2026"


async def test_invalid_transition_shows_the_reason(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration()
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={"csrf_token": officer, "to_status": "selesai", "note": "tutup"},
    )
    assert response.status_code == 400
    assert "tidak dapat diubah menjadi Selesai" in response.text
    assert (await reload(runtime, d.id)).status == "diterima"
    async with runtime.db.sessions() as session:
        assert (await session.execute(select(StatusChange))).first() is None


async def test_missing_details_keep_what_was_typed(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(status="diverifikasi")
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={"csrf_token": officer, "to_status": "diteruskan_kpk", "kpk_reference": "KPK-9"},
    )
    assert response.status_code == 400
    assert "Lengkapi dulu: tanggal diteruskan." in response.text
    assert 'value="KPK-9"' in response.text
    bad_date = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={"csrf_token": officer, "to_status": "diteruskan_kpk", "forwarded_on": "31/13/2026"},
    )
    assert bad_date.status_code == 400
    assert "Tanggal diteruskan ke KPK tidak dapat dibaca" in bad_date.text
    assert (await reload(runtime, d.id)).status == "diverifikasi"


async def test_questions_to_the_reporter(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration()
    url = f"/dashboard/declarations/{d.id}/question"
    first = await client.post(url, data={"csrf_token": officer, "question": "Foto kuitansi?"})
    assert first.status_code == 303
    assert (await reload(runtime, d.id)).status == "perlu_dilengkapi"
    second = await client.post(url, data={"csrf_token": officer, "question": "Dan nilainya?"})
    assert second.status_code == 303
    async with runtime.db.sessions() as session:
        messages = (
            (await session.execute(select(ThreadMessage).order_by(ThreadMessage.id)))
            .scalars()
            .all()
        )
        topics = (
            (await session.execute(select(OutboxMessage.topic).order_by(OutboxMessage.id)))
            .scalars()
            .all()
        )
    assert [(m.direction, m.author, m.text) for m in messages] == [
        ("to_reporter", "siti", "Foto kuitansi?"),
        ("to_reporter", "siti", "Dan nilainya?"),
    ]
    assert topics == ["reporter.status_changed", "reporter.question"]
    # The reporter's answer shows in the thread.
    async with runtime.db.transaction() as session:
        session.add(
            ThreadMessage(
                declaration_id=d.id,
                direction="from_reporter",
                author="pelapor",
                text="Terlampir.",
                at=datetime.now(UTC) + timedelta(minutes=1),
            )
        )
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert page.index("Foto kuitansi?") < page.index("Dan nilainya?") < page.index("Terlampir.")
    assert "Jawaban pelapor" in page


async def test_question_refused_when_closed(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(status="selesai")
    response = await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={"csrf_token": officer, "question": "Masih ada?"},
    )
    assert response.status_code == 400
    assert "tidak dapat dikirim" in response.text


async def test_too_long_question_keeps_the_text(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration()
    text = "Mohon jelaskan. " * 200
    response = await client.post(
        f"/dashboard/declarations/{d.id}/question", data={"csrf_token": officer, "question": text}
    )
    assert response.status_code == 400
    assert "terlalu panjang" in response.text
    assert text.strip() in response.text
    assert (await reload(runtime, d.id)).status == "diterima"


async def test_decision_with_sk_upload_and_download(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(status="diteruskan_kpk")
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": officer,
            "to_status": "milik_negara",
            "sk_number": "SK-77/2026",
            "sk_date": "2026-06-20",
            # The reporter's hand-over deadline is the one the SK states.
            "handover_due": "2026-07-10",
        },
        files={"proof": ("SK 77.pdf", b"%PDF-1.4 sk", "application/pdf")},
    )
    assert response.status_code == 303
    decided = await reload(runtime, d.id)
    assert (decided.status, decided.sk_number) == ("milik_negara", "SK-77/2026")
    async with runtime.db.sessions() as session:
        attachment = (await session.execute(select(DeclarationAttachment))).scalar_one()
    assert (attachment.kind, attachment.name) == ("sk", "SK 77.pdf")
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert "Penyerahan objek milik negara" in page  # the hand-over deadline now applies
    assert "10 Juli 2026" in page and "SK KPK SK-77/2026" in page
    assert "Batas penyerahan/pembayaran menurut SK" not in page  # no further decision form
    link = re.search(r'href="(/dashboard/attachments/\d+)"', page)
    assert link
    file = await client.get(link.group(1))
    assert file.status_code == 200
    assert file.content == b"%PDF-1.4 sk"
    assert file.headers["content-disposition"] == "attachment; filename*=utf-8''SK%2077.pdf"
    assert [a.target for a in await audit(runtime, "download_attachment")] == [d.number]
    # The change's audit entry says a document came, and which: not what it was called.
    [change] = await audit(runtime, "status_change")
    assert (change.details["file"], change.details["attachment_id"]) == ("terlampir", attachment.id)
    assert "SK 77" not in repr(change.details)


async def test_upload_of_other_types_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(status="diteruskan_kpk")
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": officer,
            "to_status": "milik_penerima",
            "sk_number": "SK-1",
            "sk_date": "2026-06-20",
        },
        files={"proof": ("x.html", b"<script>", "text/html")},
    )
    assert response.status_code == 400
    assert "jenisnya tidak didukung" in response.text
    assert (await reload(runtime, d.id)).status == "diteruskan_kpk"  # nothing half-done
    # An EXE renamed .pdf, which the browser calls a PDF: refused by its content.
    exe = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": officer,
            "to_status": "milik_penerima",
            "sk_number": "SK-1",
            "sk_date": "2026-06-20",
        },
        files={"proof": ("SK KPK.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "application/pdf")},
    )
    assert exe.status_code == 400
    assert "Berkas file SK KPK tidak diterima: jenisnya tidak didukung" in exe.text
    async with runtime.db.sessions() as session:
        assert (await session.execute(select(DeclarationAttachment))).first() is None
    # Without a file at all: the SK is required for every decision.
    missing = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": officer,
            "to_status": "milik_penerima",
            "sk_number": "SK-1",
            "sk_date": "2026-06-20",
        },
    )
    assert missing.status_code == 400
    assert "Lengkapi dulu: file SK KPK." in missing.text
    assert 'value="SK-1"' in missing.text


async def test_undecryptable_data_does_not_break_the_pages(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(reporter_nik_enc="gAAAAA-not-a-token")
    page = await client.get(f"/dashboard/declarations/{d.id}")
    assert page.status_code == 200
    assert "periksa DATA_ENCRYPTION_KEY" in page.text
    pdf = await client.get(f"/dashboard/declarations/{d.id}/form.pdf")
    assert pdf.status_code == 200


async def test_channel_and_files_read_in_indonesian(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    d = await seed.declaration(channel="whatsapp", user_key="whatsapp:62811", chat_id="62811")
    async with runtime.db.transaction() as session:
        session.add(
            DeclarationAttachment(
                declaration_id=d.id,
                kind="photo",
                name="parsel.png",
                mime_type="image/png",
                size=127_003,
                content_hmac="0" * 64,
                storage_key="00/parsel",
            )
        )
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert "Laporan masuk lewat WhatsApp" in page and "Whatsapp" not in page
    assert "(foto, 124,0 KB)" in page and "photo," not in page
    pdf = await client.get(f"/dashboard/declarations/{d.id}/form.pdf")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "1. foto" in text and "parsel.png (124,0 KB)" in text


async def test_a_file_name_naming_a_person_is_sealed_yet_offered_to_officers(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    """A KTP photo named as the phone saved it: the page, the PDF and the download give the
    name; the row keeps it sealed, the download's audit entry keeps the id only; a file still
    under its plain-SHA-256 name (a legacy reference since 0016) downloads too."""
    name = "KTP_budi_3201011505900001.jpg"
    photo = b"\xff\xd8\xff\xe0 foto ktp"
    sha256 = hashlib.sha256(photo).hexdigest()
    files = LocalAttachmentStore(
        runtime.settings.effective_attachment_dir, max_bytes=10**6, cipher=runtime.cipher
    )
    await files.blobs.put(f"{sha256[:2]}/{sha256}", photo)
    d = await seed.declaration()
    async with runtime.db.transaction() as session:
        row = DeclarationAttachment(
            declaration_id=d.id,
            kind="photo",
            name=name,
            mime_type="image/jpeg",
            size=len(photo),
            content_hmac=content_hmac(runtime.cipher, sha256),
            storage_key=row_key(runtime.cipher, f"{sha256[:2]}/{sha256}", sha256),
        )
        session.add(row)
    async with runtime.db.engine.connect() as conn:
        stored = (
            await conn.execute(sa.text("SELECT name, storage_key FROM declaration_attachments"))
        ).one()
    assert "3201011505900001" not in repr(stored) and "budi" not in repr(stored)
    assert sha256 not in repr(stored)

    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert name in page
    pdf = await client.get(f"/dashboard/declarations/{d.id}/form.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "KTP_budi_3201011505900001.jpg" in text.replace("\n", "")
    file = await client.get(f"/dashboard/attachments/{row.id}")
    assert file.status_code == 200 and file.content == photo
    assert file.headers["content-disposition"] == f'attachment; filename="{name}"'
    [entry] = await audit(runtime, "download_attachment")
    assert entry.details == {"attachment_id": row.id}
    async with runtime.db.engine.connect() as conn:
        raw = await conn.scalar(sa.text("SELECT CAST(details AS TEXT) FROM audit_log"))
    assert "KTP" not in str(raw)


async def test_wrong_dashboard_addresses_get_a_page_in_indonesian(
    client: httpx.AsyncClient, officer: str
) -> None:
    for path in ("/dashboard/nope", "/dashboard/declarations/abc"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "Halaman tidak ditemukan" in response.text and "detail" not in response.text
    # Outside the dashboard FastAPI's own answers stay (webhook callers read JSON).
    other = await client.get("/nope")
    assert other.status_code == 404 and other.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("row_id", [2**31, 2**63, 10**30, 0, -1])
async def test_ids_the_database_cannot_hold_are_404_not_500(
    client: httpx.AsyncClient, officer: str, row_id: int
) -> None:
    for path in (
        f"/dashboard/declarations/{row_id}",
        f"/dashboard/declarations/{row_id}/form.pdf",
        f"/dashboard/attachments/{row_id}",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path


async def test_absurd_page_numbers_show_the_last_page(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    await add_user(runtime.db, "admin1", role="admin")
    await login(client, "admin1")
    await seed.declaration()
    for page in ("10" + "0" * 19, "9" * 5000, "²", "-3"):
        listing = await client.get("/dashboard", params={"page": page})
        assert listing.status_code == 200, page
        audit_page = await client.get("/dashboard/audit", params={"page": page})
        assert audit_page.status_code == 200, page
