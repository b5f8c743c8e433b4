"""The status workflow: allowed transitions, refusals with reasons, dates checked against the
record, the documents each step needs, the paths the law has, and what a change writes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.backoffice.workflow import TRANSITIONS, InvalidTransition, check_transition
from bot.config import Settings
from bot.store.database import Database
from bot.store.models import (
    AuditLog,
    Declaration,
    DeclarationAttachment,
    OutboxMessage,
    StatusChange,
    ThreadMessage,
)
from handlers import statuses as st
from tests.bot.backoffice.kit import FILLED, NOW, PDF, PNG, change, new_declaration

DETAILS = {**FILLED, "duplicate_of": "GRT-2026-000001"}


async def _declaration(db: Database, report_type: str = "penerimaan", **fields: Any) -> int:
    number = f"GRT-2026-{report_type[:3]}{len(fields)}"
    return await new_declaration(db, number, report_type=report_type, **fields)


async def _change(
    db: Database,
    settings: Settings,
    declaration_id: int,
    target: str,
    details: dict[str, str] | None = None,
    *,
    now: datetime = NOW,
    with_file: bool = True,
    data: bytes = PDF,
) -> StatusChange:
    return await change(
        db,
        settings,
        declaration_id,
        target,
        DETAILS if details is None else details,
        actor="officer:budi",
        now=now,
        data=data if with_file else None,
    )


@pytest.mark.parametrize(
    ("report_type", "source", "target"),
    [(rt, s, t) for rt, table in TRANSITIONS.items() for s, ts in table.items() for t in ts],
)
def test_every_allowed_transition_passes_with_details(
    report_type: str, source: str, target: str
) -> None:
    check_transition(report_type, source, target, DETAILS)


@pytest.mark.parametrize(
    ("report_type", "source", "target"),
    [
        ("penerimaan", st.DITERIMA, st.DITERUSKAN_KPK),  # not verified yet
        ("penerimaan", st.DITERIMA, st.MILIK_NEGARA),
        ("penerimaan", st.SELESAI, st.DITERIMA),
        ("penerimaan", st.DIVERIFIKASI, st.DICATAT),
        ("penerimaan", st.DITERUSKAN_KPK, st.DITARIK),  # KPK decides from here on
        ("penerimaan", st.DIVERIFIKASI, st.TIDAK_DILENGKAPI),
        ("penolakan", st.DITERIMA, st.DITERUSKAN_KPK),
        ("penolakan", st.DICATAT, st.SELESAI),
        ("penolakan", st.DITERIMA, st.DISALURKAN),
    ],
)
def test_invalid_transitions_are_refused_with_a_reason(
    report_type: str, source: str, target: str
) -> None:
    with pytest.raises(InvalidTransition, match="tidak dapat diubah"):
        check_transition(report_type, source, target, DETAILS)


def test_missing_details_and_documents_are_named() -> None:
    with pytest.raises(InvalidTransition, match="nomor SK, tanggal SK, file SK KPK"):
        check_transition("penerimaan", st.DITERUSKAN_KPK, st.MILIK_NEGARA, {}, with_file=False)
    with pytest.raises(InvalidTransition, match="Lengkapi dulu: pesan untuk pelapor"):
        check_transition("penolakan", st.DITERIMA, st.PERLU_DILENGKAPI, {})
    with pytest.raises(InvalidTransition, match="tanggal serah terima/setor, berita acara"):
        check_transition("penerimaan", st.MILIK_NEGARA, st.SELESAI, {}, with_file=False)
    # Closing a decision that left the object with the reporter needs no hand-over proof.
    check_transition("penerimaan", st.MILIK_PENERIMA, st.SELESAI, {}, with_file=False)


@pytest.mark.parametrize(
    "decision",
    [st.MILIK_PENERIMA, st.MILIK_NEGARA, st.MILIK_NEGARA_KOMPENSASI, st.TIDAK_DITINDAKLANJUTI],
)
def test_every_kpk_decision_needs_its_sk_file(decision: str) -> None:
    details = {"sk_number": "SK-1", "sk_date": "2026-12-01"}
    with pytest.raises(InvalidTransition, match="Lengkapi dulu: file SK KPK"):
        check_transition("penerimaan", st.DITERUSKAN_KPK, decision, details, with_file=False)
    check_transition("penerimaan", st.DITERUSKAN_KPK, decision, details, with_file=True)


async def test_full_path_writes_history_audit_and_notifications(
    database: Database, settings: Settings
) -> None:
    await new_declaration(database, "GRT-2026-000001")
    decl_id = await _declaration(database)
    path = [st.PERLU_DILENGKAPI, st.DIVERIFIKASI, st.DITERUSKAN_KPK, st.MILIK_NEGARA, st.SELESAI]
    for target in path:
        await _change(database, settings, decl_id, target)
    async with database.sessions() as session:
        decl = await session.get(Declaration, decl_id)
        assert decl is not None and decl.status == st.SELESAI
        assert decl.decision == st.MILIK_NEGARA and decl.sk_date == date(2026, 12, 1)
        assert decl.handed_over_on == date(2026, 12, 8)
        assert decl.kpk_reference == "GOL-123" and decl.closed_at is not None
        changes = (await session.execute(select(StatusChange))).scalars().all()
        assert [c.to_status for c in changes] == path
        assert [c.from_status for c in changes] == [st.DITERIMA, *path[:-1]]
        # Both texts are kept with every change, apart from each other.
        assert {c.note for c in changes} == {FILLED["message"]}
        assert {c.internal_note for c in changes} == {FILLED["internal_note"]}
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
        notices = [o for o in outbox if o.topic == "reporter.status_changed"]
        assert len(notices) == len(path)
        audit = (
            (await session.execute(select(AuditLog).where(AuditLog.action == "status_change")))
            .scalars()
            .all()
        )
        assert len(audit) == len(path) and audit[0].actor == "officer:budi"
        assert audit[0].details["message"] == FILLED["message"]
        assert audit[0].details["internal_note"] == FILLED["internal_note"]
        thread = (await session.execute(select(ThreadMessage))).scalars().all()
        assert [(t.text, t.status_change_id) for t in thread] == [
            (FILLED["message"], changes[0].id)
        ]
        files = (await session.execute(select(DeclarationAttachment))).scalars().all()
        assert [f.kind for f in files] == ["sk", "bukti"]
        assert all(f.mime_type == "application/pdf" for f in files)


async def test_refused_change_writes_nothing(database: Database, settings: Settings) -> None:
    decl_id = await _declaration(database, "penolakan")
    with pytest.raises(InvalidTransition):
        await _change(database, settings, decl_id, st.DITERUSKAN_KPK)
    await _change(database, settings, decl_id, st.DICATAT, {})
    async with database.sessions() as session:
        assert len((await session.execute(select(StatusChange))).scalars().all()) == 1


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        # The UPPG received it on 17 November 2026 (kit.SUBMITTED).
        ("2026-11-16", "tidak boleh sebelum tanggal laporan diterima UPPG (17 November 2026)"),
        ("2027-01-21", "(21 Januari 2027) tidak boleh setelah hari ini (20 Januari 2027)"),
        ("31/02/2026", "tidak dapat dibaca"),
        ("besok lusa", "tidak dapat dibaca"),
    ],
)
async def test_forwarding_date_lies_between_uppg_receipt_and_today(
    database: Database, settings: Settings, typed: str, reason: str
) -> None:
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    with pytest.raises(InvalidTransition, match=re.escape(reason)):
        await _change(database, settings, decl_id, st.DITERUSKAN_KPK, {"forwarded_on": typed})
    async with database.sessions() as session:
        found = await session.get(Declaration, decl_id)
        assert found is not None and found.status == st.DIVERIFIKASI


async def test_dates_as_officers_type_them(database: Database, settings: Settings) -> None:
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    await _change(database, settings, decl_id, st.DITERUSKAN_KPK, {"forwarded_on": "25/11/2026"})
    async with database.sessions() as session:
        found = await session.get(Declaration, decl_id)
        assert found is not None and found.forwarded_at is not None
        assert found.forwarded_at.date() == date(2026, 11, 25)
    # "Hari ini" in the UPPG's time zone: 06:00 WIB on 21 January is still the 20th in UTC.
    other = await new_declaration(database, "GRT-2026-000077", status=st.DIVERIFIKASI)
    early = datetime(2027, 1, 20, 23, 0, tzinfo=UTC)
    await _change(
        database, settings, other, st.DITERUSKAN_KPK, {"forwarded_on": "21 Jan 2027"}, now=early
    )


@pytest.mark.parametrize(
    ("sk_date", "reason"),
    [
        ("2026-11-24", r"SK \(24 November 2026\) tidak boleh sebelum tanggal diteruskan ke"),
        ("2027-02-01", "Tanggal SK \\(1 Februari 2027\\) tidak boleh setelah hari ini"),
    ],
)
async def test_sk_date_lies_between_forwarding_and_today(
    database: Database, settings: Settings, sk_date: str, reason: str
) -> None:
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    await _change(database, settings, decl_id, st.DITERUSKAN_KPK)
    details = {"sk_number": "SK-2", "sk_date": sk_date}
    with pytest.raises(InvalidTransition, match=reason):
        await _change(database, settings, decl_id, st.MILIK_NEGARA, details)


async def test_hand_over_on_or_after_the_sk(database: Database, settings: Settings) -> None:
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    await _change(database, settings, decl_id, st.DITERUSKAN_KPK)
    await _change(database, settings, decl_id, st.MILIK_NEGARA)
    with pytest.raises(InvalidTransition, match="tidak boleh sebelum tanggal SK \\(1 Desember"):
        await _change(database, settings, decl_id, st.SELESAI, {"handed_over_on": "2026-11-30"})
    with pytest.raises(InvalidTransition, match="Lengkapi dulu: berita acara serah terima"):
        await _change(
            database,
            settings,
            decl_id,
            st.SELESAI,
            {"handed_over_on": "2026-12-02"},
            with_file=False,
        )
    await _change(database, settings, decl_id, st.SELESAI, {"handed_over_on": "2 Des 2026"})


# --- documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "jenisnya tidak didukung"),  # an EXE named .pdf
        (b"<html><script>alert(1)</script>", "jenisnya tidak didukung"),
        (b"%PDF-1.4" + b"\x00" * (2 * 1024 * 1024), "lebih dari 1 MB"),
    ],
)
async def test_documents_are_checked_by_content_like_chat_attachments(
    database: Database, settings: Settings, data: bytes, reason: str
) -> None:
    small = settings.model_copy(update={"max_attachment_bytes": 1024 * 1024})
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    await _change(database, small, decl_id, st.DITERUSKAN_KPK)
    with pytest.raises(InvalidTransition, match=f"Berkas file SK KPK tidak diterima: .*{reason}"):
        await _change(database, small, decl_id, st.MILIK_PENERIMA, data=data)
    async with database.sessions() as session:
        assert (await session.execute(select(DeclarationAttachment))).first() is None
    # A photo of the SK is fine, whatever the browser called it.
    await _change(database, small, decl_id, st.MILIK_PENERIMA, data=PNG)
    async with database.sessions() as session:
        stored = (await session.execute(select(DeclarationAttachment))).scalar_one()
    assert (stored.kind, stored.mime_type) == ("sk", "image/png")


# --- the paths the law has ------------------------------------------------------------------


async def test_perishable_food_given_as_social_aid(database: Database, settings: Settings) -> None:
    food = await _declaration(database, object_type="makanan", description="Parsel kue basah")
    details = {"aid_recipient": "Panti Asuhan Kasih Ibu", "distributed_on": "18/11/2026"}
    with pytest.raises(InvalidTransition, match="dokumentasi penyerahan bantuan sosial"):
        await _change(database, settings, food, st.DISALURKAN, details, with_file=False)
    await _change(database, settings, food, st.DISALURKAN, details)
    async with database.sessions() as session:
        found = await session.get(Declaration, food)
        assert found is not None and found.status == st.DISALURKAN
        assert found.closed_at is not None
        files = (await session.execute(select(DeclarationAttachment))).scalars().all()
    assert [f.kind for f in files] == ["dokumentasi"]
    # Who received it may be a person: sealed in the change's and the audit entry's details,
    # read back in clear (the recap and the reporter's card print it).
    async with database.sessions() as session:
        change = (
            await session.execute(select(StatusChange).where(StatusChange.declaration_id == food))
        ).scalar_one()
    assert change.details["aid_recipient"] == "Panti Asuhan Kasih Ibu"
    async with database.engine.connect() as conn:
        raw = (
            await conn.execute(
                text(
                    "SELECT CAST(details AS TEXT) FROM status_changes UNION ALL "
                    "SELECT CAST(details AS TEXT) FROM audit_log"
                )
            )
        ).scalars()
        stored = "\n".join(str(r) for r in raw)
    assert "Kasih Ibu" not in stored and "2026-11-18" in stored
    # Not food: it goes to KPK like any other gift.
    watch = await new_declaration(database, "GRT-2026-000090", object_type="barang")
    with pytest.raises(InvalidTransition, match="Hanya makanan/minuman"):
        await _change(database, settings, watch, st.DISALURKAN, details)
    # Distributed before it was received: refused.
    early = await new_declaration(database, "GRT-2026-000091", object_type="makanan")
    with pytest.raises(InvalidTransition, match="sebelum tanggal gratifikasi diterima"):
        await _change(
            database, settings, early, st.DISALURKAN, {**details, "distributed_on": "2026-11-01"}
        )


async def test_returned_to_the_giver_before_forwarding(
    database: Database, settings: Settings
) -> None:
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    await _change(database, settings, decl_id, st.DIKEMBALIKAN, {"returned_on": "2026-11-18"})
    forwarded = await new_declaration(database, "GRT-2026-000092", status=st.DIVERIFIKASI)
    await _change(database, settings, forwarded, st.DITERUSKAN_KPK)
    await _change(database, settings, forwarded, st.PERLU_DILENGKAPI)  # KPK asks for more
    with pytest.raises(InvalidTransition, match="sudah diteruskan ke KPK"):
        await _change(database, settings, forwarded, st.DIKEMBALIKAN, {"returned_on": "2026-11-18"})


async def test_an_incomplete_report_closes_only_after_its_completion_deadline(
    database: Database, settings: Settings
) -> None:
    decl_id = await _declaration(database)
    asked_at = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)
    await _change(database, settings, decl_id, st.PERLU_DILENGKAPI, now=asked_at)
    # 20 working days from 17 or 18 November 2026 end in mid-December.
    with pytest.raises(InvalidTransition, match="baru lewat setelah"):
        await _change(
            database, settings, decl_id, st.TIDAK_DILENGKAPI, {}, now=asked_at + timedelta(days=7)
        )
    change = await _change(database, settings, decl_id, st.TIDAK_DILENGKAPI, {"message": ""})
    assert change.to_status == st.TIDAK_DILENGKAPI
    async with database.sessions() as session:
        found = await session.get(Declaration, decl_id)
        assert found is not None and found.closed_at is not None


async def test_duplicate_names_the_original_and_withdrawal_needs_a_reason(
    database: Database, settings: Settings
) -> None:
    original = await new_declaration(database, "GRT-2026-000012")
    copy = await new_declaration(database, "GRT-2026-000013")
    with pytest.raises(InvalidTransition, match="Lengkapi dulu: alasan"):
        await _change(database, settings, copy, st.DUPLIKAT, {"duplicate_of": "12"})
    with pytest.raises(InvalidTransition, match="GRT-2026-000099 tidak ditemukan"):
        await _change(
            database, settings, copy, st.DUPLIKAT, {"duplicate_of": "99", "reason": "Sama."}
        )
    with pytest.raises(InvalidTransition, match="laporan ini sendiri"):
        await _change(
            database, settings, copy, st.DUPLIKAT, {"duplicate_of": "grt-2026-13", "reason": "x"}
        )
    change = await _change(
        database,
        settings,
        copy,
        st.DUPLIKAT,
        {"duplicate_of": " 12 ", "reason": "Dikirim dua kali."},
    )
    assert change.details["duplicate_of"] == "GRT-2026-000012"
    assert original != copy
    refusal = await new_declaration(database, "GRT-2026-000014", report_type="penolakan")
    with pytest.raises(InvalidTransition, match="Lengkapi dulu: alasan"):
        await _change(database, settings, refusal, st.DITARIK, {})
    await _change(database, settings, refusal, st.DITARIK, {"reason": "Salah kirim, kata pelapor."})


async def test_a_refusal_reporter_can_be_asked_first(
    database: Database, settings: Settings
) -> None:
    decl_id = await _declaration(database, "penolakan")
    await _change(database, settings, decl_id, st.PERLU_DILENGKAPI, {"message": "Kapan ditolak?"})
    await _change(database, settings, decl_id, st.DICATAT, {})
    async with database.sessions() as session:
        found = await session.get(Declaration, decl_id)
        assert found is not None and found.status == st.DICATAT


async def test_the_sks_hand_over_deadline_may_lie_ahead_but_not_before_the_sk(
    database: Database, settings: Settings
) -> None:
    decl_id = await _declaration(database, status=st.DIVERIFIKASI)
    await _change(database, settings, decl_id, st.DITERUSKAN_KPK)
    before = {"sk_number": "SK-3", "sk_date": "2026-12-01", "handover_due": "2026-11-30"}
    with pytest.raises(
        InvalidTransition, match=r"Batas penyerahan/pembayaran .* sebelum tanggal SK"
    ):
        await _change(database, settings, decl_id, st.MILIK_NEGARA_KOMPENSASI, before)
    ahead = {**before, "handover_due": "2027-03-01"}  # after NOW: a deadline
    change = await _change(database, settings, decl_id, st.MILIK_NEGARA_KOMPENSASI, ahead)
    assert change.details["handover_due"] == "2027-03-01"


def test_every_change_asks_for_each_detail_once() -> None:
    # "Perlu dilengkapi" requires the message, which is also one of every form's texts: it was
    # asked twice (two boxes, both required).
    from bot.backoffice.workflow import fields_for

    for flow in TRANSITIONS.values():
        for source, targets in flow.items():
            for target in targets:
                named = fields_for(source, target)
                assert len(named) == len(set(named)), (source, target, named)
    assert fields_for(st.DITERIMA, st.PERLU_DILENGKAPI).count("message") == 1
