"""The declaration list: filters, search, overdue, pagination."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import httpx
import pytest

from bot.runtime import Runtime
from bot.web.dashboard.listing import PAGE_SIZE
from tests.bot.web.dashboard.conftest import Seeder, add_user, login

NUMBER = re.compile(r"GRT-\d{4}-\d{6}")


def numbers(html: str) -> set[str]:
    # Each row links its number once; the search box holds no number unless searched.
    return set(NUMBER.findall(html.split("<tbody>", 1)[-1]))


@pytest.fixture
async def officer(client: httpx.AsyncClient, runtime: Runtime) -> str:
    await add_user(runtime.db, "siti")
    return await login(client, "siti")


async def seed_mix(seed: Seeder) -> dict[str, str]:
    """Five declarations that differ in one attribute each; name -> number."""
    made = {
        "base": await seed.declaration(),
        "verified": await seed.declaration(status="diverifikasi"),
        "unit": await seed.declaration(reporter_unit="Dinas Pendidikan", occasion="pernikahan"),
        "june": await seed.declaration(
            submitted_at=datetime(2026, 6, 10, 2, 0, tzinfo=UTC),
            giver_name="Haji Rahmat",
            forwarded_at=datetime(2026, 6, 11, tzinfo=UTC),
            status="diteruskan_kpk",
        ),
        "refusal": await seed.declaration(
            report_type="penolakan", reporter_name="Ani Wulandari", status="dicatat"
        ),
    }
    return {k: v.number for k, v in made.items()}


async def test_filters(client: httpx.AsyncClient, seed: Seeder, officer: str) -> None:
    n = await seed_mix(seed)

    async def shown(query: str) -> set[str]:
        response = await client.get(f"/dashboard?{query}")
        assert response.status_code == 200
        return numbers(response.text)

    assert await shown("") == set(n.values())
    assert await shown("status=diverifikasi") == {n["verified"]}
    assert await shown("unit=Dinas+Pendidikan") == {n["unit"]}
    assert await shown("occasion=pernikahan") == {n["unit"]}
    assert await shown("report_type=penolakan") == {n["refusal"]}
    assert await shown("date_from=2026-06-01&date_to=2026-06-30") == {n["june"]}
    assert await shown("date_to=2026-05-31") == set(n.values()) - {n["june"]}
    # Bad values are ignored rather than failing the page.
    assert await shown("date_from=kemarin&page=x") == set(n.values())


async def test_search(client: httpx.AsyncClient, seed: Seeder, officer: str) -> None:
    n = await seed_mix(seed)
    for query, expected in (
        (n["verified"], {n["verified"]}),  # number
        ("ani wulan", {n["refusal"]}),  # reporter name, any case
        ("rahmat", {n["june"]}),  # giver
        ("maju jaya", set(n.values())),  # giver institution
        ("100%", set()),  # LIKE wildcards are literal
    ):
        response = await client.get("/dashboard", params={"q": query})
        found = numbers(response.text.split("</form>", 1)[1])
        assert found == expected, query


async def test_overdue_filter_and_due_dates(
    client: httpx.AsyncClient, seed: Seeder, officer: str
) -> None:
    today = date.today()
    old = await seed.declaration()  # May 2026, never forwarded: overdue
    fresh = await seed.declaration(submitted_at=datetime.now(UTC))
    done = await seed.declaration(status="selesai", forwarded_at=datetime(2026, 5, 5, tzinfo=UTC))
    assert today > date(2026, 6, 1)
    response = await client.get("/dashboard?overdue=1")
    assert numbers(response.text) == {old.number}
    assert "lewat batas" in response.text
    everything = await client.get("/dashboard")
    assert numbers(everything.text) == {old.number, fresh.number, done.number}
    assert "UPPG meneruskan ke KPK" in everything.text


async def test_pagination(client: httpx.AsyncClient, seed: Seeder, officer: str) -> None:
    made = [
        await seed.declaration(submitted_at=datetime(2026, 5, 1, 1, i, tzinfo=UTC))
        for i in range(PAGE_SIZE + 3)
    ]
    first = await client.get("/dashboard?status=diterima")
    second = await client.get("/dashboard?status=diterima&page=2")
    assert len(numbers(first.text)) == PAGE_SIZE
    assert len(numbers(second.text)) == 3
    assert numbers(first.text) | numbers(second.text) == {d.number for d in made}
    assert "Halaman 1 dari 2" in first.text
    assert 'href="/dashboard?status=diterima&amp;page=2"' in first.text
    # Newest first.
    assert made[-1].number in numbers(first.text)
