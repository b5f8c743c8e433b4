"""The UPPG card never shows a NIK, and shows the form's newer fields; what the reporter is
told when the UPPG closes a report itself."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.backoffice.cards import NIK_HIDDEN, card, status_notice, thread_reply
from bot.config import Settings
from bot.store.models import Declaration, StatusChange
from handlers import statuses as st

NIK = "3201011505900011"
SETTINGS = Settings(_env_file=None, environment="test")  # type: ignore[call-arg]


def declaration(**fields: object) -> Declaration:
    values: dict[str, object] = {
        "id": 7,
        "number": "GRT-2026-000007",
        "report_type": "penerimaan",
        "status": st.DITERIMA,
        "reporter_name": "Rina Marlina",
        "confidential": False,
        "giver_name": "Andi Wijaya",
        "giver_position": "Direktur",
        "giver_institution": "PT Maju Jaya",
        "giver_relation": "rekanan",
        "occasion": "lainnya",
        "occasion_other": "pelantikan",
        "reason": "ucapan selamat",
        "object_type": "barang",
        "value_rp": 750_000,
        "received_date": date(2026, 12, 1),
        "submitted_at": datetime(2026, 12, 2, 3, tzinfo=UTC),
        "late": False,
    }
    values.update(fields)
    return Declaration(**values)


def test_a_nik_typed_into_any_field_never_reaches_the_card() -> None:
    # What an old draft could hold: several fields typed into the name, a NIK in the story.
    found = declaration(
        reporter_name=f"Rina Marlina, NIK {NIK}, staf di Bappeda",
        description=f"batik, NIK saya {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}",
    )
    text = card(found, [], [], settings=SETTINGS).text
    digits = "".join(c for c in text if c.isdigit())
    assert NIK not in digits.replace(" ", "") and NIK_HIDDEN in text
    reply = thread_reply(found, f"ini NIK saya {NIK}", [])
    assert NIK not in reply.text and NIK_HIDDEN in reply.text


def test_the_card_shows_the_givers_position_the_reason_and_the_typed_occasion() -> None:
    text = card(declaration(), [], [], settings=SETTINGS).text
    assert "Pemberi: Andi Wijaya (Direktur), PT Maju Jaya, Rekanan/vendor" in text
    assert "Peristiwa: Lainnya: pelantikan" in text
    assert "Alasan: ucapan selamat" in text


@pytest.mark.parametrize(
    ("status", "details", "told"),
    [
        (
            st.DISALURKAN,
            {"aid_recipient": "Panti Asuhan Harapan", "distributed_on": "2026-12-02"},
            "disalurkan sebagai bantuan sosial kepada Panti Asuhan Harapan pada 2 Des "
            "2026. UPPG melaporkannya ke KPK dalam rekap berkala.",
        ),
        (
            st.DIKEMBALIKAN,
            {"returned_on": "2026-12-02"},
            "dikembalikan kepada pemberi pada 2 Des 2026. Pengembalian ini dicatat seperti "
            "laporan penolakan dan masuk rekap berkala UPPG ke KPK.",
        ),
        (
            st.DUPLIKAT,
            {"duplicate_of": "GRT-2026-000003", "reason": "dua kali"},
            "sama dengan laporan GRT-2026-000003, yang tetap diproses.",
        ),
        (
            st.DITARIK,
            {"reason": "salah kirim"},
            "perlindungan Pasal 12C UU 20/2001 hanya berlaku bila gratifikasi dilaporkan "
            "paling lambat 30 hari kerja sejak diterima.",
        ),
        (st.TIDAK_DILENGKAPI, {}, "buat laporan baru dengan data lengkap (/lapor)."),
    ],
)
def test_a_report_the_uppg_closes_itself_tells_the_reporter_what_it_means(
    status: str, details: dict[str, str], told: str
) -> None:
    change = StatusChange(
        declaration_id=7,
        from_status=st.DITERIMA,
        to_status=status,
        actor="siti",
        note="Terima kasih.",
        internal_note="pemberi rekanan proyek",
        details=details,
        at=datetime(2026, 12, 2, 3, tzinfo=UTC),
    )
    text = status_notice(declaration(object_type="makanan"), change, None, settings=SETTINGS).text
    assert told in " ".join(text.split())
    assert st.label(status) in text and "Terima kasih." in text
    assert "rekanan proyek" not in text  # the internal note stays with the UPPG
