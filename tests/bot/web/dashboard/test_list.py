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
        ("ani wulan", {n["refusal"]}),  # reporter name, any case, words or their beginnings
        ("WULANDARI", {n["refusal"]}),
        ("ulan", set()),  # the name is sealed: the middle of a word does not find it
        ("wulan ani", {n["refusal"]}),
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
    # All due the same day: the report that has waited longest comes first.
    assert made[0].number in numbers(first.text)
    assert made[-1].number in numbers(second.text)


async def test_the_queue_puts_the_nearest_deadline_first_and_colours_it(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    """Red past the deadline, amber within 3 working days; days remaining shown."""
    from bot.web.dashboard.listing import workdays_left
    from bot.web.dashboard.pages import calendar_of, today_of

    today = today_of(runtime.settings)
    calendar = calendar_of(runtime.settings)

    def received_for(left: int) -> datetime:
        """A receipt day whose UPPG -> KPK deadline (10 working days) is `left` working
        days from today (negative: already past)."""
        for back in range(0, 60):
            day = date.fromordinal(today.toordinal() - back)
            due = calendar.add_workdays(day, 10 - 1)  # the day received counts as day one
            if workdays_left(due, today, calendar) == left and calendar.is_workday(day):
                return datetime.combine(day, datetime.min.time(), UTC).replace(hour=3)
        raise AssertionError(left)

    late = await seed.declaration(submitted_at=received_for(-2))
    soon = await seed.declaration(submitted_at=received_for(2))
    later = await seed.declaration(submitted_at=received_for(8))
    done = await seed.declaration(status="selesai", submitted_at=received_for(9))
    html = (await client.get("/dashboard")).text
    body = html.split("<tbody>", 1)[1]
    order = list(dict.fromkeys(NUMBER.findall(body)))
    assert order == [late.number, soon.number, later.number, done.number]
    rows = body.split("<tr")[1:]
    assert 'class="u-late"' in rows[0] and "lewat " in rows[0]
    assert 'class="u-soon"' in rows[1] and re.search(r"sisa [123] hari kerja", rows[1])
    assert "u-" not in rows[2].split(">", 1)[0] and re.search(r"sisa \d+ hari kerja", rows[2])


async def test_unread_answers_badge_until_an_officer_opens_it(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    from bot.store.models import ThreadMessage

    d = await seed.declaration(status="perlu_dilengkapi")
    async with runtime.db.transaction() as session:
        session.add(
            ThreadMessage(
                declaration_id=d.id, direction="from_reporter", author="x", text="Sudah saya kirim"
            )
        )
    assert "1 jawaban baru" in (await client.get("/dashboard")).text
    assert numbers((await client.get("/dashboard?unread=1")).text) == {d.number}
    await client.get(f"/dashboard/declarations/{d.id}")
    assert "jawaban baru</span>" not in (await client.get("/dashboard")).text
    assert numbers((await client.get("/dashboard?unread=1")).text) == set()


async def test_assignment_and_my_tasks(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    from tests.bot.web.dashboard.conftest import csrf_of

    mine = await seed.declaration()
    other = await seed.declaration()
    page = await client.get(f"/dashboard/declarations/{mine.id}")
    response = await client.post(
        f"/dashboard/declarations/{mine.id}/assign",
        data={"csrf_token": csrf_of(page.text), "assignee": "me"},
    )
    assert response.status_code == 303
    detail = (await client.get(f"/dashboard/declarations/{mine.id}")).text
    assert "<strong>siti</strong>" in detail
    assert numbers((await client.get("/dashboard?mine=1")).text) == {mine.number}
    assert other.number in (await client.get("/dashboard")).text
    # Without the CSRF token nothing changes.
    refused = await client.post(
        f"/dashboard/declarations/{other.id}/assign", data={"assignee": "me"}
    )
    assert refused.status_code == 403


async def test_search_by_kpk_reference_sk_number_and_nip(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder, officer: str
) -> None:
    a = await seed.declaration(kpk_reference="1234/LAP-GRAT/2026")
    b = await seed.declaration(sk_number="SK-77/KPK/2026")
    c = await seed.declaration(
        reporter_nip="199001012015031002",
        nip_index=runtime.cipher.index("199001012015031002"),
    )
    # NIP kept only as its keyed index (as once it is encrypted) is still found.
    d = await seed.declaration(
        reporter_nip=None, nip_index=runtime.cipher.index("198812122012122001")
    )

    async def found(q: str) -> set[str]:
        return numbers((await client.get("/dashboard", params={"q": q})).text)

    assert await found("1234/lap") == {a.number}
    assert await found("sk-77") == {b.number}
    assert await found("19900101 201503 1 002") == {c.number}
    assert await found("198812122012122001") == {d.number}


async def test_a_deactivated_handler_is_shown_and_the_report_needs_a_new_one(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    """Siti handled a report and left; the head deactivates her account on *Pengguna*. The
    queue and the report say so, and *Perlu petugas* lists it until someone takes it."""
    from tests.bot.web.dashboard.conftest import csrf_of

    siti = await add_user(runtime.db, "siti")
    await add_user(runtime.db, "ketua", role="admin")
    csrf = await login(client, "ketua")
    hers = await seed.declaration()
    nobody = await seed.declaration()
    kept = await seed.declaration()
    closed = await seed.declaration(status="dicatat", report_type="penolakan")
    for declaration, who in ((hers, str(siti.id)), (kept, "me"), (closed, str(siti.id))):
        response = await client.post(
            f"/dashboard/declarations/{declaration.id}/assign",
            data={"csrf_token": csrf, "assignee": who},
        )
        assert response.status_code == 303
    users = await client.get("/dashboard/users")
    response = await client.post(
        f"/dashboard/users/{siti.id}/active",
        data={"csrf_token": csrf_of(users.text), "active": "0"},
    )
    assert response.status_code == 303

    queue = (await client.get("/dashboard")).text
    row = queue.split(hers.number, 1)[1].split("</tr>", 1)[0]
    assert "siti (nonaktif)" in row and "perlu petugas baru" in row
    done = queue.split(closed.number, 1)[1].split("</tr>", 1)[0]
    assert "siti (nonaktif)" in done and "perlu petugas baru" not in done
    assert numbers((await client.get("/dashboard?unassigned=1")).text) == {
        hers.number,
        nobody.number,
    }
    page = (await client.get(f"/dashboard/declarations/{hers.id}")).text
    assert "<strong>siti</strong> (nonaktif)" in page
    assert "Akun siti sudah dinonaktifkan. Pilih petugas baru" in page
    exported = (await client.get("/dashboard/export.csv")).content.decode("utf-8-sig")
    assert "siti (nonaktif)" in exported

    # The head takes it over: it leaves the view.
    await client.post(
        f"/dashboard/declarations/{hers.id}/assign",
        data={"csrf_token": csrf_of(page), "assignee": "me"},
    )
    assert numbers((await client.get("/dashboard?unassigned=1")).text) == {nobody.number}
    assert "(nonaktif)" not in (await client.get(f"/dashboard/declarations/{hers.id}")).text
