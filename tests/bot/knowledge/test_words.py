"""How employees' own words reach the FAQ, or do not (knowledge/synonyms.yaml and the router's
order, through `bot.knowledge.evaluate.route`): regional, English and chat forms, courtesy
around a question, and other office errands that must be declined.

The lines are written for these tests, the way people type in a chat; none is an evaluation
line."""

from __future__ import annotations

import pytest

from bot.knowledge.evaluate import route
from bot.knowledge.matcher import KnowledgeBase


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        # Sundanese
        ("abdi dipasihan artos ku pemborong, kedah dilaporkeun teu?", "hadiah-rekanan"),
        ("abdi nampi kado ti batur kantor, kedah lapor?", "rekan-kerja"),
        ("naon ari gratifikasi teh", "definisi"),
        # Javanese
        ("kulo diwenehi duit kalih kontraktor, kudu lapor mboten?", "hadiah-rekanan"),
        ("nek diwenehi amplop pas nikahan, kudu lapor ora", "pernikahan"),
        ("nuwun sewu mas, badhe tanglet, parsel saking vendor kudu dilaporke?", "parsel-hari-raya"),
        ("duit saking kontraktor kudu dilaporake?", "hadiah-rekanan"),
        # Betawi and chat forms
        ("nyang ngasi duit ame aye kontraktor, kudu lapor kagak", "hadiah-rekanan"),
        ("gue dapet hampers dr supplier, wajib lapor kagak", "parsel-hari-raya"),
        ("dpt hadiah dr vendor hrs lapor gk", "hadiah-rekanan"),
        ("hadiah ultah dr temen kantor tdk wajib lapor kan", "rekan-kerja"),
        ("ngga lapor kena sanksi ga", "sanksi"),
        # English
        ("got a gift from a supplier, do i have to report it", "hadiah-rekanan"),
        ("my colleague gave me a voucher for my birthday", "voucher-emoney"),
        ("got a flight ticket from a vendor", "tiket-perjalanan"),
    ],
)
def test_regional_english_and_chat_forms_are_answered(
    kb: KnowledgeBase, typed: str, entry: str
) -> None:
    assert route(kb, typed)[:2] == ("answer", entry)


@pytest.mark.parametrize(
    "typed",
    [
        "sakabeh kado teu meunang ditampi?",
        "is every gift forbidden for pns",
        "smua hadiah dilarang ya",
    ],
)
def test_all_in_any_language_asks_whether_every_gift_is_forbidden(
    kb: KnowledgeBase, typed: str
) -> None:
    # Sundanese "sakabeh", English "every"/"all", chat "smua" read as "semua".
    assert route(kb, typed)[:2] == ("answer", "semua-dilarang")


@pytest.mark.parametrize(
    "typed",
    [
        "duit dr kontraktor udh sy belanjain semua",
        "i already spent the money from the vendor",
        "kue dr pemohon udh kemakan rame2",
    ],
)
def test_spending_or_eating_the_gift_is_using_it_up(kb: KnowledgeBase, typed: str) -> None:
    # "belanjain", "spent", "kemakan" read as "habis", not as shopping ("voucher belanja").
    assert route(kb, typed)[:2] == ("answer", "terlanjur-dipakai")


@pytest.mark.parametrize(
    "typed",
    [
        "oper ke orang lain boleh?",
        "sy kasih lagi ke org lain",
        "hadiahnya dihibahkan lagi",
        "boleh ga kado dr vendor dioper ke sodara",
        "hadiahnya sy regift aja",
        "kadona dipasihkeun deui ka batur",
    ],
)
def test_passing_a_gift_on_is_giving_it_away(kb: KnowledgeBase, typed: str) -> None:
    # "oper", "kasih lagi", "regift", Sundanese "dipasihkeun deui": passing the gift on to
    # someone else (the entry that says to report it first), not handing it to UPPG.
    assert route(kb, typed)[:2] == ("answer", "disumbangkan")


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        ("after i report, do i need to tell my boss", "bukti-lapor"),
        ("abis lapor hrs info ke pimpinan ga", "bukti-lapor"),
        ("sy kudu ngabari bos sawise lapor?", "bukti-lapor"),
        ("uppg ngabejaan nu mere teu upami abdi lapor", "kerahasiaan"),
        ("pemberi bakal dikasih tau ga kalo sy lapor", "kerahasiaan"),
    ],
)
def test_telling_someone_in_any_wording_is_notifying(
    kb: KnowledgeBase, typed: str, entry: str
) -> None:
    # "tell", "info ke", Javanese "ngabari", Sundanese "ngabejaan" all read as "beri tahu".
    assert route(kb, typed)[:2] == ("answer", entry)


@pytest.mark.parametrize(
    "typed",
    [
        "assalamualaikum warahmatullahi wabarakatuh, bapak/ibu admin yth, mohon izin bertanya "
        "terkait parsel dari vendor",
        "Assalamualaikum. Mohon maaf mengganggu. Izin bertanya bapak ibu, parsel dari vendor "
        "wajib dilaporkan?",
        "Yth admin UPPG, mohon penjelasan mengenai parsel dari vendor. Terima kasih",
        "permisi bapak/ibu, saya ingin menanyakan perihal parsel dari vendor, terima kasih banyak",
        "pak mohon maaf sebelumnya, sy awam, parsel dari vendor itu bagaimana",
        "met siang mbak, izin bertanya, parsel dari vendor itu gratifikasi bukan",
    ],
)
def test_a_question_in_courtesy_is_the_question(kb: KnowledgeBase, typed: str) -> None:
    assert route(kb, typed)[:2] == ("answer", "parsel-hari-raya")


@pytest.mark.parametrize(
    "typed",
    [
        "hp sy hilang, lapornya kemana",
        "lapor laptop dinas hilang",
        "laptop kantor rusak, minta tolong dicek",
        "telat masuk kantor tadi pagi, kena potong ga",
        "cara buat tiket ke it buat reset akun",
        "pulsa dinas bulan ini blm diisi",
        "uang pensiun bapak sy kapan cair",
        "sk mutasi sy kapan keluarnya",
        "honorer kapan diangkat jadi pppk",
        "reimburse perjadin kemarin blm cair",
        "kalo sakit ga masuk kantor lapornya ke siapa",
        "kalo bolos kerja lapornya ke siapa",
    ],
)
def test_other_errands_are_not_answered(kb: KnowledgeBase, typed: str) -> None:
    assert route(kb, typed)[0] != "answer"


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        ("hp dari vendor wajib lapor?", "hadiah-rekanan"),
        ("dikasih laptop sama rekanan, hrs lapor?", "hadiah-rekanan"),
        ("pensiunan dikasih parsel rekanan", "sebelum-sesudah-menjabat"),
        ("cuti tapi dapat amplop dari rekanan", "hadiah-rekanan"),
    ],
)
def test_a_gift_beside_an_errand_word_is_still_answered(
    kb: KnowledgeBase, typed: str, entry: str
) -> None:
    assert route(kb, typed)[:2] == ("answer", entry)


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        # "no" before a number's name is "nomor", not "tidak" ("no laporan" is no "tidak lapor").
        ("no wa uppg berapa", "uppg-kontak"),
        ("no laporan saya berapa", "status-laporan"),
        # "hukdis": hukuman disiplin
        ("hukdis kalau ga lapor gratifikasi", "sanksi"),
    ],
)
def test_numbers_names_and_abbreviations(kb: KnowledgeBase, typed: str, entry: str) -> None:
    assert route(kb, typed)[:2] == ("answer", entry)
