"""The "Lapor gratifikasi" flow through the dispatcher, with real Redis and the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.messages import Attachment, Incoming
from bot.sessions import MemorySessionStore, SessionStore
from bot.store.attachments import AttachmentStore
from bot.store.database import Database
from bot.store.models import Declaration, DeclarationAttachment, Draft, OutboxMessage, Profile
from handlers import texts
from handlers.context import Services
from handlers.ports import FaqAnswer
from handlers.session import Session
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    Declarant,
    answer_until,
    complete_declaration,
    declaration_dispatcher,
    declaration_services,
)

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"x" * 200


def photo(name: str = "parsel.jpg", data: bytes = JPEG) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(
        kind="photo", name=name, mime_type="image/jpeg", size=len(data), download=download
    )


@pytest.fixture
def services(database: Database, tmp_path: Path) -> Services:
    return declaration_services(database, tmp_path / "files")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 10, tzinfo=JAKARTA))


@pytest.fixture
def chat(store: SessionStore, services: Services, clock: Clock) -> ChatDriver:
    return ChatDriver(declaration_dispatcher(store, services, clock))


async def count(database: Database, model: type[object]) -> int:
    async with database.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_whole_declaration_on_every_store_and_database(
    any_store: SessionStore, any_database: Database, tmp_path: Path, clock: Clock
) -> None:
    """The one flow test on Redis and PostgreSQL too (the others run on memory and SQLite)."""
    services = declaration_services(any_database, tmp_path / "files")
    chat = ChatDriver(declaration_dispatcher(any_store, services, clock))
    number = await complete_declaration(chat, Declarant(attachments=[photo()]))
    assert number == "GRT-2026-000001"
    assert "Ke UPPG (10 HK): Jumat, 4 Des 2026" in chat.texts[0]  # 23 Nov is day one
    assert await count(any_database, Declaration) == 1
    assert await count(any_database, DeclarationAttachment) == 1


async def test_penerimaan_happy_path_stores_everything(
    chat: ChatDriver, database: Database, services: Services, tmp_path: Path
) -> None:
    who = Declarant(attachments=[photo()])
    number = await complete_declaration(chat, who)
    assert number == "GRT-2026-000001"
    receipt = chat.texts[0]
    assert "Status: Diterima UPPG" in receipt
    assert "Perkiraan nilai: Rp1.500.000" in receipt
    assert "Tanggal diterima: 23 November 2026" in receipt
    assert "Lampiran: 1 berkas" in receipt
    # 10 working days from Monday 23 Nov 2026 (day one); 30 working days reach into January.
    assert "Ke UPPG (10 HK): Jumat, 4 Des 2026" in receipt
    assert "Pasal 12C UU 20/2001" in receipt
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
        files = (await session.execute(select(DeclarationAttachment))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalar_one()
        profile = (await session.execute(select(Profile))).scalar_one()
    assert row.report_type == "penerimaan" and row.value_rp == 1_500_000
    assert row.received_date == date(2026, 11, 23)
    assert row.uppg_deadline == date(2026, 12, 4) and row.late is False
    assert row.giver_relation == "rekanan" and row.object_location == "dititipkan_uppg"
    assert row.reporter_nik_enc and "3201011505900001" not in row.reporter_nik_enc
    assert row.reporter_phone_enc and "812" not in row.reporter_phone_enc
    assert row.wants_compensation is False and row.status == "diterima"
    assert [f.mime_type for f in files] == ["image/jpeg"]
    # Encrypted on disk; the attachment store reads the photo itself back.
    assert JPEG not in (tmp_path / "files" / files[0].storage_key).read_bytes()
    assert isinstance(services.attachments, AttachmentStore)
    assert await services.attachments.read(files[0].storage_key) == JPEG
    assert outbox.topic == "uppg.declaration_submitted"
    assert outbox.dedupe_key == f"declaration:{row.id}:submitted"
    assert outbox.payload == {"declaration_id": row.id}
    assert profile.name == "Budi Santoso" and profile.consent_at is not None
    assert await count(database, Draft) == 0


async def test_penolakan_happy_path_has_no_location_or_deadlines(
    chat: ChatDriver, database: Database
) -> None:
    who = Declarant(report_type="penolakan", object_type="uang", value="Rp 5.000.000")
    await complete_declaration(chat, who)
    receipt = chat.texts[0]
    assert "Penolakan" in receipt and "Ke KPK" not in receipt
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.report_type == "penolakan" and row.object_location is None
    assert row.uppg_deadline is None and row.value_rp == 5_000_000


# --- validation: one clear message with an example, the same question again ----------------

INVALID = [
    ("NIK Anda", "12345", "NIK harus 16 angka"),
    ("NIK Anda", "9901011505900001", "Kode wilayah"),
    ("NIK Anda", "3201013205900001", "Tanggal lahir pada NIK"),
    ("NIK Anda", "3201011505900000", "Nomor urut pada NIK"),
    ("NIP Anda", "12345", "NIP harus 18 angka"),
    ("NIP Anda", "199013452015031001", "Tanggal lahir pada NIP"),
    ("NIP Anda", "199005152015131001", "TMT pada NIP"),
    ("NIP Anda", "199005152015033001", "jenis kelamin"),
    ("nama lengkap Anda", "B", "terlalu pendek"),
    ("Berapa nomor HP", "12345", "Nomor HP tidak dikenali"),
    ("alamat e-mail", "budi@", "e-mail tidak dikenali"),
    ("perkiraan nilainya", "banyak sekali", "1,5 jt"),
    ("perkiraan nilainya", "0", "lebih dari nol"),
    ("Kapan pemberian", "kapan-kapan", "17/11/2026"),
    ("Kapan pemberian", "30/12/2026", "masa depan"),
    ("Kapan pemberian", "31/02/2026", "17/11/2026"),
    ("Apa hubungan", "teman main", "pilih salah satu tombol"),
]


@pytest.fixture
async def light_chat(tmp_path: Path) -> AsyncIterator[ChatDriver]:
    """Parsing does not depend on storage: these run on the memory store and SQLite only."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'light.db'}")
    await db.migrate()
    services = declaration_services(db, tmp_path / "files")
    yield ChatDriver(declaration_dispatcher(MemorySessionStore(), services))
    await db.dispose()


@pytest.mark.parametrize(("question", "typed", "message"), INVALID)
async def test_invalid_answer_is_explained_and_asked_again(
    light_chat: ChatDriver, question: str, typed: str, message: str
) -> None:
    chat = light_chat
    await answer_until(chat, Declarant(), question)
    asked = chat.last[-1].text
    await chat.send(typed)
    # One message: what is wrong, an example, and the same question again.
    assert len(chat.last) == 1, chat.texts
    assert message in chat.last[0].text
    assert "Contoh" in chat.last[0].text or "tombol" in chat.last[0].text
    assert chat.last[0].text.endswith("\n".join(asked.split("\n")[1:]))
    # Nothing typed before is lost: the declaration still completes with the earlier answers.
    number = await complete_declaration(chat, Declarant(), start="")
    assert number.startswith("GRT-2026-")


async def test_women_nik_and_typed_forms_are_accepted(chat: ChatDriver, database: Database) -> None:
    who = Declarant(
        nik="3201 0155 0590 0001",
        nip="19900515 201503 2 001",
        phone="+62 812-3456-7890",
        value="Rp 2.250.000",
        received="17 Nov 2026",
    )
    await complete_declaration(chat, who)
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.reporter_nip == "199005152015032001"
    assert row.value_rp == 2_250_000 and row.received_date == date(2026, 11, 17)


async def test_amount_not_typed_in_full_is_echoed_for_confirmation(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "perkiraan nilainya")
    await chat.send("2 juta 250 ribu")
    assert "Rp2.250.000 (dua juta dua ratus lima puluh ribu rupiah), benar?" in chat.text
    await chat.press("lapor:value_ok:tidak")
    assert "perkiraan nilainya" in chat.last[-1].text
    await chat.send("500rb")
    await chat.press("lapor:value_ok:ya")
    assert "Kapan pemberian" in chat.last[-1].text


async def test_old_date_warns_but_is_accepted(chat: ChatDriver, database: Database) -> None:
    await answer_until(chat, Declarant(), "Kapan pemberian")
    await chat.send("1 Agustus 2026")
    assert "lebih dari 30 hari kerja" in chat.text
    assert "Di mana pemberian" in chat.last[-1].text
    await complete_declaration(chat, Declarant(), start="")
    receipt = chat.texts[0]
    assert "PerKPK 1/2026" in receipt and "milik negara" in receipt and "12B" in receipt
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.late is True


async def test_typed_number_picks_a_button_and_progress_is_shown(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    assert "pemberitahuan data pribadi" in chat.last[-1].text
    assert "5 tahun" in chat.last[-1].text
    await chat.send("1")  # the first button: "Ya, lanjutkan"
    assert "Ceritakan singkat" in chat.last[-1].text
    await chat.press("lapor:steps")
    assert chat.last[-1].text.startswith("Langkah 1/")
    await chat.send("2")  # the second report type: penolakan
    assert chat.last[-1].text.startswith("Langkah 2/")


# --- moving around -------------------------------------------------------------------------


async def test_back_goes_one_step_and_skip_leaves_optional_fields_empty(
    chat: ChatDriver, database: Database
) -> None:
    await answer_until(chat, Declarant(), "NIK Anda")
    await chat.press("lapor:back")
    assert "nama lengkap Anda" in chat.last[-1].text
    await chat.send("Siti Aminah")
    assert "NIK Anda" in chat.last[-1].text
    await chat.send("3201011505900001")
    assert "lapor:skip" in chat.choice_ids  # NIP is optional
    await chat.press("lapor:skip")
    assert "jabatan Anda" in chat.last[-1].text
    await complete_declaration(chat, Declarant(nip=None, email=None), start="")
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.reporter_name == "Siti Aminah"
    assert row.reporter_nip is None and row.reporter_email is None


async def test_edit_from_summary_changes_one_answer(chat: ChatDriver, database: Database) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    summary = chat.last[-1]
    assert "• NIK: 3201********0001" in summary.text
    assert chat.choice_ids == ["lapor:submit", "lapor:edit", "lapor:back"]
    await chat.press("lapor:edit")
    assert "Jawaban mana yang ingin diubah?" in chat.text
    await chat.press("lapor:edit:page:1")  # the second page of answers
    await chat.press("lapor:edit:value_rp")
    assert "Jawaban saat ini: Rp1.500.000" in chat.last[-1].text
    await chat.send("2.000.000")
    assert "Ringkasan laporan" in chat.last[-1].text
    assert "• Perkiraan nilai: Rp2.000.000" in chat.last[-1].text
    await chat.press("lapor:edit")
    await chat.press("lapor:edit:giver_name")
    await chat.press("lapor:back")
    assert "• Nama pemberi: Andi Wijaya" in chat.last[-1].text
    await chat.press("lapor:submit")
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.value_rp == 2_000_000


async def test_changing_report_type_asks_the_questions_that_now_apply(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(report_type="penolakan"), "Ringkasan laporan")
    assert "Posisi objek" not in chat.last[-1].text
    await chat.press("lapor:edit")
    await chat.press("lapor:edit:report_type")
    await chat.press("lapor:report_type:penerimaan")
    assert "objek pemberian itu sekarang" in chat.last[-1].text
    await chat.press("lapor:object_location:disimpan_pelapor")
    await chat.press("lapor:compensation:ya")
    assert "• Posisi objek: Disimpan pelapor" in chat.last[-1].text


async def test_cancel_asks_for_confirmation_and_forgets_the_draft(
    chat: ChatDriver, database: Database
) -> None:
    await answer_until(chat, Declarant(), "Di mana pemberian")
    assert await count(database, Draft) == 1  # tracked once the received date is known
    await chat.send("/batal")
    assert "Yakin" in chat.text
    await chat.press("batal:tidak")
    assert "Di mana pemberian" in chat.last[-1].text
    await chat.send("/batal")
    await chat.press("batal:ya")
    assert "dibatalkan" in chat.text
    assert await count(database, Draft) == 0
    await chat.send("/lapor")
    assert "Ceritakan singkat" in chat.last[-1].text  # consent is remembered


class OneAnswerFaq:
    """A FaqPort test double that knows exactly one question."""

    async def ask(self, question: str, *, user_key: str | None = None) -> FaqAnswer:
        if "parsel" in question:
            return FaqAnswer(True, "parsel", 0.95, "Parsel dari rekanan wajib dilaporkan.")
        return FaqAnswer(False, None, 0.1, None)

    async def get(self, entry_id: str) -> FaqAnswer | None:
        return None

    async def feedback(self, entry_id: str, helpful: bool) -> None:
        return None


async def test_question_mid_form_is_answered_and_the_form_kept(
    store: SessionStore, database: Database, tmp_path: Path
) -> None:
    services = declaration_services(database, tmp_path / "files", faq=OneAnswerFaq())
    chat = ChatDriver(declaration_dispatcher(store, services))
    # A question where free text is expected is not stored as the answer.
    await answer_until(chat, Declarant(), "Jelaskan pemberiannya")
    await chat.send("parsel wajib lapor?")
    assert "Parsel dari rekanan" in chat.text and "Jelaskan" in chat.last[-1].text
    await answer_until(chat, Declarant(), "NIK Anda", start=None)
    await chat.send("parsel wajib lapor?")
    assert "Parsel dari rekanan wajib dilaporkan." in chat.text
    assert "NIK Anda" in chat.last[-1].text
    await chat.send("apakah NIK saya aman?")
    assert "NIK harus 16 angka" not in chat.text and "terenkripsi" in chat.text
    assert "NIK Anda" in chat.last[-1].text
    await chat.send("3201011505900001")
    assert "NIP Anda" in chat.last[-1].text


# --- drafts ----------------------------------------------------------------------------------


async def test_draft_resumes_after_a_new_dispatcher(
    store: SessionStore, services: Services, clock: Clock
) -> None:
    first = ChatDriver(declaration_dispatcher(store, services, clock))
    await answer_until(first, Declarant(), "Apa jabatan Anda")
    clock.now = clock.now.replace(hour=15)
    second = ChatDriver(declaration_dispatcher(store, services, clock))
    await second.send("/lapor")
    assert "draf laporan yang belum selesai" in second.text
    await second.send("/lapor")  # asked twice: still one way back
    await second.press("lapor:resume")
    assert "jabatan Anda" in second.last[-1].text
    await second.send("Kepala Seksi")
    assert "unit kerja" in second.last[-1].text
    await second.send("/lapor")
    await second.press("lapor:restart")
    assert "Yakin" in second.last[-1].text  # nothing is thrown away without asking
    await second.press("lapor:restart:ya")
    assert "Ceritakan singkat" in second.last[-1].text


async def test_draft_expires_with_a_clear_message(
    chat: ChatDriver, clock: Clock, database: Database
) -> None:
    await answer_until(chat, Declarant(), "Di mana pemberian")
    clock.now = clock.now.replace(day=24, month=11) + timedelta(days=8)
    await chat.send("Kantor")
    assert "lebih dari 7 hari" in chat.text and "dihapus" in chat.text
    assert "menu:lapor" in chat.choice_ids
    assert await count(database, Draft) == 0


async def test_double_submit_makes_one_declaration(chat: ChatDriver, database: Database) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.press("lapor:submit")
    number = chat.texts[0].split("Nomor laporan: ")[1].split("\n")[0]
    # The same button pressed again (a double tap, a retried update).
    again = await chat.dispatcher.dispatch(
        Incoming(
            channel=chat.channel, user_id=chat.user_id, chat_id=chat.user_id, choice="lapor:submit"
        )
    )
    assert f"sudah terkirim dengan nomor {number}" in again[0].text
    assert await count(database, Declaration) == 1


async def test_status_shows_only_own_declarations(
    store: SessionStore, services: Services, clock: Clock
) -> None:
    dispatcher = declaration_dispatcher(store, services, clock)
    budi = ChatDriver(dispatcher, user_id="budi")
    siti = ChatDriver(dispatcher, user_id="siti")
    first = await complete_declaration(budi, Declarant())
    second = await complete_declaration(siti, Declarant(name="Siti Aminah"))
    await budi.send("/status")
    assert first in budi.text and second not in budi.text
    assert "Diterima UPPG" in budi.text
    await siti.press("menu:status")
    assert second in siti.text and first not in siti.text
    nobody = ChatDriver(dispatcher, user_id="nobody")
    await nobody.send("/status")
    assert "belum punya laporan" in nobody.text


async def test_status_tells_the_reporter_to_answer_the_uppg(
    store: SessionStore, services: Services, clock: Clock, database: Database
) -> None:
    budi = ChatDriver(declaration_dispatcher(store, services, clock), user_id="budi")
    number = await complete_declaration(budi, Declarant())
    async with database.transaction() as session:
        found = (await session.scalars(select(Declaration))).one()
        found.status = "perlu_dilengkapi"
    await budi.send("/status")
    assert number in budi.text and "Status: Perlu dilengkapi" in budi.text
    assert "UPPG menunggu jawaban Anda: ketik /jawab." in budi.text


async def test_second_declaration_reuses_profile_and_consent(
    chat: ChatDriver, database: Database
) -> None:
    await complete_declaration(chat, Declarant())
    await chat.send("/lapor")
    assert "Ceritakan singkat" in chat.last[-1].text  # no consent question the second time
    # The identity is not asked again: a different name here would show if it were.
    number = await complete_declaration(chat, Declarant(name="Nama Lain"), start="")
    assert number == "GRT-2026-000002"
    async with database.sessions() as session:
        rows = (await session.execute(select(Declaration))).scalars().all()
    assert {r.reporter_name for r in rows} == {"Budi Santoso"}
    assert await count(database, Profile) == 1


async def test_without_consent_there_is_no_declaration(
    chat: ChatDriver, database: Database
) -> None:
    await chat.send("/lapor")
    await chat.press("lapor:consent:tidak")
    assert "data Anda tidak disimpan" in chat.text and "menu:lapor" in chat.choice_ids
    # Stopping at the notice does not lift the duty: the deadlines are said again.
    assert "tetap wajib dilaporkan" in chat.text and "10 hari kerja" in chat.text
    await chat.send("Budi")  # no longer in the form: treated as a free question
    assert "nama lengkap" not in chat.text
    assert await count(database, Declaration) == 0


async def test_prefill_from_the_check_skips_known_answers(
    chat: ChatDriver, store: SessionStore
) -> None:
    async with store.conversation("test:u1") as conv:
        session = Session()
        session.memo["lapor_prefill"] = {
            "giver_relation": "atasan",
            "occasion": "pernikahan",
            "object_type": "uang",
            "value_rp": 750_000,
            "received_date": "2026-11-20",
        }
        conv.save(session)
    number = await complete_declaration(chat, Declarant())
    assert number
    await chat.send("/status")
    assert "Uang, Rp750.000" in chat.text and "Diterima 20 November 2026" in chat.text


async def test_rejected_attachment_is_explained(chat: ChatDriver) -> None:
    # The summary asks for photos (the form no longer does): sent there, they are checked.
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    assert "Ada foto pemberian atau dokumen pendukung? Kirim sekarang" in chat.last[-1].text
    await chat.send("", attachments=(photo("virus.exe", b"MZ\x90\x00" * 10),))
    assert "tidak dapat diterima" in chat.text and "jenisnya tidak didukung" in chat.text
    await chat.send("", attachments=(photo("struk.jpg"), photo("struk-lagi.jpg")))
    assert "1 berkas kami simpan" in chat.text  # the same content is stored once
    assert "Lampiran: 1 berkas\n" in chat.last[-1].text


async def test_half_filled_session_stays_small(chat: ChatDriver, store: SessionStore) -> None:
    await answer_until(chat, Declarant(), "Jelaskan pemberiannya")
    session = await store.load("test:u1")
    assert session is not None
    assert len(session.dumps().encode()) < 2048


@pytest.mark.parametrize(
    ("cuti_is_workday", "uppg", "uppg_text"),
    [
        # Monday 16 Mar 2026 is day one; Nyepi (19 Mar) is off either way.
        (True, date(2026, 3, 30), "Senin, 30 Mar 2026"),
        (False, date(2026, 4, 6), "Senin, 6 Apr 2026"),
    ],
)
async def test_receipt_deadlines_across_lebaran_2026(
    store: SessionStore,
    database: Database,
    tmp_path: Path,
    cuti_is_workday: bool,
    uppg: date,
    uppg_text: str,
) -> None:
    services = declaration_services(
        database, tmp_path / "files", cuti_bersama_is_workday=cuti_is_workday
    )
    clock = Clock(datetime(2026, 3, 25, 9, tzinfo=JAKARTA))  # after Idul Fitri
    chat = ChatDriver(declaration_dispatcher(store, services, clock))
    await complete_declaration(chat, Declarant(received="Senin, 16 Maret 2026"))
    receipt = chat.texts[0]
    assert f"Ke UPPG (10 HK): {uppg_text}" in receipt
    assert "Hari Suci Nyepi" in receipt and "tepat waktu" in receipt
    assert ("Cuti Bersama" in receipt) is (not cuti_is_workday)
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.uppg_deadline == uppg and row.late is False


async def test_quick_date_button_and_expired_draft_on_lapor(chat: ChatDriver, clock: Clock) -> None:
    await answer_until(chat, Declarant(), "Kapan pemberian")
    assert "lapor:quick:Kemarin" in chat.choice_ids
    await chat.press("lapor:quick:Kemarin")
    assert "Senin, 23 November 2026, benar?" in chat.last[-1].text
    await chat.press("lapor:date_ok:ya")
    assert "Di mana pemberian" in chat.last[-1].text
    clock.now += timedelta(days=8)
    await chat.send("/lapor")
    assert "sudah dihapus" in chat.text and "Ceritakan singkat" in chat.last[-1].text


async def test_prefill_arriving_during_a_draft_is_used_when_starting_over(
    chat: ChatDriver, store: SessionStore
) -> None:
    await answer_until(chat, Declarant(), "jabatan Anda")
    async with store.conversation("test:u1") as conv:
        assert conv.session is not None
        conv.session.memo["lapor_prefill"] = {"object_type": "uang", "value_rp": 100_000}
        conv.save(conv.session)
    await chat.send("/lapor")
    await chat.press("lapor:restart")
    await chat.press("lapor:restart:ya")
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "• Jenis objek: Uang" in chat.last[-1].text
    assert "• Perkiraan nilai: Rp100.000" in chat.last[-1].text


async def test_lost_session_with_a_tracked_draft_is_explained(
    chat: ChatDriver, store: SessionStore, database: Database
) -> None:
    await answer_until(chat, Declarant(), "Di mana pemberian")
    async with store.conversation("test:u1") as conv:
        conv.delete()  # what a session TTL in Redis does to an abandoned draft
    await chat.send("/lapor")
    # True here (the session is gone), unlike for a parked draft (test_declaration_severe).
    assert "tidak dapat kami temukan lagi" in chat.text
    assert "pemberitahuan data pribadi" in chat.last[-1].text
    assert await count(database, Draft) == 0


async def test_choices_can_be_typed_in_everyday_words(light_chat: ChatDriver) -> None:
    chat = light_chat
    await answer_until(chat, Declarant(), "Apa hubungan")
    await chat.send("vendor")
    assert "Dalam rangka apa" in chat.last[-1].text
    await chat.send("Lainnya")
    assert "alasan pemberian" in chat.last[-1].text  # asked for an occasion outside the list
    await chat.send("gak tau")
    await chat.send("makanan")
    assert "Jelaskan pemberiannya" in chat.last[-1].text
    await chat.send("Parsel kue")
    await chat.send("satu juta")
    await chat.send("iya")
    assert "Kapan pemberian" in chat.last[-1].text
    await answer_until(chat, Declarant(), "identitas Anda dirahasiakan", start=None)
    await chat.send("nggak")
    assert "Identitas dirahasiakan: Tidak" in chat.last[-1].text  # the summary


async def test_the_privacy_notice_informs_and_asks_to_go_on(chat: ChatDriver) -> None:
    # Reporting is a legal duty (Pasal 12C), the basis of the processing: the notice does
    # not ask for consent as if a "no" made the report optional.
    await chat.send("/lapor")
    notice = chat.last[-1].text
    assert "kewajiban hukum" in notice and "bukan persetujuan" in notice
    assert notice.endswith("Lanjutkan melapor?") and "Anda setuju" not in notice
    # It names what is encrypted, as the privacy answer and the FAQ do (handlers/texts.py).
    assert f"Yang disimpan terenkripsi: {texts.ENCRYPTED_DATA}." in notice
    # One message with its buttons on WhatsApp too (bot/channels/whatsapp/render.py).
    assert len(notice) <= 1024
    assert [c.label for r in chat.last for c in r.choices] == ["Ya, lanjutkan", "Nanti saja"]
    await chat.send("nanti aja")
    assert "tetap wajib dilaporkan" in chat.text


async def test_lanjutkan_typed_at_the_notice_goes_on(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("lanjutkan")
    assert "Ceritakan singkat" in chat.last[-1].text
