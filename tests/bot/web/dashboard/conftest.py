"""Fixtures for the dashboard tests: a runtime on the `database` fixture, an HTTP client on
the real app, and helpers that create officers and declarations directly with the models."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.dispatcher import Dispatcher
from bot.passwords import hash_password
from bot.runtime import Runtime, policy_from_settings
from bot.sessions import MemorySessionStore
from bot.store.attachments import LocalBlobStore
from bot.store.concerns import SqlConcerns
from bot.store.database import Database
from bot.store.models import Declaration, User
from bot.store.sealed import word_index
from bot.web.app import create_app
from handlers.ask import NoFaq
from handlers.context import Services

PASSWORD = "kata-sandi-rahasia-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
async def runtime(database: Database, settings: Settings) -> AsyncIterator[Runtime]:
    """The app's runtime on the test database (the fixture disposes the database)."""
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=2, lock_wait=2)
    cipher = cipher_from_settings(settings)
    concerns = SqlConcerns(
        database,
        cipher,
        LocalBlobStore(settings.effective_attachment_dir),
        max_bytes=settings.max_attachment_bytes,
    )
    services = Services(policy=policy_from_settings(settings), faq=NoFaq(), concerns=concerns)
    yield Runtime(
        settings=settings,
        store=store,
        db=database,
        cipher=cipher,
        services=services,
        dispatcher=Dispatcher(store, services),
        concerns=concerns,
    )
    await store.close()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(runtime.settings, runtime)
    app.state.runtime = runtime  # ASGITransport does not run the lifespan
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def add_user(
    db: Database, username: str, role: str = "officer", *, fkap: bool = False
) -> User:
    async with db.transaction() as session:
        user = User(
            username=username,
            password_hash=hash_password(PASSWORD),
            role=role,
            active=True,
            fkap=fkap,
        )
        session.add(user)
    return user


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def login(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    """Logs in through the form; returns the session's CSRF token for later posts."""
    page = await http.get("/login")
    response = await http.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "username": username, "password": password},
    )
    assert response.status_code == 303, response.text
    listing = await http.get("/dashboard")
    assert listing.status_code == 200
    return csrf_of(listing.text)


@dataclass
class Seeder:
    """Creates declarations directly with the models."""

    runtime: Runtime
    count: int = 0

    async def declaration(self, **fields: Any) -> Declaration:
        self.count += 1
        cipher = self.runtime.cipher
        values: dict[str, Any] = {
            "number": f"GRT-2026-{self.count:06d}",
            "idempotency_key": f"test-{self.count}",
            "user_key": f"telegram:{1000 + self.count}",
            "channel": "telegram",
            "chat_id": str(1000 + self.count),
            "report_type": "penerimaan",
            "status": "diterima",
            "reporter_name": f"Pelapor {self.count}",
            "reporter_nip": "198501012010011001",
            "reporter_jabatan": "Analis",
            "reporter_unit": "Dinas Kesehatan",
            "reporter_nik_enc": cipher.encrypt("3201010101010001"),
            "reporter_address_enc": cipher.encrypt("Jl. Merdeka No. 1"),
            "reporter_phone_enc": cipher.encrypt("081234567890"),
            "giver_name": "Budi Santoso",
            "giver_institution": "CV Maju Jaya",
            "giver_relation": "rekanan",
            "occasion": "hari_raya",
            "object_type": "barang",
            "description": "Parsel lebaran",
            "value_rp": 750_000,
            "received_date": date(2026, 5, 1),
            "received_place": "Kantor",
            "chronology": "Diantar kurir ke kantor.",
            "object_location": "disimpan_pelapor",
            "submitted_at": datetime(2026, 5, 4, 3, 0, tzinfo=UTC),
            "details": {},
        }
        values.update(fields)
        # As bot.store.declarations writes it: the sealed name found by its word index.
        values.setdefault("name_index", word_index(cipher, values["reporter_name"]))
        declaration = Declaration(**values)
        async with self.runtime.db.transaction() as session:
            session.add(declaration)
        return declaration


@pytest.fixture
def seed(runtime: Runtime) -> Seeder:
    return Seeder(runtime)
