"""Raising a bribery concern in the chat, anonymously or not, and following it up by its code.

Runs the real dispatcher, store and database (memory + SQLite), as a sender would type.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from bot.crypto import Cipher
from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.messages import Attachment
from bot.sessions import MemorySessionStore
from bot.store import concerns as concern_store
from bot.store.attachments import LocalBlobStore
from bot.store.concerns import SqlConcerns, box_of, open_doc
from bot.store.database import Database
from bot.store.models import Base, CodeAttempt, Concern, ConcernFile
from handlers import concern_story as story_words
from handlers import concern_terms
from handlers.ask import NoFaq
from handlers.context import Services
from handlers.ports import Policy
from tests.driver import ChatDriver
from tests.handlers.declaration_script import JAKARTA, Clock

CODE = re.compile(r"Kode laporan: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")
STORY = (
    "Kasi perizinan di DPMPTSP minta uang 5 juta supaya izin usaha saya cepat keluar. "
    "Dia bilang lewat WA, lalu ditagih lagi di kantornya"
)


@pytest.fixture
def cipher() -> Cipher:
    return Cipher(Fernet.generate_key())


@pytest.fixture
def concerns(database: Database, cipher: Cipher, tmp_path: Path) -> SqlConcerns:
    return SqlConcerns(database, cipher, LocalBlobStore(tmp_path / "files"), max_bytes=10**6)


@pytest.fixture
def dispatcher(concerns: SqlConcerns) -> Dispatcher:
    services = Services(
        policy=Policy(timezone=JAKARTA, calendar=work_calendar()),
        faq=NoFaq(),
        concerns=concerns,
    )
    clock = Clock(datetime(2026, 12, 2, 9, tzinfo=JAKARTA))
    return Dispatcher(MemorySessionStore(), services, clock=clock, flood_max_messages=1000)


@pytest.fixture
async def sender(dispatcher: Dispatcher) -> AsyncIterator[ChatDriver]:
    yield ChatDriver(dispatcher, user_id="6281299990000", channel="whatsapp")


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF says where it was taken (GPS) and with which phone."""
    picture = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SenderPhoneMaker"  # Make
    exif[0x0110] = "Model-X-Budi"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 54.0, 1.0)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (107.0, 36.0, 2.0)
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo(data: bytes) -> Attachment:
    async def download() -> bytes:
        return data

    return Attachment(
        kind="photo", name="IMG_budi_rumah.jpg", mime_type="image/jpeg", download=download
    )


async def submit_anonymously(chat: ChatDriver, *, evidence: bytes | None = None) -> str:
    """Tells a story, sends evidence, stays anonymous, and returns the receipt code."""
    await chat.send("lapor dugaan suap")
    await chat.press("aduan:baru")
    await chat.send(STORY + " hari Senin kemarin.")
    assert "Bagaimana Anda mengetahuinya?" in chat.text  # the story said when: not asked
    await chat.press("aduan:how:alami")
    if evidence is not None:
        await chat.send("", attachments=(photo(evidence),))
        assert "Bukti diterima (1 berkas)" in chat.text
    await chat.send("udah, lanjut")
    assert "mencantumkan identitas" in chat.text
    await chat.send("anonim aja")
    assert "Identitas: tanpa identitas (anonim)" in chat.text
    await chat.send("ya kirim")
    found = CODE.search(chat.text)
    assert found, chat.text
    return found.group(1)


async def all_rows(database: Database) -> str:
    """Every value of every table, as one text to search."""
    values: list[str] = []
    async with database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in (await conn.execute(text(f'SELECT * FROM "{table.name}"'))).all():
                values.extend(str(v) for v in row)
    return "\n".join(values)


async def test_anonymous_concern_stores_nothing_that_names_the_sender(
    sender: ChatDriver, database: Database, dispatcher: Dispatcher, cipher: Cipher
) -> None:
    code = await submit_anonymously(sender, evidence=jpeg_with_gps())
    assert "Nomor: ADU-2026-000001" in sender.text
    assert "hanya ditampilkan sekali" in sender.text
    stored = await all_rows(database)
    # No sender identifier, no receipt code, no story in clear anywhere in the database.
    for secret in ("6281299990000", "whatsapp:", code, code.replace("-", ""), "DPMPTSP"):
        assert secret not in stored
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
        (evidence,) = (await session.execute(select(ConcernFile))).scalars().all()
    assert concern.anonymous and concern.identity_enc is None
    assert re.fullmatch(r"[0-9a-f]{64}", concern.code_hash)
    story = open_doc(box_of(cipher, concern), concern.story_enc)
    assert story["what"].startswith("Kasi perizinan") and story["how"] == "mengalami sendiri"
    # The session keeps nothing of the concern (its draft, key and files are gone), and is
    # kept the store's usual time again (an hour while the concern was being told).
    session_doc = await dispatcher.store.load("whatsapp:6281299990000")
    assert session_doc is not None and session_doc.flow is None and session_doc.data == {}
    assert session_doc.keep_seconds is None
    assert "DPMPTSP" not in session_doc.dumps() and code not in session_doc.dumps()
    assert evidence.mime_type == "image/jpeg"


async def test_photo_evidence_loses_its_gps_and_camera(
    sender: ChatDriver, database: Database, concerns: SqlConcerns, cipher: Cipher
) -> None:
    await submit_anonymously(sender, evidence=jpeg_with_gps())
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
        (row,) = (await session.execute(select(ConcernFile))).scalars().all()
    encrypted = await concerns.blobs.get(row.storage_key)
    assert b"Model-X-Budi" not in encrypted  # encrypted on disk
    clean = box_of(cipher, concern).decrypt(encrypted)
    with Image.open(io.BytesIO(clean)) as picture:
        assert picture.size == (40, 30)
        assert not picture.getexif()
        assert "exif" not in picture.info
    assert b"Model-X-Budi" not in clean and b"SenderPhoneMaker" not in clean


async def test_the_code_opens_the_concern_from_another_chat_account(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database
) -> None:
    code = await submit_anonymously(sender)
    other = ChatDriver(dispatcher, user_id="777001", channel="telegram")
    await other.send(f"mau cek laporan, kode saya {code}")
    assert "Laporan ADU-2026-000001" in other.text and "Status: Diterima" in other.text
    await other.send("Saya masih simpan tangkapan layar chat WA-nya")
    assert "Keterangan Anda sudah kami tambahkan." in other.text
    await other.send("", attachments=(photo(jpeg_with_gps()),))
    assert "Bukti diterima (1 berkas)" in other.text
    await other.press("aduan:selesai")
    # Typed later with spaces and lower case: the same concern, with the sender's message.
    await other.send(code.lower().replace("-", " "))
    assert "Laporan ADU-2026-000001" in other.text
    assert "“Saya masih simpan tangkapan layar chat WA-nya”" in other.text
    assert "Bukti: 1 berkas" in other.text
    assert "777001" not in await all_rows(database)


async def test_identity_is_kept_only_encrypted(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(STORY + ", awal November 2026.")
    await sender.press("aduan:how:lihat")
    await sender.press("aduan:files:done")
    await sender.send("apakah identitas saya aman?")
    # This channel's own answer (the FAQ's is about self-reports), then the same question.
    assert "terenkripsi dan dirahasiakan" in sender.text
    assert sender.text.endswith("dapat menghubungi Anda, dan identitas itu tetap dirahasiakan."), (
        sender.text
    )
    await sender.send("boleh, cantumkan")
    await sender.send("Rina Marlina")
    await sender.send("0812 3456 7890")
    assert "Identitas: Rina Marlina, 0812 3456 7890 (dirahasiakan)" in sender.text
    await sender.press("aduan:kirim")
    stored = await all_rows(database)
    assert "Rina" not in stored and "3456" not in stored
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    assert not concern.anonymous
    identity = open_doc(box_of(cipher, concern), concern.identity_enc)
    assert identity == {"name": "Rina Marlina", "contact": "0812 3456 7890"}


async def told_up_to_the_evidence(chat: ChatDriver) -> None:
    await chat.send("mau lapor dugaan suap")
    await chat.press("aduan:baru")
    await chat.send(STORY + ", awal November 2026.")
    await chat.send("sy liat sendiri")
    assert "Ada foto atau dokumen bukti?" in chat.text


@pytest.mark.parametrize(
    "typed",
    [
        "anonim saja",
        "Anonim aja",
        "ga usah pakai nama",
        "rahasiakan nama saya",
        "tdk mau sebut nama",
    ],
)
async def test_anonymous_typed_at_the_evidence_question_answers_the_identity_one(
    sender: ChatDriver, database: Database, typed: str
) -> None:
    await told_up_to_the_evidence(sender)
    await sender.send(typed)
    # Not asked again: the summary shows it goes without a name.
    assert "Apakah Anda ingin mencantumkan identitas?" not in sender.text
    assert "tanpa identitas (anonim)" in sender.text
    assert "Identitas: tanpa identitas (anonim)" in sender.text
    assert "Bukti: 0 berkas" in sender.text and "Kirim laporan ini?" in sender.text
    await sender.send("ya kirim")
    assert CODE.search(sender.text), sender.text
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    assert concern.anonymous and concern.identity_enc is None


async def test_anonymous_typed_with_a_photo_keeps_both(
    sender: ChatDriver, database: Database
) -> None:
    await told_up_to_the_evidence(sender)
    await sender.send("ini fotonya, anonim aja ya", attachments=(photo(jpeg_with_gps()),))
    assert "Bukti diterima (1 berkas)" in sender.text and "tanpa identitas" in sender.text
    await sender.send("udah itu aja")
    assert "Identitas: tanpa identitas (anonim)" in sender.text
    assert "Bukti: 1 berkas" in sender.text
    # A change of mind at the summary: the name is asked after all.
    await sender.send("eh cantumkan identitas saya deh")
    assert "Siapa nama Anda?" in sender.text
    await sender.send("Rina Marlina")
    await sender.send("-")
    assert "Identitas: Rina Marlina (dirahasiakan)" in sender.text
    await sender.press("aduan:kirim")
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    assert not concern.anonymous


async def test_no_evidence_typed_at_the_evidence_question_still_asks_the_identity(
    sender: ChatDriver,
) -> None:
    await told_up_to_the_evidence(sender)
    await sender.send("ga usah, ga ada bukti")
    assert "Apakah Anda ingin mencantumkan identitas?" in sender.text
    await sender.send("tidak mau sebut nama")
    assert "Identitas: tanpa identitas (anonim)" in sender.text


async def test_a_short_story_and_a_missing_date_are_asked_again(sender: ChatDriver) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("ada pungli")
    assert "terlalu singkat" in sender.text and "Ceritakan apa yang terjadi" in sender.text
    assert len(sender.last) == 1  # one message: the reason and the question again
    await sender.send("Petugas loket meminta uang pelicin kepada warga yang mengurus KTP")
    assert "Kapan kira-kira kejadiannya?" in sender.text
    await sender.press("aduan:when:unknown")
    assert "Bagaimana Anda mengetahuinya?" in sender.text


async def test_wrong_codes_lock_the_chat_with_the_wait_in_words(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database
) -> None:
    code = await submit_anonymously(sender)
    guesser = ChatDriver(dispatcher, user_id="999", channel="telegram")
    for _ in range(concern_store.CHAT_ATTEMPTS):
        await guesser.send("AAAA-BBBB-CCCC-DDDD")
    assert "coba lagi dalam" in guesser.text.lower() and "menit" in guesser.text
    # Locked: even the right code waits now, and nothing of the concern is shown.
    await guesser.send(code)
    assert "Laporan ADU" not in guesser.text and "menit" in guesser.text
    # Another chat is not locked by this one's guesses.
    friend = ChatDriver(dispatcher, user_id="1000", channel="telegram")
    await friend.send(code)
    assert "Laporan ADU-2026-000001" in friend.text
    async with database.sessions() as session:
        buckets = (await session.execute(select(CodeAttempt.bucket))).scalars().all()
    assert len(buckets) == concern_store.CHAT_ATTEMPTS
    assert all("999" not in b for b in buckets)


async def test_too_many_wrong_codes_overall_lock_every_chat(
    sender: ChatDriver, dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await submit_anonymously(sender)
    monkeypatch.setattr(concern_store, "ALL_ATTEMPTS", 3)
    for n in range(3):
        await ChatDriver(dispatcher, user_id=f"bot{n}", channel="telegram").send(
            "AAAA-BBBB-CCCC-DDDD"
        )
    honest = ChatDriver(dispatcher, user_id="honest", channel="telegram")
    await honest.send(code)
    assert "Terlalu banyak kode yang salah" in honest.text and "Laporan ADU" not in honest.text


async def test_a_typed_nik_or_sentence_is_not_taken_for_a_code(sender: ChatDriver) -> None:
    await sender.send("3201011505900001")
    assert "Kode itu" not in sender.text
    await sender.send("/aduan")
    await sender.press("aduan:kode")
    await sender.send("ini kodenya 7KQM 2XRT 9PHD")  # a group left out
    assert "kode itu belum lengkap" in sender.text and "7KQM-2XRT-9PHD-W4HF" in sender.text
    await sender.send("kode saya lupa")  # said plainly: no code, and a way on without it
    assert "Tanpa kode, laporan lama tidak dapat dibuka" in sender.text
    assert "aduan:baru" in sender.choice_ids


async def test_a_code_typed_in_a_sentence_opens_the_concern_and_keeps_the_rest(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database, cipher: Cipher
) -> None:
    code = await submit_anonymously(sender)
    other = ChatDriver(dispatcher, user_id="555", channel="telegram")
    # Lowercase, in groups with spaces, inside a sentence: it was taken for a question.
    await other.send(f"kode saya {code.lower().replace('-', ' ')}")
    assert "Laporan ADU-2026-000001" in other.text and "Status: Diterima" in other.text
    # The chat holds the code while it follows up: for an hour unused, not the store's week.
    following = await dispatcher.store.load("telegram:555")
    assert following is not None and following.keep_seconds == 3600
    # Typed again with a remark: the view again, the remark kept, the code never stored.
    await other.send(f"ini kode laporan saya: {code}, nama pemohonnya Pak Joko dari CV Makmur")
    assert "Keterangan Anda sudah kami tambahkan" in other.text
    await other.send(code)
    assert "Laporan ADU-2026-000001" in other.text
    async with database.sessions() as session:
        concern = (
            await session.execute(select(Concern).options(selectinload(Concern.messages)))
        ).scalar_one()
    box = box_of(cipher, concern)
    notes = [concern_store.open_text(box, m.body_enc) for m in concern.messages]
    assert notes == ["nama pemohonnya Pak Joko dari CV Makmur"], notes
    # A NIK or a sentence of four-letter words is no code.
    assert concern_terms.code_in("nik saya 3273014506920004") is None
    assert concern_terms.code_in("mana saya beri kata") is None


async def test_a_request_to_check_typed_around_the_code_is_not_kept_as_a_remark(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database, cipher: Cipher
) -> None:
    """Found by hand: "mau cek laporan saya kodenya ... gimana ya" opened the concern and
    stored "mau cek laporan saya kodenya gimana ya" as the sender's new information."""
    code = await submit_anonymously(sender)
    other = ChatDriver(dispatcher, user_id="556", channel="telegram")
    await other.send(f"mau cek laporan saya kodenya {code} gimana ya")
    assert "Laporan ADU-2026-000001" in other.text
    assert "Keterangan Anda sudah kami tambahkan" not in other.text
    again = ChatDriver(dispatcher, user_id="557", channel="telegram")
    await again.send(f"{code.lower()} udah sampai mana ya tindak lanjutnya kak?")
    assert "Laporan ADU-2026-000001" in again.text
    assert "Keterangan Anda sudah kami tambahkan" not in again.text
    # What does say something is still kept.
    await again.send(f"{code} pelakunya juga minta uang ke kontraktor lain")
    assert "Keterangan Anda sudah kami tambahkan" in again.text
    async with database.sessions() as session:
        concern = (
            await session.execute(select(Concern).options(selectinload(Concern.messages)))
        ).scalar_one()
    box = box_of(cipher, concern)
    notes = [concern_store.open_text(box, m.body_enc) for m in concern.messages]
    assert notes == ["pelakunya juga minta uang ke kontraktor lain"], notes


async def test_a_story_typed_instead_of_a_button_starts_the_concern(sender: ChatDriver) -> None:
    await sender.send("pak mau lapor dugaan suap")
    await sender.send(
        "kasi di kantor kami minta setoran 10% dr tiap pencairan dana kegiatan ke kontraktor"
    )
    assert "Silakan pilih salah satu tombol" not in sender.text
    assert "Kapan" in sender.text or "Bagaimana Anda mengetahuinya?" in sender.text


@pytest.mark.parametrize(
    "typed",
    [
        "mau lapor dugaan suap, kabid kami minta fee 10% ke semua rekanan proyek jalan",
        "assalamualaikum pak, sy mau lapor pungli di loket samsat, tiap urus stnk ditarik 50rb",
        "saya ingin melaporkan kepala sekolah yg minta setoran dr dana bos ke tiap guru honorer",
    ],
)
async def test_a_wish_to_report_a_bribe_with_its_story_starts_a_concern_with_it(
    sender: ChatDriver, typed: str
) -> None:
    await sender.send(typed)
    assert "Lapor dugaan suap" in sender.text and "cerita laporan dugaan suap" in sender.text
    assert "pemberitahuan data pribadi" not in sender.text  # not the gift declaration
    # The story's next missing fact is asked; "pak" greeting the bot ("assalamualaikum pak,
    # sy mau lapor") names nobody involved (it was shown back as "yang terlibat pak sy").
    asked = ("Siapa yang terlibat?", "Kapan", "Bagaimana Anda mengetahuinya?")
    assert any(question in sender.text for question in asked)
    assert "pak sy" not in sender.text


async def test_a_bribe_offered_to_the_reporter_stays_a_gift_declaration(
    sender: ChatDriver,
) -> None:
    await sender.send("mau lapor, kemarin sy ditawari uang suap 5 juta sm kontraktor tp sy tolak")
    assert "cerita laporan dugaan suap" not in sender.text
    assert "laporan gratifikasi" in sender.text


# --- a sender never has to learn the bot's words ----------------------------------------------

KABID = (
    "kabid di dinas kami minta fee 10 persen dari tiap rekanan yg menang tender, "
    "sy denger langsung pas rapat"
)


async def stored_concern(database: Database, cipher: Cipher) -> dict[str, str]:
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    story: dict[str, str] = open_doc(box_of(cipher, concern), concern.story_enc)
    return story


async def test_a_story_that_says_when_and_how_is_shown_back_and_not_asked_again(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    # Found by hand: "sy denger langsung pas rapat" still got "Bagaimana Anda mengetahuinya?",
    # and "bulan lalu" was not kept as the time at all.
    await sender.send("lapor dugaan suap")
    await sender.press("aduan:baru")
    await sender.send(KABID + " bulan lalu")
    assert "Bagaimana Anda mengetahuinya?" not in sender.text
    assert "Kapan kira-kira" not in sender.text
    assert (
        "Saya catat: yang terlibat kabid; waktu sekitar November 2026; Anda mendengar langsung."
        in sender.text
    )
    assert "Ada foto atau dokumen bukti?" in sender.text
    await sender.send("ga ada")
    await sender.send("anonim aja")
    assert "Waktu: sekitar November 2026" in sender.text
    assert "Cara mengetahui: mendengar langsung" in sender.text
    await sender.send("kirim")
    assert CODE.search(sender.text), sender.text
    story = await stored_concern(database, cipher)
    assert story["when"] == "sekitar November 2026" and story["how"] == "mendengar langsung"
    assert story["who"] == "kabid" and story["what"].startswith("kabid di dinas kami")
    # Still nothing of the story in clear in the database.
    assert "rekanan" not in await all_rows(database)


async def test_only_the_missing_time_is_asked_and_a_month_is_read(sender: ChatDriver) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(KABID)
    assert "Saya catat: yang terlibat kabid; Anda mendengar langsung." in sender.text
    assert "Kapan kira-kira kejadiannya?" in sender.text
    await sender.send("oktober kemarin")
    assert "Saya catat: waktu sekitar Oktober 2026." in sender.text
    assert "Ada foto atau dokumen bukti?" in sender.text  # how was in the story


async def test_a_hedged_time_is_an_answer_not_a_question(sender: ChatDriver) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(KABID)
    await sender.send("kalau ga salah awal bulan lalu")
    assert "Saya catat: waktu sekitar awal November 2026." in sender.text


async def story_without_how(chat: ChatDriver) -> None:
    await chat.send("/aduan")
    await chat.press("aduan:baru")
    await chat.send("bendahara dinas motong honor kegiatan 15% buat setoran ke atasan, tgl 20 nov")
    assert "Bagaimana Anda mengetahuinya?" in chat.text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("sy liat sendiri", "Anda melihat langsung"),
        ("dgr dr temen", "Anda mendengar dari orang lain"),
        ("ada buktinya di grup wa", "Anda mengetahuinya dari dokumen atau bukti"),
        ("ngalamin sendiri", "Anda mengalami sendiri"),
        ("saya sendiri yg dimintain pak", "Anda mengalami sendiri"),
        ("aku weruh dewe", "Anda melihat langsung"),
        ("kuring ningali sorangan", "Anda melihat langsung"),
    ],
)
async def test_how_typed_in_everyday_words_is_read(
    sender: ChatDriver, typed: str, read: str
) -> None:
    await story_without_how(sender)
    await sender.send(typed)
    assert f"Saya catat: {read}." in sender.text
    assert "Ada foto atau dokumen bukti?" in sender.text


async def test_how_that_cannot_be_read_is_asked_again_with_an_example(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await story_without_how(sender)
    await sender.send("hmm")
    assert "belum terbaca bagaimana Anda mengetahuinya" in sender.text
    assert '"saya lihat sendiri"' in sender.text and "Bagaimana Anda mengetahuinya?" in sender.text
    # Their own words, when they say more, are kept as they typed them.
    await sender.send("semua staf di bidang itu juga tau soal potongan ini")
    assert "Ada foto atau dokumen bukti?" in sender.text
    await sender.send("belum ada")
    await sender.send("rahasiain ya")
    await sender.send("udah bener")
    story = await stored_concern(database, cipher)
    assert story["how"] == "semua staf di bidang itu juga tau soal potongan ini"
    assert story["when"] == "Jumat, 20 November 2026"


async def test_a_question_mid_flow_is_answered_and_the_same_step_asked_again(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    # At the story: answered, and not kept as the story.
    await sender.send("kalau anonim bisa dilacak ga?")
    assert "tanpa catatan siapa pengirimnya" in sender.text
    assert "Ceritakan apa yang terjadi" in sender.text
    await sender.send("bendahara dinas motong honor kegiatan 15% buat setoran ke atasan")
    assert "Kapan kira-kira kejadiannya?" in sender.text
    await sender.send("kalau ga inget tanggalnya gmn?")
    assert "Perkiraan pun boleh" in sender.text and "Kapan kira-kira kejadiannya?" in sender.text
    await sender.send("tahun lalu")
    await sender.send("kalau anonim bisa dilacak ga?")
    assert "tanpa catatan siapa pengirimnya" in sender.text
    assert sender.text.endswith("Bagaimana Anda mengetahuinya?")
    await sender.send("sy liat sendiri")
    await sender.send("kalo ga ada bukti gpp?")
    assert "Bukti tidak wajib" in sender.text and "Ada foto atau dokumen bukti?" in sender.text
    await sender.send("ga ada")
    await sender.send("siapa yg baca laporan ini?")
    assert "hanya dibaca fungsi kepatuhan" in sender.text
    assert "Apakah Anda ingin mencantumkan identitas?" in sender.text
    await sender.send("nanti sy dipecat ga?")
    assert "dilindungi dari pembalasan" in sender.text
    # The clause numbering of the 2016 edition: the 2025 edition's is not confirmed.
    assert "(SNI ISO 37001:2016 klausul 8.9)" in sender.text
    await sender.send("anonim")
    await sender.send("abis ini diapain laporannya?")
    assert "Fungsi kepatuhan menilai laporan" in sender.text and "Kirim laporan ini?" in sender.text
    await sender.send("ok kirim")
    assert CODE.search(sender.text), sender.text
    story = await stored_concern(database, cipher)
    assert story["what"] == "bendahara dinas motong honor kegiatan 15% buat setoran ke atasan"
    assert story["when"] == "sekitar tahun 2025"


async def told_up_to_the_files(chat: ChatDriver) -> None:
    await chat.send("/aduan")
    await chat.press("aduan:baru")
    await chat.send(KABID + " oktober kemarin")
    assert "Ada foto atau dokumen bukti?" in chat.text


@pytest.mark.parametrize("typed", ["ga ada", "gak ada bukti pak", "udah semua", "tidak ada"])
async def test_no_evidence_or_all_of_it_goes_on_to_the_identity(
    sender: ChatDriver, typed: str
) -> None:
    await told_up_to_the_files(sender)
    await sender.send(typed)
    assert "Apakah Anda ingin mencantumkan identitas?" in sender.text


async def test_evidence_promised_for_later_is_explained_and_more_story_is_kept(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await told_up_to_the_files(sender)
    # More of the story typed at the evidence question: added to it, never lost.
    await sender.send("oh iya, dia juga minta jatah ke PPK proyek jalan")
    assert "kami tambahkan ke cerita Anda" in sender.text
    assert "Ada foto atau dokumen bukti?" in sender.text
    await sender.send("nanti sy kirim")
    assert "Bukti dapat Anda kirim nanti" in sender.text and "ketik kode" in sender.text
    assert "Apakah Anda ingin mencantumkan identitas?" in sender.text
    await sender.send("anonim aja")
    assert "dia juga minta jatah ke PPK" in sender.text
    await sender.send("kirim")
    story = await stored_concern(database, cipher)
    assert story["what"].endswith("\noh iya, dia juga minta jatah ke PPK proyek jalan")


@pytest.mark.parametrize("typed", ["anonim aja", "rahasiain ya", "ga usah pake nama"])
async def test_anonymity_typed_in_everyday_words(sender: ChatDriver, typed: str) -> None:
    await told_up_to_the_files(sender)
    await sender.send("ga ada")
    await sender.send(typed)
    assert "Identitas: tanpa identitas (anonim)" in sender.text


async def test_a_name_typed_in_everyday_words_is_asked_and_kept_encrypted(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await told_up_to_the_files(sender)
    await sender.send("ga ada")
    await sender.send("hmm gimana ya")
    assert "Apakah Anda ingin mencantumkan identitas?" in sender.text
    await sender.send("entah")
    assert '"anonim"' in sender.text and '"pakai nama saya"' in sender.text
    await sender.send("gpp pake nama sy")
    assert "Siapa nama Anda?" in sender.text
    await sender.send("Dedi Kurniawan")
    await sender.send("-")
    assert "Identitas: Dedi Kurniawan (dirahasiakan)" in sender.text
    await sender.send("udah bener")
    assert CODE.search(sender.text), sender.text
    assert "Dedi" not in await all_rows(database)


async def test_the_story_is_told_again_from_the_summary(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await told_up_to_the_files(sender)
    await sender.send("ga ada")
    await sender.send("anonim")
    await sender.send("bentar")
    assert '"kirim"' in sender.text and '"ubah cerita"' in sender.text
    assert "Kirim laporan ini?" in sender.text
    await sender.send("ganti ceritanya")
    assert "Ceritakan apa yang terjadi" in sender.text
    await sender.send("kabid bidang bina marga minta fee 7 persen, sy denger langsung pas rapat")
    # Who and how read again; the time came from the old story only and the new one does
    # not say it: said back as changed, and asked again (it may be what was wrong).
    assert "Saya catat: Anda mendengar langsung." in sender.text
    assert (
        "Berubah dari cerita sebelumnya: yang terlibat kini kabid bidang bina (sebelumnya kabid); "
        "waktu (sebelumnya sekitar Oktober 2026) tidak disebut lagi."
    ) in sender.text
    assert "Kapan kira-kira kejadiannya?" in sender.text
    await sender.send("oktober kmrn")
    # The rest is known: straight back to the summary, not the evidence question.
    assert "Kirim laporan ini?" in sender.text and "fee 7 persen" in sender.text
    await sender.send("ok kirim")
    story = await stored_concern(database, cipher)
    assert story["what"].startswith("kabid bidang bina marga") and "10 persen" not in story["what"]
    assert story["when"] == "sekitar Oktober 2026"


async def test_a_story_told_again_replaces_who_it_read_and_keeps_what_was_typed(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    # The old "yang terlibat" stayed in the summary after the story was told again naming
    # someone else; what the sender typed at its own question is theirs and stays.
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("kabid keuangan minta setoran 10% dr tunjangan kami tiap bulan")
    assert "Saya catat: yang terlibat kabid keuangan." in sender.text
    await sender.send("udah dr awal thn ini")
    await sender.send("sy ngalamin sendiri, tiap bulan dipotong")
    await sender.send("ga ada")
    await sender.send("anonim aja")
    assert "Kirim laporan ini?" in sender.text and "kabid keuangan" in sender.text
    await sender.send("ubah cerita")
    await sender.send("sy guru honorer, kepsek minta setoran 10% dr tunjangan tiap bulan")
    assert "Saya catat:" not in sender.text  # nothing else read: only the change is said
    assert (
        "Berubah dari cerita sebelumnya: yang terlibat kini kepsek (sebelumnya kabid keuangan)."
    ) in sender.text
    # The time and the way they know were typed at their questions: kept, not asked again.
    assert "Kirim laporan ini?" in sender.text and "Kapan" not in sender.text
    # The summary names only the new person (the old one only in the change line).
    assert sender.text.count("kabid keuangan") == 1, sender.text
    await sender.send("kirim")
    story = await stored_concern(database, cipher)
    assert story["who"] == "kepsek" and story["what"].startswith("sy guru honorer")
    assert "awal" in story["when"]


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("sy guru honorer, kepsek minta setoran 200rb tiap bulan", "kepsek"),
        ("aku pns di kecamatan, pak camat nerima fee proyek jalan", "pak camat"),
        ("saya sebagai staf diminta kabid setor 10% honor", "kabid"),
        ("petugasnya minta uang pelicin 100rb di loket", "petugas"),
        ("ada oknum minta duit buat ngurus ktp", "oknum"),
        ("pak kades minta jatah 10% dr dana desa", "pak kades"),
        ("bendahara motong honor kegiatan 15% buat setoran", "bendahara"),
        ("yg motong honor kami itu bendaharanya", "bendahara"),
    ],
)
def test_who_is_the_person_named_not_the_senders_own_role(typed: str, who: str) -> None:
    assert story_words.read_who(typed) == who


async def test_who_is_asked_only_when_the_story_does_not_say(sender: ChatDriver) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("ada yg minta uang pelicin pas sy ngurus izin bangunan, sy yg dimintai")
    assert "Siapa yang terlibat?" in sender.text
    await sender.send("ga tau namanya")
    assert "Gambarkan saja orangnya" in sender.text  # a hint first: the name is not needed
    await sender.send("gatau")
    assert "Kapan kira-kira kejadiannya?" in sender.text


async def test_kasi_for_kasih_and_the_senders_own_mother_are_not_who_is_involved(
    sender: ChatDriver,
) -> None:
    # "kasi" typed for "kasih" (give) was read as the head of a section ("yang terlibat kasi
    # aja"), and "ibu saya" as the person involved; the who question was then skipped.
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("pas ngurus ktp sy kasi aja 300rb biar cepet, soalnya dipersulit trs")
    assert "kasi aja" not in sender.text
    assert "Siapa yang terlibat?" in sender.text
    await sender.send("/batal")
    await sender.press("batal:ya")
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("ibu saya dimintai uang 500rb sama petugas puskesmas buat surat rujukan")
    assert "Saya catat: yang terlibat petugas puskesmas" in sender.text
    assert "ibu saya" not in sender.text.split("Saya catat:")[-1]


async def test_a_story_naming_the_boss_or_a_code_of_ethics_gets_no_unrelated_answer(
    sender: ChatDriver,
) -> None:
    # Any "atasan" answered "who reads this report", any "kode" the report code's use.
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("atasan sy minta setoran 10% dr honor kegiatan tiap bulan, ini suap ga?")
    assert "hanya dibaca fungsi kepatuhan" not in sender.text
    assert "Saya catat: yang terlibat atasan" in sender.text
    await sender.send("kalau sy lapor, atasan sy tau ga?")
    assert "hanya dibaca fungsi kepatuhan" in sender.text
    await sender.send("kepsek jg ikut motong dana bos, kode etiknya gmn sih?")
    assert "menerima kode laporan" not in sender.text


async def test_a_code_typed_loosely_opens_the_concern_and_wrong_ones_still_lock(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database
) -> None:
    code = await submit_anonymously(sender)
    bare_code = code.replace("-", "")
    for n, typed in enumerate(
        [
            code.lower().replace("-", " "),  # "p52e z3sr t09h ezp8"
            f"kode sy {bare_code}",
            f"kode sy {bare_code[:4].lower()}-{bare_code[4:12].lower()}-{bare_code[12:]}",
            f"kodenya {code.replace('-', '.')} ya min",
            code.replace("0", "O").replace("1", "I"),
        ]
    ):
        other = ChatDriver(dispatcher, user_id=f"77{n}", channel="telegram")
        await other.send(typed)
        assert "Laporan ADU-2026-000001" in other.text, typed
        assert "Keterangan Anda sudah kami tambahkan" not in other.text, typed
    # Wrong codes typed the same loose way count as wrong guesses: the lock still comes.
    guesser = ChatDriver(dispatcher, user_id="998", channel="telegram")
    for _ in range(concern_store.CHAT_ATTEMPTS):
        await guesser.send("kode sy 1aa2-bbb3cc4d-5dd6")
    assert "coba lagi dalam" in guesser.text.lower()
    await guesser.send(f"kode sy {bare_code}")
    assert "Laporan ADU" not in guesser.text
    # A story's words and numbers are never taken for a code.
    assert concern_terms.typed_code("minta fee 10persen dari 2024 sampai 2025") is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        # a random code can have digits in one group only: one dash left out, still the code
        ("kode sy gebx-g6dfg6dj-HQTD", "GEBXG6DFG6DJHQTD"),
        ("kode saya 57vy vwatdyyt hxzx", "57VYVWATDYYTHXZX"),
        ("kodenya P52E-Z3SRT09H-EZP8", "P52EZ3SRT09HEZP8"),
    ],
)
def test_a_code_with_a_dash_left_out_is_read_whatever_its_digits(typed: str, code: str) -> None:
    assert concern_terms.typed_code(typed) == code


def test_words_after_kode_are_no_code() -> None:
    assert concern_terms.typed_code("kode sebenarnya gampang bagaimana") is None
    assert concern_terms.typed_code("kodenya apa ya pak saya lupa") is None


async def test_identity_and_retelling_typed_at_other_steps_are_understood(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await sender.send("mau lapor dugaan suap")
    await sender.send("ada oknum yg minta duit 500rb biar berkas sertifikat tanah cepet")
    assert "Saya catat: yang terlibat oknum." in sender.text
    await sender.send("kmrn kmrn lah kira2 2 minggu lalu")
    assert "Saya catat: waktu sekitar 18 November 2026." in sender.text
    # Answered ahead of the question: "no photo" is not how the sender knows.
    await sender.send("ngga ada fotonya")
    assert "belum terbaca bagaimana Anda mengetahuinya" in sender.text
    await sender.send("tmn sy yg cerita")
    assert "Saya catat: Anda mendengar dari orang lain." in sender.text
    # The name offered at the evidence question: not taken for a question, nor for the story.
    await sender.send("boleh pake nama sy aja")
    assert "Siapa nama Anda?" in sender.text
    await sender.send("Siti Rahmawati")
    await sender.send("-")
    assert "Identitas: Siti Rahmawati (dirahasiakan)" in sender.text
    await sender.send("eh ganti ceritanya")
    assert "Ceritakan apa yang terjadi" in sender.text
    await sender.send("oknum petugas BPN minta duit 500rb biar berkas sertifikat tanah cepet")
    assert "Kirim laporan ini?" in sender.text and "Identitas: Siti Rahmawati" in sender.text
    await sender.send("oke kirim")
    story = await stored_concern(database, cipher)
    assert story["what"].startswith("oknum petugas BPN") and "Siti" not in story["what"]
    assert story["how"] == "mendengar dari orang lain (“tmn sy yg cerita”)"
    assert story["who"] == "oknum petugas"


async def test_a_story_ending_in_a_question_is_answered_and_kept(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(
        "kasi perizinan minta uang 5jt ke sy biar izin cepet keluar, "
        "kalau sy lapor bisa ketahuan ga?"
    )
    assert "tanpa catatan siapa pengirimnya" in sender.text
    assert "Saya catat: yang terlibat kasi perizinan" in sender.text
    assert "Ceritakan apa yang terjadi" not in sender.text


@pytest.mark.parametrize(
    ("typed", "count"),
    [("kode sy ABCD-1234", 8), ("kode laporan saya 7KQM-2XRT-9PHD", 12), ("kodenya 7kqm 2xrt", 8)],
)
async def test_a_code_typed_short_outside_the_flow_is_asked_again_politely(
    sender: ChatDriver, typed: str, count: int
) -> None:
    await sender.send(typed)
    assert f"belum lengkap: yang terbaca {count} huruf dan angka" in sender.text
    assert "Ketik kode laporan Anda" in sender.last[-1].text


@pytest.mark.parametrize(
    "typed", ["kode etik pegawai apa saja", "kode pos 40115", "kode voucher ABC123 boleh diterima?"]
)
def test_words_or_numbers_after_kode_are_no_try_at_a_code(typed: str) -> None:
    assert concern_terms.tried_code(typed) is None


async def test_a_question_at_the_code_step_is_answered_and_the_code_asked_again(
    sender: ChatDriver,
) -> None:
    await sender.send("4")
    await sender.press("aduan:kode")
    await sender.send("apa itu kode laporan?")
    assert "ditampilkan sekali saja" in sender.text
    assert "Ketik kode laporan Anda" in sender.last[-1].text


@pytest.mark.parametrize("typed", ["makasih pak 🙏", "ok", "udah itu aja", "sudah itu saja pak"])
async def test_thanks_or_done_under_the_follow_up_ends_it_and_is_no_remark(
    sender: ChatDriver, database: Database, typed: str
) -> None:
    code = await submit_anonymously(sender)
    await sender.send(code.lower().replace("-", " "))
    await sender.send(typed)
    assert "Ketik kode Anda lagi kapan saja" in sender.text and "menu:aduan" in sender.choice_ids
    await sender.send(code)
    assert "Riwayat:" not in sender.text  # nothing was added to the concern


async def test_thanks_under_the_first_buttons_gets_the_menu(sender: ChatDriver) -> None:
    await sender.send("4")
    await sender.send("makasih")
    assert "Sama-sama" in sender.text and "menu:status" in sender.choice_ids


async def test_the_service_asked_for_is_no_evidence_and_javanese_dont_know_is_unknown(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    # "surat" is what was to be signed, not how the sender knows: the question is asked.
    await sender.send("kepala seksi di kantor kecamatan minta 300rb buat tanda tangan surat")
    assert "Bagaimana Anda mengetahuinya?" not in sender.text  # the time is asked first
    await sender.send("mboten ngertos")
    assert "Bagaimana Anda mengetahuinya?" in sender.text
    await sender.send("aku alami dewe")
    await sender.send("gada")
    await sender.send("anonim")
    await sender.send("kirim")
    story = await stored_concern(database, cipher)
    assert story["when"] == "tidak tahu" and story["how"] == "mengalami sendiri"


@pytest.mark.parametrize(
    "typed", ["kode saya ywtm dvks gfkz cgtb", "ini kode laporan sy: YWTM-DVKS-GFKZ-CGTB, tolong"]
)
def test_a_code_without_a_digit_is_read_in_a_sentence_too(typed: str) -> None:
    # About one code in 400 has no digit; in a sentence it was not read at all.
    assert concern_terms.typed_code(typed) == "YWTMDVKSGFKZCGTB"


def test_four_words_after_kode_are_still_no_code() -> None:
    assert concern_terms.typed_code("kode saya mana beri kata") is None  # an I: no code


async def test_a_complaint_about_the_bot_at_the_story_is_no_story(sender: ChatDriver) -> None:
    await sender.send("4")
    await sender.press("aduan:baru")
    await sender.send("ribet amat sih botnya")
    assert "Mohon maaf bila ada yang kurang jelas" in sender.text
    assert "Ceritakan apa yang terjadi" in sender.last[-1].text
    # A complaint about a person is the story itself.
    await sender.send("petugas loket lemot dan minta uang 50rb biar cepet")
    assert "Saya catat: yang terlibat petugas loket" in sender.text


async def test_a_question_and_a_story_typed_at_the_first_buttons_are_both_taken(
    sender: ChatDriver,
) -> None:
    await sender.send("4")
    await sender.send("bisa lapor tanpa nama ga? kabid sy minta fee proyek 10% dari rekanan")
    assert "Laporan tanpa identitas disimpan tanpa catatan" in sender.text
    # The fee came from the vendor: no reading of how the sender knows ("dari rekanan").
    assert "mendengar dari orang lain" not in sender.text
    assert "Kapan kira-kira kejadiannya?" in sender.last[-1].text


@pytest.mark.parametrize("typed", ["kode", "saya punya kode laporan", "cek kode"])
async def test_kode_typed_alone_opens_the_concern_channel(sender: ChatDriver, typed: str) -> None:
    await sender.send(typed)
    assert "aduan:kode" in sender.choice_ids


async def named_up_to_the_contact(chat: ChatDriver) -> None:
    await told_up_to_the_evidence(chat)
    await chat.send("ga ada")
    await chat.send("pakai nama saya")
    assert "Siapa nama Anda?" in chat.text


@pytest.mark.parametrize("typed", ["ga usah", "tidak mau kasih", "gak perlu lah", "skip aja"])
async def test_declining_the_contact_in_words_keeps_no_contact(
    sender: ChatDriver, database: Database, cipher: Cipher, typed: str
) -> None:
    await named_up_to_the_contact(sender)
    await sender.send("Rina Marlina")
    await sender.send(typed)
    assert "Identitas: Rina Marlina (dirahasiakan)" in sender.text
    await sender.press("aduan:kirim")
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    assert open_doc(box_of(cipher, concern), concern.identity_enc) == {"name": "Rina Marlina"}


@pytest.mark.parametrize("typed", ["eh anonim aja deh", "ga jadi, rahasiakan nama saya"])
async def test_anonymous_typed_where_the_name_is_asked_is_no_name(
    sender: ChatDriver, typed: str
) -> None:
    await named_up_to_the_contact(sender)
    await sender.send(typed)
    assert "Identitas: tanpa identitas (anonim)" in sender.text
    assert "anonim aja deh (dirahasiakan)" not in sender.text


@pytest.mark.parametrize("typed", ["terima kasih ya pak", "mana saya beri kata"])
async def test_sixteen_letters_of_words_are_no_code_and_no_wrong_try(
    sender: ChatDriver, database: Database, typed: str
) -> None:
    await sender.send(typed)  # 16 letters, the I read as 1: it was tried as a code
    assert "Kode itu tidak cocok" not in sender.text
    await sender.send("4")
    await sender.press("aduan:kode")
    await sender.send(typed)
    assert "Kode itu tidak cocok" not in sender.text
    async with database.sessions() as session:
        assert (await session.execute(select(CodeAttempt))).first() is None


# --- receipt codes: never a word, and a short try is no wrong code -----------------------------


def test_every_group_of_a_new_code_has_a_letter_and_a_digit() -> None:
    for _ in range(500):
        code = concern_store.new_code()
        assert len(code) == 16 and all(c in concern_terms.ALPHABET for c in code)
        groups = concern_terms.show_code(code).split("-")
        assert all(concern_terms.code_group(g) for g in groups), code


async def test_an_old_code_with_a_group_of_letters_only_still_opens(
    sender: ChatDriver, dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Codes made before every group had a digit: "YWTM-DVKS-GFKZ-CGTB" must still open.
    monkeypatch.setattr(concern_store, "new_code", lambda: "YWTMDVKSGFKZCGTB")
    assert await submit_anonymously(sender) == "YWTM-DVKS-GFKZ-CGTB"
    other = ChatDriver(dispatcher, user_id="880", channel="whatsapp")
    await other.send("kode saya ywtm dvks gfkz cgtb")
    assert "Laporan ADU-2026-000001" in other.text


@pytest.mark.parametrize(
    ("typed", "count"),
    [
        ("cek laporan ABC123", 6),
        ("cek laporan sy 7kqm-2xrt", 8),
        ("7KQM-2XRT-9PHD", 12),
        ("7kqm 2xrt 9phd w4h", 15),
        ("status aduan 7KQM", 4),
    ],
)
async def test_a_short_code_is_asked_again_and_never_counts_as_a_wrong_one(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database, typed: str, count: int
) -> None:
    code = await submit_anonymously(sender)
    other = ChatDriver(dispatcher, user_id="881", channel="telegram")
    # Typed anywhere: outside any flow, under the first buttons, where the code is asked.
    for _ in range(concern_store.CHAT_ATTEMPTS + 1):
        await other.send(typed)
        assert f"belum lengkap: yang terbaca {count} huruf dan angka" in other.text, other.text
        assert "7KQM-2XRT-9PHD-W4HF" in other.text and "tidak cocok" not in other.text
        await other.send("/batal")
    await other.send("/aduan")
    await other.send(typed)
    assert "belum lengkap" in other.text and "Ketik kode laporan Anda" in other.text
    await other.send(typed)
    assert "belum lengkap" in other.text and "Ketik kode laporan Anda" in other.text
    async with database.sessions() as session:
        assert (await session.execute(select(CodeAttempt))).first() is None
    await other.send(code)  # no lock: the right code opens at once
    assert "Laporan ADU-2026-000001" in other.text
    # Under the follow-up, a short code is no remark either.
    await other.send(typed)
    assert "belum lengkap" in other.text
    assert "Keterangan Anda sudah kami tambahkan" not in other.text


@pytest.mark.parametrize(
    "typed", ["cek laporan ABC123", "cek GRT-2026-000123", "fee 10 persen ke dia", "kode sy A1"]
)
def test_words_around_a_short_code_are_never_read_as_a_whole_code(typed: str) -> None:
    # Each is 16 symbols once spaces go and L, I read as 1: each was tried as a wrong code.
    assert concern_terms.typed_code(typed) is None


# --- a question typed at any step is answered, and the step asked again ----------------------

QUESTIONS = [
    ("ini rahasia kan?", "laporan ini dirahasiakan"),
    ("nama sy bakal ketahuan gak", "tanpa catatan siapa pengirimnya"),
    ("emang bisa anonim?", "tanpa catatan siapa pengirimnya"),
    ("bedanya sama lapor gratifikasi apa?", "Lapor gratifikasi untuk hadiah"),
    ("harus ada bukti gak?", "Bukti tidak wajib"),
    ("kalo pelakunya atasan sy gmn?", "tidak melewati atasan Anda"),
]
# Each step: its question on screen, its help for "maksudnya?", and the answer that moves on.
STEPS = [
    ("Apa yang ingin Anda lakukan?", "Sampaikan laporan baru", "!aduan:baru"),
    (
        "Ceritakan apa yang terjadi",
        "seperti bercerita",
        "ada yg minta uang pelicin pas sy ngurus izin bangunan, sy yg dimintai",
    ),
    ("Siapa yang terlibat?", "Nama tidak wajib", "petugas loket"),
    ("Kapan kira-kira", "perkiraan pun boleh", "bulan lalu"),
    ("Ada foto atau dokumen bukti?", "tangkapan layar chat", "ga ada"),
    ("mencantumkan identitas?", "laporan dikirim tanpa nama", "pakai nama saya"),
    ("Siapa nama Anda?", "Nama hanya dibaca", "Rina Marlina"),
    ("Nomor HP atau e-mail", "bila perlu menanyakan", "0812 3456 7890"),
    ("Kirim laporan ini?", "Di atas ringkasan", "kirim"),
]


async def test_questions_typed_at_every_step_are_answered_and_never_kept(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await sender.send("/aduan")
    for prompt, help_words, answer in STEPS:
        for question, answered in [
            *QUESTIONS,
            ("maksudnya?", help_words),
            ("contohnya apa", help_words),
            ("bingung", help_words),
        ]:
            await sender.send(question)
            assert answered in sender.text, (prompt, question, sender.text)
            assert prompt in sender.last[-1].text, (prompt, question, sender.text)
        if answer.startswith("!"):
            await sender.press(answer[1:])
        else:
            await sender.send(answer)
    assert CODE.search(sender.text), sender.text
    story = await stored_concern(database, cipher)
    assert story == {
        "what": "ada yg minta uang pelicin pas sy ngurus izin bangunan, sy yg dimintai",
        "who": "petugas loket",
        "when": "sekitar November 2026",
        "how": "mengalami sendiri",
    }
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    identity = open_doc(box_of(cipher, concern), concern.identity_enc)
    assert identity == {"name": "Rina Marlina", "contact": "0812 3456 7890"}


@pytest.mark.parametrize(
    ("typed", "answered"),
    [
        ("bisa anonim ga", "tanpa catatan siapa pengirimnya"),
        ("bedanya sama lapor gratifikasi apa", "Lapor gratifikasi untuk hadiah"),
        ("gmn caranya", "Sampaikan laporan baru"),
        ("ini beneran rahasia", "laporan ini dirahasiakan"),
    ],
)
async def test_a_question_under_the_first_buttons_is_answered_not_refused(
    sender: ChatDriver, typed: str, answered: str
) -> None:
    await sender.send("4")
    await sender.send(typed)
    assert answered in sender.text
    assert "Silakan pilih salah satu tombol" not in sender.text
    assert "Ceritakan apa yang terjadi" not in sender.text  # "lapor" in it began a story
    assert sender.choice_ids == ["aduan:baru", "aduan:kode"]


async def test_answers_that_look_like_questions_stay_answers(sender: ChatDriver) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("Petugas loket meminta uang pelicin kepada warga yang mengurus KTP")
    await sender.send("tgl 20 kan?")  # a date checked, not a question
    assert "Saya catat: waktu Jumat, 20 November 2026." in sender.text
    await sender.send("sy liat sendiri kan")
    assert "Saya catat: Anda melihat langsung." in sender.text
    await sender.send("kalo ada nanti sy kirim")  # evidence later, not a question
    assert "Bukti dapat Anda kirim nanti" in sender.text


async def test_a_question_under_the_follow_up_is_answered_not_sent_as_a_remark(
    sender: ChatDriver, database: Database
) -> None:
    code = await submit_anonymously(sender)
    await sender.send(code)
    await sender.send("ini beneran rahasia kan?")
    assert "laporan ini dirahasiakan" in sender.text
    assert "Keterangan Anda sudah kami tambahkan" not in sender.text
    await sender.send("maksudnya yg ditanyakan itu tgl berapa? sekitar tgl 3 pak")
    assert "Keterangan Anda sudah kami tambahkan" in sender.text  # a reply to the officer


# --- who is involved, when the name is not known; a contact that is none -----------------------


async def told_without_who(chat: ChatDriver) -> None:
    await chat.send("/aduan")
    await chat.press("aduan:baru")
    await chat.send(
        "ada yg minta uang pelicin pas sy ngurus izin bangunan bulan lalu, sy yg dimintai"
    )
    assert "Siapa yang terlibat?" in chat.text


@pytest.mark.parametrize(
    ("first", "second"),
    [("ga tau namanya", "gatau"), ("tdk kenal", "ga kenal orangnya"), ("gatau", "tidak tahu")],
)
async def test_a_name_not_known_gets_a_hint_then_is_taken_as_unknown(
    sender: ChatDriver, database: Database, cipher: Cipher, first: str, second: str
) -> None:
    await told_without_who(sender)
    await sender.send(first)
    assert "Gambarkan saja orangnya: jabatan, unit" in sender.text
    assert "Siapa yang terlibat?" in sender.last[-1].text
    await sender.send(second)  # asked again, said again: taken, never looped
    assert "Ada foto atau dokumen bukti?" in sender.text
    await sender.send("ga ada")
    await sender.send("anonim")
    assert "Yang terlibat: tidak diketahui" in sender.text
    await sender.send("kirim")
    assert (await stored_concern(database, cipher))["who"] == "tidak diketahui"


async def test_after_the_hint_a_description_is_kept_as_who(sender: ChatDriver) -> None:
    await told_without_who(sender)
    await sender.send("ga tau namanya")
    await sender.send("bapak2 yg jaga loket perizinan, pake kacamata")
    assert "Ada foto atau dokumen bukti?" in sender.text
    await sender.send("ga ada")
    await sender.send("anonim")
    assert "Yang terlibat: bapak2 yg jaga loket perizinan, pake kacamata" in sender.text


async def test_the_unknown_button_needs_no_hint(sender: ChatDriver) -> None:
    await told_without_who(sender)
    await sender.press("aduan:who:unknown")
    assert "Ada foto atau dokumen bukti?" in sender.text


@pytest.mark.parametrize("typed", ["lewat wa aja", "budi", "hubungi sy di kantor"])
async def test_a_contact_with_neither_a_digit_nor_an_at_is_asked_again(
    sender: ChatDriver, database: Database, cipher: Cipher, typed: str
) -> None:
    await named_up_to_the_contact(sender)
    await sender.send("Rina Marlina")
    await sender.send(typed)
    assert "belum terbaca sebagai nomor HP atau e-mail" in sender.text
    assert "Nomor HP atau e-mail yang dapat dihubungi?" in sender.last[-1].text
    await sender.send("rina.m@gmail.com")
    assert "Identitas: Rina Marlina, rina.m@gmail.com (dirahasiakan)" in sender.text
    await sender.press("aduan:kirim")
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    identity = open_doc(box_of(cipher, concern), concern.identity_enc)
    assert identity == {"name": "Rina Marlina", "contact": "rina.m@gmail.com"}


async def test_anonymous_typed_at_the_contact_drops_the_name(sender: ChatDriver) -> None:
    await named_up_to_the_contact(sender)
    await sender.send("Rina Marlina")
    await sender.send("eh ga jadi, anonim aja")
    assert "Identitas: tanpa identitas (anonim)" in sender.text and "Rina" not in sender.text


async def test_a_worry_under_the_first_buttons_is_answered_and_is_no_story(
    sender: ChatDriver,
) -> None:
    await sender.send("/aduan")
    await sender.send("sy mau lapor tapi takut ketahuan")  # was kept as the story
    assert "tanpa catatan siapa pengirimnya" in sender.text
    assert "Ceritakan apa yang terjadi" in sender.last[-1].text
    await sender.send("kabid minta fee 10% ke rekanan, ini bisa dilaporin ga?")
    assert "sampaikan saja: fungsi kepatuhan yang menilai" in sender.text  # answered, and
    assert "Saya catat: yang terlibat kabid." in sender.text  # kept as the story
    await sender.send("piye iki")  # Javanese "what now?": the step's help, not the time
    assert "perkiraan pun boleh" in sender.text and "Kapan kira-kira" in sender.last[-1].text
    await sender.send("kapan ya lupa")
    await sender.send("dgr dr temen")
    await sender.send("kirim aja ya")  # at the evidence: done, not more of the story
    assert "Keterangan itu kami tambahkan" not in sender.text
    await sender.send("anonim")
    assert "“kabid minta fee 10% ke rekanan, ini bisa dilaporin ga?”" in sender.text
    assert "takut" not in sender.text


async def test_a_worry_where_the_story_is_asked_is_answered_and_is_no_story(
    sender: ChatDriver,
) -> None:
    await sender.send("/aduan")
    await sender.send("lapor baru")
    # It was kept as the story, and the real story typed next as who is involved.
    await sender.send("mau lapor tp takut dipecat")
    assert "dilindungi dari pembalasan" in sender.text
    assert "Ceritakan apa yang terjadi" in sender.last[-1].text
    await sender.send(
        "kemarin pak camat minta uang 2 jt ke sy biar proposal desa sy di acc, di kantor kecamatan"
    )
    assert "Saya catat: yang terlibat pak camat" in sender.text
    assert "Bagaimana Anda mengetahuinya?" in sender.last[-1].text


# --- a receipt code typed in the middle of a new concern -------------------------------------


async def test_a_code_typed_at_a_middle_step_is_no_answer_and_costs_no_try(
    sender: ChatDriver, dispatcher: Dispatcher, database: Database, cipher: Cipher
) -> None:
    code = await submit_anonymously(sender)
    other = ChatDriver(dispatcher, user_id="882", channel="telegram")
    await other.send("4")
    await other.press("aduan:baru")
    await other.send("Petugas loket meminta uang pelicin kepada warga yang mengurus KTP")
    assert "Kapan kira-kira" in other.text
    await other.send("kode sy 7KQM-2XRT")  # was kept as the time
    assert "kode itu belum lengkap: yang terbaca 8 huruf dan angka" in other.text
    assert "ketik /batal, lalu ketik kodenya yang lengkap" in other.text
    assert "Kapan kira-kira" in other.last[-1].text
    await other.send(f"ini kode laporan sy yg kemarin {code.lower()}")
    assert "berisi kode laporan, jadi tidak saya catat" in other.text
    assert "Kapan kira-kira" in other.last[-1].text
    assert "Laporan ADU-2026-000001" not in other.text  # the draft is not dropped for it
    await other.send("minggu lalu")
    await other.send("sy liat sendiri")
    await other.send(code.replace("-", " "))  # at the evidence
    assert "Ada foto atau dokumen bukti?" in other.last[-1].text
    await other.send("ga ada")
    await other.send("7kqm 2xrt 9phd")  # at the identity
    assert "belum lengkap" in other.text and "mencantumkan identitas" in other.last[-1].text
    await other.send("anonim")
    summary = other.text
    assert "7KQM" not in summary.upper() and code not in summary
    assert "Waktu: minggu lalu" in summary
    async with database.sessions() as session:
        assert (await session.execute(select(CodeAttempt))).first() is None


async def test_a_code_typed_where_the_story_is_asked_opens_that_concern(
    sender: ChatDriver, dispatcher: Dispatcher
) -> None:
    code = await submit_anonymously(sender)
    other = ChatDriver(dispatcher, user_id="883", channel="telegram")
    await other.send("/aduan")
    await other.press("aduan:baru")
    await other.send(f"kode laporan sy {code}")  # was kept as the story
    assert "Laporan ADU-2026-000001" in other.text
    assert "Anda dapat mengetik keterangan tambahan" in other.last[-1].text
    await other.send("/aduan")
    await other.press("aduan:baru")
    await other.send("kodenya 7KQM-2XRT-9PHD")
    assert "belum lengkap: yang terbaca 12" in other.text
    assert "Ketik kode laporan Anda" in other.last[-1].text


@pytest.mark.parametrize("typed", ["skip aja", "piye iki", "lupa kapan", "lili sisi"])
def test_words_whose_i_and_l_read_as_digits_are_no_short_code(typed: str) -> None:
    # I and L read as 1 made "SK1P" a code's group: "skip aja" at the contact was "belum lengkap".
    assert concern_terms.tried_code(typed) is None


# --- a question whether something is bribery, typed where the story is asked ----------------


@pytest.mark.parametrize(
    "typed",
    [
        "kalau atasan minta uang ke bawahan itu suap?",
        "klo dikasih fee 10% sama rekanan termasuk suap ga?",
        "apakah pungutan uang komite sekolah itu pungli",
        "pak mau tanya, kalau kontraktor ngasih parsel ke kadis boleh ga?",
        "misal ada yg nawarin duit biar lolos tes cpns itu termasuk suap kan",
        "gmn kalau rekanan kasih fee ke ppk, suap bukan?",
    ],
)
async def test_a_question_whether_it_is_bribery_is_answered_and_is_no_story(
    sender: ChatDriver, typed: str
) -> None:
    await sender.send("4")
    await sender.press("aduan:baru")
    await sender.send(typed)  # each was kept as the story
    assert "adalah suap" in sender.text and "Tanya aturan" in sender.text
    assert "Ceritakan apa yang terjadi" in sender.last[-1].text
    assert "Siapa yang terlibat?" not in sender.text and "Saya catat" not in sender.text
    assert "tidak melewati atasan Anda" not in sender.text  # "kalau atasan": no such worry
    await sender.send("kabid minta fee 10% ke rekanan proyek jalan, sy liat sendiri kemarin")
    assert "Saya catat: yang terlibat kabid" in sender.text


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("kasi perizinan minta 5jt biar izin cepet keluar, itu termasuk suap kan?", "kasi"),
        ("kemarin kabid minta 10% dr rekanan. kalau gitu termasuk suap kan?", "kabid"),
        ("kalau ga salah kemarin pak Joko minta uang 2jt ke kontraktor, itu suap ga?", "pak"),
        ("kalo di kantor sy, kadis minta setoran tiap bulan itu pungli ga?", "kadis"),
        ("tadi petugas loket minta 50rb biar cepet, pungli bukan sih?", "petugas"),
    ],
)
async def test_a_report_ending_in_whether_it_is_bribery_is_kept_and_answered(
    sender: ChatDriver, typed: str, who: str
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(typed)
    assert "fungsi kepatuhan yang menilai apakah itu suap" in sender.text
    assert f"Saya catat: yang terlibat {who}" in sender.text
    assert "Ceritakan apa yang terjadi" not in sender.text


# --- the wish to stay anonymous typed at the evidence or a later step ------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "rahasiakan saja",
        "jangan sebut nama sy",
        "tolong nama sy dirahasiakan",
        "identitas sy jgn ditulis",
    ],
)
async def test_keeping_ones_name_out_at_the_evidence_is_anonymous(
    sender: ChatDriver, typed: str
) -> None:
    await told_up_to_the_evidence(sender)
    await sender.send(typed)  # was "belum terbaca", or added to the story
    assert "Keterangan itu kami tambahkan" not in sender.text
    assert "Baik, laporan dikirim tanpa identitas (anonim)" in sender.text
    assert "Identitas: tanpa identitas (anonim)" in sender.text
    assert typed not in sender.text


async def test_keeping_ones_name_out_at_the_contact_or_the_summary_drops_it(
    sender: ChatDriver, database: Database, cipher: Cipher
) -> None:
    await named_up_to_the_contact(sender)
    await sender.send("Rina Marlina")
    await sender.send("rahasiakan aja")  # was "belum terbaca sebagai nomor HP"
    assert "Identitas: tanpa identitas (anonim)" in sender.text and "Rina" not in sender.text
    await sender.send("cantumkan identitas")
    await sender.send("Rina Marlina")
    await sender.send("0812 3456 7890")
    assert "Identitas: Rina Marlina, 0812 3456 7890 (dirahasiakan)" in sender.text
    await sender.send("jangan sebut nama sy")  # was added to the story
    assert "Keterangan itu kami tambahkan" not in sender.text
    assert "Identitas: tanpa identitas (anonim)" in sender.text and "Rina" not in sender.text
    await sender.send("nama sy jangan disebut ya")
    assert "memang dikirim tanpa identitas" in sender.text
    await sender.send("kirim")
    story = await stored_concern(database, cipher)
    assert "nama" not in story["what"]
    async with database.sessions() as session:
        concern = (await session.execute(select(Concern))).scalar_one()
    assert concern.anonymous and concern.identity_enc is None


async def test_keeping_ones_name_out_where_the_time_is_asked_skips_the_identity(
    sender: ChatDriver,
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send("ada oknum minta uang 200rb biar KTP cepet jadi")
    await sender.send("jangan sebut nama sy ya")  # was kept as the time
    assert "tanpa identitas (anonim); identitas Anda tidak akan ditanyakan" in sender.text
    assert "Kapan kira-kira" in sender.last[-1].text
    await sender.send("bulan lalu")
    await sender.send("sy alami sendiri")
    await sender.send("ga ada")
    assert "Identitas: tanpa identitas (anonim)" in sender.text
    assert "Waktu: sekitar November 2026" in sender.text


async def test_how_typed_at_the_time_and_a_time_typed_at_how_go_where_they_belong(
    sender: ChatDriver,
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(
        "mandor proyek jalan dr dinas PU suruh kontraktor kasih uang bensin ke pengawas"
    )
    assert "Kapan kira-kira" in sender.last[-1].text
    await sender.send("sy ngalamin sendiri")  # was kept as the time
    assert "Saya catat: Anda mengalami sendiri." in sender.text
    assert "Kapan kira-kira" in sender.last[-1].text
    await sender.send("gatau")
    assert "Ada foto atau dokumen bukti?" in sender.text  # how is known: not asked again
    await sender.send("ga ada")
    await sender.send("anonim")
    assert (
        "Waktu: tidak tahu" in sender.text and "Cara mengetahui: mengalami sendiri" in sender.text
    )


async def test_a_time_typed_where_how_is_asked_is_the_time(sender: ChatDriver) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(
        "mandor proyek jalan suruh kontraktor kasih uang bensin ke pengawas tiap minggu"
    )
    await sender.press("aduan:when:unknown")
    await sender.send("sejak agustus")  # was kept as how they know
    assert "Saya catat: waktu sekitar Agustus 2026." in sender.text
    assert "Bagaimana Anda mengetahuinya?" in sender.last[-1].text
    await sender.send("dgr dr sopir truk")
    await sender.send("ga ada")
    await sender.send("anonim")
    assert "Waktu: sekitar Agustus 2026" in sender.text
    assert "Cara mengetahui: mendengar dari orang lain" in sender.text


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        (
            "bendahara puskesmas motong jasa pelayanan kami 10% tiap bulan, katanya buat setoran "
            "ke kapus",
            "bendahara puskesmas",
        ),
        (
            "petugas dukcapil minta 100rb buat KTP el jadi hari itu juga, kalo ga bayar katanya "
            "blangkonya habis",
            "petugas dukcapil",
        ),
        (
            "sy dimintain 2jt sama staf bagian perizinan biar IMB cepet keluar",
            "staf bagian perizinan",
        ),
    ],
)
async def test_what_the_person_involved_said_is_no_hearsay(
    sender: ChatDriver, typed: str, who: str
) -> None:
    # "katanya" after the story began is the person's own claim: how the sender knows was
    # read as "mendengar dari orang lain" and never asked.
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(typed)
    assert f"yang terlibat {who}" in sender.text
    assert "mendengar dari orang lain" not in sender.text
    await sender.press("aduan:when:unknown")
    assert "Bagaimana Anda mengetahuinya?" in sender.last[-1].text or "Ada foto" in sender.text


async def test_no_evidence_typed_where_the_time_is_asked_is_no_way_of_knowing(
    sender: ChatDriver,
) -> None:
    await sender.send("/aduan")
    await sender.press("aduan:baru")
    await sender.send(
        "sopir ambulans desa minta uang bensin 300rb ke keluarga pasien, tanpa kwitansi"
    )
    assert "dokumen atau bukti" not in sender.text  # "tanpa kwitansi" is none
    await sender.send("oknum sopir ambulans")
    await sender.send("ga ada bukti pak")  # at the time: no how, no time
    assert "dokumen atau bukti" not in sender.text
