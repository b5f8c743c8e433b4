"""The UPPG card never shows a NIK, and shows the form's newer fields."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.backoffice.cards import NIK_HIDDEN, card, thread_reply
from bot.store.models import Declaration
from handlers import statuses as st

NIK = "3201011505900011"


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
    text = card(found, [], [], tz=ZoneInfo("Asia/Jakarta")).text
    digits = "".join(c for c in text if c.isdigit())
    assert NIK not in digits.replace(" ", "") and NIK_HIDDEN in text
    reply = thread_reply(found, f"ini NIK saya {NIK}", [])
    assert NIK not in reply.text and NIK_HIDDEN in reply.text


def test_the_card_shows_the_givers_position_the_reason_and_the_typed_occasion() -> None:
    text = card(declaration(), [], [], tz=ZoneInfo("Asia/Jakarta")).text
    assert "Pemberi: Andi Wijaya (Direktur), PT Maju Jaya, Rekanan/vendor" in text
    assert "Peristiwa: Lainnya: pelantikan" in text
    assert "Alasan: ucapan selamat" in text
