"""Two officers, or one impatient one, on the same report: a change from a page that is out of
date is refused and says who moved the report; a question sent twice reaches the reporter once;
a step with no way back asks to be confirmed."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.store.models import OutboxMessage, StatusChange, ThreadMessage
from tests.bot.web.dashboard.conftest import Seeder, add_user, login


@pytest.fixture
async def siti(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    await add_user(runtime.db, "budi")
    return await login(client, "siti")


async def count(runtime: Runtime, model: type, **where: object) -> int:
    async with runtime.db.sessions() as session:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int((await session.execute(query)).scalar_one())


async def status_of(runtime: Runtime, declaration_id: int) -> str:
    async with runtime.db.sessions() as session:
        query = select(StatusChange.to_status).where(StatusChange.declaration_id == declaration_id)
        found = (await session.execute(query.order_by(StatusChange.id.desc()))).scalars().first()
    return found or "diterima"


async def test_a_change_from_an_outdated_page_is_refused_and_names_who_moved_it(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    d = await seed.declaration()
    # Both pages were opened while the report was "Diterima UPPG": the forms say so.
    page = (await client.get(f"/dashboard/declarations/{d.id}")).text
    assert page.count('name="seen_status" value="diterima"') >= 3

    # Budi verifies it first (his own session).
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as budi:
        token = await login(budi, "budi")
        first = await budi.post(
            f"/dashboard/declarations/{d.id}/status",
            data={
                "csrf_token": token,
                "to_status": "diverifikasi",
                "seen_status": "diterima",
                "message": "sdh sy cek, lengkap",
            },
        )
        assert first.status_code == 303

    # Siti, on her older page, closes it as withdrawn: diverifikasi -> ditarik is allowed in
    # itself, but she decided on "Diterima UPPG", so nothing is applied and she is told why.
    late = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": siti,
            "to_status": "ditarik",
            "seen_status": "diterima",
            "reason": "pelapor bilang salah kirim",
        },
    )
    assert late.status_code == 400
    assert await status_of(runtime, d.id) == "diverifikasi"
    text = re.sub(r"\s+", " ", html.unescape(late.text))
    assert 'Status laporan ini sudah berubah menjadi "Diverifikasi" (budi, ' in text
    assert "perubahan Anda tidak diterapkan" in text
    # What she typed is kept, and the page she gets is current: she may send it again.
    assert "pelapor bilang salah kirim" in late.text
    assert 'name="seen_status" value="diverifikasi"' in late.text
    again = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={
            "csrf_token": siti,
            "to_status": "ditarik",
            "seen_status": "diverifikasi",
            "reason": "pelapor bilang salah kirim",
        },
    )
    assert again.status_code == 303
    assert await status_of(runtime, d.id) == "ditarik"


async def test_a_double_click_on_a_status_button_changes_it_once(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    d = await seed.declaration()
    form = {"csrf_token": siti, "to_status": "diverifikasi", "seen_status": "diterima"}
    first = await client.post(f"/dashboard/declarations/{d.id}/status", data=form)
    second = await client.post(f"/dashboard/declarations/{d.id}/status", data=form)
    assert first.status_code == 303
    assert second.status_code == 400
    assert "(siti, " in second.text  # her own first click, so she knows it went through
    assert await count(runtime, StatusChange, declaration_id=d.id) == 1
    assert await count(runtime, OutboxMessage) == 1


async def test_the_same_question_sent_twice_reaches_the_reporter_once(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    d = await seed.declaration()
    ask = {
        "csrf_token": siti,
        "question": "Mohon kirim foto parselnya ya pak, sama kuitansi kalau ada",
        "seen_status": "diterima",
    }
    # The page was slow; she pressed "Kirim pertanyaan" again. The second post still carries
    # the status her page showed, but it is the question already sent, so it is no error.
    for _ in range(2):
        response = await client.post(f"/dashboard/declarations/{d.id}/question", data=ask)
        assert response.status_code == 303, response.text
    assert await count(runtime, ThreadMessage, declaration_id=d.id) == 1
    assert await count(runtime, OutboxMessage) == 1
    assert await status_of(runtime, d.id) == "perlu_dilengkapi"

    # Once the reporter has answered, the same words are a new question and are sent.
    async with runtime.db.transaction() as session:
        session.add(
            ThreadMessage(
                declaration_id=d.id,
                direction="from_reporter",
                author=d.user_key,
                text="kuitansinya ga ada bu, fotonya nyusul",
            )
        )
    ask["seen_status"] = "perlu_dilengkapi"
    response = await client.post(f"/dashboard/declarations/{d.id}/question", data=ask)
    assert response.status_code == 303
    assert await count(runtime, ThreadMessage, direction="to_reporter") == 2
    assert await count(runtime, OutboxMessage) == 2


async def test_a_question_from_an_outdated_page_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    d = await seed.declaration()
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as budi:
        token = await login(budi, "budi")
        closed = await budi.post(
            f"/dashboard/declarations/{d.id}/status",
            data={"csrf_token": token, "to_status": "ditarik", "reason": "ditarik pelapor"},
        )
        assert closed.status_code == 303
    response = await client.post(
        f"/dashboard/declarations/{d.id}/question",
        data={"csrf_token": siti, "question": "Nilainya brp?", "seen_status": "diterima"},
    )
    assert response.status_code == 400
    assert await count(runtime, ThreadMessage, declaration_id=d.id) == 0


async def test_only_steps_with_no_way_back_ask_to_confirm(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    def forms(page: str) -> dict[str, str]:
        found = re.findall(r'<form[^>]*class="action">(.*?)</form>', page, flags=re.DOTALL)
        return {re.search(r'name="to_status" value="([^"]+)"', f).group(1): f for f in found}  # type: ignore[union-attr]

    d = await seed.declaration()
    received = forms((await client.get(f"/dashboard/declarations/{d.id}")).text)
    assert {"diverifikasi", "perlu_dilengkapi", "ditarik", "duplikat"} <= set(received)
    for target in ("diverifikasi", "perlu_dilengkapi"):
        assert 'name="confirm"' not in received[target], target
    for target in ("ditarik", "duplikat", "dikembalikan"):
        assert 'name="confirm" value="1" required' in received[target], target
        assert "tidak dapat dibatalkan" in received[target]

    forwarded = await seed.declaration(status="diteruskan_kpk")
    decisions = forms((await client.get(f"/dashboard/declarations/{forwarded.id}")).text)
    assert 'name="confirm"' in decisions["milik_negara"]
    assert 'name="confirm"' in decisions["milik_penerima"]
    assert 'name="confirm"' not in decisions["perlu_dilengkapi"]


async def test_a_number_typed_short_finds_the_report(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    for _ in range(12):
        await seed.declaration(giver_name="Pak Harjo")

    def numbers(page: str) -> set[str]:
        rows = page.split("</form>", 1)[1]
        return set(re.findall(r">(GRT-\d{4}-\d{6})</a>", rows))

    # As officers say it on the phone: no leading zeros, any case, with or without the year.
    for typed in ("GRT-2026-7", "grt 7", "Grt-2026-07", "GRT 2026 7", "grt-7"):
        response = await client.get("/dashboard", params={"q": typed})
        assert numbers(response.text) == {"GRT-2026-000007"}, typed
    # The full number and a plain part of it still work as before; another year finds nothing.
    full = await client.get("/dashboard", params={"q": "GRT-2026-000012"})
    assert numbers(full.text) == {"GRT-2026-000012"}
    part = await client.get("/dashboard", params={"q": "-00001"})
    assert numbers(part.text) == {f"GRT-2026-0000{n:02d}" for n in range(10, 13)}
    assert numbers((await client.get("/dashboard", params={"q": "GRT-2025-7"})).text) == set()


async def test_the_recap_tables_end_with_their_total(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, siti: str
) -> None:
    may = datetime(2026, 5, 6, 3, 0, tzinfo=UTC)
    await seed.declaration(reporter_unit="Dinas Kesehatan", value_rp=750_000, submitted_at=may)
    await seed.declaration(reporter_unit="Bappeda", value_rp=1_250_000, submitted_at=may)
    await seed.declaration(
        reporter_unit="Bappeda", report_type="penolakan", value_rp=2_000_000, submitted_at=may
    )
    page = (await client.get("/dashboard/recap?periode=2026-05")).text
    units = page.split("<h2>Unit kerja</h2>", 1)[1].split("</table>", 1)[0]
    total = re.sub(r"<[^>]+>", " ", units.split("<tfoot>", 1)[1])
    # Jumlah | 2 receipts | Rp2.000.000 | 1 refusal | Rp2.000.000, as in the summary above.
    assert total.split() == ["Jumlah", "2", "Rp2.000.000", "1", "Rp2.000.000"]
    # A table of one row needs no total.
    occasions = page.split("<h2>Peristiwa</h2>", 1)[1].split("</table>", 1)[0]
    assert "<tfoot>" not in occasions

    # The workbook's grouping sheets end with the same total, as numbers.
    book = load_workbook(
        io.BytesIO(
            (await client.get("/dashboard/recap.xlsx?periode=2026-05&varian=bupati")).content
        )
    )
    rows = list(book["Unit kerja"].iter_rows(min_row=2, values_only=True))
    assert rows[-1] == ("Jumlah", 2, 2_000_000, 1, 2_000_000)
    assert len(rows) == 3  # Bappeda, Dinas Kesehatan, Jumlah
    assert all(r[0] != "Jumlah" for r in book["Peristiwa"].iter_rows(values_only=True))
