"""The answers read well on a phone, in Telegram and in WhatsApp (issue 13, "On a phone")."""

from __future__ import annotations

import re

from bot.channels.whatsapp.render import ROW_DESCRIPTION_LIMIT
from bot.knowledge.matcher import PHONE_CHARS, KnowledgeBase

# How a yes/no answer may open: it answers first, explains after.
DIRECT = ("Ya", "Tidak", "Tergantung", "Bisa", "Boleh", "Tetap", "Umumnya", "Berbeda", "Laporkan")
VERDICT = r"(tolak|laporkan|wajib|tidak wajib|jangan|sebaiknya|ada konflik|dianggap)"


def _variants(kb: KnowledgeBase, entry_id: str) -> list[str]:
    """The answer as sent, in general and for each case the question may name."""
    groups = [g for case_groups, _ in kb.cases.get(entry_id, []) for g in case_groups]
    return [kb.render(entry_id), *(kb.render(entry_id, g) for g in groups)]


def test_every_answer_fits_a_phone_screen(kb: KnowledgeBase) -> None:
    too_long = [
        (e, len(text)) for e in kb.entries for text in _variants(kb, e) if len(text) > PHONE_CHARS
    ]
    assert too_long == []


def test_the_basis_is_one_dated_line_at_the_end(kb: KnowledgeBase) -> None:
    for entry_id in kb.entries:
        for text in _variants(kb, entry_id):
            last = text.splitlines()[-1]
            assert last.startswith("Dasar hukum: ") and "(ditinjau " in last, entry_id
            assert text.count("Dasar hukum:") == 1, entry_id


def test_a_yes_no_question_is_answered_in_the_first_line(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        if not entry.questions[0].startswith(("Apakah", "Bolehkah", "Bisa", "Kalau")):
            continue
        first = kb.render(entry.id).splitlines()[0]
        assert first.startswith(DIRECT), (entry.id, first)
        for text in _variants(kb, entry.id)[1:]:
            # A case's line names the case, then the verdict: "Dari rekanan: tolak, ...".
            case, _, verdict = text.splitlines()[0].partition(": ")
            assert re.match(VERDICT, verdict), (entry.id, case, verdict)


def test_every_suggestion_label_fits_a_whatsapp_list_row(kb: KnowledgeBase) -> None:
    # The first phrasing is the "Maksud Anda:" button; longer labels turn the list into text.
    too_long = [
        e.questions[0] for e in kb.entries.values() if len(e.questions[0]) > ROW_DESCRIPTION_LIMIT
    ]
    assert too_long == []


def test_no_answer_paragraph_is_a_wall_of_text(kb: KnowledgeBase) -> None:
    walls = [
        f"{e.id}: {line[:40]}"
        for e in kb.entries.values()
        for line in kb.render(e.id).splitlines()
        if len(line) > 200
    ]
    assert walls == []


def test_konfirmasi_ke_uppg_only_where_the_reference_is_unsure(kb: KnowledgeBase) -> None:
    # Entries whose answer rests on a point the reference marks [R] or [!]: the 2026 disaster
    # limit, cuti bersama, the completion start date, KUHP penalties, compensation details,
    # the farewell category's deletion, vouchers from colleagues, ASN discounts, BUMD and
    # outsourced staff, the UPPG receipt and the 30 days, the announcement's contents, the
    # SK's hand-over date, the local rules on refusals, the meaning of "berlaku umum" (glossary
    # not read), the 2026 disaster limit in the list of exemptions, "nilainya wajar" for
    # promotional items, the local rule on returned gifts, ISO 37001:2025's SNI adoption.
    allowed = {
        "pengecualian-daftar",
        "barang-promosi",
        "sudah-dikembalikan",
        "smap-iso37001",
        "musibah",
        "hari-kerja",
        "laporan-belum-lengkap",
        "sanksi-pemberi",
        "kompensasi",
        "terlanjur-dipakai",
        "pisah-sambut",
        "voucher-emoney",
        "bank-gaji",
        "pegawai-lain",
        "lapor-lewat-uppg",
        "nama-dipublikasikan",
        "setelah-sk",
        "penolakan",
        "berlaku-umum",
        # Exemption j: copies differ on whose standar biaya applies [!].
        "honor-narasumber",
        # The hand-over date an SK sets when it names none [R] (also in setelah-sk).
        "lama-keputusan",
    }
    hedged = {e.id for e in kb.entries.values() if "konfirmasi ke UPPG" in kb.render(e.id)}
    assert hedged <= allowed, hedged - allowed
    # And never the old hedges about texts "we have not read".
    assert not any("belum kami baca" in kb.render(e) for e in kb.entries)
