"""Reporter-side QA of "Lapor gratifikasi" (2 Dec 2026, second pass): what employees typed
that the form took wrongly, each typed here as it was typed in the chat."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.sessions import SessionStore
from bot.store.database import Database
from handlers.context import Services
from handlers.declaration_identity import name_problem
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    Declarant,
    answer_until,
    declaration_dispatcher,
    declaration_services,
)


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    services: Services = declaration_services(database, tmp_path / "files")
    clock = Clock(datetime(2026, 12, 2, 10, tzinfo=JAKARTA))  # a Wednesday
    return ChatDriver(declaration_dispatcher(store, services, clock))


async def _story(chat: ChatDriver, story: str) -> str:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(story)
    return chat.last[-1].text


# --- named days ---------------------------------------------------------------------------


async def test_a_holiday_in_the_story_is_its_latest_date_shown_and_confirmed(
    chat: ChatDriver,
) -> None:
    understood = await _story(
        chat, "pas hari guru kemarin wali murid ngasih batik ke saya di sekolah, kira2 300rb"
    )
    # Shown with its name: "Benar, lanjut" confirms the date the deadlines are counted from.
    assert "Tanggal: Rabu, 25 November 2026 (Hari Guru)" in understood


async def test_natal_typed_in_december_is_last_christmas_not_this_years(
    chat: ChatDriver,
) -> None:
    understood = await _story(chat, "pas natal kemarin dapat parsel dari vendor, kira2 1 jt")
    assert "Kamis, 25 Desember 2025 (Natal)" in understood
    assert "2026 (Natal)" not in understood


async def test_a_holiday_date_corrected_at_the_show_back_takes_the_day_typed(
    chat: ChatDriver,
) -> None:
    understood = await _story(
        chat, "waktu lebaran dapat amplop dari kontraktor, isinya 2 juta, di rumah"
    )
    assert "Sabtu, 21 Maret 2026 (Idul Fitri)" in understood
    await chat.send("tanggalnya salah, tgl 23 maret")
    assert "Senin, 23 Maret 2026" in chat.last[-1].text
    assert "(Idul Fitri)" not in chat.last[-1].text


# --- free text at a question with buttons ---------------------------------------------------


async def _to_relation_at(chat: ChatDriver, phrase: str) -> None:
    """Step by step to the question with `phrase`: Bu Sari, position and institution unknown."""
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send("per langkah")
    await chat.send("terima")
    await chat.send("Bu Sari")
    for typed in ("ga tau", "lewati", "Jl. Melati 3 Bogor"):
        if phrase in chat.last[-1].text:
            return
        await chat.send(typed)
    assert phrase in chat.last[-1].text


async def _to_relation(chat: ChatDriver) -> None:
    await _to_relation_at(chat, "Apa hubungan Sari")


async def test_a_story_at_a_button_question_fills_its_fields_and_asks_again(
    chat: ChatDriver,
) -> None:
    await _to_relation(chat)
    await chat.send("waktu itu dia dateng ke rumah pas lebaran bawa parsel 1jt")
    asked = chat.last[-1].text
    assert "Saya catat:" in asked and "Peristiwa: Hari raya" in asked
    assert "Perkiraan nilai: Rp1.000.000" in asked and "Tempat: rumah" in asked
    assert "Apa hubungan Sari" in asked  # the relation is still asked, politely
    await chat.send("ibunya salah satu murid di kelas saya")
    assert "Apa hubungan" not in chat.last[-1].text


async def test_text_that_answers_nothing_is_kept_for_the_chronology_and_shown(
    chat: ChatDriver,
) -> None:
    await _to_relation(chat)
    await chat.send("pokoknya orangnya baik sekali dan sering bantu sekolah")
    asked = chat.last[-1].text
    assert 'saya simpan untuk kronologi: "pokoknya orangnya baik sekali' in asked
    assert "Apa hubungan Sari" in asked
    await chat.send("masyarakat")
    for typed in ("acara sekolah", "ucapan terima kasih", "batik", "kain batik tulis 1 lembar"):
        await chat.send(typed)
    await chat.send("300rb")
    await chat.send("ya")
    await chat.send("kemarin")
    await chat.send("ya")
    await chat.send("di sekolah")
    asked = chat.last[-1].text
    assert "kronologinya" in asked and "pokoknya orangnya baik sekali" in asked
    await chat.send("Bu Sari datang ke sekolah setelah pembagian rapor membawa batik")
    assert "Di mana objek pemberian itu sekarang?" in chat.last[-1].text


async def test_a_wrong_nik_typed_at_a_button_question_is_said_wrong_not_kept_as_a_note(
    chat: ChatDriver,
) -> None:
    await _to_relation(chat)
    # Day of birth "90": no valid NIK. It used to be kept as the note "NIK", digits dropped.
    await chat.send("NIK: 3201 0101 9001 0002")
    asked = chat.last[-1].text
    assert "NIK yang Anda ketik belum bisa saya pakai" in asked
    assert "Tanggal lahir pada NIK" in asked and "data diri" in asked
    assert "kronologi" not in asked
    assert "Apa hubungan Sari" in asked


async def test_the_reporters_own_nik_typed_at_a_text_question_is_kept(chat: ChatDriver) -> None:
    await _to_relation_at(chat, "jabatan")
    await chat.send("nik sy 3201014501900002")
    asked = chat.last[-1].text
    assert "NIK: 3201********0002" in asked
    assert "jabatan" in asked  # the giver's position is still asked
    # A NIK with no word of whose it is may be the giver's: not taken.
    await chat.send("NIK 3201014501900003")
    assert "jangan menulis NIK" in chat.last[-1].text


@pytest.mark.parametrize(
    "typed",
    [
        "dia dateng ke kantor trus ngasih amplop, sy udh nolak tp dia ninggalin di meja",
        "sy td udh lapor ke atasan",
    ],
)
def test_a_sentence_typed_at_the_name_question_is_no_name(typed: str) -> None:
    assert (
        name_problem(typed)
        == "Sepertinya itu kalimat, bukan nama. Mohon tulis nama lengkap Anda saja."
    )


@pytest.mark.parametrize(
    "typed",
    ["Siti Aminah binti Ahmad", "Dr. Ir. H. Bambang Sutejo, MT", "Ni Kadek Ayu Sari", "Yang Ming"],
)
def test_names_stay_names(typed: str) -> None:
    assert name_problem(typed) is None


# --- "iya tapi ..." at the privacy notice ---------------------------------------------------


async def test_a_question_after_a_yes_is_answered_and_the_consent_asked_in_short(
    chat: ChatDriver,
) -> None:
    await chat.send("/lapor")
    await chat.send("boleh, tp sy mau tanya dulu data sy nanti dikasih ke atasan ga")
    reply = chat.text
    assert "Yang dapat melihat hanya Anda, petugas UPPG, dan KPK" in reply
    assert "Lanjutkan melapor, dengan pemberitahuan data pribadi di atas?" in reply
    assert "• Dasar:" not in reply  # the notice is not repeated in full
    await chat.send("ok setuju")
    assert "Ceritakan singkat pemberiannya" in chat.last[-1].text


async def test_iya_tapi_with_a_question_mark_is_answered_too(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("iya tapi NIK saya aman gak?")
    reply = chat.text
    assert "disimpan terenkripsi" in reply and "setuju" in reply


async def test_a_story_after_a_yes_is_the_consent_and_the_story(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("iya tapi ini cuma kue dr wali murid kemarin, kira2 150rb")
    understood = chat.last[-1].text
    assert "Yang saya tangkap dari cerita Anda" in understood
    assert "Hubungan pemberi: Masyarakat" in understood and "Rp150.000" in understood


async def test_a_wish_after_a_yes_goes_to_its_field(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("iya setuju, tapi nama saya jangan disebar ya")
    reply = chat.last[-1].text
    assert "Identitas dirahasiakan: Ya" in reply
    assert "Ceritakan singkat pemberiannya" in reply


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("iya rahasiakan", "Identitas dirahasiakan: Ya"),
        ("ya tp identitas sy dirahasiakan aja", "Identitas dirahasiakan: Ya"),
    ],
)
async def test_a_yes_that_changes_an_answer_at_the_summary_changes_it_not_submits(
    chat: ChatDriver, typed: str, shown: str
) -> None:
    await answer_until(chat, Declarant(confidential=False), "Ringkasan laporan")
    assert "Identitas dirahasiakan: Tidak" in chat.last[-1].text
    # It used to read as "yes": the report was sent with the identity not kept secret.
    await chat.send(typed)
    reply = "\n".join(r.text for r in chat.last)
    assert "Baik, saya ubah: Identitas dirahasiakan." in reply
    assert shown in reply and "Nomor laporan" not in reply
    await chat.send("iya")
    assert "Nomor laporan" in "\n".join(r.text for r in chat.last)


# --- a returning reporter -------------------------------------------------------------------


async def test_sama_kayak_tadi_takes_the_previous_declarations_unit_and_shows_it(
    chat: ChatDriver,
) -> None:
    await answer_until(chat, Declarant(), "Ringkasan laporan")
    await chat.send("kirim")
    await chat.send("/lapor")
    # The story names another post; the reporter then takes the old one back.
    await chat.send("kemarin sy staf di bappeda dapat parsel dr vendor kira2 400rb di kantor")
    assert "Unit kerja Anda: bappeda" in chat.last[-1].text
    await chat.send("unit kerja")  # the item named, as at the summary
    assert "Di unit kerja" in chat.last[-1].text
    await chat.send("sama dgn sebelumnya")
    shown = chat.last[-1].text
    assert "Baik, unit kerja dari laporan Anda sebelumnya: Dinas Pendidikan" in shown
    assert "Unit kerja Anda: Dinas Pendidikan" in shown
    await chat.send("jabatan")
    await chat.send("idem")
    assert "jabatan dari laporan Anda sebelumnya: Analis Keuangan" in chat.last[-1].text


async def test_sama_kayak_tadi_with_nothing_earlier_asks_for_the_value(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "jabatan Anda")
    await chat.send("sama kayak tadi")
    assert "Belum ada jabatan dari laporan sebelumnya" in chat.last[-1].text
    assert "Apa jabatan Anda?" in chat.last[-1].text


# --- social aid is for perishable food only -----------------------------------------------


async def test_a_batik_given_to_a_panti_gets_why_social_aid_does_not_apply(
    chat: ChatDriver,
) -> None:
    who = Declarant(object_type="barang", description="kain batik tulis 1 lembar")
    await answer_until(chat, who, "objek pemberian itu sekarang")
    assert "lapor:object_location:bantuan_sosial" not in chat.choice_ids
    await chat.send("sudah saya kasih ke panti asuhan dekat rumah")
    asked = chat.last[-1].text
    assert "hanya untuk makanan atau minuman yang mudah rusak (PerKPK 2/2019" in asked
    assert "Di mana objek pemberian itu sekarang?" in asked
    assert "lapor:object_location:bantuan_sosial" not in chat.choice_ids
    await chat.press("lapor:object_location:habis")
    await answer_until(chat, who, "Ringkasan laporan", start=None)
    assert "panti asuhan dekat rumah" in chat.last[-1].text  # kept in the chronology


async def test_a_story_of_a_batik_given_to_a_panti_is_not_social_aid(chat: ChatDriver) -> None:
    understood = await _story(
        chat,
        "kemarin wali murid ngasih batik ke saya di sekolah kira2 300rb, "
        "sudah saya kasih ke panti asuhan",
    )
    assert "bantuan sosial" not in understood
    await answer_until(chat, Declarant(), "objek pemberian itu sekarang", start=None)
    assert "hanya untuk makanan atau minuman yang mudah rusak" in chat.last[-1].text


# --- found by hand in the chat ---------------------------------------------------------------


async def test_the_words_of_a_named_day_name_no_giver(chat: ChatDriver) -> None:
    understood = await _story(
        chat,
        "pas hari guru kemarin ada wali murid, bu ratna, ngasih sy kain batik di sekolah. "
        "kira2 harganya 350rb. sy guru kelas 4 di SDN 2 Sukamaju",
    )
    assert "Jabatan pemberi" not in understood  # "hari guru" is the day, not Ratna's post
    assert "Nama pemberi: Ratna" in understood and "Jabatan Anda: guru kelas 4" in understood


async def test_where_the_gift_is_typed_at_the_givers_address_is_kept(chat: ChatDriver) -> None:
    await _to_relation_at(chat, "alamat Sari")
    await chat.send("masih sy simpan di rumah")
    asked = chat.last[-1].text
    assert "Saya catat:\n• Posisi objek: Disimpan pelapor" in asked
    assert "Yang saya tanyakan sekarang alamat pemberinya." in asked


async def test_a_phone_number_typed_at_a_button_question_is_kept(chat: ChatDriver) -> None:
    await _to_relation(chat)
    await chat.send("0812 3456 7890")
    asked = chat.last[-1].text
    assert "Nomor HP: +6281234567890" in asked and "Apa hubungan Sari" in asked


async def test_an_email_typed_at_a_button_question_is_kept_in_its_field(chat: ChatDriver) -> None:
    await _to_relation(chat)
    await chat.send("budi.s@gmail.com")
    asked = chat.last[-1].text
    assert "E-mail: budi.s@gmail.com" in asked and "Apa hubungan Sari" in asked
    assert "kronologi" not in asked


async def test_a_bare_no_at_a_button_question_answers_no_other(chat: ChatDriver) -> None:
    await _to_relation(chat)
    await chat.send("ga perlu")
    asked = chat.last[-1].text
    assert "dirahasiakan" not in asked and "Kompensasi" not in asked
    assert "Apa hubungan Sari" in asked


async def test_a_nurse_thanked_for_the_care_is_thanks_not_a_bereavement(chat: ChatDriver) -> None:
    understood = await _story(
        chat,
        "tadi siang keluarga pasien di bangsal mawar ngasih amplop ke saya, isinya 500 ribu, "
        "katanya buat makasih udah dirawat. sy perawat di RSUD",
    )
    assert "Peristiwa: Ucapan terima kasih" in understood and "Musibah" not in understood
    assert "Hubungan pemberi: Masyarakat" in understood


async def test_an_address_typed_at_the_givers_position_is_the_givers_address(
    chat: ChatDriver,
) -> None:
    await _to_relation_at(chat, "jabatan atau pekerjaan Sari")
    await chat.send("Jl. Mawar 5 Cibinong")
    asked = chat.last[-1].text
    assert "Alamat pemberi: Jl. Mawar 5 Cibinong" in asked
    assert "Apa jabatan atau pekerjaan Sari?" in asked


async def test_what_is_typed_at_where_the_gift_is_goes_where_it_belongs(
    chat: ChatDriver,
) -> None:
    who = Declarant(object_type="uang", description="amplop isi uang")
    await answer_until(chat, who, "objek pemberian itu sekarang")
    await chat.send("Siti Aminah, NIK 3201014506880003, NIP 198806052010012003")
    shown = chat.last[-1].text
    assert "Nama: Siti Aminah" in shown and "NIK: 3201********0003" in shown
    assert "Di mana objek pemberian itu sekarang?" in shown
    await chat.send("masih sy pegang, blm dibuka")
    assert "dirahasiakan" not in chat.last[-1].text  # "dibuka" is the envelope
    assert "Apa jabatan Anda?" in chat.last[-1].text


async def test_a_contractors_trip_for_the_camat_and_his_wife(chat: ChatDriver) -> None:
    understood = await _story(
        chat,
        "Sy camat cibinong. kemarin pak hendra direktur PT Bangun Karya (kontraktor jalan) "
        "nawarin sy sama istri paket liburan ke bali 3 hari, katanya sekitar 15jt. "
        "sy tolak di kantor kecamatan",
    )
    assert "Jenis laporan: Penolakan" in understood
    assert "Hubungan pemberi: Rekanan/vendor" in understood  # the wife came with him
    assert "Alasan pemberian" not in understood  # "katanya sekitar 15jt" is the value
    assert "Rp15.000.000" in understood and "Tiket/hotel/perjalanan" in understood


async def test_sejutaan_is_about_a_million_and_an_amount_at_the_date_changes_it(
    chat: ChatDriver,
) -> None:
    await answer_until(chat, Declarant(), "perkiraan nilainya")
    await chat.send("sejutaan")
    assert "Rp1.000.000 (satu juta rupiah), benar?" in chat.last[-1].text
    await chat.send("iya")
    assert "Kapan pemberian itu diterima?" in chat.last[-1].text
    await chat.send("1,5jt")  # a second thought about the value, typed at the date
    assert "Rp1.500.000 (satu juta lima ratus ribu rupiah), benar?" in chat.last[-1].text
    await chat.send("ya")
    assert "Kapan pemberian itu diterima?" in chat.last[-1].text


LONG_STORY = (
    "Kemarin sore Pak Bambang Susilo, Direktur CV Sumber Rejeki (rekanan pengadaan ATK di "
    "kantor kami), datang ke ruangan saya di Dinas Pendidikan dan memberikan amplop berisi "
    "uang Rp2.500.000 sebagai ucapan terima kasih karena pembayaran proyeknya sudah cair. "
    "Amplopnya langsung saya titipkan ke UPPG tadi pagi. Alamat kantornya Jl. Pahlawan No. 7 "
    "Bogor."
)


async def test_everything_in_one_long_message(chat: ChatDriver) -> None:
    understood = await _story(chat, LONG_STORY)
    assert "Alamat pemberi: Jl. Pahlawan No. 7 Bogor" in understood
    assert "Peristiwa: Ucapan terima kasih" in understood  # "Dinas Pendidikan" is no visit
    assert "Posisi objek: Dititipkan ke UPPG" in understood
    await chat.send("benar")
    assert "Sekarang data diri Anda" in chat.last[-1].text  # nothing about the gift is asked


async def test_ubah_jawaban_typed_at_a_question_is_no_answer(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "alamat tempat tinggal")
    await chat.send("ubah jawaban")
    asked = chat.last[-1].text
    assert "dapat diubah di ringkasan" in asked and "alamat tempat tinggal" in asked
    await chat.send("ubah nilai")
    assert "perkiraan nilainya" in chat.last[-1].text
    await chat.send("2 jt")
    await chat.send("ya")
    assert "alamat tempat tinggal" in chat.last[-1].text  # back where the form was


async def test_an_amount_typed_at_a_button_question_changes_the_value(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(), "dirahasiakan")
    await chat.send("2,4 jt")
    assert "Rp2.400.000 (dua juta empat ratus ribu rupiah), benar?" in chat.last[-1].text
    await chat.send("ya")
    assert "dirahasiakan" in chat.last[-1].text


async def test_a_refused_parcel_a_self_correction_and_no_occasion(chat: ChatDriver) -> None:
    understood = await _story(
        chat, "sy nolak parsel dari vendor katering kemarin di kantor, isinya kue kue kira2 300an"
    )
    assert "Jenis laporan: Penolakan" in understood
    assert "Uraian objek: parsel, isi kue kue\n" in understood  # the value is its own field
    await chat.send("benar")
    await chat.send("ga tau")  # the giver's name
    assert "jabatan atau pekerjaan pemberi" in chat.last[-1].text
    await chat.send("eh tunggu, nama vendornya CV Sedap Rasa")
    asked = chat.last[-1].text
    assert "Instansi pemberi: CV Sedap Rasa" in asked and "Jabatan pemberi" not in asked
    assert "Apa jabatan atau pekerjaan pemberi?" in asked
    await chat.send("ga tau")
    await chat.send("ga tau")  # the address
    assert "Dalam rangka apa" in chat.last[-1].text
    await chat.send("ga tau")
    assert "Apa alasan pemberian itu" in chat.last[-1].text


async def test_a_correction_of_the_value_typed_at_the_date_question(chat: ChatDriver) -> None:
    await answer_until(chat, Declarant(value="800rb"), "Kapan pemberian")
    await chat.send("eh salah, nilainya 750rb")
    assert "Rp750.000 (tujuh ratus lima puluh ribu rupiah), benar?" in chat.last[-1].text


@pytest.mark.parametrize("typed", ["lanjut", "ga jadi", "lanjutkan"])
async def test_lanjut_at_are_you_sure_to_cancel_keeps_the_draft(
    chat: ChatDriver, typed: str
) -> None:
    await _story(chat, "sy dpt thr dr kontraktor 2jt tgl 28 kmrn di kantor")
    await chat.send("benar")
    await chat.send("/batal")
    assert "Yakin ingin membatalkan?" in chat.last[-1].text
    await chat.send(typed)  # "lanjut" is a yes elsewhere: here it means go on
    assert "dibatalkan" not in chat.text
    assert "Siapa yang memberi?" in chat.last[-1].text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("vendor", "Hubungan pemberi: Rekanan/vendor"),
        ("tadi siang", "Tanggal:"),
        ("kmrn sore", "Tanggal:"),
        ("1,5jt", "Perkiraan nilai: Rp1.500.000"),
    ],
)
async def test_another_answer_typed_at_the_givers_address_is_kept_not_taken_for_it(
    chat: ChatDriver, typed: str, kept: str
) -> None:
    await _to_relation_at(chat, "alamat Sari")
    await chat.send(typed)
    asked = chat.last[-1].text
    assert "Saya catat:" in asked and kept in asked
    assert "alamat Sari" in asked  # the address is still asked
    await chat.send("Jl. Melati 3 Bogor")
    assert "alamat Sari" not in chat.last[-1].text
