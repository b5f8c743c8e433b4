"""The receipt's last advice follows where the object is, and every receipt stays short."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.holidays_id import work_calendar
from handlers import vocab
from handlers.ports import Policy, Receipt
from handlers.receipt import KEEP_IT, WHEREABOUTS, receipt_text

JAKARTA = ZoneInfo("Asia/Jakarta")


def receipt(received: date, submitted: date, location: str | None) -> Receipt:
    return Receipt(
        id=1,
        number="GRT-2026-000123",
        status="diterima",
        report_type="penerimaan",
        received_date=received,
        submitted_on=submitted,
        created=True,
        object_type="diskon_pinjaman",
        value_rp=2_000_000_000,
        uppg_deadline=received,
        kpk_deadline=received,
        attachments=12,
        object_location=location,
    )


@pytest.mark.parametrize("location", [*vocab.OBJECT_LOCATIONS, None])
@pytest.mark.parametrize("cuti_is_workday", [True, False])
@pytest.mark.parametrize("submitted", [date(2026, 3, 16), date(2026, 4, 20), date(2026, 5, 4)])
def test_the_advice_fits_where_the_object_is_and_the_receipt_stays_under_900(
    location: str | None, cuti_is_workday: bool, submitted: date
) -> None:
    policy = Policy(
        timezone=JAKARTA, calendar=work_calendar(cuti_bersama_is_workday=cuti_is_workday)
    )
    text = receipt_text(receipt(date(2026, 3, 10), submitted, location), policy)
    assert len(text) < 900, len(text)
    assert WHEREABOUTS.get(location or "", KEEP_IT) in text


def test_every_whereabouts_has_its_advice() -> None:
    assert set(WHEREABOUTS) == set(vocab.OBJECT_LOCATIONS)
    assert "UPPG" in WHEREABOUTS["dititipkan_uppg"]
    assert "bantuan sosial" in WHEREABOUTS["bantuan_sosial"]
    assert "dikembalikan" in WHEREABOUTS["dikembalikan"]
