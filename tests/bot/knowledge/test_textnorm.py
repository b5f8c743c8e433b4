"""How typed text becomes the matcher's tokens (bot/knowledge/textnorm.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.textnorm import Normaliser, fold, stem

SYNONYMS = Path(__file__).resolve().parents[3] / "knowledge" / "synonyms.yaml"


@pytest.fixture(scope="module")
def shipped() -> Normaliser:
    doc = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    return Normaliser(doc["synonyms"], doc["stopwords"], doc["keep"], doc["question_tags"])


def test_folding_squeezes_typing_habits() -> None:
    assert fold("Lapooor GRATIFIKASI!!!") == "lapor gratifikasi"
    assert fold("Rp1.500.000") == "rp 1500000"
    assert fold("500rb") == "500 rb"
    # An abbreviation has no vowels to draw out: "PPPK" stays, it is not "pk".
    assert fold("sy PPPK, wajib lapooor?") == "sy pppk wajib lapor"


def test_slang_and_synonyms_become_the_faq_words() -> None:
    norm = Normaliser({"tidak": ["gk", "ga"], "orang tua": ["ortu"], "parsel": ["hampers"]}, ["yg"])
    assert norm.tokens("hampers dr ortu yg gk jelas") == (
        "parsel",
        "dr",
        "orang",
        "tua",
        "tidak",
        "jelas",
    )


def test_several_word_variants_are_read_before_single_words() -> None:
    # "gift" alone is "hadiah", but "gift card" is a voucher.
    norm = Normaliser(
        {"hadiah": ["gift"], "voucher": ["gift card"], "rekan kerja": ["tmn kantor"]}, []
    )
    assert norm.tokens("gift card dari tmn kantor") == ("voucher", "dari", "rekan", "kerja")
    assert norm.tokens("gift dari vendor") == ("hadiah", "dari", "vendor")


def test_what_a_phrase_becomes_is_not_mapped_again() -> None:
    # "kasih" alone means giving; inside "terima kasih" it does not.
    norm = Normaliser({"terima kasih": ["makasih"], "beri": ["kasih"]}, [])
    assert norm.tokens("makasih") == ("terima", "kasih")
    assert norm.tokens("uang terima kasih") == ("uang", "terima", "kasih")
    assert norm.tokens("dia kasih uang") == ("dia", "beri", "uang")


def test_stop_phrases_greetings_and_fillers_vanish(shipped: Normaliser) -> None:
    typed = "Assalamu'alaikum wr wb pak, mau tanya soal parsel dari vendor"
    assert shipped.tokens(typed) == ("parsel", "dari", "rekanan")
    assert shipped.tokens("Permisi kak, mohon info, izin bertanya: kondangan") == ("pernikahan",)


def test_a_question_tag_at_the_end_is_dropped_but_not_a_leading_no(shipped: Normaliser) -> None:
    assert shipped.tokens("pns wajib lapor gratifikasi gak") == (
        "pns",
        "wajib",
        "lapor",
        "gratifikasi",
    )
    assert shipped.tokens("gak wajib lapor kan")[0] == "tidak"


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("teu", "tidak"),  # Sundanese
        ("ora", "tidak"),  # Javanese
        ("opo", "apakah"),
        ("piye", "bagaimana"),
        ("duit", "uang"),
        ("gift", "hadiah"),
        ("reward", "hadiah"),
        ("kondangan", "pernikahan"),
        ("dipasihan", "terima"),
        ("wedding", "pernikahan"),
        ("bribe", "suap"),
    ],
)
def test_regional_and_english_words(typed: str, word: str) -> None:
    doc = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    norm = Normaliser(doc["synonyms"], [], doc["keep"])
    assert norm.tokens(typed) == (word,)


def test_number_words_and_stemming() -> None:
    norm = Normaliser({}, [])
    assert norm.tokens("sepuluh juta") == ("10", "juta")
    assert norm.tokens("tiga puluh hari") == ("30", "hari")
    assert stem("pelaporannya") == stem("pelaporan")
    assert stem("menolak") == "tolak"
    assert stem("rekan") == "rekan"


def test_colloquial_forms() -> None:
    norm = Normaliser({"beri": ["ngasih"]}, [])
    assert norm.tokens("teman2 buah2an") == ("teman", "buah")
    assert stem("dibayarin") == stem("dibayar") == "bayar"
    assert stem("ngajarin") == "ajar"
    # A known word with a particle is that word ("ngasihnya" is not "asih").
    assert norm.tokens("ngasihnya") == ("beri",)


def test_the_shipped_lists_are_all_texts() -> None:
    # YAML reads a bare no/yes/on/off as true/false; the word would silently vanish.
    doc = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    words = [w for v in doc["synonyms"].values() for w in v] + doc["stopwords"]
    assert all(isinstance(w, str) for w in words)


def test_a_root_word_is_neither_stemmed_nor_taken_for_a_typo(shipped: Normaliser) -> None:
    # "mertua" is not "me-" + "rtua"; "ruang" (a room) is not a typo of "uang" (money).
    assert stem("mertua") == "mertua"
    assert stem("mertuanya") == "mertua"
    assert stem("ruangan") == "ruang"
    assert stem("melaporkan") == "lapor"
    tokens, guessed = shipped.query("ruang rapat dipinjami vendor")
    assert "uang" not in tokens
    assert "ruang" in tokens
    assert not guessed
    # A real typo is still fixed.
    tokens, guessed = shipped.query("dpt amplpo dr vendor")
    assert "amplop" in tokens
