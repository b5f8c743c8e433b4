"""The compliance function's queue of bribery concerns: role separation, audit, the thread."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from sqlalchemy import select, update

from bot.messages import Attachment
from bot.runtime import Runtime
from bot.store.models import AuditLog, Concern
from handlers.ports import ConcernView
from tests.bot.web.dashboard.conftest import add_user, login

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


async def file_of(data: bytes) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(kind="photo", name="foto.png", mime_type="image/png", download=download)


async def new_concern(runtime: Runtime, *, anonymous: bool = True) -> tuple[str, str]:
    """A concern as the chat would submit it: returns (number, code)."""
    port = runtime.concerns
    key = port.new_key()
    stored = await port.stage(await file_of(PNG), key)
    receipt = await port.submit(
        key=key,
        story={"what": "Bendahara proyek minta fee 10 persen dari kontraktor", "how": "melihat"},
        identity=None if anonymous else {"name": "Rina Marlina", "contact": "rina@contoh.id"},
        files=[stored],
        today=date(2026, 11, 2),
    )
    return receipt.number, receipt.code


@pytest.mark.parametrize("role", ["officer", "admin"])
async def test_officers_and_admins_without_the_role_see_no_concern(
    client: httpx.AsyncClient, runtime: Runtime, role: str
) -> None:
    number, _ = await new_concern(runtime)
    await add_user(runtime.db, "siti", role)
    await login(client, "siti")
    listing = await client.get("/dashboard")
    assert "/dashboard/aduan" not in listing.text
    for path in ("/dashboard/aduan", f"/dashboard/aduan/{number}"):
        page = await client.get(path)
        assert page.status_code == 403 and "fungsi kepatuhan" in page.text
        assert "Bendahara" not in page.text


async def test_the_compliance_function_works_a_concern(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    number, code = await new_concern(runtime)
    await add_user(runtime.db, "fkap1", "officer", fkap=True)
    csrf = await login(client, "fkap1")
    listing = await client.get("/dashboard/aduan")
    assert listing.status_code == 200 and number in listing.text and "Anonim" in listing.text
    assert "lewat batas" in listing.text  # received 2 Nov: its 5 working days are long past
    detail = await client.get(f"/dashboard/aduan/{number}")
    assert "Bendahara proyek minta fee" in detail.text and "Anonim" in detail.text
    assert code not in detail.text
    # Closing needs an outcome; the refusal keeps the page and says why.
    refused = await client.post(
        f"/dashboard/aduan/{number}/status", data={"csrf_token": csrf, "to_status": "selesai"}
    )
    assert refused.status_code == 400 and "Pilih hasil penanganan" in refused.text
    moved = await client.post(
        f"/dashboard/aduan/{number}/status",
        data={"csrf_token": csrf, "to_status": "penilaian", "message": ""},
    )
    assert moved.status_code == 303
    asked = await client.post(
        f"/dashboard/aduan/{number}/pesan",
        data={"csrf_token": csrf, "message": "Kapan fee itu diminta, dan di mana?"},
    )
    assert asked.status_code == 303
    # The sender reads the question with the code (from any chat) and answers.
    view = await runtime.concerns.open(code, asker="telegram:5")
    assert isinstance(view, ConcernView)
    assert any(n.text == "Kapan fee itu diminta, dan di mana?" for n in view.notes)
    await runtime.concerns.add(
        code, asker="telegram:5", today=date(2026, 11, 10), text="Tanggal 30 Oktober di kantor"
    )
    listing = await client.get("/dashboard/aduan")
    assert "1 pesan baru" in listing.text
    detail = await client.get(f"/dashboard/aduan/{number}")
    assert "Tanggal 30 Oktober di kantor" in detail.text
    assert "dibaca pelapor" in detail.text
    evidence = await client.get(f"/dashboard/aduan/{number}/berkas/1")
    assert evidence.status_code == 200 and evidence.content.startswith(b"\x89PNG")
    async with runtime.db.sessions() as session:
        actions = (
            await session.scalars(select(AuditLog.action).where(AuditLog.target == number))
        ).all()
        concern = (await session.execute(select(Concern))).scalar_one()
    assert actions.count("concern_view") >= 2 and "concern_download" in actions
    assert "concern_status" in actions and "concern_message" in actions
    assert concern.status == "penilaian"


async def test_an_identified_sender_is_shown_to_the_compliance_function_only(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    number, _ = await new_concern(runtime, anonymous=False)
    await add_user(runtime.db, "fkap1", "officer", fkap=True)
    await login(client, "fkap1")
    detail = await client.get(f"/dashboard/aduan/{number}")
    assert "Rina Marlina" in detail.text and "rina@contoh.id" in detail.text


async def test_an_admin_grants_the_role(client: httpx.AsyncClient, runtime: Runtime) -> None:
    admin = await add_user(runtime.db, "ketua", "admin")
    officer = await add_user(runtime.db, "budi", "officer")
    csrf = await login(client, "ketua")
    assert (await client.get("/dashboard/aduan")).status_code == 403
    response = await client.post(
        f"/dashboard/users/{officer.id}/fkap", data={"csrf_token": csrf, "fkap": "1"}
    )
    assert response.status_code == 303
    async with runtime.db.sessions() as session:
        granted = (
            await session.scalars(select(AuditLog.action).where(AuditLog.target == "budi"))
        ).all()
    assert "user_fkap_grant" in granted
    # The admin who granted it still does not hold it.
    assert (await client.get("/dashboard/aduan")).status_code == 403
    assert admin.fkap is False


async def seed_concern(runtime: Runtime, received_on: date, status: str = "diterima") -> str:
    """A concern submitted on that day through the port, then moved to `status`."""
    receipt = await runtime.concerns.submit(
        key=runtime.concerns.new_key(),
        story={"what": "Pejabat pengadaan minta uang pelicin", "how": "melihat"},
        identity=None,
        files=[],
        today=received_on,
    )
    if status != "diterima":
        async with runtime.db.transaction() as session:
            await session.execute(
                update(Concern)
                .where(Concern.number == receipt.number)
                .values(
                    status=status,
                    outcome="tidak_terbukti" if status == "selesai" else None,
                    closed_on=date(2026, 9, 1) if status == "selesai" else None,
                )
            )
    return receipt.number


LISTED = re.compile(r'href="/dashboard/aduan/(ADU-\d{4}-\d{6})"')


async def test_the_queue_pages_open_concerns_nearest_deadline_first(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    closed = await seed_concern(runtime, date(2026, 8, 3), "selesai")
    # Received first, but under assessment: its deadline is the closing, 30 working days on.
    assessing = await seed_concern(runtime, date(2026, 11, 2), "penilaian")
    same_day = [await seed_concern(runtime, date(2026, 11, 10)) for _ in range(24)]
    # Arrived last, received a day after `assessing`: its 5 days to assess end first.
    nearest = await seed_concern(runtime, date(2026, 11, 3))
    await add_user(runtime.db, "fkap1", "officer", fkap=True)
    await login(client, "fkap1")

    first = await client.get("/dashboard/aduan")
    assert first.status_code == 200
    assert "(SNI ISO 37001:2016 klausul 8.9)" in first.text
    # The nearest deadline on top; 24 due the same day, in the order they came in.
    assert LISTED.findall(first.text) == [nearest, *same_day]
    assert "27 aduan" in first.text and "Halaman 1 dari 2" in first.text
    assert 'href="/dashboard/aduan?page=2">Berikutnya' in first.text
    assert "Sebelumnya" not in first.text

    second = await client.get("/dashboard/aduan?page=2")
    # The 26th and 27th: the open one with the furthest deadline, then the closed one.
    assert LISTED.findall(second.text) == [assessing, closed]
    assert "Halaman 2 dari 2" in second.text and "Berikutnya" not in second.text
    assert 'href="/dashboard/aduan">&larr; Sebelumnya' in second.text
    # A page past the end shows the last one; a page typed as words, the first.
    assert LISTED.findall((await client.get("/dashboard/aduan?page=99")).text) == [
        assessing,
        closed,
    ]
    assert LISTED.findall((await client.get("/dashboard/aduan?page=dua")).text)[0] == nearest

    # The status filter keeps its place across pages and lists only its own.
    received = await client.get("/dashboard/aduan?status=diterima")
    assert LISTED.findall(received.text) == [nearest, *same_day]
    assert "Halaman" not in received.text  # 25 fit on one page
