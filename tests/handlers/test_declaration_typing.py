"""What people type instead of pressing buttons in "Lapor gratifikasi" (QA regressions)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.channels.whatsapp import render as whatsapp_render
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.sessions import SessionStore
from bot.store.database import Database
from bot.store.models import FaqQuestion
from handlers import declaration_steps as ds
from handlers.context import Services
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    Declarant,
    answer_until,
    declaration_dispatcher,
    declaration_services,
)
from tests.handlers.test_declaration import photo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    services: Services = declaration_services(database, tmp_path / "files")
    clock = Clock(datetime(2026, 11, 24, 10, tzinfo=JAKARTA))
    return ChatDriver(declaration_dispatcher(store, services, clock))


@pytest.mark.parametrize("typed", ["-", "gk ada", "Bukan PNS", "tidak ada"])
async def test_a_dash_or_gk_ada_skips_an_optional_step(chat: ChatDriver, typed: str) -> None:
    await answer_until(chat, Declarant(), "NIP Anda")
    await chat.send(typed)
    assert "jabatan Anda" in chat.last[-1].text


async def test_gk_ada_skips_the_attachments(chat: ChatDriver) -> None:
    # The attachments are asked in the summary; opened from it, "gk ada" is no file.
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.send("ubah lampiran")
    assert "Kirim foto pemberian" in chat.last[-1].text
    await chat.send("gk ada")
    assert "Ringkasan laporan" in chat.last[-1].text
    assert "• Lampiran: -" in chat.last[-1].text


async def test_a_dash_on_a_required_step_is_not_a_skip(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "jabatan Anda")
    await chat.send("-")
    assert "jabatan Anda" in chat.last[-1].text


@pytest.mark.parametrize(
    ("question", "typed", "shown"),
    [
        ("Apa hubungan", "dari vendor", "Rekanan/vendor"),
        ("Apa hubungan", "ortu", "Keluarga"),
        ("Dalam rangka apa", "lebaran", "Hari raya"),
        ("Dalam rangka apa", "kondangan", "Pernikahan/upacara adat atau agama"),
        ("Dalam rangka apa", "ultah", "Ulang tahun"),
        ("Apa jenis pemberiannya", "amplop", "Uang"),
    ],
)
async def test_everyday_words_answer_a_choice(
    chat: ChatDriver, question: str, typed: str, shown: str
) -> None:
    await answer_until(chat, Declarant(), question)
    await chat.send(typed)
    assert question not in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert shown in chat.last[-1].text


async def test_a_word_that_fits_two_options_asks_again(chat: ChatDriver) -> None:
    # "ortu vendor" could be either: the bot must not guess.
    await answer_until(chat, Declarant(), "Apa hubungan")
    await chat.send("ortu vendor")
    assert "Maksud Anda Rekanan/vendor atau Keluarga?" in chat.text


@pytest.mark.parametrize("typed", ["gk", "engga", "ndak"])
async def test_slang_no_answers_a_yes_no_question(chat: ChatDriver, typed: str) -> None:
    await answer_until(chat, Declarant(), "identitas Anda dirahasiakan")
    await chat.send(typed)
    assert "Identitas dirahasiakan: Tidak" in chat.last[-1].text  # the summary


@pytest.mark.parametrize("typed", ["bot gak guna", "kok ga ngerti sih", "ribet bgt bodoh"])
async def test_a_complaint_at_the_consent_is_no_no(chat: ChatDriver, typed: str) -> None:
    # "gak" in a complaint about the bot does not cancel the report: an apology, the UPPG's
    # contact, and the same question again.
    await answer_until(chat, Declarant(), "Lanjutkan melapor")
    await chat.send(typed)
    assert "Mohon maaf bila ada yang kurang jelas" in chat.text
    assert "hubungi UPPG" in chat.text and "dihentikan" not in chat.text
    assert "Lanjutkan melapor" in chat.last[-1].text
    await chat.send("iya")
    assert "Lanjutkan melapor" not in chat.last[-1].text


async def test_a_complaint_at_a_question_keeps_the_answers(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "jabatan Anda")
    await chat.send("bot ga jelas")
    assert "Mohon maaf bila ada yang kurang jelas" in chat.text
    assert "jabatan Anda" in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "bot ga jelas" not in chat.last[-1].text


async def test_the_summary_has_three_buttons_that_fit_whatsapp(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    summary = chat.last[-1]
    assert [c.label for c in summary.choices] == ["Benar, kirim", "Ubah jawaban", "Kembali"]
    rendered = whatsapp_render.render(summary)
    interactive = rendered.messages[-1]
    assert interactive["type"] == "interactive"
    assert interactive["interactive"]["type"] == "button"


async def test_a_typed_number_picks_the_answer_to_change(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.send("Ubah jawaban")  # the label typed instead of pressed
    await chat.send("lanjut")  # the next page of answers, nothing sent
    assert "Halaman 2 dari" in chat.last[-1].text
    labels = [c.label for c in chat.last[-1].choices]
    number = labels.index("Perkiraan nilai") + 1
    await chat.send(str(number))
    assert "perkiraan nilainya" in chat.last[-1].text
    await chat.send("2.000.000")
    assert "• Perkiraan nilai: Rp2.000.000" in chat.last[-1].text


async def test_typing_what_to_change_on_the_summary_opens_it(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.send("ubah tanggal")
    assert "Kapan pemberian" in chat.last[-1].text
    await chat.send("17/11/2026")
    assert "• Tanggal: Selasa, 17 November 2026" in chat.last[-1].text


async def test_lihat_ringkasan_returns_without_changes(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.press("lapor:edit")
    await chat.press("lapor:summary")
    assert "Ringkasan laporan" in chat.last[-1].text


async def test_the_right_amount_typed_at_the_value_check_replaces_it(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(value="750rb"), "rupiah), benar?")
    await chat.send("Rp 705.000")
    assert "Kapan pemberian" in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "• Perkiraan nilai: Rp705.000" in chat.last[-1].text


async def test_other_text_at_the_value_check_asks_again(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(value="750rb"), "rupiah), benar?")
    await chat.send("kantor")
    assert "Mohon pilih salah satu tombol" in chat.text
    assert "rupiah), benar?" in chat.last[-1].text


@pytest.mark.parametrize(("typed", "expected"), [("lanjut", "NIK Anda"), ("mulai baru", "Yakin")])
async def test_typed_answer_to_continue_or_restart_a_draft(
    chat: ChatDriver, typed: str, expected: str
) -> None:
    await answer_until(chat, Declarant(), "NIK Anda")
    await chat.send("/lapor")
    assert "Anda masih punya draf" in chat.text
    await chat.send(typed)
    assert expected in chat.last[-1].text


async def test_a_question_typed_in_the_form_is_not_logged(
    store: SessionStore, database: Database, tmp_path: Path
) -> None:
    faq = DatabaseFaq(KnowledgeSource(ROOT / "knowledge"), database)
    services = declaration_services(database, tmp_path / "files", faq=faq)
    chat = ChatDriver(declaration_dispatcher(store, services))
    await answer_until(chat, Declarant(), "NIK Anda")
    # Not a NIK, and nothing in the knowledge base answers it.
    await chat.send("NIK saya 3201 0101 0101 00 hilang, rumah saya Jl Mawar 5 gimana?")
    assert "NIK Anda" in chat.last[-1].text
    async with database.sessions() as session:
        logged = (await session.execute(select(func.count()).select_from(FaqQuestion))).scalar()
    assert logged == 0


@pytest.mark.parametrize(
    ("object_type", "location"),
    [("makanan", "bantuan_sosial"), ("barang", "dikembalikan"), ("uang", "dititipkan_uppg")],
)
async def test_no_compensation_question_when_it_cannot_apply(
    chat: ChatDriver, object_type: str, location: str
) -> None:
    who = Declarant(object_type=object_type, object_location=location)
    await answer_until(chat, who, "Ringkasan laporan")
    assert "Kompensasi" not in chat.last[-1].text


async def test_compensation_defaults_to_no_and_can_be_asked_for_in_the_summary(
    chat: ChatDriver,
) -> None:
    # No request is the answer that commits to nothing (an approved one is final): not
    # asked on the way, shown in the summary with how to change it.
    who = Declarant(object_type="barang", object_location="disimpan_pelapor")
    await answer_until(chat, who, "Ringkasan laporan")
    summary = chat.last[-1].text
    assert '• Kompensasi: Tidak (tidak meminta; ingin menebus objeknya? pilih "Ubah jawaban")' in (
        summary
    )
    await chat.send("ubah kompensasi")
    assert "(kompensasi)" in chat.last[-1].text
    await chat.send("iya sy mau")
    summary = chat.last[-1].text
    assert "• Kompensasi: Ya\n" in summary and "tidak dapat ditarik kembali" in summary


async def test_cash_is_never_asked_about_compensation(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(object_type="uang"), "Ringkasan laporan")
    assert "Kompensasi" not in chat.last[-1].text


async def test_minggu_lalu_asks_for_the_exact_date(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Kapan pemberian")
    await chat.send("minggu lalu")
    assert "Mohon tulis tanggalnya" in chat.text
    assert "Kapan pemberian" in chat.last[-1].text


def test_every_question_with_buttons_fits_a_whatsapp_list() -> None:
    # Ten rows at most (with "Kembali", "Lewati", "Tidak tahu"), else WhatsApp gets a numbered
    # text list and the reporter would have to type a number.
    for step in ds.STEPS:
        if step.options is None:
            continue
        for answers in ({}, {"object_type": "makanan"}):
            shown = [c for c in step.options(answers) if not step.buttons or c in step.buttons]
            extras = 1 + step.optional + step.unknown + len(step.quick)
            assert len(shown) + extras <= whatsapp_render.MAX_LIST_ROWS, step.key
            labels = step.options(answers).values()
            assert all(len(label) <= whatsapp_render.ROW_DESCRIPTION_LIMIT for label in labels)


async def test_back_keeps_the_earlier_answer_as_the_default(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "NIK Anda")
    await chat.press("lapor:back")
    assert "(Jawaban saat ini: Budi Santoso)" in chat.last[-1].text
    await chat.press("lapor:keep")  # "Pakai jawaban tadi": nothing to type again
    assert "NIK Anda" in chat.last[-1].text


async def test_a_photo_sent_early_waits_for_the_attachments_step(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.press("lapor:consent:ya")
    await chat.send("", attachments=(photo(),))
    assert "1 berkas kami simpan" in chat.text and "Ceritakan singkat" in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "• Lampiran: 1 berkas\n" in chat.last[-1].text  # kept, not asked for again
