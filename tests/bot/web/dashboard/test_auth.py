"""Access control: login, wrong passwords, roles, CSRF, cookies, logout (abuse cases in
test_login_abuse.py)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.accounts import set_password
from bot.store.models import AuditLog, Declaration, LoginThrottle, User
from bot.store.throttles import account_key
from bot.web.dashboard.auth import WRONG
from tests.bot.web.dashboard.conftest import PASSWORD, Seeder, add_user, csrf_of, login


async def test_every_page_and_export_redirects_to_login(
    client: httpx.AsyncClient, seed: Seeder
) -> None:
    d = await seed.declaration()
    for path in (
        "/dashboard",
        f"/dashboard/declarations/{d.id}",
        f"/dashboard/declarations/{d.id}/form.pdf",
        "/dashboard/export.csv?status=diterima",
        "/dashboard/export.xlsx",
        "/dashboard/recap",
        "/dashboard/recap.xlsx",
        "/dashboard/users",
        "/dashboard/audit",
        "/dashboard/attachments/1",
    ):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=%2Fdashboard"), path


async def test_post_without_login_changes_nothing(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    d = await seed.declaration()
    response = await client.post(
        f"/dashboard/declarations/{d.id}/status", data={"to_status": "diverifikasi"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    async with runtime.db.sessions() as session:
        assert (await session.get(Declaration, d.id)).status == "diterima"  # type: ignore[union-attr]


async def test_login_then_next_page(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    first = await client.get("/dashboard/recap")
    assert first.status_code == 303
    page = await client.get(first.headers["location"])
    assert 'name="next" value="/dashboard/recap"' in page.text
    response = await client.post(
        "/login",
        data={
            "csrf_token": csrf_of(page.text),
            "username": "siti",
            "password": PASSWORD,
            "next": "/dashboard/recap",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/recap"
    assert (await client.get("/dashboard/recap")).status_code == 200


async def test_next_never_leaves_the_site(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "csrf_token": csrf_of(page.text),
            "username": "siti",
            "password": PASSWORD,
            "next": "//evil.example/x",
        },
    )
    assert response.headers["location"] == "/dashboard"


async def test_wrong_password_is_refused_and_audited(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "username": "siti", "password": "salah-sekali"},
    )
    assert response.status_code == 401
    assert WRONG in response.text
    assert 'value="siti"' in response.text  # what was typed stays
    assert (await client.get("/dashboard")).status_code == 303
    async with runtime.db.sessions() as session:
        entries = (await session.execute(select(AuditLog))).scalars().all()
        user = (await session.execute(select(User).where(User.username == "siti"))).scalar_one()
        counter = await session.get(LoginThrottle, account_key(user.id))
    assert [(e.actor, e.action, e.details) for e in entries] == [
        ("siti", "login_failed", {"reason": "password"})
    ]
    assert counter is not None and counter.failures == 1


async def test_unknown_user_gets_the_same_answer(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "username": "nobody", "password": "whatever12"},
    )
    assert response.status_code == 401
    assert WRONG in response.text


async def test_disabled_user_cannot_log_in(client: httpx.AsyncClient, runtime: Runtime) -> None:
    user = await add_user(runtime.db, "siti")
    csrf = await login(client, "siti")
    assert csrf
    async with runtime.db.transaction() as session:
        (await session.get(User, user.id)).active = False  # type: ignore[union-attr]
    # The open session ends too.
    assert (await client.get("/dashboard")).status_code == 303


async def test_new_password_ends_open_sessions(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    await login(client, "siti")
    async with runtime.db.transaction() as session:
        await set_password(session, "siti", "kata-sandi-baru-2")
    assert (await client.get("/dashboard")).status_code == 303


async def test_officer_cannot_reach_admin_pages(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    csrf = await login(client, "siti")
    for path in ("/dashboard/users", "/dashboard/audit"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "hanya untuk admin" in response.text
    response = await client.post("/dashboard/users/1/active", data={"csrf_token": csrf})
    assert response.status_code == 403
    assert "Pengguna</a>" not in (await client.get("/dashboard")).text


async def test_admin_sees_users_and_audit(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "admin", role="admin")
    officer = await add_user(runtime.db, "siti")
    csrf = await login(client, "admin")
    users = await client.get("/dashboard/users")
    assert users.status_code == 200
    assert "siti" in users.text
    response = await client.post(
        f"/dashboard/users/{officer.id}/active", data={"csrf_token": csrf, "active": "0"}
    )
    assert response.status_code == 303
    async with runtime.db.sessions() as session:
        assert not (await session.get(User, officer.id)).active  # type: ignore[union-attr]
    audit = await client.get("/dashboard/audit?actor=admin")
    assert audit.status_code == 200
    assert "Nonaktifkan pengguna" in audit.text
    assert "Masuk" in audit.text


async def test_post_without_csrf_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    d = await seed.declaration()
    await add_user(runtime.db, "siti")
    await login(client, "siti")
    for data in ({"to_status": "diverifikasi"}, {"to_status": "diverifikasi", "csrf_token": "x"}):
        response = await client.post(f"/dashboard/declarations/{d.id}/status", data=data)
        assert response.status_code == 403
        assert "Formulir kedaluwarsa" in response.text
    async with runtime.db.sessions() as session:
        assert (await session.get(Declaration, d.id)).status == "diterima"  # type: ignore[union-attr]


async def test_login_without_csrf_is_refused(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    await client.get("/login")
    response = await client.post("/login", data={"username": "siti", "password": PASSWORD})
    assert response.status_code == 403
    assert (await client.get("/dashboard")).status_code == 303


async def test_session_cookie_flags(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    page = await client.get("/login")
    response = await client.post(
        "/login", data={"csrf_token": csrf_of(page.text), "username": "siti", "password": PASSWORD}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http in this test
    client.cookies.clear()
    secure = await client.get("https://testserver/login")
    assert "secure" in secure.headers["set-cookie"].lower()


async def test_forged_cookie_is_ignored(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    client.cookies.set("gratibot_session", "eyJjIjoieCIsInUiOjF9.forged.sig")
    assert (await client.get("/dashboard")).status_code == 303


async def test_logout(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await add_user(runtime.db, "siti")
    csrf = await login(client, "siti")
    response = await client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert (await client.get("/dashboard")).status_code == 303


async def test_login_page_when_already_logged_in(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await add_user(runtime.db, "siti")
    await login(client, "siti")
    response = await client.get("/login?next=/dashboard/recap")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/recap"


async def test_audit_details_read_in_indonesian(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    d = await seed.declaration()
    await add_user(runtime.db, "admin", role="admin")
    csrf = await login(client, "admin")
    assert (await client.get("/dashboard/export.csv")).status_code == 200
    changed = await client.post(
        f"/dashboard/declarations/{d.id}/status",
        data={"csrf_token": csrf, "to_status": "diverifikasi"},
    )
    assert changed.status_code in (200, 303)
    page = (await client.get("/dashboard/audit")).text
    assert f"filter: tanpa filter; nomor: {d.number}" in page
    assert "daftar laporan" in page
    assert "dari: Diterima UPPG; ke: Diverifikasi" in page
    for english in ("numbers:", "filters:", "from:", ">list<"):
        assert english not in page, english
