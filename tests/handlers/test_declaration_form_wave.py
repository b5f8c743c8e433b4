"""The declaration as the wave's personas typed it (2 Dec 2026): each fix in the words typed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.sessions import SessionStore
from bot.store.database import Database
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


@pytest.fixture
def chat(store: SessionStore, database: Database, tmp_path: Path) -> ChatDriver:
    services: Services = declaration_services(database, tmp_path / "files")
    clock = Clock(datetime(2026, 12, 2, 10, tzinfo=JAKARTA))  # a Wednesday
    return ChatDriver(declaration_dispatcher(store, services, clock))


async def _step_by_step(chat: ChatDriver) -> None:
    await chat.send("/lapor")
    await chat.send("iya")
    await chat.send("per langkah")
    await chat.send("terima")


async def test_pak_camat_typed_again_is_the_givers_name_and_the_counter_stays(
    chat: ChatDriver,
) -> None:
    await _step_by_step(chat)
    assert chat.last[-1].text.startswith("Langkah 2/")
    await chat.send("Pak Camat")
    asked = chat.last[-1].text
    assert "Jabatan pemberi: Camat" in asked
    assert "Langkah 2/" in asked and "Langkah 3/" not in asked
    # The narrower question only, once: not the giver question again under it.
    assert asked.count("Siapa") == 1 and "Siapa nama beliau?" in asked
    await chat.send("Pak Camat")
    asked = chat.last[-1].text
    assert "Nama pemberi: Pak Camat" in asked
    assert "Dari instansi atau perusahaan apa Pak Camat?" in asked


async def test_a_company_typed_again_at_the_givers_name_names_the_giver(
    chat: ChatDriver,
) -> None:
    await _step_by_step(chat)
    await chat.send("PT Bumi Hijau, yang kirim orang kurirnya")
    assert "Siapa nama beliau?" in chat.last[-1].text
    await chat.send("PT Bumi Hijau, yang kirim orang kurirnya")
    asked = chat.last[-1].text
    assert "Nama pemberi: PT Bumi Hijau" in asked
    assert "Siapa nama beliau?" not in asked


async def test_a_name_typed_after_pak_camat_is_the_name(chat: ChatDriver) -> None:
    await _step_by_step(chat)
    await chat.send("Pak Camat")
    await chat.send("Pak Budi Hartono")
    asked = chat.last[-1].text
    assert "Siapa nama beliau?" not in asked
    assert "Budi Hartono" in asked


# --- a correction of an earlier answer typed at another question ----------------------------


async def _story_then(chat: ChatDriver, story: str) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(story)
    await chat.send("ya benar")


async def test_a_value_corrected_at_the_name_question_changes_the_value_not_the_name(
    chat: ChatDriver,
) -> None:
    await _story_then(
        chat, "kemarin dapat parsel natal dari Koh Acong pemilik Toko Sinar Jaya, kira2 500rb"
    )
    for _ in range(12):
        if "nama lengkap Anda" in chat.last[-1].text:
            break
        await chat.send(_typed_at(chat.last[-1].text))
    await chat.send("eh nilainya tadi salah, bukan 500rb tapi 750rb")
    asked = chat.last[-1].text
    assert "Saya ubah:" in asked and "Rp750.000" in asked
    assert "benar?" in asked  # the new amount is confirmed first
    await chat.send("ya")
    assert "nama lengkap Anda" in chat.last[-1].text


async def test_a_givers_name_corrected_at_the_givers_address(chat: ChatDriver) -> None:
    await _story_then(
        chat, "dapat tanaman hias dari pak Tommy waktu pelantikan saya kemarin, kira2 800rb"
    )
    while "Di mana alamat" not in chat.last[-1].text:
        await chat.send("ga tau")
    await chat.send("eh nama pemberinya salah, yang bener Pak Tomi Wijaya")
    asked = chat.last[-1].text
    assert "Saya ubah:" in asked and "Nama pemberi: Tomi Wijaya" in asked
    assert "Di mana alamat Tomi Wijaya" in asked


async def test_an_answer_with_bukan_but_no_field_named_is_still_an_answer(
    chat: ChatDriver,
) -> None:
    await _step_by_step(chat)
    await chat.send("bukan orang kantor, Pak Darto tetangga saya")
    assert "Saya ubah" not in chat.last[-1].text


# --- words typed at the questions with buttons ------------------------------------------------


def _typed_at(question: str) -> str:
    """What a reporter in a hurry types at the questions on the way."""
    for asked, typed in (
        ("jenis laporan", "terima"),
        ("Apa hubungan", "rekanan"),
        ("jenis pemberiannya", "barang"),
        ("Jelaskan pemberiannya", "tas kulit satu buah"),
        ("kronologinya", "Beliau datang ke kantor dan memberikan pemberian itu."),
        ("Di mana objek", "saya simpan"),
        ("Di mana pemberian", "di kantor"),
    ):
        if asked in question:
            return typed
    return "ga tau"


async def _at(chat: ChatDriver, story: str, phrase: str) -> None:
    await _story_then(chat, story)
    for _ in range(12):
        if phrase in chat.last[-1].text:
            return
        await chat.send(_typed_at(chat.last[-1].text))
    raise AssertionError(chat.last[-1].text)


async def test_ga_tau_at_compensation_is_no_request_said_so(chat: ChatDriver) -> None:
    # Not asked on the way (no request is the default the summary shows); opened from it.
    await _at(
        chat,
        "kemarin wali murid Bu Ratna ngasih saya tas kulit di sekolah, kira2 400 ribu, "
        "masih saya simpan",
        "nama lengkap Anda",
    )
    await answer_until(chat, Declarant(), "Ringkasan laporan", start=None)
    assert "Kompensasi: Tidak (tidak meminta; ingin menebus objeknya?" in chat.last[-1].text
    await chat.send("ubah kompensasi")
    assert "(kompensasi)" in chat.last[-1].text
    await chat.send("ga tau")
    asked = chat.last[-1].text
    assert "Saya catat: tidak meminta kompensasi" in asked
    assert "(kompensasi)" not in asked


async def test_money_still_in_the_account_is_kept_by_the_reporter(chat: ChatDriver) -> None:
    await _at(
        chat,
        "tgl 27 nov ada transfer 2.500.000 dari CV Karya Mandiri, kontraktor proyek jalan",
        "Di mana objek pemberian itu sekarang?",
    )
    await chat.send("masih di rekening saya")
    assert "Di mana objek pemberian itu sekarang?" not in chat.last[-1].text


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("td siang ada 30 nasi kotak dari developer, sudah dibagi ke semua staf", "habis"),
        ("parsel dari vendor kemarin, isinya sudah dibagi ke teman-teman", "habis"),
        ("dapat parsel dari vendor kemarin, sudah saya bagikan ke panti asuhan", "bantuan_sosial"),
    ],
)
async def test_food_shared_out_at_the_office_is_used_up_not_social_aid(
    chat: ChatDriver, store: SessionStore, typed: str, code: str
) -> None:
    await chat.send("/lapor")
    await chat.send("setuju")
    await chat.send(typed)
    async with store.conversation("test:u1") as conv:
        assert conv.session is not None
        assert conv.session.data["a"].get("object_location") == code


async def test_an_auditee_is_another_office(chat: ChatDriver) -> None:
    await _at(
        chat,
        "tgl 10 november saya terima voucher belanja 500rb dari dr. Fahmi direktur RSUD",
        "Apa hubungan",
    )
    await chat.send("auditee")
    assert "Apa hubungan" not in chat.last[-1].text
