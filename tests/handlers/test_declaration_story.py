"""A declaration told as a story: how many answers it takes, what is stored, corrections.

Issue 12: a first-time declaration that starts with a story completes in at most 15 answers,
a returning reporter's in at most 8; since the form wave of 3 Dec 2026 (no compensation request
and the attachments defaulted, shown in the summary) 12 and 6. Every message the reporter
sends counts, /lapor too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.crypto import Cipher
from bot.messages import Attachment, Reply
from bot.sessions import MemorySessionStore
from bot.store.database import Database
from bot.store.models import Declaration
from handlers.context import Services
from handlers.declaration_story import read_story
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    declaration_dispatcher,
    declaration_services,
)

TODAY = datetime(2026, 12, 2, 10, tzinfo=JAKARTA)  # a Wednesday
FIRST_STORY = (
    "Kemarin sore Pak Andi Wijaya, direktur PT Maju Jaya (rekanan proyek jalan), datang ke "
    "kantor Dinas Pendidikan dan memberi parsel lebaran isi kue kering dan sirup, kira2 1,5 jt. "
    "Katanya sebagai ucapan terima kasih karena proyek selesai."
)
RETURNING_STORY = (
    "Tadi pagi Bu Sari, kepala cabang Bank Sejahtera (rekanan kantor), memberi jam tangan "
    "seharga Rp2.000.000 di ruang rapat kantor sebagai ucapan terima kasih karena kerja samanya "
    "lancar. Jamnya masih saya simpan."
)
IDENTITY = (
    "Budi Santoso, NIK 3201011505900001, NIP 199005152015031001, Analis Keuangan di Dinas "
    "Pendidikan"
)


class CountingChat(ChatDriver):
    """A chat that counts the reporter's answers (typed messages, files and presses)."""

    answers: int = 0

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]:
        self.answers += 1
        return await super().send(text, attachments=attachments)

    async def press(self, choice_id: str) -> list[Reply]:
        self.answers += 1
        return await super().press(choice_id)

    @property
    def question(self) -> str:
        return self.last[-1].text if self.last else ""


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[tuple[Database, Services]]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'story.db'}")
    await database.migrate()
    yield database, declaration_services(database, tmp_path / "files")
    await database.dispose()


@pytest.fixture
def chat(parts: tuple[Database, Services]) -> CountingChat:
    _, services = parts
    return CountingChat(declaration_dispatcher(MemorySessionStore(), services, Clock(TODAY)))


async def first_declaration(chat: CountingChat) -> str:
    """A new reporter, on a phone: the story first, then what it did not say."""
    await chat.send("/lapor")
    assert "pemberitahuan data pribadi" in chat.question
    await chat.send("setuju")
    assert "Ceritakan singkat" in chat.question
    await chat.send(FIRST_STORY)
    understood = chat.question
    assert "Yang saya tangkap" in understood and "Selasa, 1 Desember 2026" in understood
    assert "Rp1.500.000 (satu juta lima ratus ribu rupiah)" in understood
    await chat.send("sudah benar")
    assert "alamat Andi Wijaya" in chat.question
    await chat.send("gak tau")
    assert "objek pemberian itu sekarang" in chat.question
    await chat.send("dititipkan ke uppg")
    assert "nama lengkap Anda" in chat.question  # no compensation request: the summary says so
    await chat.send(IDENTITY)
    assert "3201********0001" in chat.question and "alamat tempat tinggal" in chat.question
    await chat.send("Jl. Merdeka No. 5, Sukamaju")
    await chat.send("wa 0812 3456 7890")
    await chat.send("ga punya")
    assert "dirahasiakan" in chat.question
    await chat.send("ga usah")
    assert (
        "Ringkasan laporan" in chat.question and "menyatakan isi laporan ini benar" in chat.question
    )
    assert "Kompensasi: Tidak (tidak meminta; ingin menebus objeknya?" in chat.question
    assert "• Lampiran: -\n\nAda foto pemberian atau dokumen pendukung? Kirim sekarang" in (
        chat.question
    )
    await chat.send("kirim")
    receipt = chat.texts[0]
    assert "Nomor laporan: GRT-2026-" in receipt
    assert "dititipkan ke UPPG" in receipt
    return receipt


async def test_a_first_declaration_told_as_a_story_takes_at_most_12_answers(
    chat: CountingChat, parts: tuple[Database, Services]
) -> None:
    await first_declaration(chat)
    assert chat.answers <= 12, chat.answers
    database, _ = parts
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.giver_name == "Andi Wijaya" and row.giver_position == "direktur"
    assert row.giver_institution == "PT Maju Jaya" and row.giver_relation == "rekanan"
    assert row.giver_address_enc is None  # "gak tau"
    assert row.reason == "sebagai ucapan terima kasih karena proyek selesai"
    assert row.occasion == "hari_raya" and row.value_rp == 1_500_000
    assert row.received_date.isoformat() == "2026-12-01"
    assert row.chronology == FIRST_STORY
    assert row.declared_true_at is not None
    assert row.reporter_nip == "199005152015031001" and row.reporter_unit == "Dinas Pendidikan"


async def test_a_returning_reporter_takes_at_most_6_answers(
    chat: CountingChat, parts: tuple[Database, Services]
) -> None:
    await first_declaration(chat)
    chat.answers = 0
    await chat.send("/lapor")
    assert "Ceritakan singkat" in chat.question  # consent and identity are known
    await chat.send(RETURNING_STORY)
    assert "Data pelapor: Budi Santoso" in chat.question
    await chat.send("benar")
    assert "alamat Sari" in chat.question
    await chat.send("Jl. Sudirman 10, Bandung")
    assert "dirahasiakan" in chat.question
    await chat.send("tidak")
    assert "Ringkasan laporan" in chat.question
    await chat.send("ya kirim")
    assert "Nomor laporan: GRT-2026-000002" in chat.texts[0]
    assert chat.answers <= 6, chat.answers
    database, services = parts
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration).where(Declaration.id == 2))).scalar_one()
    assert row.reporter_name == "Budi Santoso" and row.object_location == "disimpan_pelapor"
    # The giver's address is personal data: stored encrypted, never in clear text.
    assert row.giver_address_enc and "Sudirman" not in row.giver_address_enc
    declarations = services.declarations
    assert declarations is not None
    cipher: Cipher = declarations.cipher  # type: ignore[attr-defined]
    assert cipher.decrypt(row.giver_address_enc) == "Jl. Sudirman 10, Bandung"


async def test_a_typed_correction_changes_what_the_story_gave(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("kemarin dapat parsel dari vendor, kira2 500rb")
    assert "Rp500.000" in chat.question
    await chat.send("nilainya 750 ribu")
    assert "Rp750.000 (tujuh ratus lima puluh ribu rupiah)" in chat.question
    await chat.send("tanggalnya 28 nov")
    assert "Sabtu, 28 November 2026" in chat.question
    await chat.press("lapor:understood:edit")
    await chat.press("lapor:edit:giver_relation")
    await chat.send("atasan")
    assert "Hubungan pemberi: Atasan" in chat.question


async def test_step_by_step_is_always_possible(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("satu per satu saja")
    assert "Apa jenis laporan Anda" in chat.question


async def test_a_story_with_a_date_still_to_come_says_so(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("Tanggal 10 Desember saya dapat parsel dari vendor")
    assert "10 Desember 2025 (tahun lalu" in chat.question
    await chat.send("tanggalnya 30 november")
    assert "Senin, 30 November 2026" in chat.question and "tahun lalu" not in chat.question


async def test_pas_lebaran_is_read_as_the_holidays_date_and_confirmed(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("per langkah")
    await chat.send("terima")
    await chat.send("Pak Andi")
    for typed in ("gak tau", "gak tau", "gak tau", "vendor", "lebaran", "amplop", "amplop"):
        await chat.send(typed)
    await chat.send("1 juta")
    await chat.send("iya")
    await chat.send("pas lebaran")
    assert (
        "Idul Fitri: Sabtu, 21 Maret 2026. Pemberiannya pada tanggal itu, benar?" in chat.question
    )
    await chat.send("iya betul")
    assert "Di mana pemberian" in chat.question


async def test_sama_between_a_parcels_items_keeps_them_all(chat: CountingChat) -> None:
    # "sama" is "and" between what a parcel holds, "from" before the giver.
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(
        "kmrn sore dikasih parsel lebaran isi sirup sama kue kaleng dari pak budi "
        "direktur cv maju jaya, kira2 750rb"
    )
    assert "Uraian objek: parsel lebaran isi sirup sama kue kaleng" in chat.question
    assert "Nama pemberi: Budi" in chat.question


async def test_a_price_per_box_and_food_eaten_are_read_and_never_asked(
    chat: CountingChat, parts: tuple[Database, Services]
) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send(
        "kmrn sore pak budi, direktur cv maju jaya rekanan dinas pu, kirim 30 nasi kotak ke "
        "kantor buat rapat, per kotak 35rb. udah dimakan bareng sm temen2"
    )
    understood = chat.question
    assert "Instansi pemberi: CV maju jaya\n" in understood
    assert "Perkiraan nilai: Rp1.050.000 (satu juta lima puluh ribu rupiah) = 30 × Rp35.000" in (
        understood
    )
    assert "Posisi objek: Sudah terpakai/habis" in understood
    await chat.send("iya bener")
    for _ in range(8):  # what the story did not say, until the reporter's own data
        if "nama lengkap Anda" in chat.question:
            break
        assert "objek pemberian itu sekarang" not in chat.question
        assert "perkiraan nilainya" not in chat.question
        await chat.send("ga tau" if "alamat" in chat.question else "ucapan terima kasih")
    assert "nama lengkap Anda" in chat.question
    await chat.send(IDENTITY)
    await chat.send("Jl. Merdeka No. 5, Sukamaju")
    await chat.send("0812 3456 7890")
    await chat.send("ga ada")
    await chat.send("ga usah")
    summary = chat.question
    assert "Perkiraan nilai: Rp1.050.000" in summary and "Kompensasi" not in summary
    await chat.send("kirim")
    database, _ = parts
    async with database.sessions() as session:
        row = (await session.execute(select(Declaration))).scalar_one()
    assert row.value_rp == 1_050_000 and row.object_location == "habis"
    assert row.giver_institution == "CV maju jaya" and row.giver_relation == "rekanan"


async def test_a_village_head_and_glued_repetitions_in_a_story(chat: CountingChat) -> None:
    # "kades" is kept as the giver's post, never read as "kepala" (Atasan): the relation is
    # asked; "buah2an" is fruit and no Rp2.000 beside the value.
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("kmrn pak kades ngasih buah2an sekeranjang ke rumah, kira2 150rb")
    understood = chat.question
    assert "Jabatan pemberi: Kades" in understood
    assert "Hubungan pemberi" not in understood
    assert "Jenis objek: Makanan/minuman" in understood
    assert "Perkiraan nilai: Rp150.000" in understood


async def test_a_talk_at_another_office_is_no_giver_institution(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("pas jd narasumber di dinas sebelah dpt honor 1,5jt")
    understood = chat.question
    assert "dpt honor" not in understood.split("Uraian objek")[0]
    assert "Perkiraan nilai: Rp1.500.000" in understood
    assert "Jenis objek: Uang" in understood


@pytest.mark.parametrize(
    ("story", "shown"),
    [
        # "ga enak nolak": the refusal did not happen; the gift was received.
        (
            "kemarin sore pak budi direktur cv maju jaya (rekanan proyek jalan) ngasih amplop "
            "isi 1,5jt di kantor. sy terima krn ga enak nolak",
            "Penerimaan",
        ),
        (
            "vendor ngasih parsel kmrn, sy sdh coba nolak tp dia maksa, akhirnya sy terima",
            "Penerimaan",
        ),
        ("kemarin kepala dinas ngasih jam tangan, sy ga bisa nolak", "Penerimaan"),
        ("tadi pagi rekanan ngasih amplop 2jt, langsung saya tolak", "Penolakan"),
    ],
)
async def test_a_refusal_that_did_not_happen_is_no_refusal(
    chat: CountingChat, story: str, shown: str
) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(story)
    assert "Yang saya tangkap" in chat.question
    assert f"Jenis laporan: {shown}" in chat.question


# --- the story reader alone: what a field gets from a story typed on a phone --------------------


def read(story: str) -> dict[str, Any]:
    """The fields read from a story told on Wednesday 2 December 2026 (no chronology)."""
    values = dict(read_story(story, TODAY.date()).reading.values)
    values.pop("chronology", None)
    return values


@pytest.mark.parametrize(
    ("story", "place"),
    [
        # A bringing verb ends the place: "ke kantor *bawa* parsel buah".
        (
            "td siang ada org dr pt sinar abadi dtg ke kantor bawa parsel buah, namanya ga tau",
            "kantor",
        ),
        ("kmrn ada ortu siswa dateng ke rumah bawa 1 karung beras, krn anaknya lulus", "rumah"),
        (
            "mas Andi ngajak makan di resto padang sederhana trus dibayarin, 450rb",
            "resto padang sederhana",
        ),
        # The dot of an address's abbreviation does not end it.
        (
            "Saya menerima uang Rp 2.500.000 dari Bapak Hendra selaku kontraktor pembangunan "
            "puskesmas pada hari Senin 30 November 2026 di rumah saya di Jl. Melati 5",
            "rumah saya di Jl. Melati 5",
        ),
        (
            "dpt bingkisan dr PT Medika tgl 1 di kantor Dinas Kesehatan Jl. Diponegoro No. 12, "
            "berupa sarung",
            "kantor Dinas Kesehatan Jl. Diponegoro No. 12",
        ),
        (
            "dikasih amplop di kantor Kec. Cibinong Kab. Bogor, 500rb",
            "kantor Kec. Cibinong Kab. Bogor",
        ),
        # "ke sy di sekolah": the place after the person the gift went to.
        ("bu hj. Aminah wali murid ngasih kain batik ke sy di sekolah, 300an ribu", "sekolah"),
        ("td pagi pasien bawain pisang sesisir, sy terima di puskesmas", "puskesmas"),
        ("bawahan sy ngirim parsel ke rmh isi sirup", "rmh"),
    ],
)
def test_the_place_ends_where_the_story_goes_on(story: str, place: str) -> None:
    assert read(story).get("received_place") == place


def test_a_giver_whose_name_is_not_known_and_who_did_not_take_it() -> None:
    # "namanya ga tau" is no name: the name is unknown (shown as such), the company is kept
    # without the verb after it; the reporter's staff took it: no giver's post; the meeting
    # was the reporter's own, no occasion of the gift.
    found = read(
        "td siang ada org dr pt sinar abadi dtg ke kantor bawa parsel buah, namanya ga tau, "
        "sy lg rapat jd diterima staf sy"
    )
    assert found["giver_name"] is None
    assert found["giver_institution"] == "PT sinar abadi"
    assert "giver_position" not in found
    assert "occasion" not in found


@pytest.mark.parametrize(
    ("story", "institution"),
    [
        (
            "kemaren tuh ada bapak2 yg ngaku dari cv tirta mandiri, dateng ke kantor nganterin "
            "kue, namanya lupa",
            "CV tirta mandiri",
        ),
        (
            "kmrn ada tamu dr pt abc dtg ke kantor, ngasih amplop, namanya ga inget, isinya 1jt",
            "PT abc",
        ),
        ("ada org dari PT Sumber Rejeki ngasih parsel, sy ga tau namanya", "PT Sumber Rejeki"),
    ],
)
def test_a_name_said_unknown_is_no_name(story: str, institution: str) -> None:
    found = read(story)
    assert found["giver_name"] is None
    assert found["giver_institution"] == institution


@pytest.mark.parametrize(
    ("story", "position"),
    [
        ("kmrn keluarga pasien ngasih amplop ke sy di ruang perawat", None),
        ("aku nolak duit 5 jt dari calon pegawai honorer yg minta diluluskan", None),
        ("vendor nitip amplop ke satpam, td siang, sy ga ada di kantor", None),
        ("diparingi rokok 2 slop kalih pak kades wingi sonten wonten bale desa", "Kades"),
        ("Pak Agus staf PT Telkom ngasih pulsa 100rb ke hp sy, kmrn", "staf"),
    ],
)
def test_a_post_said_of_someone_else_is_not_the_givers(story: str, position: str | None) -> None:
    assert read(story).get("giver_position") == position


@pytest.mark.parametrize(
    ("story", "reason"),
    [
        # The amount's hedge goes with the value, not the reason typed before it.
        (
            "minggu lalu atasan sy (kabid) ngasih hp baru samsung krn sy bantu lembur, kira2 4 jt",
            "krn sy bantu lembur",
        ),
        ("warga ngasih ayam 2 ekor krn anaknya lulus sekitar 200rb", "krn anaknya lulus"),
        (
            "H. Slamet mampir ke rumah ngasih amplop 1,5jt, katanya buat uang bensin",
            "buat uang bensin",
        ),
        # "katanya" alone at the end is no reason.
        ("tgl 30 nov pak Haji Umar kasih sy sarung sm peci di masjid, utk lebaran katanya", None),
    ],
)
def test_the_reason_ends_before_the_amount(story: str, reason: str | None) -> None:
    assert read(story).get("reason") == reason


@pytest.mark.parametrize(
    ("story", "reason"),
    [
        # What the giver wanted is the reason (it used to be asked again after the story).
        (
            "td pagi ada pemohon izin namanya pak Joko nawarin amplop 2jt biar izin tokonya "
            "cepet keluar, sy tolak langsung di loket dpmptsp",
            "biar izin tokonya cepet keluar",
        ),
        (
            "kontraktor ngasih amplop 5jt supaya menang tender jalan desa, sy tolak",
            "supaya menang tender jalan desa",
        ),
        ("pak budi ngasih uang 500rb buat pelicin pencairan termin", "pelicin pencairan termin"),
        # "biar aja" is no purpose.
        ("dikasih parsel sama vendor, biar aja sy simpen dulu", None),
    ],
)
def test_what_the_giver_wanted_is_the_reason(story: str, reason: str | None) -> None:
    assert read(story).get("reason") == reason


@pytest.mark.parametrize(
    ("story", "description"),
    [
        ("sy tolak amplop dr pemohon IMB td siang di loket, isinya kayaknya 200rb", "amplop"),
        (
            "Dr. Ir. Hj. Siti Rahmawati dari Unpad ngasih plakat setelah sy jd narasumber",
            "plakat",
        ),
    ],
)
def test_the_description_ends_where_the_story_goes_on(story: str, description: str) -> None:
    assert read(story).get("description") == description


def test_a_word_of_the_story_after_the_giving_verb_is_no_thing_given() -> None:
    # "dikasih pak lurah pas ...": with the giver left out, "pas sy jadi panitia" is no gift.
    found = read("satu setengah juta dikasih pak lurah pas sy jadi panitia di balai desa")
    assert "description" not in found
    assert found["received_place"] == "balai desa"


def test_a_time_of_day_is_no_amount_and_no_watch() -> None:
    found = read(
        "senin kmrn jam 10an pak Bambang dr PT Maju Mundur dtg ke ruang rapat lt 3 ngasih "
        "flashdisk 64gb 5 biji"
    )
    assert "value_rp" not in found
    assert found["object_type"] == "barang"  # "jam" is the time here, the flashdisk the thing
    assert found["description"] == "flashdisk 64gb 5 biji"
    assert found["received_place"] == "ruang rapat lt 3"


@pytest.mark.parametrize(
    ("story", "value"),
    [
        ("satu setengah juta dikasih pak lurah pas sy jadi panitia 17an di balai desa", 1_500_000),
        ("td jam 2 siang vendor ngasih amplop 500rb", 500_000),
        ("dikasih jam 2jt sama rekanan kmrn", 2_000_000),  # a watch of two million
    ],
)
def test_the_value_beside_a_time_or_the_17th(story: str, value: int) -> None:
    assert read(story)["value_rp"].value == value


def test_the_reporters_own_post_typed_between_commas_is_not_the_givers() -> None:
    found = read(
        "Saya, kasubag umum di dinkes, menerima bingkisan dari PT Medika Utama tanggal 1 "
        "Desember di kantor, berupa sarung dan mukena"
    )
    assert "giver_position" not in found
    assert found["jabatan"] == "kasubag umum"
    assert found["giver_institution"] == "PT Medika Utama"


def test_the_wife_of_a_named_official_is_neither_him_nor_the_reporters_family() -> None:
    found = read("istri pak camat ngasih kue ultah ke sy, di rumah, td sore")
    assert not {"giver_name", "giver_position", "giver_relation"} & set(found)
    assert found["occasion"] == "ulang_tahun"


@pytest.mark.parametrize(
    ("story", "object_type", "description"),
    [
        # The hotel is where; the bakpia is what.
        (
            "tanggal 25 nov kmrn, waktu sy dinas luar ke jakarta, vendor ngasih oleh2 bakpia "
            "di hotel",
            "makanan",
            "oleh2 bakpia",
        ),
        (
            "tgl 2 kemarin dr. Budi dari apotek sehat farma kasih voucher belanja 500rb utk sy pas "
            "seminar di hotel grand",
            "voucher_tiket",
            "voucher belanja",
        ),
        # Only the place names what was given: still read.
        ("vendor bayarin sy nginep di hotel 3 malam", "fasilitas", "hotel 3 malam"),
    ],
)
def test_the_place_is_no_gift(story: str, object_type: str | None, description: str) -> None:
    found = read(story)
    assert found.get("object_type") == object_type
    assert found["description"] == description
    assert "giver_institution" not in found or "dinas" not in found["giver_institution"]


@pytest.mark.parametrize(
    ("story", "name"),
    [
        # "pak." addresses the reader; the reporter ("sy") is no part of a name.
        (
            "Assalamualaikum, mau lapor pak. kemarin sore sy didatengin Bu Hj. Romlah pemilik "
            "toko emas Sinar, ngasih kalung emas, ditaksir 3,5 jt",
            "Hj. Romlah",
        ),
        # Titles alone lead a name typed with capitals.
        ("kmrn sore H. Slamet dr CV Berkah Jaya mampir ke rumah ngasih amplop 1,5jt", "H. Slamet"),
        (
            "Ir. H. Bambang Sutejo, MT dari PT Wika Karya ngasih paket hampers ke kantor td siang",
            "Ir. H. Bambang Sutejo",
        ),
        (
            "Dr. Ir. Hj. Siti Rahmawati, M.Si dari Unpad ngasih plakat setelah sy jd narasumber",
            "Dr. Ir. Hj. Siti Rahmawati",
        ),
        # A relative is who, not a name: asked.
        ("mau lapor, bapak mertua sy ngasih motor, tp dia kan keluarga", None),
    ],
)
def test_the_givers_name_in_a_story(story: str, name: str | None) -> None:
    assert read(story).get("giver_name") == name


@pytest.mark.parametrize(
    ("story", "position"),
    [
        ("kmrn bpk kepala sekolah SDN 3 Cimahi ngasih sy amplop 250rb", "Kepala Sekolah"),
        # A post typed in lower case, then a name: the name is no part of the post.
        ("kemarin dokter Rina dari RS Harapan ngasih sy jam tangan fossil", "dokter"),
    ],
)
def test_the_givers_post_in_a_story(story: str, position: str) -> None:
    assert read(story)["giver_position"] == position


def test_what_the_giver_sells_is_not_what_was_given() -> None:
    found = read("Bu Hj. Romlah pemilik toko emas Sinar ngasih kalung emas, ditaksir 3,5 jt")
    assert found["description"] == "kalung emas"
    assert found["giver_institution"] == "toko emas Sinar"


def test_ga_tau_siapa_is_a_giver_unknown() -> None:
    found = read("pak, td pagi ada yg naro amplop di meja sy, ga tau siapa, isinya 1 jt")
    assert found["giver_name"] is None
    assert found["value_rp"].value == 1_000_000


@pytest.mark.parametrize(
    ("story", "description"),
    [
        (
            "minggu lalu rekanan katering kasih nasi tumpeng gratis, kira2 1 jt",
            "nasi tumpeng gratis",
        ),
        ("vendor ngasih 2 buah jam tangan ke sy kmrn", "2 buah jam tangan"),
        ("kemarin sy menolak pemberian uang sebesar Rp 10.000.000 dari Sdr. Anton", "uang"),
        ("td ada org dr LSM ngasih amplop di parkiran, sy tolak, isinya gatau", "amplop"),
    ],
)
def test_what_was_given_and_nothing_else(story: str, description: str) -> None:
    assert read(story)["description"] == description


def test_a_place_ends_before_who_came() -> None:
    found = read("kemarin lusa di rumah sy kedatangan tamu, pak Sugeng, bawain beras 1 karung")
    assert found["received_place"] == "rumah sy"


def test_the_place_is_not_the_givers_institution_nor_the_recipient_his_relation() -> None:
    found = read(
        "td pagi di kantor kecamatan, pak Tono tokoh masyarakat ngasih ayam kampung 2 ekor"
    )
    assert "giver_institution" not in found
    assert found["received_place"] == "kantor kecamatan"
    # "buat keluarga sy" is whom it was for: the patient is the giver.
    found = read("pasien sy, pak Wayan, ngasih babi guling buat keluarga sy td siang di rumah")
    assert found["giver_relation"] == "masyarakat"
    # "marketing di PT ...": still the giver's company.
    assert read("mas Andi marketing di PT Sinar Abadi ngasih voucher")["giver_institution"] == (
        "PT Sinar Abadi"
    )


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # Sundanese: "ku" (by), "ti" (from), "Pa" (Pak) around the giver end the description.
        (
            "punten pak, kamari sonten abdi dipasihan amplop ku Pa Haji Dadang ti CV Sawargi di "
            "kantor desa, eusina 500 rebu",
            {"description": "amplop", "giver_name": "Dadang", "giver_institution": "CV Sawargi"},
        ),
        # Javanese: "kalih" (by), "saking" (from), "wonten" (at).
        (
            "nyuwun sewu, wingi kula diparingi batik kalih Bu Endang saking dinas pariwisata "
            "wonten pendopo kabupaten",
            {"description": "batik", "received_place": "pendopo kabupaten"},
        ),
        ("dipasihan artos 500 rebu ku pa RT kamari di bumi", {"giver_position": "Ketua RT"}),
    ],
)
def test_javanese_and_sundanese_stories(story: str, expected: dict[str, str]) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


def test_the_reason_ends_where_the_reporter_goes_on() -> None:
    found = read(
        "jadi gini pak ceritanya, kemarin itu sy lagi di rumah trus ada tamu namanya pak Rudi "
        "ngakunya dari pt bangun persada, dia bawa amplop coklat tebel, katanya buat uang rokok, "
        "sy ga buka tp kayaknya isinya 5 jutaan, sy bilang ga usah pak tp dia maksa, akhirnya "
        "sy terima dan skrg msh sy simpen"
    )
    assert found["reason"] == "buat uang rokok"
    assert found["value_rp"].value == 5_000_000
    assert found["report_type"] == "penerimaan"
    assert found["object_location"] == "disimpan_pelapor"


def test_a_cashback_is_what_was_given_not_the_motorbike_bought() -> None:
    found = read("sy dpt cashback 200rb dr dealer motor wkt beli motor dinas kmrn")
    assert found["description"] == "cashback"
    assert found.get("object_type") != "barang"


@pytest.mark.parametrize(
    ("story", "description"),
    [
        (
            "selamat siang, sy mau lapor gratifikasi. tgl 2 des td pagi sy menerima parsel natal "
            "dari PT. Sumber Alam Lestari yg diantar kurirnya ke kantor. isinya wine 1 botol, "
            "coklat, kue kering. perkiraan harga 1 juta. parsel masih di meja sy",
            "parsel natal, isi wine 1 botol, coklat, kue kering",
        ),
        (
            "sebelum lebaran kmrn ada pak RW ngasih parsel ke rumah, isinya sirup, biskuit, gula, "
            "kopi, sekitar 250rb an",
            "parsel, isi sirup, biskuit, gula, kopi",
        ),
        (
            "bawahan sy ngirim parsel ke rmh isi sirup, biskuit, kurma. kira2 350rb",
            ("parsel isi sirup, biskuit, kurma"),
        ),
        # The list ends where the story goes on.
        ("dpt parsel isinya sirup, sy simpan di rumah", "parsel isinya sirup"),
        (
            "bu Hj Nurjanah ngasih parsel isi kue kering sama sirup di rumah, tgl 28",
            ("parsel isi kue kering sama sirup"),
        ),
    ],
)
def test_a_parcels_content_typed_as_a_list(story: str, description: str) -> None:
    assert read(story)["description"] == description


def test_a_person_in_an_eaterys_name_is_not_the_giver() -> None:
    found = read("td siang sy makan bareng vendor di warung sate pak Kumis, dibayarin dia, 85rb")
    assert "giver_name" not in found
    assert found["received_place"] == "warung sate pak Kumis"
    assert found["giver_relation"] == "rekanan"


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (
            "pak Andi (rekanan pengadaan komputer) kirim gojek martabak ke rumah sy semalem",
            {"received_place": "rumah sy", "description": "martabak"},
        ),
        (
            "sy dikasi pinjaman 50jt tanpa bunga sm pak Lukman pengusaha properti, kmrn di "
            "kantornya",
            {"received_place": "kantornya", "giver_name": "Lukman"},
        ),
        (
            "Rabu kemarin, Ibu Dra. Hj. Euis Komariah (Ketua Yayasan Pendidikan Al-Falah) "
            "memberikan cinderamata berupa plakat dan batik kepada saya di Aula Yayasan",
            {
                "description": "cinderamata berupa plakat dan batik",
                "received_place": "Aula Yayasan",
            },
        ),
    ],
)
def test_where_and_what_end_before_the_story_goes_on(story: str, expected: dict[str, str]) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "day"),
    [
        # The day it was handed on or reported is not the day it was received.
        (
            "sy mau lapor, kmrn ada kontraktor nitip amplop di pos satpam, pas sy buka isinya "
            "10jt, lgsg sy serahkan ke inspektorat hari ini",
            "2026-12-01",
        ),
        ("minggu lalu ada rekanan kasih emas 5 gram, baru sempat lapor hari ini", None),
        # "mau lapor" is the wish to report: the day after it is the gift's.
        ("sy mau lapor td pagi dpt parsel dr vendor", "2026-12-02"),
    ],
)
def test_the_day_of_reporting_is_not_the_day_received(story: str, day: str | None) -> None:
    found = read(story).get("received_date")
    assert (found.day.isoformat() if found else None) == day


def test_bilangnya_gives_the_reason_and_a_doctors_name_is_no_post() -> None:
    found = read(
        "kmrn bu dokter Maya dari klinik pratama sehat kasih sy parsel buah di puskesmas, "
        "bilangnya terimakasih udh bantu akreditasi"
    )
    assert found["giver_position"] == "Dokter"
    assert found["reason"] == "terimakasih udh bantu akreditasi"
    assert found["occasion"] == "terima_kasih"  # the accreditation is what was thanked for


def test_the_relative_whose_wedding_it_was_is_not_the_giver() -> None:
    found = read(
        "tgl 28 nov kmrn pas resepsi nikahan adik sy di gedung Sasana Kriya, ada amplop dr PT "
        "Jaya Konstruksi isinya 5jt"
    )
    assert found["giver_relation"] == "rekanan"
    assert found["occasion"] == "pernikahan"


def test_an_address_after_di_is_the_place() -> None:
    found = read(
        "Saya mau lapor tgl 1 Des 2026 saya diberi uang 1.500.000 oleh Sdri. Melati, bendahara "
        "CV Cahaya Baru, di Jl. Ahmad Yani Gg. Mawar No. 3 Kec. Cicendo"
    )
    assert found["received_place"] == "Jl. Ahmad Yani Gg. Mawar No. 3 Kec. Cicendo"
    assert found["giver_name"] == "Melati"


async def test_the_reporters_own_identity_in_the_story_is_kept_and_shown(
    chat: CountingChat,
) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(
        "kmrn dpt parsel dr vendor 500rb. nama sy Budi Santoso NIK 3201014508900001 hp 081234567890"
    )
    assert "• Nama Anda: Budi Santoso" in chat.question
    assert "• NIK Anda: 3201********0001" in chat.question
    assert "• Nomor HP Anda: +6281234567890" in chat.question
    # The NIK typed again at the show-back replaces the first; nothing is refused.
    await chat.send("NIK: 3201014508900002")
    assert "belum saya pahami" not in chat.text
    assert "• NIK Anda: 3201********0002" in chat.question
    await chat.send("benar")
    assert "NIK Anda" not in chat.question  # not asked again


async def test_the_givers_number_in_a_story_is_not_the_reporters(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("kmrn pak Andi dr PT Maju (hp 08129999888) ngasih amplop 1jt di kantor")
    assert "Nomor HP Anda" not in chat.question


@pytest.mark.parametrize(
    ("story", "object_type", "description"),
    [
        # "oleh2" is souvenirs ("oleh" alone is "by"); what they were is listed after a comma.
        (
            "td pak Made ngasih oleh2 dr bali, kaos sm pie susu",
            None,
            "oleh2 dr bali, kaos sm pie susu",
        ),
        # "sama" joins two things given, not only the items of a parcel.
        ("dikasih pisang sesisir sm telor sama warga", "makanan", "pisang sesisir sm telor"),
        # A thing no object word names, joined before one: kept, its kind asked.
        ("rokok 2 slop sama kopi dari pak Kadus", None, "rokok 2 slop sama kopi"),
    ],
)
def test_things_joined_with_sama_are_all_kept(
    story: str, object_type: str | None, description: str
) -> None:
    found = read(story)
    assert found.get("object_type") == object_type
    assert found["description"] == description


@pytest.mark.parametrize(
    ("story", "institution"),
    [
        # "Mas" inside a company's name is part of it, not an honorific.
        ("kemarin dapat parsel dari PT Sinar Mas di kantor", "PT Sinar Mas"),
        # Two companies gave it together: both are kept.
        ("dapat parsel dr PT Bumi Raya sama PT Tirta, nilainya 2 jt", "PT Bumi Raya dan PT Tirta"),
        ("Pak Andi dari PT Maju Jaya kasih parsel", "PT Maju Jaya"),
    ],
)
def test_the_givers_company_is_kept_whole(story: str, institution: str) -> None:
    assert read(story)["giver_institution"] == institution


def story_of(story: str) -> Any:
    return read_story(story, TODAY.date())


def test_which_dollar_and_a_price_of_one_stay_with_the_value() -> None:
    told = (
        "mohon maaf pak, sy lupa lapor, tgl 15 nov kmrn ada pemohon izin kasih 20 dolar singapura"
    )
    assert story_of(told).foreign == "20 dolar singapura"
    # "kaosnya 1 harga 75rb" is the price of one shirt, no total: the value is asked.
    found = story_of("kemaren pak lurah bagi2 kaos sm topi ke staf, kaosnya 1 harga 75rb")
    assert "value_rp" not in found.reading.values
    assert found.unit == (0, 75000)


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # The reporter's own post, told with a word of their own trade or in Sundanese.
        (
            "sy PPK di dinas PUPR, kontraktor pemenang tender ngirim parsel ke rumah, isinya "
            "wine sm coklat, kira2 800rb",
            {"jabatan": "PPK", "unit_kerja": "dinas PUPR", "object_type": "makanan"},
        ),
        (
            "punten, abdi sekdes, kamari warga masihan hayam 2 siki ka bumi",
            {"jabatan": "sekdes", "giver_position": None, "object_type": "makanan"},
        ),
        (
            "sy ASN di kecamatan, tadi malam ada yg nganter kambing ke rumah buat idul adha",
            {"unit_kerja": "kecamatan", "received_place": "rumah", "description": "kambing"},
        ),
        # A patient's husband is the patient's side; "sbg" ends the description.
        (
            "saya bidan desa, senin kmrn suami pasien datang ke rumah bawa beras 10 kg sama "
            "ayam kampung 2 ekor sbg ucapan terima kasih",
            {"giver_relation": "masyarakat", "description": "beras 10 kg sama ayam kampung 2 ekor"},
        ),
        # Credit sent to a phone's number is no phone.
        (
            "sy petugas loket perizinan, pemohon izin usaha ngasih pulsa 100rb ke no hp sy kemarin",
            {"object_type": "voucher_tiket", "jabatan": "petugas loket perizinan"},
        ),
        # "pengusaha hotel" is the giver's trade, no hotel given.
        (
            "pak, sy supir dinas, pas antar bapak ke bandung kemarin dikasih uang 200rb sama "
            "pengusaha hotel",
            {"object_type": "uang", "giver_position": "pengusaha hotel", "occasion": None},
        ),
        ("kemaren pak lurah bagi2 kaos sm topi ke staf", {"giver_position": "Lurah"}),
        (
            "sy operator dapodik, 3 hari lalu kepsek SMP 2 kasih pulsa 50rb",
            {"giver_position": "kepsek", "giver_institution": "SMP 2"},
        ),
        (
            "anak sy dikasih sepeda sama rekanan kantor pas ultahnya minggu lalu",
            {"occasion": "ulang_tahun"},
        ),
        (
            "kmrn dinner sm vendor di resto Sate Khas Senayan, dibayarin semua, kira2 1,5jt",
            {"object_type": "fasilitas", "received_place": "resto Sate Khas Senayan"},
        ),
        (
            "sy nginep di hotel Santika dibayarin PT Jaya Konstruksi",
            {"received_place": "hotel Santika"},
        ),
        (
            "sy PPTK, kontraktor CV Maju Bersama ngasih sarung 2 sama peci 2 pas lebaran kmrn",
            {"description": "sarung 2 sama peci 2", "object_type": "barang"},
        ),
        (
            "sy driver kantor, kemarin tamu dr kementerian kasih tip 100rb",
            {"object_type": "uang", "jabatan": "driver kantor"},
        ),
        # "ceritanya" is no name, and the staff who took it is no giver.
        (
            "gini pak ceritanya, waktu itu sy lg dinas luar jd yg nerima staf sy, parsel dari "
            "PT Telkom isinya minyak goreng sm beras",
            {"giver_name": None, "giver_position": None, "giver_institution": "PT Telkom"},
        ),
        # A mug is of no kind the reader knows: the kind is asked, not "karangan bunga".
        (
            "sy guru honorer, hari guru kmrn dikasih murid2 kado, isinya mug sm bunga",
            {"object_type": None, "description": "kado, isi mug sm bunga"},
        ),
        (
            "pak Joko rekanan katering kasih 2 dus aqua @ 40rb",
            {"description": "2 dus aqua"},
        ),
    ],
)
def test_stories_of_nurses_teachers_drivers_and_procurement(
    story: str, expected: dict[str, str | None]
) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # Whom the message is addressed to is no giver.
        (
            "bpk kepala dinas, sy lapor kmrn terima angpao imlek 888rb dari Koh Ahan pemilik "
            "toko bangunan",
            {"giver_name": "Ahan", "giver_position": "pemilik"},
        ),
        (
            "bu bidan mau lapor, tgl 2 kmrn ada keluarga pasien yg lahiran ngasih kue bolu sm "
            "sarung, gak enak nolak. makasih",
            {"giver_position": None, "giver_relation": "masyarakat", "occasion": None},
        ),
        # Thanks to the bot at the end is no occasion of the gift.
        (
            "Alhamdulillah, kemarin selesai jadi pembicara di workshop Bappeda, dikasih "
            "cenderamata sm honor 1,5jt, makasih bot",
            {"occasion": "kegiatan_resmi"},
        ),
        ("dapat parsel dari vendor sbg terima kasih.", {"occasion": "terima_kasih"}),
        # "katanya dr pemohon ..." says who, not why.
        (
            "ada yg transfer gopay 250rb ke sy td pagi, katanya dr pemohon sertifikat tanah",
            {"reason": None, "giver_relation": "masyarakat"},
        ),
        # Meaning to give it back is not having given it back.
        (
            "dpt transferan 1.500.000 dr CV Sumber Rejeki tgl 2, katanya fee, sy mau balikin",
            {"object_location": None},
        ),
        (
            "jumat kmrn sy dikasih duit 50 ribu sama bapak2 pemohon SIM, udah sy balikin",
            {"object_location": "dikembalikan"},
        ),
    ],
)
def test_greetings_thanks_and_intentions_around_the_story(
    story: str, expected: dict[str, str | None]
) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # "jam tangan" after "dan" is a watch, not a time; "di tempat" is on the spot.
        (
            "Selamat siang. Saya Kepala Seksi Perizinan. Pada hari Senin, 30 November 2026, "
            "pemohon izin lingkungan atas nama Bapak Hendro Wijaya dari PT Alam Lestari "
            "memberikan tas kertas berisi 2 botol parfum dan jam tangan merk Alexandre Christie. "
            "Barang tersebut saya tolak di tempat.",
            {
                "description": "tas kertas berisi 2 botol parfum dan jam tangan merk Alexandre "
                "Christie",
                "received_place": None,
                "report_type": "penolakan",
            },
        ),
        # "Pak sekdes pak," calls the reader; the warga gave.
        (
            "Pak sekdes pak, kemarin sore pas rapat musdes warga kasih 1 karung beras ke kantor "
            "desa buat perangkat",
            {"giver_position": None, "giver_relation": "masyarakat"},
        ),
        # The place ends where the story goes on ("dikasih"); both things paid are kept.
        (
            "kemarin waktu jadi narsum di acara dinkes provinsi dikasih honor 2,5 jt sm uang "
            "transport 500rb, sudah potong pajak",
            {
                "received_place": "acara dinkes provinsi",
                "description": "honor 2,5 jt sm uang transport 500rb",
            },
        ),
        # Who paid is no part of the thing.
        (
            "tgl 28 nov sy dinas ke jakarta, tiket pesawat sm hotel dibayarin PT Nusantara Medika "
            "(vendor alkes), totalnya sktr 4,5jt",
            {"description": "tiket pesawat sm hotel", "giver_institution": "PT Nusantara Medika"},
        ),
        # The amount is no part of the company's name.
        (
            "pas lebaran kmrn dpt thr dr pt sinar mas 2jt, ditransfer ke rek sy",
            {"giver_institution": "PT sinar mas"},
        ),
        (
            "sy staf bappeda, 2 hari lalu konsultan perencana ngasih kaos sm tumbler logo "
            "perusahaan, harganya murah kok paling 100rb",
            {"description": "kaos sm tumbler logo perusahaan", "object_type": "barang"},
        ),
        # "kantor lurah" is a place; the lurah is the reporter.
        (
            "sy lurah, tadi ada warga yg ngurus surat waris ngasih durian 5 biji di kantor lurah",
            {"giver_position": None, "received_place": "kantor lurah"},
        ),
        # Who received it is no giver.
        (
            "kemarin pak kadis dpt karangan bunga dr rekanan, sy ajudannya yg nerima",
            {"giver_position": None, "giver_relation": "rekanan"},
        ),
        (
            "mau lapor nih, sy driver ambulans, kemarin keluarga pasien kasih rokok 1 slop sm kopi "
            "sachet, udah sy bagi ke temen2",
            {"object_location": "habis", "description": "rokok 1 slop sm kopi sachet"},
        ),
        # A souvenir and the fee are two things; a souvenir that is a watch is a watch.
        (
            "kmrn selesai jadi pembicara di workshop Bappeda, dikasih cenderamata sm honor 1,5jt",
            {"object_type": None, "description": "cenderamata sm honor"},
        ),
        (
            "sy menerima cinderamata berupa jam tangan dari Direktur PT Sinar Properti",
            {"object_type": "barang"},
        ),
    ],
)
def test_formal_and_rambling_stories_of_permits_events_and_villages(
    story: str, expected: dict[str, str | None]
) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # Thanks said by the giver is no sign that he received something.
        (
            "pak Budi terima kasih sdh dibantu katanya, trus ngasih amplop 500rb",
            {"giver_name": "Budi", "object_type": "uang"},
        ),
        # Souvenirs with the giver or their origin, then what they were.
        (
            "oleh2 dari pak Budi, bakpia 2 kotak",
            {"giver_name": "Budi", "description": "oleh2, bakpia 2 kotak"},
        ),
        (
            "oleh-oleh dari Jogja berupa bakpia",
            {"description": "oleh-oleh dari Jogja berupa bakpia", "object_type": "makanan"},
        ),
        # Names and the reporter's company are not cut or guessed.
        ("Bu Ani, saya dikasih kue sama dia kemarin", {"giver_name": "Ani"}),
        ("kemarin Ibu Sari dari PT Mas Agung memberi batik", {"giver_institution": "PT Mas Agung"}),
        ("pak Budi sama istrinya ngasih kue ke rumah", {"description": "kue"}),
    ],
)
def test_what_the_new_rules_leave_alone(story: str, expected: dict[str, str | None]) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (
            "dear admin, last week i got a gift voucher 500k from the vendor",
            {"giver_position": None},
        ),
        # Why the content is unknown is no reason for the gift.
        (
            "Pagi pak. Kmrn sy nolak amplop dr pengusaha tambang, dia maksa tp tetap sy tolak. "
            "Isinya ga tau krn ga dibuka",
            {"reason": None, "report_type": "penolakan"},
        ),
        (
            "pas lebaran kmrn rekanan ngirim hampers ke rmh, isinya kue kering 3 toples @ 150rb",
            {"description": "hampers, isi kue kering 3 toples"},
        ),
        # The reporter as the bank's customer: the bank is the relation.
        (
            "kemarin dpt voucher indomaret 3 lembar @100rb dr bank BJB pas acara nasabah prioritas",
            {"giver_relation": "rekanan"},
        ),
        # A post's wife gave; the reporter's wife received: no post, no family relation, and
        # whom it reached kept with the gift.
        (
            "mas, istri sy dikasih tas LV sama istri kepala dinas, kyknya asli, harga 20jtan",
            {
                "giver_position": None,
                "giver_relation": None,
                "description": "tas LV (diterima istri sy)",
            },
        ),
        (
            "kemarin anak sy yg kelas 3 dikasih uang jajan 100rb sm kontraktor",
            {"giver_relation": "rekanan"},
        ),
        # The place ends where the message of the flowers starts; the reason ends at the giver.
        (
            "kmrn ada yg kirim bunga papan ke kantor ucapan selamat atas pelantikan sy, dr PT Wika",
            {
                "received_place": "kantor",
                "reason": "ucapan selamat atas pelantikan sy",
                "giver_institution": "PT Wika",
            },
        ),
    ],
)
def test_greetings_in_english_relatives_and_the_bank_as_giver(
    story: str, expected: dict[str, str | None]
) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # "kmrn lusa" is the day before yesterday (Monday 30 November).
        (
            "kmrn lusa kepala sekolah SMAN 3 ngasih batik 2 potong @ 350rb ke sy pas monev",
            {"received_date": "2026-11-30", "description": "batik 2 potong"},
        ),
        # Javanese "kalih" joins two things as "sama" does.
        (
            "ngapunten, kula guru SD, wingi wali murid maringi gula 2 kilo kalih teh",
            {"description": "gula 2 kilo kalih teh", "jabatan": "guru SD"},
        ),
        # HUT RI is no birthday; the prize of a contest is.
        (
            "kemaren pas HUT RI, panitia 17an kecamatan ngasih sy hadiah lomba kulkas 2 pintu",
            {"occasion": "lomba", "description": "kulkas 2 pintu"},
        ),
    ],
)
def test_javanese_and_the_day_before_yesterday(story: str, expected: dict[str, str]) -> None:
    found = read(story)
    if "received_date" in found:
        found["received_date"] = found["received_date"].day.isoformat()
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "reason"),
    [
        # Why the reporter took or refused it is no reason for the gift.
        ("bu Romlah dr CV Berkah ngasih parsel 400rb di kantor, sy terima krn ga enak nolak", None),
        ("sy tolak krn dari rekanan", None),
        ("vendor ngasih amplop krn proyek selesai, sy terima", "krn proyek selesai"),
    ],
)
def test_why_the_reporter_took_it_is_no_reason_for_the_gift(story: str, reason: str | None) -> None:
    assert read(story).get("reason") == reason


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # Cigarettes and livestock are goods; the sacrifice is Idul Adha's.
        (
            "kmrn dpt rokok 2 slop dr kontraktor, sy taruh di laci",
            {"object_type": "barang", "description": "rokok 2 slop", "giver_relation": "rekanan"},
        ),
        (
            "td malem warga nganter kambing ke rmh buat kurban, sy blm tau hrs gmn",
            {"object_type": "barang", "description": "kambing", "occasion": "hari_raya"},
        ),
        (
            "dpt sapi 1 ekor dr pengusaha pas idul adha kmrn",
            {"object_type": "barang", "description": "sapi 1 ekor", "occasion": "hari_raya"},
        ),
        # Rice and staples are food; a goat's meat too.
        (
            "pemohon izin kasih beras 10 kg sm minyak goreng",
            {"object_type": "makanan", "description": "beras 10 kg sm minyak goreng"},
        ),
        (
            "warga kasih paket sembako pas sy ke lokasi",
            {"object_type": "makanan", "giver_relation": "masyarakat"},
        ),
        ("dikirimin daging kambing 5 kg sm rekanan", {"object_type": "makanan"}),
        # Fuel coupons, phone credit and data are credit ("Voucher/saldo/pulsa").
        (
            "rekanan kasih voucher bensin 500rb wkt sy survei lapangan",
            {"object_type": "voucher_tiket", "description": "voucher bensin", "value_rp": 500000},
        ),
        ("vendor ngasih kupon bbm 1jt", {"object_type": "voucher_tiket", "value_rp": 1000000}),
        (
            "dpt paket data 50rb dr vendor aplikasi",
            {"object_type": "voucher_tiket", "description": "paket data", "value_rp": 50000},
        ),
        # Tickets of every kind go with travel ("Tiket/hotel/perjalanan").
        (
            "rekanan ngasih tiket konser 2 lembar buat sy sm istri",
            {"object_type": "fasilitas", "description": "tiket konser 2 lembar"},
        ),
        (
            "dikasih tiket kereta pp jkt-sby sm kontraktor",
            {"object_type": "fasilitas", "giver_relation": "rekanan"},
        ),
        ("pasien ngasih tiket bioskop 2, katanya makasih", {"object_type": "fasilitas"}),
    ],
)
def test_cigarettes_livestock_staples_fuel_data_and_tickets(
    story: str, expected: dict[str, Any]
) -> None:
    found = read(story)
    if "value_rp" in found:
        found["value_rp"] = found["value_rp"].value
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "value", "description", "object_type"),
    [
        # Each thing's price typed after it: the prices add up, every thing and price kept.
        (
            "kmrn dpt parsel 500rb sama jam tangan 2jt dr pt abadi jam 3 sore",
            2_500_000,
            "parsel 500rb sama jam tangan 2jt",
            None,  # food and a watch: two kinds, asked
        ),
        (
            "dpt parsel kira2 500rb sm jam tangan sktr 2jt dr vendor",
            2_500_000,
            "parsel kira2 500rb sm jam tangan sktr 2jt",
            None,
        ),
        (
            "tgl 5 nov rekanan kasih rokok 300rb + kopi 100rb",
            400_000,
            "rokok 300rb + kopi 100rb",
            None,
        ),
        (
            "abis jd narsum di bappeda dpt honor 1,5jt sm uang transport 300rb",
            1_800_000,
            "honor 1,5jt sm uang transport 300rb",
            "uang",
        ),
        (
            "kain tenun 750rb dan sarung 200rb dari bu camat wkt kunker",
            950_000,
            "kain tenun 750rb dan sarung 200rb",
            "barang",
        ),
        # A total said besides the prices is the value when they add up to it.
        (
            "dikasih batik 750rb sama tas 1,2jt, totalnya 1.950.000",
            1_950_000,
            "batik 750rb sama tas 1,2jt",
            "barang",
        ),
    ],
)
def test_several_priced_things_add_up(
    story: str, value: int, description: str, object_type: str | None
) -> None:
    found = story_of(story)
    values = found.reading.values
    assert values["value_rp"].value == value
    assert values["description"] == description
    assert values.get("object_type") == object_type
    assert sum(found.parts) == value and len(found.parts) == 2
    assert "received_date" not in values or values["received_date"].day.day in (1, 5)


@pytest.mark.parametrize(
    "story",
    [
        "amplop 1jt dan 2jt dr dua vendor",  # no thing named with the second amount
        "dikasih batik 750rb sama tas 1,2jt, totalnya 3jt",  # a total that does not add up
        "amplop isinya antara 2jt sama 3jt",
    ],
)
def test_amounts_that_are_no_list_of_prices_are_asked(story: str) -> None:
    found = story_of(story)
    assert "value_rp" not in found.reading.values and found.several_values


@pytest.mark.parametrize(
    ("story", "description"),
    [
        # A second thing after the price is kept with it.
        ("pas jd narsum dpt honor 3 jt dan plakat dr panitia", "honor 3 jt dan plakat"),
        ("honor 3 jt dan plakat", "honor 3 jt dan plakat"),
        (
            "dikasih amplop 1jt serta sertifikat penghargaan",
            "amplop 1jt serta sertifikat penghargaan",
        ),
        # Not a person, nor the story going on.
        ("dpt amplop 2jt sama pak Budi", "amplop"),
        ("vendor ngasih amplop 2jt dan sy kembalikan", "amplop"),
    ],
)
def test_a_thing_after_a_price_is_kept(story: str, description: str) -> None:
    found = read(story)
    assert found["description"] == description
    assert found["value_rp"].value in (1_000_000, 2_000_000, 3_000_000)


async def test_the_prices_added_up_are_shown_back(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("kmrn rekanan kasih parsel 500rb sama jam tangan 2jt di kantor")
    understood = chat.question
    assert "Rp2.500.000 (dua juta lima ratus ribu rupiah) = Rp500.000 + Rp2.000.000" in understood
    assert "parsel 500rb sama jam tangan 2jt" in understood


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # Given to the reporter's wife while the reporter was away: whom it reached is kept
        # with the gift; the trip is no occasion of the gift and "dikasih" no part of it.
        (
            "amplop dikasih ke istri sy pas sy dinas, dr kontraktor",
            {
                "description": "amplop (diterima istri sy)",
                "giver_relation": "rekanan",
                "occasion": None,
                "giver_position": None,
            },
        ),
        # "krn sy kabid" is the reporter's post, not the giver's.
        (
            "suami sy dikasih hp sama vendor krn sy kabid",
            {
                "description": "hp (diterima suami sy)",
                "jabatan": "kabid",
                "giver_position": None,
                "giver_relation": "rekanan",
            },
        ),
        # The husband's post is his: neither the giver's nor the reporter's.
        (
            "amplop buat suami sy, dia kabid",
            {
                "description": "amplop (untuk suami sy, kabid)",
                "giver_position": None,
                "jabatan": None,
                "giver_relation": None,
            },
        ),
        (
            "suami sy yg kabid di dinkes dikasih jam tangan sm rekanan",
            {
                "description": "jam tangan (diterima suami sy, kabid di dinkes)",
                "giver_position": None,
                "jabatan": None,
                "unit_kerja": None,
            },
        ),
        (
            "amplop 2jt buat istri sy yg guru di SDN 3, dr wali murid",
            {
                "description": "amplop (untuk istri sy, guru di SDN 3)",
                "giver_relation": "masyarakat",
                "jabatan": None,
                "giver_institution": None,
            },
        ),
        (
            "kmrn kontraktor nitip amplop ke anak sy di rumah, sy lg dinas luar",
            {"description": "amplop (diterima anak sy)", "giver_relation": "rekanan"},
        ),
        (
            "bapak sy dpt kiriman parsel dr vendor kantor sy",
            {"description": "parsel (diterima bapak sy)", "giver_relation": "rekanan"},
        ),
        # The reporter's relative who gave is the giver, no receiver.
        (
            "mertua sy ngasih kado ultah",
            {"description": "kado ultah", "giver_relation": "keluarga"},
        ),
    ],
)
def test_a_gift_to_the_reporters_family(story: str, expected: dict[str, Any]) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


async def test_whom_it_reached_is_shown_back(chat: CountingChat) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send("kmrn amplop dikasih ke istri sy pas sy dinas, dr kontraktor")
    understood = chat.question
    assert "amplop (diterima istri sy)" in understood
    assert "Jabatan pemberi" not in understood


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # Handed back on the spot is a refusal.
        (
            "sy staf perizinan, pemohon IMB ngasih amplop 300rb pas ambil SK, sy kembalikan saat "
            "itu jg",
            {"report_type": "penolakan", "object_type": "uang", "jabatan": "staf perizinan"},
        ),
        # Money for cigarettes is money; credit sent to a phone is no phone.
        (
            "sy sopir kadis, dikasih uang rokok 100rb sm tamu dr kementerian",
            {"object_type": "uang", "description": "uang rokok"},
        ),
        (
            "tgl 1 des rekanan kirim pulsa 200rb ke hp sy, gatau buat apa",
            {"object_type": "voucher_tiket", "description": "pulsa"},
        ),
        # "buat makasih udh dirawat" is the reason, and the occasion is thanks, no illness.
        (
            "sy perawat di puskesmas, keluarga pasien kasih kue bolu 2 kotak buat makasih udh "
            "dirawat",
            {"occasion": "terima_kasih", "reason": "buat makasih udh dirawat"},
        ),
        # "yg sekarang kontraktor" names no day.
        (
            "temen sekolah sy yg sekarang kontraktor ngasih jam tangan seiko wkt reuni",
            {"received_date": None, "description": "jam tangan seiko"},
        ),
        # Meant to be returned is not returned yet.
        (
            "rekanan proyek irigasi transfer 10jt ke rek sy tanpa bilang apa2, mau sy kembalikan",
            {"object_location": None, "giver_relation": "rekanan"},
        ),
        # The staff it was eaten with gave nothing.
        (
            "pasien poli gigi ngasih buah durian 3 biji, udh dimakan bareng staf",
            {"giver_position": None, "object_location": "habis"},
        ),
        # The reason ends where the sender is named.
        (
            "kmrn ada kiriman karangan bunga ucapan selamat pelantikan dr CV Maju, di kantor",
            {"reason": "ucapan selamat pelantikan", "giver_institution": "CV Maju"},
        ),
        # What a gift was, listed after a comma, keeps its first word.
        (
            "teman kantor sy ngasih kado pernikahan sy, set panci, kira2 600rb",
            {"description": "kado pernikahan sy, set panci", "object_type": "barang"},
        ),
    ],
)
def test_misreads_found_in_one_message_stories(story: str, expected: dict[str, Any]) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (
            "dpt transferan 5jt dr pemenang tender tgl 15, blm sy apa2in",
            {"object_type": "uang", "giver_relation": "rekanan"},
        ),
        (
            "tmn kuliah sy kasih kado ultah parfum 1,5jt, dia ga ada urusan kerjaan",
            {"giver_relation": "lainnya"},
        ),
        # A count in heads or pieces stays with the thing.
        (
            "saya camat, warga desa ngasih 2 ekor kambing pas idul adha kmrn dulu, sdh dipotong "
            "dibagi ke warga",
            {"description": "2 ekor kambing", "object_location": "bantuan_sosial"},
        ),
        (
            "kmrn jam 10 vendor ngasih parsel 750rb sm batik 2 potong 400rb",
            {"description": "parsel 750rb sm batik 2 potong 400rb", "object_type": None},
        ),
    ],
)
def test_transfers_tender_winners_school_friends_and_counts(
    story: str, expected: dict[str, Any]
) -> None:
    found = read(story)
    assert {key: found.get(key) for key in expected} == expected
    assert story_of("kmrn jam 10 vendor ngasih parsel 750rb sm batik 2 potong 400rb").parts == (
        750_000,
        400_000,
    )


def test_bills_counted_after_their_price_are_multiplied() -> None:
    # "50rb 10 lembar" is ten bills of 50rb, never Rp50.010.
    found = story_of("jam 9 td pagi pemohon ijin usaha ngasih amplop isi 50rb 10 lembar")
    assert found.reading.values["value_rp"].value == 500_000
    assert found.unit == (10, 50_000)
    assert found.reading.values["description"] == "amplop isi 50rb 10 lembar"


def test_a_giver_nobody_knows_typed_glued() -> None:
    found = read("kemaren ada yg naruh beras 2 karung di depan rumah, gatau dr siapa")
    assert found["giver_name"] is None and found["giver_relation"] is None
    assert found["description"] == "beras 2 karung"


@pytest.mark.parametrize(
    ("story", "value", "day"),
    [
        ("17 nov vendor kasih jam tangan 2jt dan parsel 500 rb jam 10an", 2_500_000, 17),
        ("kmrn jam 14.30 dikasih honor 1.500.000 dan plakat", 1_500_000, 1),
        ("2/12 rekanan ngasih parsel 300rb + kue 150rb", 450_000, 2),
        ("tgl 5 dpt parsel 500rb sama jam tangan 2jt", 2_500_000, 5),
    ],
)
def test_prices_beside_dates_and_times(story: str, value: int, day: int) -> None:
    # A date's or a clock's numbers are no price, nor the watch ("jam tangan") a time.
    found = read(story)
    assert found["value_rp"].value == value
    assert found["received_date"].day.day == day
