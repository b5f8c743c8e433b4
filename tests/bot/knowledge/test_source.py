"""The FAQ port: hot reload of knowledge/ and the admins' logs in the database."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.knowledge.source import DatabaseFaq, KnowledgeSource, user_hash
from bot.store.database import Database
from bot.store.models import FaqFeedback, FaqQuestion

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge/, for the tests that edit it."""
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    return target


@pytest.fixture
def shipped() -> Path:
    """The shipped knowledge/ itself, for the tests that only read it: its knowledge base is
    built once per test process and shared (bot.knowledge.source._BUILT), where each copy is
    built anew (a second or more of CPU on a busy machine)."""
    return ROOT / "knowledge"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Make the change visible even on file systems with coarse timestamps.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_an_edited_answer_is_live_without_a_restart(knowledge: Path) -> None:
    source = KnowledgeSource(knowledge, check_interval=0)
    faq = DatabaseFaq(source, None)
    before = await faq.get("sanksi")
    assert before is not None and before.answer and "4 sampai 20 tahun" in before.answer
    _edit(knowledge / "faq" / "perlindungan.yaml", "4 sampai 20 tahun", "empat sampai 20 tahun")
    after = await faq.get("sanksi")
    assert after is not None and after.answer and "empat sampai 20 tahun" in after.answer


async def test_a_broken_edit_never_replaces_the_working_knowledge(
    knowledge: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = KnowledgeSource(knowledge, check_interval=0)
    working = source.current()
    assert working is not None
    _edit(knowledge / "faq" / "hasil.yaml", "id: kompensasi", "id: hasil-laporan")
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.source"):
        assert source.current() is working
    assert "faq/hasil.yaml:" in caplog.text and "id 'hasil-laporan' dipakai dua kali" in caplog.text
    assert any(p.level == "error" for p in source.problems)
    faq = DatabaseFaq(source, None)
    still = await faq.ask("barang sudah jadi milik negara tapi mau saya tebus")
    assert still.id == "kompensasi"
    # Once fixed, the new files are taken.
    _edit(knowledge / "faq" / "hasil.yaml", "id: hasil-laporan", "id: kompensasi")
    assert source.current() is not working


async def test_the_interval_limits_how_often_files_are_looked_at(knowledge: Path) -> None:
    now = [0.0]
    source = KnowledgeSource(knowledge, check_interval=5, clock=lambda: now[0])
    working = source.current()
    _edit(knowledge / "faq" / "perlindungan.yaml", "4 sampai 20 tahun", "empat sampai 20 tahun")
    now[0] = 4.0
    assert source.current() is working
    now[0] = 5.0
    assert source.current() is not working


async def test_fallbacks_are_logged_without_personal_data(
    shipped: Path, database: Database
) -> None:
    faq = DatabaseFaq(KnowledgeSource(shipped), database)
    answer = await faq.ask("nomor saya 081234567890 cara bikin rendang", user_key="test:9")
    assert not answer.matched
    async with database.sessions() as session:
        rows = list(await session.scalars(select(FaqQuestion)))
    assert len(rows) == 1
    assert rows[0].outcome in ("fallback", "suggested")
    assert "081234567890" not in rows[0].text and "<phone>" in rows[0].text
    assert database.cipher is not None
    assert rows[0].user_hash == user_hash(database.cipher, "test:9")
    # Keyed: the plain hash of the user key (guessable by trying every id) is not what is kept.
    assert rows[0].user_hash != hashlib.sha256(b"gratibot-faq:test:9").hexdigest()


async def test_confident_answers_are_not_logged(shipped: Path, database: Database) -> None:
    faq = DatabaseFaq(KnowledgeSource(shipped), database)
    assert (await faq.ask("parcel lebaran dari vendor wajib lapor gak")).matched
    async with database.sessions() as session:
        assert list(await session.scalars(select(FaqQuestion))) == []


async def test_a_taken_suggestion_is_recorded(shipped: Path, database: Database) -> None:
    faq = DatabaseFaq(KnowledgeSource(shipped), database)
    answer = await faq.ask("hadiah", user_key="test:1")
    assert answer.suggestions
    await faq.ask("hadiah", user_key="test:2")
    taken = answer.suggestions[0].id
    shown = await faq.get(taken, user_key="test:1")
    assert shown is not None and shown.matched
    async with database.sessions() as session:
        rows = list(await session.scalars(select(FaqQuestion).order_by(FaqQuestion.id)))
    assert [r.outcome for r in rows] == ["suggested", "suggested"]
    assert rows[0].taken_id == taken
    assert rows[1].taken_id is None  # another user's list stays "not taken"


async def test_feedback_is_counted_per_entry(shipped: Path, database: Database) -> None:
    faq = DatabaseFaq(KnowledgeSource(shipped), database)
    await faq.feedback("sanksi", True)
    await faq.feedback("sanksi", False)
    await faq.feedback("tidak-ada", True)  # an old button of a removed entry: ignored
    async with database.sessions() as session:
        rows = list(await session.scalars(select(FaqFeedback)))
    assert sorted((r.entry_id, r.helpful) for r in rows) == [("sanksi", False), ("sanksi", True)]


async def test_text_typed_mid_form_is_not_logged(shipped: Path, database: Database) -> None:
    faq = DatabaseFaq(KnowledgeSource(shipped), database)
    # A flow passes no user_key: "Budi, Jl. Melati 5" may be a form answer, not a question.
    assert not (await faq.ask("Budi, Jl. Melati 5")).matched
    async with database.sessions() as session:
        assert list(await session.scalars(select(FaqQuestion))) == []


async def test_the_uppg_contact_comes_from_uppg_yaml(knowledge: Path) -> None:
    faq = DatabaseFaq(KnowledgeSource(knowledge), None)
    assert "hubungi UPPG Inspektorat" in await faq.contact()
    (knowledge / "uppg.yaml").write_text('whatsapp: "0812-0000-1111"\n', encoding="utf-8")
    fresh = DatabaseFaq(KnowledgeSource(knowledge), None)
    assert "WhatsApp: 0812-0000-1111" in await fresh.contact()


async def test_a_reload_that_drops_entries_says_so(
    knowledge: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = KnowledgeSource(knowledge, check_interval=0)
    _edit(
        knowledge / "faq" / "hasil.yaml",
        "    see_also: [setelah-sk]\n    active: true",
        "    see_also: [setelah-sk]\n    active: false",
    )
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.source"):
        assert source.current() is not None
    assert "no longer answered: lelang-milik-negara" in caplog.text
