"""Questions found by trying the bot (issue 13) and what the shipped knowledge files answer.

Each case was a gap: a suggestion list, the wrong entry, or an answer to another errand. The
inputs are typed the way employees type them; none is a copy of an entry's own phrasing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase
from bot.knowledge.templates import DayCounts

ROOT = Path(__file__).resolve().parents[3]
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load(KNOWLEDGE, days=DayCounts())
    assert loaded is not None, [str(p) for p in problems]
    return loaded


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        # A voucher or e-money from a vendor: the voucher entry, not the colleague one.
        ("voucher grab dari rekanan 300rb", "voucher-emoney"),
        ("dpt voucher gojek dr kontraktor", "voucher-emoney"),
        ("kupon bensin dari rekanan proyek", "voucher-emoney"),
        # Teachers, health workers and village staff thanked by the people they serve.
        ("hari guru dikasih kado sama murid", "terima-kasih-masyarakat"),
        ("ortu siswa ngasih amplop pas terima rapor", "terima-kasih-masyarakat"),
        ("dokter dapat hadiah dari pasien yang sembuh", "terima-kasih-masyarakat"),
        ("sekdes dikasih amplop waktu bikin surat tanah", "terima-kasih-masyarakat"),
        # Where to report a gift, and where to raise a bribery concern: both reachable.
        ("lapor kemana ya", "lapor-kemana"),
        ("lapornya kmn", "lapor-kemana"),
        ("mau lapor dugaan suap", "lapor-dugaan-suap"),
        ("petugasnya minta uang pelicin, mau sy laporin", "lapor-dugaan-suap"),
        # Working-day one-liners.
        ("10 hari kerja itu termasuk sabtu?", "hari-kerja"),
        ("tgl merah dihitung?", "hari-kerja"),
        # Shop discounts for civil servants, and the payroll bank's parcels.
        ("diskon karena saya pegawai pemda", "bank-gaji"),
        ("thr dari bank", "bank-gaji"),
        # An event sponsored for the office, and a seminar paid for by a company.
        ("perusahaan mau jd sponsor lomba 17an dinas", "sponsor-kantor"),
        ("ikut seminar gratis dari perusahaan farmasi", "perjalanan-sponsor"),
    ],
)
def test_a_gap_found_by_trying_the_bot_is_answered(
    kb: KnowledgeBase, typed: str, entry_id: str
) -> None:
    result = kb.match(typed)
    assert (result.outcome, result.best and result.best.id) == ("answered", entry_id)


@pytest.mark.parametrize(
    "typed",
    [
        # Reporting something that is no gift: no FAQ answer.
        "laptop kantor rusak lapor ke siapa",
        "mau lapor kehilangan",
        "lapor absen",
        "lapor spt gimana",
        "paket sy udah sampe mana",
        "beli sarung di mana",
        "cara kirim balik barang ke shopee",
    ],
)
def test_reporting_another_errand_gets_no_answer(kb: KnowledgeBase, typed: str) -> None:
    assert kb.match(typed).outcome != "answered"


def test_a_voucher_from_a_vendor_leads_with_refusal(kb: KnowledgeBase) -> None:
    vendor = kb.answer("vendor kirim voucher belanja 500rb ke sy")
    assert vendor.id == "voucher-emoney" and vendor.answer
    assert vendor.answer.splitlines()[0].startswith("Dari rekanan atau pemohon: tolak")
    colleague = kb.answer("temen kantor kirim saldo gopay pas ultah")
    assert colleague.id == "voucher-emoney" and colleague.answer
    assert colleague.answer.splitlines()[0].startswith("Ya, laporkan")


@pytest.mark.parametrize(
    "typed",
    ["dikasih emas 5 gram sm temen kantor pas ultah, wajib lapor ga?", "logam mulia dr kolega"],
)
def test_gold_from_a_colleague_is_not_said_to_be_exempt(kb: KnowledgeBase, typed: str) -> None:
    # The answer said gold from a colleague was exempt up to the colleague limit; huruf o
    # excludes cash "dan alat tukar lainnya", and no source says whether gold is one.
    found = kb.answer(typed)
    assert found.id == "voucher-emoney" and found.answer
    assert 'belum ada sumber yang menegaskan apakah termasuk "alat tukar lainnya"' in found.answer
    assert "paling aman laporkan" in found.answer
    assert "harga pasarnya" not in found.answer and "per pemberi wajib" not in found.answer
    assert len(found.answer) <= 600
