"""The matcher and the answers it renders (bot/knowledge/matcher.py), on the shipped files."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase, Thresholds
from bot.knowledge.templates import DayCounts
from handlers.exemptions import Facts, Verdict, evaluate

ROOT = Path(__file__).resolve().parents[3]
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load(KNOWLEDGE, days=DayCounts(uppg=7))
    assert loaded is not None, [str(p) for p in problems]
    return loaded


@pytest.fixture(scope="module")
def lexical() -> KnowledgeBase:
    """The shipped files matched without the classifier's opinion."""
    loaded, problems = load(KNOWLEDGE, thresholds=Thresholds(classifier_bonus=0))
    assert loaded is not None, [str(p) for p in problems]
    return loaded


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def test_the_real_knowledge_base_is_complete(kb: KnowledgeBase) -> None:
    assert len(kb.entries) >= 75
    categories = {e.category for e in kb.entries.values()}
    assert {"dasar", "tenggat", "pengecualian", "kasus", "pelaporan", "hasil"} <= categories
    for entry in kb.entries.values():
        rendered = kb.render(entry.id)
        # One dated basis line, last; no placeholder left unfilled.
        assert rendered.splitlines()[-1].startswith("Dasar hukum: "), entry.id
        assert re.search(r"\(ditinjau \d+ \w+ 20\d\d\)$", rendered), entry.id
        assert "{" not in rendered and "}" not in rendered, entry.id


@pytest.mark.parametrize(
    "entry_id",
    [
        "anonim",
        "voucher-emoney",
        "terlanjur-dipakai",
        "menaksir-nilai",
        "sudah-dikembalikan",
        "pemberi-tidak-dikenal",
        "setelah-sk",
        "lapor-lewat-uppg",
        "pegawai-lain",
        "sebelum-sesudah-menjabat",
        "sponsor-kantor",
        "perjalanan-sponsor",
        "lhkpn",
        "bank-gaji",
        "nama-dipublikasikan",
        "bukti-lapor",
    ],
)
def test_the_new_entries_exist_with_basis_and_review_date(kb: KnowledgeBase, entry_id: str) -> None:
    entry = kb.entries[entry_id]
    assert entry.basis and entry.reviewed >= date(2026, 12, 1)


def test_amounts_come_from_the_exemption_rules(kb: KnowledgeBase, copy: Path) -> None:
    wedding = kb.render("pernikahan")
    assert "s.d. Rp1.500.000 per pemberi" in wedding and "sebelumnya Rp1.000.000" in wedding
    assert "Rp500.000 per pemberi" in kb.render("rekan-kerja")
    assert "Rp300.000 per pemberian" in kb.render("pisah-sambut")  # the 2019 letter n
    # One source of truth: change the rule, and the answer follows.
    rules = copy / "exemptions.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count("max_per_giver: 1500000") == 1
    rules.write_text(text.replace("max_per_giver: 1500000", "max_per_giver: 2000000"), "utf-8")
    changed, problems = load(copy)
    assert changed is not None, [str(p) for p in problems]
    assert "s.d. Rp2.000.000 per pemberi" in changed.render("pernikahan")
    assert "Rp1.500.000" not in changed.render("pernikahan")


def test_the_version_in_force_is_the_one_of_today(kb: KnowledgeBase) -> None:
    earlier = KnowledgeBase(
        kb.all_entries, kb.normaliser, kb.rules, kb.variables, today=lambda: date(2025, 12, 31)
    )
    assert "s.d. Rp1.000.000 per pemberi" in earlier.render("pernikahan")


def test_a_case_the_question_names_comes_first(kb: KnowledgeBase) -> None:
    vendor = kb.answer("kado nikah dari vendor wajib lapor?")
    assert vendor.id == "pernikahan" and vendor.answer
    first = vendor.answer.splitlines()[0]
    assert first.startswith("Dari rekanan atau vendor: tolak")
    # The general rule follows, and the "Cek wajib lapor" check agrees: even below the limit,
    # a vendor's wedding gift must be reported.
    assert "Rp1.500.000" in vendor.answer
    assert kb.rules is not None
    facts = Facts("rekanan", "pernikahan", "uang", 500_000, date(2026, 12, 1))
    verdict = evaluate(kb.rules, facts)
    assert isinstance(verdict, Verdict) and verdict.kind == "must_report"
    plain = kb.answer("amplop kondangan wajib lapor gak")
    assert plain.answer and plain.answer.splitlines()[0] == "Tergantung nilai dan pemberinya."


def test_answers_carry_their_next_steps(kb: KnowledgeBase) -> None:
    assert kb.answer("kalau parsel wajib lapor?").actions == ("cek", "lapor")
    assert kb.answer("apa itu smap iso 37001").actions == ()


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        ("Assalamu'alaikum wr wb pak, mau tanya soal parsel dari vendor", "parsel-hari-raya"),
        ("kalau parsel wajib lapor?", "parsel-hari-raya"),
        ("sy dpt amplop dr kontraktor", "hadiah-rekanan"),
        # The figure is no word of the wedding entry's amounts.
        ("sy dpt amplop dr kontraktor 500rb kmrn, hrs gmn?", "hadiah-rekanan"),
        ("bisa lapor anonim?", "anonim"),
        ("teu kedah lapor parsel ti vendor?", "parsel-hari-raya"),
        ("got a gift from vendor, must i report?", "hadiah-rekanan"),
        ("lhkpn", "lhkpn"),
        ("gratifikasi", "definisi"),
        (
            "jadi gini pak, kemarin waktu saya di lapangan ada kontraktor yang nitip amplop ke "
            "istri saya di rumah, saya baru tahu malamnya, itu bagaimana ya",
            "kiriman-rumah",
        ),
    ],
)
def test_questions_as_employees_type_them(kb: KnowledgeBase, typed: str, entry_id: str) -> None:
    result = kb.match(typed)
    assert (result.outcome, result.best and result.best.id) == ("answered", entry_id)


@pytest.mark.parametrize("typed", ["cara bikin rendang", "cara buat ktp", "1", "2026", "anjir"])
def test_other_topics_get_no_answer(kb: KnowledgeBase, typed: str) -> None:
    assert kb.match(typed).outcome != "answered"
    assert not kb.answer(typed).matched


@pytest.mark.parametrize(
    "typed",
    [
        "kapan cuti bersama akhir tahun",
        "jadwal libur lebaran 2027",
        "cara perpanjang ktp",
        # Five or six words are still one errand's question.
        "umur pensiun pns skrg brp tahun ya",
        "kapan pengumuman seleksi pppk thn depan",
    ],
)
def test_a_short_question_about_another_errand_is_never_answered(
    kb: KnowledgeBase, typed: str
) -> None:
    # They share words with lapor-saat-libur or cara-lapor-bot; at most it is suggested.
    result = kb.match(typed)
    assert not result.on_topic
    assert result.outcome != "answered"


@pytest.mark.parametrize(
    "typed",
    [
        # A gift's word in an errand's sense: buying a ticket, losing an e-wallet balance.
        "tiket pesawat jakarta bali murah",
        "saldo gopay sy ilang",
        "bikinin kata sambutan kepala dinas dong",
        "pns boleh kerja sampingan ojol ga",
        "syarat jadi pendamping desa",
    ],
)
def test_a_gift_word_used_for_another_errand_is_not_answered(kb: KnowledgeBase, typed: str) -> None:
    result = kb.match(typed)
    assert not result.on_topic
    assert result.outcome != "answered"


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        ("dikasih tiket pesawat murah sama rekanan", "tiket-perjalanan"),
        ("saldo ovo 200rb dr vendor wajib lapor?", "voucher-emoney"),
        ("uang kata sambutan pas pisah sambut boleh diterima?", "pisah-sambut"),
    ],
)
def test_the_same_words_with_a_gift_in_them_are_answered(
    kb: KnowledgeBase, typed: str, entry_id: str
) -> None:
    result = kb.match(typed)
    assert (result.outcome, result.best and result.best.id) == ("answered", entry_id)


@pytest.mark.parametrize(
    "typed", ["bisa lapor pas libur lebaran?", "lagi cuti, bisa lapor gratifikasi ga?"]
)
def test_the_same_errand_word_with_a_domain_word_is_answered(kb: KnowledgeBase, typed: str) -> None:
    result = kb.match(typed)
    assert (result.outcome, result.best and result.best.id) == ("answered", "lapor-saat-libur")


@pytest.mark.parametrize(
    "typed",
    [
        # "jam" is a watch here, not an hour: a gift, not an errand.
        "jam tangannya mau sy simpan, bisa ditebus ke negara?",
        # A holiday question about the day count is the day count's.
        "libur nasional masuk hitungan batas lapor ga",
    ],
)
def test_words_that_look_like_errands_stay_on_topic(kb: KnowledgeBase, typed: str) -> None:
    assert kb.match(typed).on_topic


def test_the_errand_guard_comes_from_the_synonyms_file(copy: Path) -> None:
    path = copy / "synonyms.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^off_topic_words: \[.*\]$", "off_topic_words: []", text))
    loaded, problems = load(copy)
    assert loaded is not None, [str(p) for p in problems]
    assert loaded.match("jadwal libur lebaran 2027").outcome == "answered"


def test_the_tfidf_opinion_is_asked_of_the_best_few_entries(kb: KnowledgeBase) -> None:
    result = kb.match("hampers natal dr supplier wajib lapor ga")
    assert result.vector_best in {m.id for m in result.ranked[: kb.thresholds.vector_count]}
    assert (result.outcome, result.vector_best) == ("answered", "parsel-hari-raya")


def test_when_the_tfidf_opinion_differs_a_middling_score_is_only_suggested(copy: Path) -> None:
    loaded, _ = load(copy, thresholds=Thresholds(vector_bonus=0.15))
    assert loaded is not None
    for question in ["hampers natal dr supplier wajib lapor ga", "kado nikahan dari vendor"]:
        result = loaded.rank(question)
        disputed = dataclasses.replace(result, vector_best="lhkpn")
        assert loaded.decide(result) == "answered"
        expected = "answered" if result.ranked[0].score >= 0.70 else "suggested"
        assert loaded.decide(disputed) == expected


def test_a_lead_the_tfidf_evidence_does_not_bear_out_is_only_suggested(
    kb: KnowledgeBase,
) -> None:
    result = kb.rank("sy dpt hampers natal dr supplier, wajib lapor ga")
    assert result.words > kb.thresholds.confident_words
    assert kb.decide(result) == "answered"
    best, second = result.ranked[:2]
    # The same question had the best entry led just enough by score, while the similarity
    # preferred the second entry by far: the score's lead alone is not believed.
    # (a ten-thousandth more than the lead required: rounded to four places, the lead could
    # fall a hair short of it as a float, by the scores of the day)
    lead = kb.thresholds.required_lead(best.score) + 0.0001
    close = dataclasses.replace(second, score=round(best.score - lead, 4))
    thin = dataclasses.replace(result, ranked=(best, close, *result.ranked[2:]))
    assert kb.decide(thin) == "answered"
    disputed = dataclasses.replace(
        thin, vector_best=second.id, vector_similarity=0.1, vector_lead=-0.3
    )
    assert kb.decide(disputed) == "suggested"
    # A short question has too little text for the similarity: the score rule alone decides.
    short = dataclasses.replace(disputed, words=kb.thresholds.confident_words)
    assert kb.decide(short) == "answered"


def test_the_confidence_grows_with_each_lead() -> None:
    t = Thresholds()
    base = t.confidence(0.1, 0.6, 0.3, 0.05, True)
    assert 0.0 < base < 1.0
    assert t.confidence(0.2, 0.6, 0.3, 0.05, True) > base
    assert t.confidence(0.1, 0.6, 0.3, 0.2, True) > base
    assert t.confidence(0.1, 0.6, 0.3, 0.05, False) < base


def test_a_vague_word_gets_suggestions_at_most_three(kb: KnowledgeBase) -> None:
    result = kb.match("hadiah")
    assert result.outcome == "suggested"
    suggestions = kb.suggestions(result)
    assert 1 <= len(suggestions) <= 3
    first = kb.entries[suggestions[0].id]
    assert suggestions[0].question == first.questions[0]


def test_the_lead_needed_shrinks_as_the_best_score_grows() -> None:
    t = Thresholds()
    assert t.required_lead(t.answer) == pytest.approx(t.margin)
    assert t.required_lead(t.answer + 0.2) < t.margin
    assert t.required_lead(1.0) >= t.margin_min


def test_unfilled_uppg_contact_is_never_a_made_up_number(kb: KnowledgeBase) -> None:
    contact = kb.render("uppg-kontak")
    assert "hubungi UPPG Inspektorat" in contact
    assert not re.search(r"\d{6,}", contact.replace("2026", ""))


def test_filled_uppg_contact_is_shown(copy: Path) -> None:
    (copy / "uppg.yaml").write_text(
        'name: UPPG Inspektorat Kab. Contoh\nemail: "uppg@contoh.go.id"\n', encoding="utf-8"
    )
    kb, _ = load(copy)
    assert kb is not None
    assert "E-mail: uppg@contoh.go.id" in kb.render("uppg-kontak")


def test_the_local_deadline_setting_fills_the_answers(kb: KnowledgeBase) -> None:
    assert "dalam 7 hari kerja" in kb.render("parsel-hari-raya")


def test_inactive_entries_are_not_answered(copy: Path) -> None:
    path = copy / "faq" / "kasus.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("id: tiket-perjalanan")
    end = text.index("active: true", start)
    text = text[:end] + "active: false" + text[end + len("active: true") :]
    path.write_text(text, encoding="utf-8")
    kb, _ = load(copy)
    assert kb is not None and "tiket-perjalanan" not in kb.entries
    assert kb.answer("tiket pesawat dibayari rekanan").id != "tiket-perjalanan"


@pytest.mark.parametrize(
    "question", ["mau lapor kehilangan motor dinas", "izin sakit lapornya ke siapa"]
)
def test_lapor_alone_does_not_make_another_errand_a_gift_question(
    kb: KnowledgeBase, question: str
) -> None:
    result = kb.match(question)
    assert not result.on_topic
    assert result.outcome != "answered"


@pytest.mark.parametrize(
    "question",
    [
        "lapor spt tahunan pajak lewat mana",
        "cara lapor spt pajak online gimana",
        "batas lapor spt tahunan kapan",
    ],
)
def test_five_or_six_words_with_lapor_stay_another_errands(
    kb: KnowledgeBase, question: str
) -> None:
    # "lapor" beside the tax return no entry speaks of does not make it a gift question.
    result = kb.match(question)
    assert not result.on_topic
    assert result.outcome != "answered"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Saya tidak tahu harga barangnya, bagaimana lapor?", "menaksir-nilai"),
        ("lg mudik di kampung, bs lapor dr hp?", "lapor-saat-libur"),
        ("laptop dr rekanan wajib lapor", "hadiah-rekanan"),
    ],
)
def test_an_errand_word_the_entry_speaks_of_keeps_a_longer_question(
    kb: KnowledgeBase, question: str, entry_id: str
) -> None:
    # "harga" and "mudik" are errand words, but the entries speak of them; "laptop" is
    # read as "barang", a gift, no errand.
    result = kb.match(question)
    assert result.on_topic
    assert result.best is not None and result.best.id == entry_id


@pytest.mark.parametrize(
    "question", ["kalau hari libur bisa lapor?", "lapor gratifikasi pas libur"]
)
def test_reporting_on_a_holiday_is_still_answered(kb: KnowledgeBase, question: str) -> None:
    result = kb.match(question)
    assert result.outcome == "answered"
    assert result.best is not None and result.best.id == "lapor-saat-libur"


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        # The lexical blend alone ranked the entry on being free of prosecution first.
        ("kalo gak lapor bisa masuk penjara ga?", "sanksi"),
        # The blend alone ranked it first too, but only suggested it.
        ("ditraktir makan siang sama vendor", "hidangan"),
        ("pegawai kontrak wajib lapor jg?", "honorer-pppk"),
    ],
)
def test_the_classifier_settles_what_the_words_alone_leave_open(
    kb: KnowledgeBase, lexical: KnowledgeBase, typed: str, entry_id: str
) -> None:
    result = kb.match(typed)
    assert (result.outcome, result.best and result.best.id) == ("answered", entry_id)
    assert result.ranked[0].probability > 0.4
    before = lexical.match(typed)
    assert (before.outcome, before.best and before.best.id) != ("answered", entry_id)


def test_the_classifier_bonus_does_not_lift_a_weak_score_over_the_floor(
    kb: KnowledgeBase,
) -> None:
    result = kb.rank("ditraktir makan siang sama vendor")
    assert kb.decide(result) == "answered"
    best = result.ranked[0]
    t = kb.thresholds
    # The same lead, but a score that reaches the floor only with the classifier's bonus.
    score = t.answer + t.classifier_bonus * best.probability - 0.01
    gap = best.score - result.ranked[1].score
    weak = dataclasses.replace(best, score=round(score, 4))
    second = dataclasses.replace(result.ranked[1], score=round(score - gap, 4))
    assert kb.decide(dataclasses.replace(result, ranked=(weak, second))) == "suggested"


@pytest.mark.parametrize("typed", ["jam brp skrg", "jam berapa sekarang"])
def test_a_short_question_the_classifier_finds_about_nothing_is_not_answered(
    kb: KnowledgeBase, typed: str
) -> None:
    result = kb.match(typed)
    assert result.outcome != "answered"
    assert result.ranked[0].probability < kb.thresholds.classifier_short


@pytest.mark.parametrize("typed", ["dikasih uang, wajib lapor?", "td dikasi duit, hrs lapor gk ya"])
def test_a_question_naming_no_giver_nor_case_gets_suggestions(
    kb: KnowledgeBase, typed: str
) -> None:
    # Words every entry shares: the classifier finds the lexical favourite unlikely, so the
    # person is offered the likely entries instead of one asserted answer.
    result = kb.match(typed)
    assert result.outcome == "suggested"
    assert kb.suggestions(result)


def test_a_clear_lexical_winner_stays_answered_though_the_classifier_is_unsure(
    kb: KnowledgeBase,
) -> None:
    result = kb.match("uang dari kontraktor wajib dilaporkan?")
    assert (result.outcome, result.ranked[0].id) == ("answered", "hadiah-rekanan")


@pytest.mark.parametrize(
    "typed",
    ["sy pppk paruh waktu, wajib lapor jg?", "p3k paruh waktu kena aturan gratifikasi gk"],
)
def test_part_time_pppk_is_answered_by_the_pppk_entry(kb: KnowledgeBase, typed: str) -> None:
    result = kb.match(typed)
    assert result.best is not None and result.best.id == "honorer-pppk"
    assert "paruh waktu" in kb.entries["honorer-pppk"].answer
    assert "paruh waktu" not in " ".join(kb.entries["pegawai-lain"].keywords)


@pytest.mark.parametrize(
    "typed", ["sy perangkat desa wajib lapor ga", "sy satpam outsourcing di dinas, lapor jg?"]
)
def test_village_and_outsourced_staff_stay_with_the_other_staff_entry(
    kb: KnowledgeBase, typed: str
) -> None:
    result = kb.match(typed)
    assert result.best is not None and result.best.id == "pegawai-lain"


@pytest.mark.parametrize(
    "typed",
    [
        "kakak sy beliin hp baru, hrs lapor?",
        "ibu mertua ngasih kalung emas, lapor gk",
        "adik ipar dibelikan sy jam tangan, wajib lapor ga",
    ],
)
def test_a_relative_who_gives_is_the_family_entry_not_a_delivery_home(
    kb: KnowledgeBase, typed: str
) -> None:
    result = kb.match(typed)
    assert result.outcome == "answered"
    assert result.best is not None and result.best.id == "keluarga"


def test_a_partner_who_takes_in_a_giver_parcel_at_home_is_still_the_delivery_entry(
    kb: KnowledgeBase,
) -> None:
    result = kb.match("rekanan nitip bingkisan ke istri sy di rumah")
    assert result.best is not None and result.best.id == "kiriman-rumah"


@pytest.mark.parametrize(
    "typed", ["lapornya ke kpk atau ke inspektorat?", "lapor gratifikasi ke uppg ato kpk ya"]
)
def test_which_office_to_report_to_is_the_where_entry(kb: KnowledgeBase, typed: str) -> None:
    result = kb.match(typed)
    assert result.best is not None and result.best.id == "lapor-kemana"


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        ("bisa lapor hari sabtu atau minggu?", "lapor-saat-libur"),
        ("lapor pas sabtu minggu bisa ga", "lapor-saat-libur"),
        ("sabtu minggu dihitung ga dlm 30 hari kerja", "hari-kerja"),
        ("sabtu dan minggu masuk hitungan tenggat?", "hari-kerja"),
    ],
)
def test_saturday_or_sunday_is_a_weekend_and_counting_it_is_a_working_day_question(
    kb: KnowledgeBase, typed: str, entry_id: str
) -> None:
    result = kb.match(typed)
    assert (result.outcome, result.best and result.best.id) == ("answered", entry_id)


def test_what_a_report_contains_is_the_documents_entry_not_how_the_bot_works(
    kb: KnowledgeBase,
) -> None:
    result = kb.match("isi laporan gratifikasi apa aja")
    assert (result.outcome, result.best and result.best.id) == ("answered", "dokumen-disiapkan")
    assert "isi laporan" not in kb.entries["cara-lapor-bot"].keywords


@pytest.mark.parametrize(
    "typed",
    [
        # A currency is not money given: "dolar" no longer reads as the weak word "uang".
        "kurs yen hari ini berapa ya",
        # Topping up one's own wallet is an errand; "saldo" alone does not make it a gift.
        "cara isi saldo gopay lewat mandiri",
        # Longer than six words: most of it is unknown to the best entry and nothing is reported.
        "bank mana yg bunga kreditnya paling rendah buat asn",
        "gaji pppk kabupaten kapan naik thn ini",
        # Becoming a village official is an errand, not the entry on who must report.
        "syarat menjadi kepala dusun apa aja",
    ],
)
def test_other_errands_naming_a_weak_domain_word_are_not_answered(
    kb: KnowledgeBase, typed: str
) -> None:
    result = kb.match(typed)
    assert not result.on_topic
    assert kb.decide(result) != "answered"


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        ("vendor top up saldo ovo sy, lapor?", "voucher-emoney"),
        ("dikasih 100 dolar sm tamu asing, gmn", "menaksir-nilai"),
        # Asking about reporting keeps a longer question with an errand word on topic.
        ("barangnya udh sy oper ke adik, kewajiban laporannya hilang?", "disumbangkan"),
    ],
)
def test_the_same_errand_words_with_a_gift_or_a_report_are_answered(
    kb: KnowledgeBase, typed: str, entry_id: str
) -> None:
    result = kb.match(typed)
    assert result.on_topic
    assert (result.outcome, result.best and result.best.id) == ("answered", entry_id)
