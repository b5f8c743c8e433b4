"""Login that cannot be abused: sessions the server ends, an idle timeout, a failure count that
concurrent guesses cannot overrun, back-off that cannot keep the admin out, refusals that all
read and cost the same, and an audit log that never keeps a mistyped password."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from bot import passwords
from bot.runtime import Runtime
from bot.store import accounts
from bot.store.database import Database
from bot.store.models import AuditLog, DashboardSession, LoginThrottle
from bot.store.throttles import account_key
from bot.web.app import create_app
from bot.web.dashboard import auth
from bot.web.dashboard.auth import ACCOUNT_LIMIT, ADDRESS_PAUSED, UNKNOWN_ACTOR, WRONG
from bot.web.dashboard.login import ENDED
from tests.bot.web.dashboard.conftest import PASSWORD, add_user, csrf_of, login

Browser = Callable[..., httpx.AsyncClient]


@pytest.fixture
def database(any_database: Database) -> Database:
    """Counters and sessions are database code: SQLite and, when given, PostgreSQL."""
    return any_database


@pytest.fixture
async def browser(runtime: Runtime) -> AsyncIterator[Browser]:
    """Opens a browser (its own cookies) at a client address of the test's choosing."""
    app = create_app(runtime.settings, runtime)
    app.state.runtime = runtime
    opened: list[httpx.AsyncClient] = []

    def open_browser(address: str = "10.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50_000))
        http = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        opened.append(http)
        return http

    yield open_browser
    for http in opened:
        await http.aclose()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The hashes argon2 checked a password against, in order ("dummy" for the stand-in)."""
    seen: list[str] = []
    real = passwords.verify_password

    def spy(password_hash: str, password: str) -> bool:
        seen.append("dummy" if password_hash == passwords._dummy_hash() else password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", spy)
    yield seen


async def try_login(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    page = await http.get("/login")
    return await http.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "username": username, "password": password},
    )


async def audit(db: Database) -> list[AuditLog]:
    async with db.sessions() as session:
        return list((await session.execute(select(AuditLog).order_by(AuditLog.id))).scalars())


# Sessions the server can end.


async def test_a_cookie_replayed_after_logout_is_refused(
    browser: Browser, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    http = browser()
    csrf = await login(http, "siti")
    stolen = dict(http.cookies)
    assert (await http.post("/logout", data={"csrf_token": csrf})).status_code == 303
    replay = browser("10.9.9.9")
    replay.cookies.update(stolen)
    response = await replay.get("/dashboard")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    entries = await audit(runtime.db)
    assert [(e.actor, e.action) for e in entries][-1] == ("siti", "logout")


async def test_reenabling_an_account_does_not_bring_its_sessions_back(
    browser: Browser, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    http = browser()
    await login(http, "siti")
    stolen = dict(http.cookies)
    async with runtime.db.transaction() as session:
        await accounts.set_active(session, "siti", False, actor="admin")
    async with runtime.db.transaction() as session:
        await accounts.set_active(session, "siti", True, actor="admin")
    replay = browser()
    replay.cookies.update(stolen)
    assert (await replay.get("/dashboard")).status_code == 303
    # Logging in again works, with a new session.
    assert await login(browser(), "siti")


async def test_a_new_password_ends_every_session_of_the_account(
    browser: Browser, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    office, home = browser(), browser("10.0.0.2")
    await login(office, "siti")
    await login(home, "siti")
    async with runtime.db.transaction() as session:
        await accounts.set_password(session, "siti", "kata-sandi-baru-22", actor="admin")
    for http in (office, home):
        assert (await http.get("/dashboard")).status_code == 303
    async with runtime.db.sessions() as session:
        assert (await session.execute(select(DashboardSession))).first() is None


@pytest.mark.parametrize(("idle_minutes", "ends"), [(29, False), (31, True)])
async def test_an_idle_session_ends_after_30_minutes(
    browser: Browser, runtime: Runtime, idle_minutes: int, ends: bool
) -> None:
    assert runtime.settings.dashboard_idle_minutes == 30  # the default
    await add_user(runtime.db, "siti")
    http = browser()
    await login(http, "siti")
    async with runtime.db.transaction() as session:
        row = (await session.execute(select(DashboardSession))).scalar_one()
        row.last_seen_at -= timedelta(minutes=idle_minutes)
        row.created_at -= timedelta(minutes=idle_minutes)
    response = await http.get("/dashboard")
    if not ends:
        assert response.status_code == 200
        async with runtime.db.sessions() as session:  # the page view counts as activity
            row = (await session.execute(select(DashboardSession))).scalar_one()
        assert row.last_seen_at > row.created_at + timedelta(minutes=idle_minutes - 1)
        return
    assert response.status_code == 303
    assert response.headers["location"].endswith("&ended=1")
    page = await http.get(response.headers["location"])
    assert ENDED in page.text
    async with runtime.db.sessions() as session:
        assert (await session.execute(select(DashboardSession))).first() is None


# Guessing.


async def test_forty_concurrent_guesses_get_at_most_five_checks(
    browser: Browser, runtime: Runtime, checks: list[str]
) -> None:
    await add_user(runtime.db, "admin", role="admin")
    guessers = [browser(f"10.1.0.{i}") for i in range(40)]  # 40 addresses: no address limit
    pages = await asyncio.gather(*(g.get("/login") for g in guessers))
    answers = await asyncio.gather(
        *(
            g.post(
                "/login",
                data={"csrf_token": csrf_of(p.text), "username": "admin", "password": f"tebak{i}"},
            )
            for i, (g, p) in enumerate(zip(guessers, pages, strict=True))
        )
    )
    assert {a.status_code for a in answers} == {401}
    real = [c for c in checks if c != "dummy"]
    assert len(real) == ACCOUNT_LIMIT.free  # the old code checked 37 of 40
    assert len(checks) == 40  # and the other 35 cost the same as a check


async def test_an_attacker_who_knows_the_admins_name_cannot_keep_the_admin_out(
    browser: Browser, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first pause longer than this test could take on a busy machine.
    monkeypatch.setattr(
        auth, "ACCOUNT_LIMIT", replace(ACCOUNT_LIMIT, first_pause=timedelta(hours=1))
    )
    await add_user(runtime.db, "admin", role="admin")
    own = browser("10.0.0.1")
    csrf = await login(own, "admin")  # the admin's own browser, trusted from now on
    await own.post("/logout", data={"csrf_token": csrf})
    for i in range(30):  # from many addresses, so no address limit helps
        refused = await try_login(browser(f"203.0.113.{i}"), "admin", f"tebakan-{i}")
        assert refused.status_code == 401
    # The admin still gets in from the usual browser, with the password, at once.
    assert (await try_login(own, "admin", PASSWORD)).status_code == 303
    assert (await own.get("/dashboard/users")).status_code == 200
    # A new browser waits out the pause (the answer does not say why), then gets in.
    fresh = browser("10.0.0.7")
    assert (await try_login(fresh, "admin", PASSWORD)).status_code == 401
    async with runtime.db.transaction() as session:
        await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key.startswith("account:"))
            .values(paused_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert (await try_login(fresh, "admin", PASSWORD)).status_code == 303


async def test_a_trusted_browser_has_its_own_limit(browser: Browser, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    own = browser()
    csrf = await login(own, "siti")
    await own.post("/logout", data={"csrf_token": csrf})
    for _ in range(ACCOUNT_LIMIT.free):
        assert (await try_login(own, "siti", "salah-sekali")).status_code == 401
    # Paused now, even with the right password: a stolen device cookie buys five guesses.
    assert (await try_login(own, "siti", PASSWORD)).status_code == 401
    # The account's own counter was not touched: another browser is not paused.
    assert (await try_login(browser("10.0.0.8"), "siti", PASSWORD)).status_code == 303


async def test_refusals_read_and_cost_the_same(
    browser: Browser, runtime: Runtime, checks: list[str]
) -> None:
    await add_user(runtime.db, "siti")
    await add_user(runtime.db, "budi")
    await add_user(runtime.db, "ani")
    async with runtime.db.transaction() as session:
        await accounts.set_active(session, "budi", False)
    for _ in range(ACCOUNT_LIMIT.free):  # ani is paused for untrusted browsers
        await try_login(browser("10.2.0.1"), "ani", "salah-sekali")
    checks.clear()
    answers = {
        "unknown": await try_login(browser("10.2.0.2"), "nobody", PASSWORD),
        "disabled": await try_login(browser("10.2.0.3"), "budi", PASSWORD),
        "paused": await try_login(browser("10.2.0.4"), "ani", PASSWORD),
        "wrong": await try_login(browser("10.2.0.5"), "siti", "salah-sekali"),
    }
    tokenless = {
        case: re.sub(r'value="[^"]+"', "", response.text).replace(case_user, "")
        for (case, response), case_user in zip(
            answers.items(), ("nobody", "budi", "ani", "siti"), strict=True
        )
    }
    assert {r.status_code for r in answers.values()} == {401}
    assert all(WRONG in r.text for r in answers.values())
    assert len(set(tokenless.values())) == 1  # the same page, word for word
    assert len(checks) == 4  # one argon2 check each, real or stand-in
    assert "terkunci" not in answers["paused"].text


async def test_the_audit_keeps_a_failed_username_only_when_it_is_an_account(
    browser: Browser, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    # The password typed into the username field, then the right name with a typo.
    await try_login(browser(), PASSWORD, PASSWORD)
    await try_login(browser(), "siti", "kata-sandi-rahasia-")
    entries = await audit(runtime.db)
    assert [(e.actor, e.action, e.details) for e in entries] == [
        (UNKNOWN_ACTOR, "login_failed", {"reason": "unknown"}),
        ("siti", "login_failed", {"reason": "password"}),
    ]
    async with runtime.db.sessions() as session:
        keys = (await session.execute(select(LoginThrottle.key))).scalars().all()
    stored = " ".join(f"{e.actor} {e.target} {e.details}" for e in entries) + " ".join(keys)
    assert PASSWORD not in stored and "kata-sandi" not in stored
    assert not any("10.0.0.1" in key for key in keys)  # addresses only as keyed hashes


async def test_one_address_pauses_after_its_failures(
    browser: Browser, runtime: Runtime, checks: list[str]
) -> None:
    await add_user(runtime.db, "siti")
    limit = runtime.settings.login_address_max_failures
    attacker = browser("198.51.100.7")
    for i in range(limit):
        assert (await try_login(attacker, f"user{i}", "tebakan-saja")).status_code == 401
    checks.clear()
    refused = await try_login(attacker, "siti", PASSWORD)
    assert refused.status_code == 429 and ADDRESS_PAUSED in refused.text
    assert checks == []  # refused before any argon2 work
    # Another address is not affected.
    assert (await try_login(browser("198.51.100.8"), "siti", PASSWORD)).status_code == 303


async def test_a_success_clears_the_accounts_count(browser: Browser, runtime: Runtime) -> None:
    user = await add_user(runtime.db, "siti")
    http = browser()
    for _ in range(ACCOUNT_LIMIT.free - 1):
        await try_login(http, "siti", "salah-sekali")
    assert (await try_login(http, "siti", PASSWORD)).status_code == 303
    async with runtime.db.sessions() as session:
        assert await session.get(LoginThrottle, account_key(user.id)) is None
