"""Answers agree with the legal reference (shared reference, section 6b overrides earlier ones)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from bot.knowledge.matcher import KnowledgeBase
from handlers.exemptions import Facts, Rule, RuleSet, Verdict, evaluate
from handlers.formatting import rupiah


def test_the_seven_days_of_pasal_17_6_are_kpks_and_the_reporters_deadline_is_the_sks(
    kb: KnowledgeBase,
) -> None:
    citing = [e for e in kb.entries.values() if "17 ayat (6)" in e.basis]
    assert citing, "the hand-over to the Minister of Finance is answered somewhere"
    for entry in citing:
        text = kb.render(entry.id)
        basis = text.splitlines()[-1]
        # The basis says what each source governs, so a reader cannot take the 7 days as theirs.
        assert "SK KPK" in basis and "(tenggat pelapor)" in basis, entry.id
        assert "ke Menteri Keuangan" in basis, entry.id
        if "7 hari kerja" in text:
            assert "tugas KPK, bukan tenggat Anda" in text, entry.id
        assert "tercantum di SK" in text, entry.id


# --- thresholds, citations and rule changes (pinned to knowledge/exemptions.yaml) -----------

STATUTE_AMOUNTS = {
    "Rp10 juta",  # Pasal 12B ayat (1): the reversed burden of proof
    "Rp200 juta",  # Pasal 12B ayat (2): the fine
    "Rp1 miliar",
    "Rp200.000",  # the one secondary source on colleague vouchers ([!], hedged where it is said)
}
AMOUNT = re.compile(r"Rp ?\d+(?:\.\d{3})*(?: (?:juta|miliar))?")
TODAY = date(2026, 12, 2)
AMENDED = date(2026, 1, 20)


def _renders(kb: KnowledgeBase, entry_id: str) -> list[str]:
    """The answer as sent, in general and for each case the question may name."""
    groups = [g for case_groups, _ in kb.cases.get(entry_id, []) for g in case_groups]
    return [kb.render(entry_id), *(kb.render(entry_id, g) for g in groups)]


def _rules(kb: KnowledgeBase) -> RuleSet:
    assert kb.rules is not None
    return kb.rules


def test_every_amount_in_an_answer_is_a_rule_limit_or_the_statutes(kb: KnowledgeBase) -> None:
    limits = {
        rupiah(amount)
        for version in _rules(kb).versions
        for rule in version.rules
        for amount in (rule.max_per_giver, rule.max_per_year)
        if amount is not None
    }
    for entry_id in kb.entries:
        for text in _renders(kb, entry_id):
            for amount in AMOUNT.findall(text):
                assert amount in limits | STATUTE_AMOUNTS, (entry_id, amount)


def _facts(rule: Rule, value: int, received: date) -> Facts:
    """A gift that falls under the rule, with no conflict of interest."""

    def pick(codes: frozenset[str], default: str) -> str:
        named = sorted(c for c in codes if c != "any")
        return named[0] if named else default

    obj = pick(rule.objects, "barang")
    return Facts(
        giver_relation=pick(rule.givers, "masyarakat"),
        occasion=pick(rule.occasions, "lainnya"),
        object_type=obj,
        value_rp=value,
        received=received,
        year_total_rp=value,
        conflict_of_interest=False,
    )


def test_an_answer_quotes_the_limit_the_check_applies_today(kb: KnowledgeBase) -> None:
    rules = _rules(kb)
    today = rules.version_on(TODAY)
    assert today is not None and today.applies_from == AMENDED
    quoted = 0
    for rule in today.rules:
        if rule.max_per_giver is None or rule.id not in kb.entries:
            continue
        answer = kb.render(rule.id)
        assert rupiah(rule.max_per_giver) in answer, rule.id
        if rule.max_per_year is not None:
            assert rupiah(rule.max_per_year) in answer, rule.id
        at = evaluate(rules, _facts(rule, rule.max_per_giver, TODAY))
        over = evaluate(rules, _facts(rule, rule.max_per_giver + 1, TODAY))
        assert isinstance(at, Verdict) and at.kind == "exempt" and at.rule == rule, rule.id
        assert isinstance(over, Verdict) and over.kind == "must_report", rule.id
        quoted += 1
    assert quoted >= 3  # pernikahan, musibah, rekan-kerja


def _letters(basis: str) -> set[str]:
    found = re.search(r"huruf ([a-q](?:(?:, | dan |, dan )[a-q])*)", basis)
    return set(re.findall(r"\b[a-q]\b", found.group(1))) if found else set()


def test_an_exemption_answer_cites_the_letter_and_instrument_the_check_cites(
    kb: KnowledgeBase,
) -> None:
    today = _rules(kb).version_on(TODAY)
    assert today is not None
    cited = 0
    for rule in today.rules:
        entry = kb.entries.get(rule.id)
        if entry is None:
            continue
        assert rule.letter in _letters(entry.basis), (rule.id, entry.basis)
        assert "PerKPK 2/2019 jo. PerKPK 1/2026" in entry.basis, (rule.id, entry.basis)
        cited += 1
    assert cited >= 12


def test_a_limit_that_changed_in_2026_is_said_with_its_date_and_old_value(
    kb: KnowledgeBase,
) -> None:
    rules = _rules(kb)
    before, after = rules.version_on(AMENDED - timedelta(days=1)), rules.version_on(AMENDED)
    assert before is not None and after is not None
    old = {r.id: r for r in before.rules}
    changed = 0
    for rule in after.rules:
        was = old.get(rule.id)
        if was is None or rule.id not in kb.entries or was.max_per_giver == rule.max_per_giver:
            continue
        answer = kb.render(rule.id)
        assert was.max_per_giver is not None, rule.id
        assert rupiah(was.max_per_giver) in answer, rule.id
        assert "20 Jan 2026" in answer, rule.id
        changed += 1
    assert changed >= 2  # pernikahan and rekan-kerja
    # The deleted letter n (farewells and birthdays between colleagues) is said to be gone.
    deleted = {r.id for r in before.rules} - {r.id for r in after.rules}
    assert deleted == {"pisah-sambut"}
    for entry_id in ("pisah-sambut", "rekan-kerja", "perubahan-2026"):
        answer = kb.render(entry_id)
        assert "dihapus" in answer and "20 Jan 2026" in answer, entry_id
        assert "ulang tahun" in answer, entry_id  # huruf n covered birthdays too (6b)


def test_a_must_i_report_question_never_gets_a_first_line_that_reads_as_no(
    kb: KnowledgeBase,
) -> None:
    # Issue 13's known defect: "Tidak boleh." under "wajib lapor?" reads as "no need".
    for entry in kb.entries.values():
        for question in entry.questions:
            tokens = kb.match(question).tokens
            if not {"wajib", "lapor"} <= tokens:
                continue
            first = kb.render(entry.id, tokens).splitlines()[0]
            assert not first.startswith("Tidak boleh"), (entry.id, question, first)
            if first.startswith("Tidak"):
                assert "wajib" in first, (entry.id, question, first)


def test_an_answer_on_the_givers_penalty_cites_the_new_kuhp(kb: KnowledgeBase) -> None:
    # KUHP (UU 1/2023) in force 2 Jan 2026: Pasal 5 -> 605, Pasal 13 -> 606(1) (6b).
    for entry_id in kb.entries:
        text = kb.render(entry_id)
        if re.search(r"Pasal (?:5|11|13)\b(?! UU 28/1999)", text):  # not the LHKPN article
            assert "605" in text and "606" in text and "2 Jan 2026" in text, entry_id


def test_an_answer_on_the_decision_period_keeps_the_statute_apart_from_practice(
    kb: KnowledgeBase,
) -> None:
    # Pasal 12C ayat (3): 30 working days from the report's receipt; "from complete" is practice.
    for entry_id in kb.entries:
        text = kb.render(entry_id)
        if "sejak laporan lengkap" in text or "sejak lengkap" in text:
            assert "dalam praktik" in text, entry_id


def test_the_reporters_hand_over_deadline_is_the_sks_and_unsure_means_ask_the_uppg(
    kb: KnowledgeBase,
) -> None:
    # Reference 6b: the reporter's deadline to hand over or pay is in the SK [R].
    for entry_id in ("lama-keputusan", "setelah-sk"):
        text = kb.render(entry_id)
        assert "SK" in text and "konfirmasi ke UPPG" in text, entry_id


def test_the_compensation_steps_agree_between_answers(kb: KnowledgeBase) -> None:
    # Reference 2.6 [V]: the item is handed to KPK to be valued and returned after payment;
    # "barang tetap pada Anda" contradicted that.
    steps = kb.render("kompensasi")
    assert "serahkan barang untuk dinilai" in steps
    after = kb.render("setelah-sk")
    assert "tetap pada Anda" not in after and "dikembalikan kepada Anda" in after
    # The withdrawal warning comes from the UPG form, not from an article read.
    assert "formulir laporan UPG" in steps.splitlines()[-1]


def test_the_forwarding_date_is_never_after_the_reporters_own_date(kb: KnowledgeBase) -> None:
    # Reference 6b: due = min(UPPG receipt + 10 HK, received + 30 HK): "at the latest on", not
    # "before", the reporter's 30-day date.
    text = kb.render("lapor-kemana")
    assert "paling lambat pada batas 30 hari kerja Anda" in text


def test_the_givers_name_and_address_are_asked_as_required(kb: KnowledgeBase) -> None:
    # UU 30/2002 Pasal 16 huruf b [V]: the giver's name and full address are minimum contents.
    text = kb.render("dokumen-disiapkan")
    assert "nama dan alamat pemberi wajib ada" in text
    assert 'boleh "tidak tahu"' not in text


# --- what the bot says it encrypts, against what the models encrypt --------------------------

# Each encrypted column of a reporter's records, as the texts name it.
ENCRYPTED_COLUMN_LABELS = {
    "name": "nama",
    "reporter_name": "nama",
    "nip": "NIP",
    "reporter_nip": "NIP",
    "email": "e-mail",
    "reporter_email": "e-mail",
    "nik_enc": "NIK",
    "reporter_nik_enc": "NIK",
    "address_enc": "alamat",
    "reporter_address_enc": "alamat",
    "phone_enc": "nomor HP",
    "reporter_phone_enc": "nomor HP",
    "giver_address_enc": "alamat pemberi",
    "reason": "cerita pemberian",
    "description": "cerita pemberian",
    "received_place": "cerita pemberian",
    "chronology": "cerita pemberian",
}
# Personal data kept in clear, which the texts must therefore not call encrypted.
CLEAR_COLUMNS = {
    "jabatan",
    "unit_kerja",
    "reporter_jabatan",
    "reporter_unit",
    "giver_name",
    "giver_position",
    "giver_institution",
}


def _named(listing: str) -> set[str]:
    """The items of "a, b dan c, d, dan e" as a set."""
    items = re.split(r",\s*(?:dan\s+|serta\s+)?", listing)
    return {part.strip() for item in items for part in item.split(" dan ")}


def _encrypted_columns() -> tuple[set[str], set[str]]:
    from bot.store.models import Declaration, Profile
    from bot.store.sealed import Sealed

    sealed, clear = set(), set()
    for model in (Declaration, Profile):
        for column in model.__table__.columns:
            if isinstance(column.type, Sealed) or column.name.endswith("_enc"):
                sealed.add(column.name)
            else:
                clear.add(column.name)
    return sealed, clear


async def test_the_encryption_statement_names_exactly_what_is_encrypted(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    from bot.channels.whatsapp.ids import WhatsAppIds
    from bot.crypto import Cipher
    from bot.messages import Attachment
    from bot.store.attachments import LocalAttachmentStore
    from bot.store.models import ThreadMessage
    from bot.store.sealed import Sealed
    from handlers import texts

    sealed, clear = _encrypted_columns()
    # A column sealed or unsealed later makes this fail until the texts are changed with it.
    assert sealed == set(ENCRYPTED_COLUMN_LABELS)
    assert clear >= CLEAR_COLUMNS
    # Beyond the columns: the WhatsApp number kept to reach the reporter is encrypted, and so
    # are the attachment files.
    cipher = Cipher(Fernet.generate_key())
    ids = WhatsAppIds(cipher)
    chat = ids.chat("6281234567890")
    assert "6281234567890" not in chat and ids.number(chat) == "6281234567890"
    photo = b"%PDF-1.7\nUndangan pernikahan, Jl. Melati 5, RT 02/RW 03"

    async def download() -> bytes:
        return photo

    files = LocalAttachmentStore(tmp_path, max_bytes=10_000, cipher=cipher)
    saved = await files.save(Attachment(kind="document", name="undangan", download=download))
    assert b"Jl. Melati" not in (tmp_path / saved.key).read_bytes()
    # The reporter's replies to the UPPG's questions are sealed (migration 0014).
    assert isinstance(ThreadMessage.__table__.columns["text"].type, Sealed)
    expected = set(ENCRYPTED_COLUMN_LABELS.values()) | {
        "WhatsApp",
        "lampiran",
        "balasan Anda ke UPPG",
    }
    assert _named(texts.ENCRYPTED_DATA) == expected
    assert _named(texts.NOT_ENCRYPTED_DATA) == {"jabatan", "unit kerja", "nama", "instansi pemberi"}


def test_every_answer_on_encryption_gives_the_same_list_as_the_privacy_notice(
    kb: KnowledgeBase,
) -> None:
    from handlers import texts
    from handlers.declaration_help import PRIVACY

    assert f"Yang disimpan terenkripsi: {texts.ENCRYPTED_DATA}." in PRIVACY
    assert f"Tidak dienkripsi: {texts.NOT_ENCRYPTED_DATA}." in PRIVACY
    saying = [
        entry_id
        for entry_id in kb.entries
        if re.search(r"enkripsi|terenkripsi", kb.render(entry_id))
    ]
    assert "kerahasiaan" in saying
    for entry_id in saying:
        text = kb.render(entry_id)
        # Never "all personal data is encrypted": the list, and what stays in clear.
        assert f"yang disimpan terenkripsi: {texts.ENCRYPTED_DATA}." in text, entry_id
        assert f"Tidak dienkripsi: {texts.NOT_ENCRYPTED_DATA}." in text, entry_id


def test_no_answer_says_whether_the_superior_must_be_told(kb: KnowledgeBase) -> None:
    # The reference says nothing on telling one's superior, and does not mark the point [R] or
    # [!]: an answer asked about it says what the reference does support (the duty is to
    # report to the UPPG or KPK, and the UPPG keeps the reporter's identity confidential).
    for entry_id in kb.entries:
        text = kb.render(entry_id)
        assert not re.search(r"wajib (?:memberi tahu|melapor ke|lapor ke) atasan", text), entry_id
    proof = kb.render("bukti-lapor")
    assert "Kewajiban Anda: melapor ke UPPG atau KPK." in proof
    assert "UPPG merahasiakan identitas pelapor, kecuali untuk peradilan" in proof
    assert "kerahasiaan" in proof.splitlines()[-1]
