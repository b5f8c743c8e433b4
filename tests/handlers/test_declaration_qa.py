"""Real-user QA of "Lapor gratifikasi" (issue 12): a civil servant on a phone, typing sloppily.

Each test is a conversation that went wrong in the QA pass, typed as it was typed then.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.whatsapp import render as whatsapp_render
from bot.sessions import SessionStore
from bot.store.database import Database
from bot.store.models import Declaration
from handlers import declaration_help
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

PHONE_STORY = (
    "kemarin sore sy dpt parsel dr pt maju jaya isinya kue sm sarung, kira2 750rb, "
    "sy kasubag umum di dinkes"
)


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    services: Services = declaration_services(database, tmp_path / "files")
    clock = Clock(datetime(2026, 12, 2, 10, tzinfo=JAKARTA))  # a Wednesday
    return ChatDriver(declaration_dispatcher(store, services, clock))


async def test_the_reporters_own_post_in_the_story_is_theirs_not_the_givers(
    chat: ChatDriver, database: Database
) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send(PHONE_STORY)
    understood = chat.last[-1].text
    assert "Jenis laporan: Penerimaan" in understood  # "dpt"
    assert "Jabatan Anda: kasubag umum" in understood
    assert "Unit kerja Anda: dinkes" in understood
    assert "Jabatan pemberi" not in understood
    assert "Selasa, 1 Desember 2026" in understood  # "kemarin sore", with its day name
    await chat.send("eh salah, tanggalnya tgl 28")
    assert "Sabtu, 28 November 2026" in chat.last[-1].text
    assert "Jabatan Anda: kasubag umum" in chat.last[-1].text  # the correction kept it
    await answer_until(chat, Declarant(giver_position="Direktur"), "Ringkasan laporan", start=None)
    summary = chat.last[-1].text
    assert "• Jabatan: kasubag umum" in summary and "• Unit kerja: dinkes" in summary
    assert "• Tanggal: Sabtu, 28 November 2026" in summary
    await chat.send("kirim")
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.reporter_jabatan == "kasubag umum" and row.reporter_unit == "dinkes"
    assert row.giver_position == "Direktur"


async def test_ceritakan_ulang_forgets_the_post_the_story_gave(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send(PHONE_STORY)
    await chat.press("lapor:understood:retell")
    await chat.send("kemarin dapat parsel dari vendor, kira2 500rb")
    assert "Jabatan Anda" not in chat.last[-1].text


async def test_every_page_of_answers_to_change_fits_a_whatsapp_list(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    summary = chat.last[-1].text
    labels = [line[2:].split(":")[0] for line in summary.splitlines() if line.startswith("• ")]
    await chat.press("lapor:edit")
    seen: list[str] = []
    for _ in range(10):
        reply = chat.last[-1]
        assert len(reply.choices) <= whatsapp_render.MAX_LIST_ROWS
        rendered = whatsapp_render.render(reply)
        assert rendered.messages[-1]["type"] == "interactive", "a numbered text list"
        seen += [c.label for c in reply.choices if c.id.removeprefix("lapor:edit:") in ds.BY_KEY]
        following = [c.id for c in reply.choices if c.label == "Berikutnya"]
        if not following:
            break
        await chat.press(following[0])
    assert seen == labels  # every answer of the summary, once, in its order
    back = [c.id for c in chat.last[-1].choices if c.label == "Sebelumnya"]
    await chat.press(back[0])
    assert "Halaman 3 dari 4" in chat.last[-1].text


async def test_lanjut_on_the_answers_list_turns_the_page_and_sends_nothing(
    chat: ChatDriver, database: Database
) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.send("ubah")
    await chat.send("lanjut")
    assert "Halaman 2 dari" in chat.last[-1].text
    await chat.send("sebelumnya")
    assert "Halaman 1 dari" in chat.last[-1].text
    await chat.send("nomor hp")  # a typed name opens an answer on another page
    assert "nomor HP/WhatsApp" in chat.last[-1].text
    await chat.send("0857 1234 5678")
    assert "• Nomor HP: +6285712345678" in chat.last[-1].text
    async with database.sessions() as session:
        assert (await session.execute(select(Declaration))).first() is None


async def test_a_story_typed_before_agreeing_is_kept_and_read_once_agreed(
    chat: ChatDriver,
) -> None:
    await chat.send("/lapor")
    await chat.send("kemarin dapat amplop dr kontraktor kira2 1 jt di rumah")
    asked = chat.last[-1].text
    assert "Cerita Anda sudah saya simpan" in asked and "Lanjutkan melapor?" in asked
    await chat.send("iya")
    understood = chat.last[-1].text
    assert "Yang saya tangkap dari cerita Anda" in understood
    assert "Rp1.000.000" in understood and "Selasa, 1 Desember 2026" in understood


async def test_a_story_with_ga_in_it_is_no_refusal_of_consent(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("tadi kurir nganter parsel ke rumah, sy ga sempat nolak")
    assert "Lanjutkan melapor?" in chat.last[-1].text  # not "kami menghormati keputusan"
    await chat.send("setuju")
    assert "Yang saya tangkap" in chat.last[-1].text


async def test_yes_but_is_a_correction_not_a_yes(chat: ChatDriver, database: Database) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("kemarin dapat amplop dr kontraktor kira2 1 jt di rumah")
    await chat.send("iya tapi tanggalnya tgl 28")
    assert "Tanggal: Sabtu, 28 November 2026" in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    await chat.send("ok tapi nomor hp salah")
    assert "nomor HP/WhatsApp" in chat.last[-1].text
    async with database.sessions() as session:
        assert (await session.execute(select(Declaration))).first() is None


async def test_a_sticker_or_voice_note_mid_form_is_said_so_and_the_question_stays(
    chat: ChatDriver,
) -> None:
    await answer_until(chat, Declarant(), "nama lengkap Anda")
    asked = chat.last[-1].text
    await chat.send("")  # what a sticker or a voice note arrives as
    assert "stiker atau pesan suara" in chat.last[0].text
    assert chat.last[-1].text == asked


async def test_questions_about_a_field_get_that_fields_help(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("Pak Hendra kasih amplop kemarin")
    await chat.send("maksudnya jabatan pemberi?")
    assert "Jabatan atau pekerjaan pemberi" in chat.last[0].text
    await chat.send("apa bedanya rekanan sama rekan kerja?")
    assert "Rekan kerja: sesama pegawai" in chat.last[0].text
    assert "Yang saya tangkap" in chat.last[-1].text


async def test_a_question_about_the_duty_at_the_givers_name_is_no_field_question(
    chat: ChatDriver,
) -> None:
    # "wajib ya lapor": a word between "wajib" and "lapor" is still a question about the law,
    # not about the name field; and "ga tau siapa" is told the way past the question.
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("isi per langkah")
    await chat.send("terima")
    await chat.send("emang wajib ya lapor kalo dari temen sendiri?")
    assert "Tulis nama orang yang memberi" not in chat.text
    assert "Siapa yang memberi" in chat.last[-1].text
    await chat.send("kalo sy ga tau siapa yg ngasih gmn?")
    assert 'tekan "Tidak tahu"' in chat.text


@pytest.mark.parametrize(
    "typed",
    [
        "kalo udah lewat 10 hari kerja gmn?",
        "emang wajib ya lapor kalo dari temen sendiri?",
        "hrs tetep dilaporin ga?",
        "tenggatnya kapan ya?",
    ],
)
def test_questions_about_the_law_mid_form_go_to_the_faq(typed: str) -> None:
    # Not the date field's help for its "hari", nor the giver's for its "dari": the FAQ's.
    for key in ("giver_name", "occasion", "received_date"):
        assert declaration_help.field_help(typed, ds.BY_KEY[key], ds.BY_KEY) is None, key


async def test_a_photo_captioned_ini_fotonya_is_no_answer_to_the_question_on_screen(
    chat: ChatDriver,
) -> None:
    await answer_until(chat, Declarant(), "jabatan atau pekerjaan")
    asked = chat.last[-1].text
    await chat.send("ini fotonya", attachments=(photo(),))
    assert "1 berkas kami simpan" in chat.texts[0]
    assert chat.last[-1].text == asked  # not stored as the giver's position
    await chat.send("foto parselnya", attachments=(photo(),))
    assert "sudah kami terima sebelumnya" in chat.texts[0]
    assert chat.last[-1].text == asked
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "Lampiran: 1 berkas\n" in chat.last[-1].text  # kept, not asked for again


async def test_a_long_story_is_kept_whole_as_the_chronology(chat: ChatDriver) -> None:
    story = (
        "kemarin sore pak andi dari pt maju jaya datang ke kantor bawa parsel isi kue, kira2 "
        "500rb. "
        + "Beliau cerita panjang soal proyek jalan dan minta tolong dibantu urusan termin. " * 30
        + "Itu saja ceritanya."
    )
    assert 2000 < len(story) < 4000
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(story)
    assert "Rp500.000" in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "Itu saja ceritanya." in chat.last[-1].text  # nothing cut off the end


# --- leftovers of the first pass (2 Dec 2026, reporter QA) -------------------------------------


async def test_a_photo_sent_before_agreeing_is_not_stored_and_asked_for_again(
    chat: ChatDriver, tmp_path: Path
) -> None:
    await chat.send("/lapor")
    await chat.send("", attachments=(photo(),))
    said = chat.texts[0]
    assert "belum saya simpan" in said and "langkah lampiran" in said
    assert "Lanjutkan melapor?" in chat.last[-1].text  # the notice is still on screen
    assert not [p for p in (tmp_path / "files").rglob("*") if p.is_file()]  # UU 27/2022
    await chat.send("ok setuju")
    await answer_until(chat, Declarant(), "Kirim foto pemberian", start=None)
    assert "Tadi Anda mengirim 1 berkas" in chat.last[-1].text
    await chat.send("", attachments=(photo(),))
    assert "Berkas diterima: 1" in chat.last[-1].text
    assert "Tadi Anda mengirim" not in chat.last[-1].text


async def test_a_parcel_from_a_courier_without_a_sender_asks_nothing_about_the_giver(
    chat: ChatDriver, database: Database
) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send("tadi pagi ada paket dikirim kurir tanpa pengirim ke rumah, isinya batik 300rb")
    understood = chat.last[-1].text
    assert "Pemberi: Tidak diketahui (nama, jabatan, instansi, alamat, hubungan)" in understood
    await chat.send("benar")
    asked = chat.last[-1].text
    assert "Dalam rangka apa" in asked  # not the giver's position, institution or address
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    summary = chat.last[-1].text
    assert "• Jabatan pemberi: Tidak diketahui" in summary
    assert "• Hubungan pemberi: Tidak diketahui" in summary
    await chat.send("kirim")
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.giver_name == "Tidak diketahui" and row.giver_relation is None


async def test_a_giver_named_after_ga_kenal_brings_back_the_questions_about_them(
    chat: ChatDriver,
) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send("Isi per langkah")
    await chat.send("terima")
    await chat.send("ga kenal")
    assert "Pemberi: Tidak diketahui" in chat.last[-1].text
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    await chat.send("ubah nama pemberi")
    await chat.send("oh ternyata pak Joko")
    assert "Apa jabatan atau pekerjaan Joko?" in chat.last[-1].text


async def test_a_question_with_ya_in_it_at_the_show_back_is_answered_not_a_yes(
    chat: ChatDriver,
) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("td pagi dpt kiriman parsel dr kurir tanpa pengirim, isinya kue kering")
    assert "Yang saya tangkap" in chat.last[-1].text
    await chat.send("emang wajib lapor ya kalo ga tau dari siapa?")
    assert "Dalam rangka apa" not in chat.text  # nothing was confirmed
    assert "Yang saya tangkap" in chat.last[-1].text  # the same question again
    assert "laporkan" in chat.texts[0] and len(chat.texts) == 2  # answered, then asked again
    await chat.send("iya bener")
    assert "Yang saya tangkap" not in chat.text


async def test_answers_typed_at_the_givers_questions_go_to_their_own_fields(
    chat: ChatDriver,
) -> None:
    await chat.send("sy mau lapor gratifikasi pak")
    await chat.send("iya")
    await chat.send(
        "kmrn sore pak hendra dr cv karya mandiri ngasih amplop isinya 2 jt di kantor, "
        "katanya ucapan makasih udh bantu pencairan"
    )
    await chat.send("bener")
    assert "jabatan atau pekerjaan Hendra" in chat.last[-1].text
    await chat.send("masih sy simpen")  # where the gift is, not the giver's post
    assert "Posisi objek: Disimpan pelapor" in chat.text
    assert "jabatan atau pekerjaan Hendra" in chat.last[-1].text
    await chat.send("direktur")
    assert "alamat Hendra" in chat.last[-1].text
    await chat.send("wa 0812 2233 4455")  # the reporter's own number, not Hendra's address
    assert "Nomor HP: +6281222334455" in chat.text and "kontak Anda sendiri" in chat.text
    await chat.send("dedi.k@gmail.com")
    assert "dedi.k@gmail.com" in chat.text and "alamat Hendra" in chat.last[-1].text
    await chat.send("jl raya soreang no 10")
    who = Declarant(name="Dedi Kurniawan", nik="3204111209880003", phone="", email=None)
    await answer_until(chat, who, "Ringkasan laporan", start=None)
    summary = chat.last[-1].text
    assert "jl raya soreang no 10" in summary and "direktur" in summary
    assert "+6281222334455" in summary and "dedi.k@gmail.com" in summary
