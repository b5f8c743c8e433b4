"""The receipt proves itself: a genuine one verifies; one changed byte, or another key, fails.

The page (/verify), the command (`gratibot verify FILE`) and the library say the same, and
none of them shows personal data.
"""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.config import Settings
from bot.documents import receipt
from bot.documents.signing import Signer, new_private_key_text, signer_from_settings
from bot.runtime import Runtime
from tests.bot.web.dashboard.conftest import Seeder, add_user, login


@pytest.fixture
def signer(settings: Settings) -> Signer:
    return signer_from_settings(settings)


async def _receipt(runtime: Runtime, seed: Seeder, signer: Signer, **fields: object) -> bytes:
    d = await seed.declaration(
        reporter_name="Tuan 李明",
        uppg_received_at=datetime(2026, 5, 4, 3, 5, tzinfo=UTC),
        **fields,
    )
    async with runtime.db.transaction() as session:
        found = await session.get(type(d), d.id)
        assert found is not None
        return await receipt.receipt_for(session, found, runtime.settings, runtime.cipher, signer)


async def test_a_genuine_receipt_verifies(runtime: Runtime, seed: Seeder, signer: Signer) -> None:
    content = await _receipt(runtime, seed, signer)
    verdict = receipt.verify(content, signer)
    assert verdict.genuine, verdict.message
    assert verdict.facts is not None
    assert verdict.facts.number == "GRT-2026-000001"
    assert verdict.facts.received_at == datetime(2026, 5, 4, 3, 5, tzinfo=UTC)
    assert len(verdict.facts.digest) == 64
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "TANDA TERIMA LAPORAN GRATIFIKASI" in text
    assert "GRT-2026-000001" in text and verdict.facts.digest in text.replace("\n", "")
    assert "李明" in text.replace("\x00", "").replace(" ", "")
    # The same receipt every time it is made (the reporter's copy equals the UPPG's).
    assert await _regenerate(runtime, signer) == content


async def _regenerate(runtime: Runtime, signer: Signer) -> bytes:
    from bot.store.models import Declaration

    async with runtime.db.transaction() as session:
        d = await session.get(Declaration, 1)
        assert d is not None
        return await receipt.receipt_for(session, d, runtime.settings, runtime.cipher, signer)


async def test_one_changed_byte_anywhere_is_refused(
    runtime: Runtime, seed: Seeder, signer: Signer
) -> None:
    content = await _receipt(runtime, seed, signer)
    for where in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        index = int(len(content) * where)
        changed = bytearray(content)
        changed[index] = (changed[index] + 1) % 256
        verdict = receipt.verify(bytes(changed), signer)
        assert not verdict.genuine, f"byte {index} of {len(content)} changed, still genuine"
    # A visible fact rewritten in place (the number in the metadata) is refused as well.
    forged = content.replace(b"number=GRT-2026-000001", b"number=GRT-2026-000009")
    assert forged != content and not receipt.verify(forged, signer).genuine


async def test_a_receipt_signed_with_another_key_is_refused(
    runtime: Runtime, seed: Seeder, signer: Signer
) -> None:
    other_settings = Settings(_env_file=None, receipt_signing_key=new_private_key_text())  # type: ignore[call-arg]
    other = signer_from_settings(other_settings)
    forged = await _receipt(runtime, seed, other)
    assert receipt.verify(forged, other).genuine
    verdict = receipt.verify(forged, signer)
    assert not verdict.genuine and "kunci" in verdict.message
    # After a key change, receipts of the earlier key still verify when it is listed.
    rotated = Signer(signer.private, earlier=(other.public,))
    assert receipt.verify(forged, rotated).genuine
    assert not receipt.verify(b"%PDF-1.4 not a receipt", signer).genuine


async def test_the_verify_page_and_the_dashboard_download(
    client: httpx.AsyncClient, runtime: Runtime, seed: Seeder
) -> None:
    d = await seed.declaration(reporter_name="Rahasia Pelapor", confidential=True)
    await add_user(runtime.db, "siti")
    await login(client, "siti")
    response = await client.get(f"/dashboard/declarations/{d.id}/tanda-terima.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    content = response.content
    client.cookies.clear()  # the page is public: no login needed

    page = await client.get("/verify")
    assert page.status_code == 200 and "Periksa keaslian" in page.text
    genuine = await client.post("/verify", files={"berkas": ("t.pdf", content, "application/pdf")})
    assert "ASLI" in genuine.text and d.number in genuine.text
    assert "Isi laporan di arsip UPPG sama" in genuine.text
    assert "Rahasia Pelapor" not in genuine.text and "198501012010011001" not in genuine.text
    changed = bytearray(content)
    changed[len(content) // 2] ^= 0x01
    refused = await client.post(
        "/verify", files={"berkas": ("t.pdf", bytes(changed), "application/pdf")}
    )
    assert "TIDAK SAH" in refused.text and d.number not in refused.text
    empty = await client.post("/verify", files={"berkas": ("", b"", "application/pdf")})
    assert empty.status_code == 400


async def test_gratibot_verify_file(
    runtime: Runtime, seed: Seeder, signer: Signer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = await _receipt(runtime, seed, signer)
    genuine = tmp_path / "tanda-terima.pdf"
    genuine.write_bytes(content)
    changed = tmp_path / "diubah.pdf"
    altered = bytearray(content)
    altered[len(content) // 3] ^= 0x20
    changed.write_bytes(bytes(altered))
    monkeypatch.setenv("VAR_DIR", str(runtime.settings.var_dir))
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("DATABASE_URL", runtime.db.url)
    runner = CliRunner()
    # The command runs its own event loop: off this test's loop.
    ok = await asyncio.to_thread(runner.invoke, cli, ["verify", str(genuine)])
    assert ok.exit_code == 0, ok.output
    assert "ASLI" in ok.output and "GRT-2026-000001" in ok.output
    bad = await asyncio.to_thread(runner.invoke, cli, ["verify", str(changed), "--no-archive"])
    assert bad.exit_code == 1 and "TIDAK SAH" in bad.output


async def test_the_receipt_is_laid_out_off_the_event_loop(
    runtime: Runtime, seed: Seeder, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading and subsetting the fonts takes seconds: never on the loop's own thread, where
    it would hold up every webhook (the chat's "Unduh tanda terima" and the dashboard's)."""
    loop_thread = threading.get_ident()
    threads: list[int] = []
    real = receipt.receipt_pdf

    def recorded(*args: object) -> bytes:
        threads.append(threading.get_ident())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(receipt, "receipt_pdf", recorded)
    content = await _receipt(runtime, seed, signer)
    assert receipt.verify(content, signer).genuine
    assert threads and loop_thread not in threads
